"""AddonErrors under plain Python: each hook records what the add-on's code raised, on its line,
passes it on, and leaves alone what no add-on frame raised (no Blender needed)."""

import asyncio
import gc
import json
import os
import sys
import tempfile
import threading
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "python"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # source_files
from blender_bg.health.errors import AddonErrors  # noqa: E402
from source_files import line_of, write  # noqa: E402


class AddonErrorsTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.addon = os.path.join(self.dir, "addon")
        self.library = os.path.join(self.dir, "library")
        os.makedirs(self.addon)
        os.makedirs(self.library)
        write(self.library, "strictlib.py", """\
            def parse(text):
                return int(text)
            """)
        self.module = write(self.addon, "faulty.py", """\
            import asyncio
            import strictlib

            def divide():
                return 1 / 0

            def through_a_library():
                return strictlib.parse("x")

            class Leaky:
                def __del__(self):
                    raise ValueError("in __del__")

            async def failing():
                raise ConnectionResetError("gone")
            """)
        sys.path[0:0] = [self.addon, self.library]
        self.file = os.path.join(self.dir, "errors.jsonl")
        self.errors = AddonErrors(self.file, [self.addon])
        self.printed = []
        self.saved = (sys.excepthook, threading.excepthook, sys.unraisablehook)
        # What the hooks pass the exception on to: record it instead of printing.
        sys.excepthook = lambda *args: self.printed.append("excepthook")
        threading.excepthook = lambda args: self.printed.append("threading")
        sys.unraisablehook = lambda unraisable: self.printed.append("unraisable")
        self.stand_ins = (sys.excepthook, threading.excepthook, sys.unraisablehook)
        self.errors.install()
        import faulty

        self.faulty = faulty

    def tearDown(self):
        self.errors.uninstall()
        sys.excepthook, threading.excepthook, sys.unraisablehook = self.saved
        sys.path.remove(self.addon)
        sys.path.remove(self.library)
        sys.modules.pop("faulty", None)
        sys.modules.pop("strictlib", None)

    def only(self):
        entries = self.errors.entries()
        self.assertEqual(len(entries), 1, entries)
        return entries[0]

    def test_a_thread_that_dies_is_recorded_on_the_addon_line_and_passed_on(self):
        thread = threading.Thread(target=self.faulty.divide, name="worker")
        thread.start()
        thread.join()
        entry = self.only()
        self.assertEqual((entry["kind"], entry["where"], entry["message"]), ("thread", "thread 'worker'", "ZeroDivisionError: division by zero"))
        self.assertEqual((entry["file"], entry["line"], entry["function"]), (os.path.realpath(self.module), line_of(self.module, "1 / 0"), "divide"))
        self.assertIn("Traceback (most recent call last)", entry["traceback"])
        self.assertEqual(self.printed, ["threading"])

    def test_a_library_raising_for_the_addon_is_put_on_the_addon_line_that_called_it(self):
        thread = threading.Thread(target=self.faulty.through_a_library, name="parser")
        thread.start()
        thread.join()
        self.assertEqual(self.only()["line"], line_of(self.module, 'strictlib.parse("x")'))

    def test_an_exception_with_no_addon_frame_is_not_the_addons(self):
        import strictlib

        thread = threading.Thread(target=strictlib.parse, args=("y",))
        thread.start()
        thread.join()
        self.assertEqual(self.errors.entries(), [])
        self.assertEqual(self.printed, ["threading"])

    def test_what_blender_prints_through_excepthook_is_a_callback_error(self):
        try:
            self.faulty.divide()
        except ZeroDivisionError:
            sys.excepthook(*sys.exc_info())
        entry = self.only()
        self.assertEqual((entry["kind"], entry["where"]), ("callback", "test_what_blender_prints_through_excepthook_is_a_callback_error, called by Blender"))
        self.assertEqual(self.printed, ["excepthook"])

    def test_an_unraisable_error_in_del(self):
        self.faulty.Leaky()
        gc.collect()
        entry = self.only()
        self.assertEqual((entry["kind"], entry["line"], entry["function"]), ("unraisable", line_of(self.module, "in __del__"), "__del__"))
        self.assertIn("Leaky.__del__", entry["where"])

    def test_a_task_whose_exception_is_never_retrieved(self):
        loop = asyncio.new_event_loop()
        try:
            loop.create_task(self.faulty.failing())
            loop.run_until_complete(asyncio.sleep(0.01))
            gc.collect()
        finally:
            loop.close()
        entry = self.only()
        self.assertEqual((entry["kind"], entry["where"], entry["line"]), ("asyncio", "asyncio task failing", line_of(self.module, "raise ConnectionResetError")))

    def test_the_same_error_again_is_counted_once_written_again_at_flush(self):
        for _ in range(3):
            self.errors.timer_failed(self.faulty.divide, self.raised(self.faulty.divide))
        self.assertEqual(self.only()["count"], 3)
        self.errors.flush()
        with open(self.file, encoding="utf-8") as handle:
            lines = [json.loads(line) for line in handle]
        self.assertEqual([line["count"] for line in lines], [1, 3])
        self.assertEqual(lines[0]["where"], "bpy.app.timers function divide")

    def test_a_syntax_error_in_the_addon_is_on_its_line(self):
        broken = write(self.addon, "broken.py", "def f(:\n    pass\n")
        with open(broken, encoding="utf-8") as handle:
            source = handle.read()
        try:
            compile(source, broken, "exec")
        except SyntaxError as error:
            self.errors.register_failed(error)
        entry = self.only()
        self.assertEqual((entry["kind"], entry["file"], entry["line"]), ("register", os.path.realpath(broken), 1))

    def test_uninstall_puts_every_hook_back(self):
        ours = asyncio.BaseEventLoop.default_exception_handler
        self.errors.uninstall()
        self.assertEqual((sys.excepthook, threading.excepthook, sys.unraisablehook), self.stand_ins)
        self.assertEqual(asyncio.BaseEventLoop.default_exception_handler.__qualname__, "BaseEventLoop.default_exception_handler")
        self.assertIsNot(asyncio.BaseEventLoop.default_exception_handler, ours)

    @staticmethod
    def raised(function):
        try:
            function()
        except Exception as error:
            return error
        raise AssertionError("it did not raise")


if __name__ == "__main__":
    unittest.main()
