"""The in-Blender test runner's bpy-free parts under plain Python: the suite's modules forgotten
before a run, so a file saved since (--watch) is imported as it is now."""

import importlib
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "python"))
from blender_bg.runners.addon_tests import forget_modules_in  # noqa: E402


class ForgetModulesTest(unittest.TestCase):
    def test_a_test_module_and_its_helper_are_imported_afresh_others_stay(self):
        tests = tempfile.mkdtemp()
        other = tempfile.mkdtemp()
        for folder, name, value in ((tests, "bg_watch_test_x", 1), (tests, "bg_watch_helper", 1), (other, "bg_watch_library", 1)):
            with open(os.path.join(folder, name + ".py"), "w") as handle:
                handle.write("VALUE = %d\n" % value)
        sys.path[0:0] = [tests, other]
        try:
            for name in ("bg_watch_test_x", "bg_watch_helper", "bg_watch_library"):
                importlib.import_module(name)
            for folder, name in ((tests, "bg_watch_test_x"), (other, "bg_watch_library")):
                with open(os.path.join(folder, name + ".py"), "w") as handle:
                    handle.write("VALUE = 2\n")
            forget_modules_in([os.path.abspath(tests)])
            self.assertNotIn("bg_watch_helper", sys.modules)
            self.assertEqual(importlib.import_module("bg_watch_test_x").VALUE, 2)
            self.assertEqual(importlib.import_module("bg_watch_library").VALUE, 1)  # not the suite's: kept
        finally:
            for folder in (tests, other):
                sys.path.remove(folder)
            for name in ("bg_watch_test_x", "bg_watch_helper", "bg_watch_library"):
                sys.modules.pop(name, None)


if __name__ == "__main__":
    unittest.main()
