"""The UI check's bpy-free parts under plain Python: Blender's printed warnings read back and put on
the add-on's line, the draw methods wrapped so that Blender still passes them their arguments,
and the messages and tracebacks the report shows."""

import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "python"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # source_files
from blender_bg.paths import Roots  # noqa: E402
from blender_bg.ui.printed import printed_warnings, searched_name  # noqa: E402
from blender_bg.ui.spy import DrawSpy, same_arguments, short_message, traceback_text  # noqa: E402
from source_files import line_of, write  # noqa: E402


class PrintedWarningsTest(unittest.TestCase):
    def test_each_versions_wording_with_the_line_blender_names(self):
        # 3.4 and 4.3 print rna_uiItemR's message on stdout, 5.2 UILayout.prop()'s; the line comes on stderr.
        for who in ("rna_uiItemR", "UILayout.prop()"):
            text = "%s: property not found: Object.gone_property\n/src/addon/__init__.py:23\n" % who
            self.assertEqual(printed_warnings(text), [("%s: property not found: Object.gone_property" % who, "/src/addon/__init__.py", 23)])

    def test_messages_and_lines_paired_in_order_even_when_the_streams_interleave(self):
        # C's stdout is buffered and its stderr is not: both lines can come before both messages.
        text = "/a/ui.py:10\n^ /a/ui.py:20\nrna_uiItemR: property not found: Scene.one\nuiItemFullO: unknown operator 'mesh.gone'\n"
        self.assertEqual(printed_warnings(text), [
            ("rna_uiItemR: property not found: Scene.one", "/a/ui.py", 10),
            ("uiItemFullO: unknown operator 'mesh.gone'", "/a/ui.py", 20),
        ])

    def test_a_message_without_its_line_keeps_no_line(self):
        self.assertEqual(printed_warnings("UILayout.prop(): property not found: Scene.x\nsomething else\n"), [("UILayout.prop(): property not found: Scene.x", None, None)])

    def test_other_output_is_not_a_draw_error(self):
        self.assertEqual(printed_warnings("Read prefs: /x/userpref.blend\nWarning: 1 x Draw window and swap: 3 ms\n/a/b.py:3\n"), [])

    def test_the_name_searched_for_when_blender_did_not_say_the_line(self):
        self.assertEqual(searched_name("UILayout.prop(): property not found: Scene.my_setting"), "my_setting")
        self.assertEqual(searched_name("uiItemFullO: unknown operator 'my_addon.do_it'"), "my_addon.do_it")
        self.assertIsNone(searched_name("something else"))

    def test_captured_output_holds_what_c_and_python_wrote_and_passes_it_on(self):
        script = (
            "import ctypes, os, sys\n"
            "sys.path.insert(0, %r)\n"
            "from blender_bg.ui.printed import CapturedOutput\n"
            "libc = ctypes.CDLL(None)\n"
            "with CapturedOutput() as caught:\n"
            "    libc.printf(b'from C\\n')\n"
            "    print('from Python')\n"
            "    os.write(2, b'to stderr\\n')\n"
            "print('CAUGHT=' + repr(caught.text), flush=True)\n"
        ) % os.path.join(os.path.dirname(__file__), "..", "..", "python")
        result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=30)
        caught = next(line for line in result.stdout.splitlines() if line.startswith("CAUGHT="))
        for said in ("from C", "from Python", "to stderr"):
            self.assertIn(said, caught)
            self.assertIn(said, result.stderr)  # passed on to the log


class SpyTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.file = write(self.dir, "panels.py", """\
            class Panel:
                def draw(self, context):
                    context.append("drawn")
                    if context[0] == "boom":
                        raise TypeError('UILayout.label(): enum "HAIR" not found in (' + ", ".join("'I%d'" % i for i in range(400)) + ')')

                @classmethod
                def poll(cls, context):
                    return context[0] != "hidden"

            class Item:
                def draw_item(self, context, layout, data, item, icon, active_data, active_propname, index):
                    return index
            """)
        namespace = {}
        with open(self.file, encoding="utf-8") as handle:
            exec(compile(handle.read(), self.file, "exec"), namespace)
        self.Panel, self.Item = namespace["Panel"], namespace["Item"]
        self.errors = []
        self.texts = []  # as the pass formats it: when recorded (unittest's assertRaises drops the traceback after)

        def recorded(target, error, place):
            self.errors.append((target, error, place))
            self.texts.append(traceback_text(error, short_message(error)))

        self.spy = DrawSpy(Roots([self.dir]), recorded)

    def test_a_wrapped_method_takes_exactly_the_arguments_blender_counts(self):
        # Blender passes a draw method as many arguments as its code's co_argcount says.
        for original in (self.Panel.draw, self.Item.draw_item):
            wrapped = same_arguments(original, lambda *args: args)
            self.assertEqual(wrapped.__code__.co_argcount, original.__code__.co_argcount)
            self.assertEqual(wrapped(*range(original.__code__.co_argcount)), tuple(range(original.__code__.co_argcount)))

    def test_calls_polls_and_errors_are_recorded_on_the_addons_line_and_raised_again(self):
        self.spy.wrap_class(self.Panel, "Panel", "MY_PT_panel")
        self.Panel().draw(["fine"])
        self.assertFalse(self.Panel.poll(["hidden"]))
        with self.assertRaises(TypeError):
            self.Panel().draw(["boom"])
        self.assertEqual(self.spy.calls["MY_PT_panel"], 2)
        self.assertIs(self.spy.polls["MY_PT_panel"], False)
        (target, error, place), = self.errors
        self.assertEqual(target, "MY_PT_panel")
        self.assertEqual(place[:2], (os.path.realpath(self.file), line_of(self.file, "raise TypeError")))

    def test_unwrap_puts_every_method_and_appended_function_back(self):
        original_draw, original_poll = self.Panel.__dict__["draw"], self.Panel.__dict__["poll"]
        def appended(self, context):
            pass
        funcs = [print, appended]
        self.spy.wrap_class(self.Panel, "Panel", "MY_PT_panel")
        self.spy.wrap_appended(funcs, 1, "HOST › appended")
        self.assertIsNot(funcs[1], appended)
        funcs[1](None, None)
        self.assertEqual(self.spy.calls["HOST › appended"], 1)
        self.spy.unwrap()
        self.assertIs(self.Panel.__dict__["draw"], original_draw)
        self.assertIs(self.Panel.__dict__["poll"], original_poll)
        self.assertEqual(funcs, [print, appended])

    def test_the_message_cuts_blenders_list_of_names_and_the_traceback_starts_at_the_addon(self):
        self.spy.wrap_class(self.Panel, "Panel", "MY_PT_panel")
        with self.assertRaises(TypeError):
            self.Panel().draw(["boom"])
        error = self.errors[0][1]
        message = short_message(error)
        self.assertLess(len(message), 320)
        self.assertTrue(message.startswith('TypeError: UILayout.label(): enum "HAIR" not found in ('))
        self.assertTrue(message.endswith(", …)"))
        text = self.texts[0]
        self.assertNotIn("spy.py", text)
        self.assertIn(self.file, text)
        self.assertTrue(text.rstrip().endswith(message))


if __name__ == "__main__":
    unittest.main()
