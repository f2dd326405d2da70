"""Test files inside the add-on's folder under plain Python: which are its submodules, the staged
file and dotted name each runs as, and the names pytest would give them, aliased and taken out."""

import os
import sys
import tempfile
import types
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "python"))
from blender_bg.runners.in_package import PytestAliases, as_submodules, package_path  # noqa: E402
from blender_bg.paths import import_name  # noqa: E402


def touch(*parts, text=""):
    path = os.path.join(*parts)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as handle:
        handle.write(text)
    return path


class InPackageTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        # the user's add-on: my_addon/testing/ is a package, my_addon/loose/ is not
        self.source = os.path.join(self.dir, "src", "my_addon")
        touch(self.source, "__init__.py")
        touch(self.source, "testing", "__init__.py")
        self.inside = touch(self.source, "testing", "test_core.py")
        self.loose = touch(self.source, "loose", "test_loose.py")
        self.outside = touch(self.dir, "tests", "test_outside.py")
        # its staged copy, an extension in a repository folder (not a package)
        self.staged = os.path.join(self.dir, "profile", "extensions", "user_default", "my_addon")
        touch(self.staged, "__init__.py")
        touch(self.staged, "testing", "__init__.py")
        self.staged_test = touch(self.staged, "testing", "test_core.py")
        self.addon = types.SimpleNamespace(module="bl_ext.user_default.my_addon", source_folder=self.source, staged_path=self.staged)

    def test_a_file_in_a_package_chain_below_the_addon_is_a_submodule(self):
        self.assertEqual(package_path(self.inside, self.source), "testing.test_core")

    def test_a_folder_without_init_or_a_file_outside_is_not(self):
        self.assertIsNone(package_path(self.loose, self.source))
        self.assertIsNone(package_path(self.outside, self.source))
        self.assertIsNone(package_path(self.inside, None))

    def test_submodules_run_from_the_staged_copy_under_the_addons_name(self):
        files, names = as_submodules([self.outside, self.inside, self.loose], self.addon)
        self.assertEqual(files, [self.outside, self.staged_test, self.loose])
        self.assertEqual(names, {self.staged_test: "bl_ext.user_default.my_addon.testing.test_core"})

    def test_a_file_the_staged_copy_lacks_runs_as_it_is(self):
        os.remove(self.staged_test)
        self.assertEqual(as_submodules([self.inside], self.addon), ([self.inside], {}))

    def test_pytest_names_an_extensions_file_by_its_packages_only(self):
        self.assertEqual(import_name(self.staged_test), (os.path.dirname(self.staged), "my_addon.testing.test_core"))

    def test_aliases_stand_for_the_registered_modules_while_pytest_runs_then_go(self):
        package = types.ModuleType("bl_ext_fake.my_addon")
        testing = types.ModuleType("bl_ext_fake.my_addon.testing")
        test_module = types.ModuleType("bl_ext_fake.my_addon.testing.test_core")
        real = {"bl_ext_fake.my_addon": package, "bl_ext_fake.my_addon.testing": testing, "bl_ext_fake.my_addon.testing.test_core": test_module}
        sys.modules.update(real)
        repository = os.path.dirname(self.staged)
        sys.path.append(repository)  # as pytest's prepend import mode puts it
        try:
            aliases = PytestAliases({self.staged_test: "bl_ext_fake.my_addon.testing.test_core"})
            aliases.packages()
            self.assertIs(sys.modules["my_addon"], package)
            self.assertIs(sys.modules["my_addon.testing"], testing)
            aliases.pytest_sessionstart(session=None)
            self.assertIs(sys.modules["my_addon.testing.test_core"], test_module)
            aliases.remove()
            self.assertFalse({"my_addon", "my_addon.testing", "my_addon.testing.test_core"} & set(sys.modules))
            self.assertNotIn(repository, sys.path)
        finally:
            for name in real:
                sys.modules.pop(name, None)

    def test_no_alias_where_pytest_finds_the_same_name(self):
        legacy = os.path.join(self.dir, "profile", "scripts", "addons", "my_addon")
        staged_test = touch(legacy, "testing", "test_core.py")
        touch(legacy, "__init__.py")
        touch(legacy, "testing", "__init__.py")
        aliases = PytestAliases({staged_test: "my_addon.testing.test_core"})
        aliases.packages()
        aliases.pytest_sessionstart(session=None)
        self.assertEqual(aliases._added, [])


if __name__ == "__main__":
    unittest.main()
