"""Test scripts under plain Python: which files are scripts (script_shape.py), and a script run as
`blender -b --python SCRIPT -- ARGS` would run it, with what it runs reported per test
(script_runner.py)."""

import os
import sys
import tempfile
import textwrap
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "python"))
from blender_bg.runners.script_runner import run_script  # noqa: E402
from blender_bg.runners.script_shape import is_script, read_is_script  # noqa: E402

CATS_STYLE = """
import sys
import unittest

class TestArmature(unittest.TestCase):
    def test_bones(self):
        self.assertTrue(True)

suite = unittest.TestLoader().loadTestsFromTestCase(TestArmature)
runner = unittest.TextTestRunner()
ret = not runner.run(suite).wasSuccessful()
sys.exit(ret)
"""


class ScriptShapeTest(unittest.TestCase):
    def test_module_level_code_with_no_tests_is_a_script(self):
        self.assertTrue(is_script("import bpy\nbpy.ops.mesh.primitive_cube_add()\nassert len(bpy.data.objects) == 4\n"))

    def test_tests_run_by_the_file_itself_make_a_script(self):
        self.assertTrue(is_script(CATS_STYLE))

    def test_a_test_module_is_not_one_even_with_a_main_guard_or_a_set_up_call(self):
        module = "import unittest\nclass T(unittest.TestCase):\n    def test_x(self): pass\n"
        self.assertFalse(is_script(module))
        self.assertFalse(is_script(module + "if __name__ == '__main__':\n    unittest.main()\n"))
        # a call at import that does not run the tests: a module (run as a script, its tests would be skipped)
        self.assertFalse(is_script("import bpy\nbpy.ops.preferences.addon_enable(module='x')\n" + module.split("\n", 1)[1]))
        self.assertFalse(is_script("def test_plain():\n    assert 1\n"))

    def test_reading_blenders_data_at_module_level_is_a_script(self):
        self.assertTrue(is_script('import bpy\nmissing = bpy.data.objects["NoSuchObject"]\n'))

    def test_a_dotted_name_no_runner_can_import_is_a_script_unless_it_only_defines_tests(self):
        folder = tempfile.mkdtemp()
        self.assertTrue(read_is_script(write(folder, "helpers.test.py", "import os\nHERE = os.getcwd()\n")))
        self.assertTrue(read_is_script(write(folder, "broken.test.py", "def f(:\n")))
        self.assertFalse(read_is_script(write(folder, "cases.test.py", "import unittest\nclass T(unittest.TestCase):\n    def test_x(self): pass\n")))
        self.assertFalse(read_is_script(write(folder, "helpers.py", "import os\nHERE = os.getcwd()\n")))

    def test_definitions_constants_guarded_imports_and_broken_files_are_not_scripts(self):
        self.assertFalse(is_script('"""doc"""\nimport os\nX = os.path.join("a", "b")\ntry:\n    import bpy\nexcept ImportError:\n    bpy = None\n'))
        self.assertFalse(is_script("def f(:\n"))


def write(folder, name, text):
    path = os.path.join(folder, name)
    with open(path, "w") as handle:
        handle.write(textwrap.dedent(text))
    return path


class RunScriptTest(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.mkdtemp()
        self.events = []

    def run_one(self, text, args=(), name="suite.test.py"):
        path = write(self.folder, name, text)
        passed, code = run_script(path, list(args), self.events.append, binary="/opt/blender/blender", cwd=self.folder)
        return passed, code, path

    def results(self):
        return {e["id"]: e for e in self.events if e["event"] == "result"}

    def test_argv_file_name_and_cwd_are_blenders(self):
        saved_argv, saved_cwd = list(sys.argv), os.getcwd()
        passed, code, path = self.run_one("""
            import os, sys
            assert __name__ == "__main__", __name__
            assert sys.argv == ["/opt/blender/blender", "-b", "--python", __file__, "--", "--coverage", "x"], sys.argv
            assert os.path.isabs(__file__)
            assert os.path.realpath(os.getcwd()) == os.path.realpath(os.path.dirname(__file__))
            assert os.path.dirname(__file__) not in sys.path
            sys.path.append("/somewhere")
            os.chdir("/")
            """, ["--coverage", "x"])
        self.assertEqual((passed, code), (True, 0), self.results())
        self.assertEqual((sys.argv, os.getcwd()), (saved_argv, saved_cwd))
        self.assertNotIn("/somewhere", sys.path)

    def test_exit_codes_are_the_verdict(self):
        for text, expected in (("import sys\nsys.exit(0)\n", (True, 0)), ("exit()\n", (True, 0)), ("import sys\nsys.exit(True)\n", (False, 1)),
                               ("import sys\nsys.exit(3)\n", (False, 3)), ("raise SystemExit('broken')\n", (False, 1))):
            self.events = []
            passed, code, _ = self.run_one(text)
            self.assertEqual((passed, code), expected, text)
        self.assertEqual(self.results()["suite.test.py (script)"]["message"], "the script exited with 1")
        self.events = []
        self.run_one("import sys\n\ndef end():\n    sys.exit(2)\n\nend()\n")
        self.assertEqual(self.results()["suite.test.py (script)"]["line"], 4)  # where it exited

    def test_an_exception_fails_on_its_line_though_blender_would_exit_0(self):
        passed, code, path = self.run_one("x = 1\nraise ValueError('no cube')\n")
        self.assertEqual((passed, code), (False, None))
        result = self.results()["suite.test.py (script)"]
        self.assertEqual((result["outcome"], result["line"], result["file"]), ("error", 2, path))
        self.assertIn("ValueError: no cube", result["message"])

    def test_each_unittest_test_it_runs_is_reported_and_failures_fail_an_exit_0(self):
        passed, code, path = self.run_one("""
            import unittest
            from unittest import SkipTest as Later
            class Cube(unittest.TestCase):
                def test_ok(self):
                    pass

                def test_bad(self):
                    self.assertEqual(1, 2)

                def test_skipped(self):
                    raise Later("later")

            unittest.TextTestRunner().run(unittest.TestLoader().loadTestsFromTestCase(Cube))
            """)
        results = self.results()
        self.assertEqual(results["suite.test.py::Cube::test_ok"]["outcome"], "passed")
        self.assertEqual(results["suite.test.py::Cube::test_bad"]["outcome"], "failed")
        self.assertEqual(results["suite.test.py::Cube::test_bad"]["line"], 9)
        self.assertEqual(results["suite.test.py::Cube::test_skipped"]["outcome"], "skipped")
        self.assertEqual((passed, code), (False, 0))
        self.assertIn("exited with 0, but 1 test it ran failed (suite.test.py::Cube::test_bad)", results["suite.test.py (script)"]["message"])
        # the script holds Blender again after each of its tests (the caller's timeout follows it)
        starts = [e["id"] for e in self.events if e["event"] == "start"]
        self.assertEqual(starts[-1], "suite.test.py (script)")

    def test_unittest_main_with_the_arguments_after_the_double_dash(self):
        passed, code, _ = self.run_one("""
            import sys, unittest

            class T(unittest.TestCase):
                def test_a(self):
                    pass

                def test_b(self):
                    pass

            unittest.main(argv=[sys.argv[0]] + sys.argv[sys.argv.index("--") + 1:])
            """, ["T.test_b"])
        self.assertEqual((passed, code), (True, 0))
        self.assertEqual(sorted(self.results()), ["suite.test.py (script)", "suite.test.py::T::test_b"])

    def test_tests_a_runner_script_discovers_in_other_files_are_named_by_their_files(self):
        os.mkdir(os.path.join(self.folder, "cases"))
        write(self.folder, "cases/__init__.py", "")
        write(self.folder, "cases/test_mesh.py", "import unittest\nclass Mesh(unittest.TestCase):\n    def test_v(self):\n        self.fail('bad')\n")
        passed, code, _ = self.run_one("""
            import os, sys, unittest
            here = os.path.dirname(__file__)
            result = unittest.TextTestRunner().run(unittest.defaultTestLoader.discover(os.path.join(here, "cases"), top_level_dir=here))
            sys.exit(not result.wasSuccessful())
            """, name="runner.py")
        failed = self.results()["test_mesh.py::Mesh::test_v"]
        self.assertEqual((failed["outcome"], failed["line"]), ("failed", 4))
        self.assertTrue(failed["file"].endswith(os.path.join("cases", "test_mesh.py")))
        self.assertEqual((passed, code), (False, 1))
        sys.modules.pop("cases.test_mesh", None)
        sys.modules.pop("cases", None)

    def test_the_tap_is_gone_afterwards(self):
        self.run_one("pass\n")
        before = len(self.events)
        with open(os.devnull, "w") as quiet:
            unittest.TextTestRunner(stream=quiet).run(unittest.FunctionTestCase(lambda: None))
        self.assertEqual(len(self.events), before)


if __name__ == "__main__":
    unittest.main()
