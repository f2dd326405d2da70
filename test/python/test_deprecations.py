"""DeprecationLog under plain Python: attribution to the add-on's lines, counts, the file."""

import json
import os
import sys
import tempfile
import unittest
import warnings

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "python"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # source_files
from blender_bg.health.deprecations import DeprecationLog  # noqa: E402
from source_files import write  # noqa: E402


class DeprecationLogTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.addon = os.path.join(self.dir, "addon")
        self.library = os.path.join(self.dir, "library")
        os.makedirs(self.addon)
        os.makedirs(self.library)
        write(self.library, "oldlib.py", """\
            import warnings

            def old():
                warnings.warn("oldlib.old is deprecated", DeprecationWarning, stacklevel=1)
            """)
        write(self.addon, "calls.py", """\
            import warnings
            import oldlib

            def own():
                warnings.warn("own_api is deprecated", DeprecationWarning)

            def through_a_library():
                oldlib.old()

            def future():
                warnings.warn("will change", FutureWarning)

            def not_a_deprecation():
                warnings.warn("just saying", UserWarning)
            """)
        sys.path[0:0] = [self.addon, self.library]
        self.file = os.path.join(self.dir, "deprecations.jsonl")
        self.saved_filters = warnings.filters[:]
        self.log = DeprecationLog(self.file, [self.addon])
        self.log.install()
        import calls

        self.calls = calls

    def tearDown(self):
        self.log.uninstall()
        warnings.filters[:] = self.saved_filters
        sys.path.remove(self.addon)
        sys.path.remove(self.library)
        sys.modules.pop("calls", None)
        sys.modules.pop("oldlib", None)

    def entries(self):
        return {(e["message"], e["line"]): e for e in self.log.entries()}

    def test_own_warning_on_its_line_counted(self):
        for _ in range(3):
            self.calls.own()
        entry = self.entries()[("own_api is deprecated", 5)]
        self.assertEqual((entry["category"], entry["count"]), ("DeprecationWarning", 3))
        self.assertEqual(entry["file"], os.path.realpath(os.path.join(self.addon, "calls.py")))

    def test_a_library_warning_belongs_to_the_addon_line_that_called_it(self):
        self.calls.through_a_library()
        self.assertIn(("oldlib.old is deprecated", 8), self.entries())

    def test_future_warnings_count_other_categories_do_not(self):
        self.calls.future()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            self.calls.not_a_deprecation()
        self.assertEqual([e["category"] for e in self.log.entries()], ["FutureWarning"])

    def test_a_warning_from_outside_the_addon_is_left_out(self):
        import oldlib

        oldlib.old()
        self.assertEqual(self.log.entries(), [])

    def test_the_file_has_each_once_then_the_final_counts(self):
        self.calls.own()
        self.calls.own()
        self.log.flush()
        with open(self.file, encoding="utf-8") as handle:
            lines = [json.loads(line) for line in handle]
        self.assertEqual([line["count"] for line in lines], [1, 2])


if __name__ == "__main__":
    unittest.main()
