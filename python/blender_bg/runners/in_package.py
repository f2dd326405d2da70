"""Test files inside the add-on's own folder: submodules of the add-on Blender registered.

A `testing/` subpackage (CAD_Sketcher's shape) does `from ..model.types import X`: its suite
means the very classes Blender registered. Imported by its folder's name it would load a
second copy that Blender never registered (an extension), or clash with the staged copy's
name (a legacy add-on). So such a file runs from the staged copy, under the add-on's module
name (`my_addon.testing.test_core`, `bl_ext.user_default.my_addon.testing.test_core`); the
run names it by the user's path again (the staged copy maps back, as tracebacks do). The
stage copies the add-on's whole folder, so the staged copy has every such file.
"""

import importlib
import os
import sys

from blender_bg.paths import import_name, inside


def package_path(path, source_folder):
    """The dotted path of `path` below the add-on's folder ("testing.test_core"), when every
    folder between is a package (has __init__.py), as a relative import needs; else None."""
    if not source_folder or not inside(path, source_folder) or not path.endswith(".py"):
        return None
    relative = os.path.relpath(os.path.realpath(path), os.path.realpath(source_folder))
    folders = relative.split(os.sep)[:-1]
    for depth in range(1, len(folders) + 1):
        if not os.path.isfile(os.path.join(source_folder, *folders[:depth], "__init__.py")):
            return None
    return ".".join(folders + [os.path.splitext(os.path.basename(relative))[0]])


def as_submodules(files, addon):
    """(files, names): each test file inside the add-on's folder replaced by its staged copy,
    and names[staged file] = the dotted name it imports by. Other files are left as they are."""
    source_folder = getattr(addon, "source_folder", None)
    if addon is None or not source_folder or not addon.staged_path or not os.path.isdir(addon.staged_path):
        return list(files), {}
    placed, names = [], {}
    for path in files:
        dotted = package_path(os.path.abspath(path), source_folder)
        if dotted is None:
            placed.append(path)
            continue
        staged = os.path.join(addon.staged_path, *dotted.split(".")) + ".py"
        if not os.path.isfile(staged):  # not part of the copy Blender loaded: run it as it is
            placed.append(path)
            continue
        names[staged] = "%s.%s" % (addon.module, dotted)
        placed.append(staged)
    return placed, names


class PytestAliases:
    """pytest imports a file by the name its folders give it (prepend mode: paths.import_name,
    and Blender's extension repositories are folders, not packages); an extension's
    in-package test would be a second copy under `my_addon.…`. The registered modules are
    entered under those names too while pytest runs (its packages before it starts, the test
    modules at session start, once its assertion rewriting is in place), then taken out."""

    def __init__(self, names):
        self._names = {staged: name for staged, name in names.items() if import_name(staged)[1] != name}
        self._added = []

    def _alias(self, alias, module):
        if alias not in sys.modules:
            sys.modules[alias] = module
            self._added.append(alias)

    def _pairs(self, staged, name):
        """(pytest's name, ours) for the file and each package above it inside the add-on."""
        theirs, ours = import_name(staged)[1].split("."), name.split(".")
        shared = min(len(theirs), len(ours))
        return [(".".join(theirs[:len(theirs) - k]), ".".join(ours[:len(ours) - k])) for k in range(shared)]

    def packages(self):
        for staged, name in self._names.items():
            for alias, real in self._pairs(staged, name)[1:]:
                try:
                    self._alias(alias, importlib.import_module(real))
                except Exception:  # pytest imports it again and reports the error as a collection error
                    break

    def pytest_sessionstart(self, session):
        for staged, name in self._names.items():
            try:
                module = importlib.import_module(name)
            except Exception:  # pytest imports it again and reports the error as a collection error
                continue
            self._alias(import_name(staged)[1], module)

    def remove(self):
        """The aliases out again, and the repository folders pytest put on sys.path for them
        (an `import my_addon` later must not find a second copy there)."""
        for alias in self._added:
            sys.modules.pop(alias, None)
        self._added = []
        for staged in self._names:
            root = import_name(staged)[0]
            while root in sys.path:
                sys.path.remove(root)
