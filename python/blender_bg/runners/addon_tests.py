"""Runs an add-on's Python tests inside the kept-alive Blender, on its main thread.

Used by the driver's control channel (op "tests"). Stdlib only: unittest always, pytest
when Blender's Python can import it. Progress goes out as events, one JSON object each,
as it happens, so the caller sees which test was running if Blender hangs or dies:

    {"event": "collected", "tests": [{"id", "file", "line"}], "errors": [{"id", "file", "line", "message", "traceback"}]}
    {"event": "start", "id"}
    {"event": "result", "id", "file", "line", "outcome", "message", "traceback", "duration"}
    {"event": "file", "file", "duration"}
    {"event": "snapshot", "file", "line", "image", "actual", "threshold", "max_diff_ratio"}
    {"event": "done"}

outcome is passed, failed, error or skipped; duration is in seconds. "snapshot" is a render the
running test made with assert_matches_snapshot (snapshot.py), compared by the caller before it
takes that test's result. "file" follows a test file's
last result: its time, setup and restore included (unittest: its import too; pytest imports
every file while collecting, before any time is taken), what a shard plan weighs it by. An error of "collected"
is a file that yields no runnable tests as it should (it does not import, or it holds
pytest-style tests that unittest cannot see): one failed result named by its id. "collected"
may come more than once (the scripts, then the modules, then what a script's pytest.main
collects): the caller adds them up. A script's "start" comes again after each test it runs (it
holds Blender again until its next test or its end).

Files are imported as their own runners import them (a test package's files by their dotted
name, with the package's parent on sys.path), and a test calling sys.exit() fails instead
of ending Blender. `restore` (the driver's) puts the session back after each file.
"""

import builtins
import contextlib
import os
import sys

from blender_bg.rendering import snapshot
from blender_bg.paths import inside
from blender_bg.runners import script_runner, script_shape
from blender_bg.runners.pytest_runner import run_pytest
from blender_bg.runners.unittest_runner import pytest_available, run_unittest

RUNNERS = ("auto", "unittest", "pytest")


def run(files, runner, emit, restore=None, deprecations=None, addon=None, installed_only=False, names=None,
        isolation="auto", script=None, binary=None, cwd=None):
    """Runs the tests in `files` with `runner` ("auto": pytest if importable), emitting events.

    restore(after) is called after each file's tests (after: the file), to put the session
    back as a fresh Blender would have it for the next one, and once more after them all (a
    session fixture may have disabled the add-on). `deprecations` (the driver's DeprecationLog)
    hears of the warnings pytest catches itself; `addon` (AddonUnderTest) is what
    pytest-blender's fixtures install. `installed_only`: the tests enable the add-on
    themselves, so each file starts with it installed and disabled (addon-state-in-tests).
    names[file]: the dotted name a test file inside the add-on imports by (in_package.py).

    A test file that is a script (script_shape.py) runs as Blender would run it (script_runner.py),
    after the test modules, as one test with what it runs inside; so does `script` ({path, args}:
    the suite's own runner, test-script), last. isolation (test-isolation): "file" loads the
    startup scene before every file, "auto" before every script only (a suite of modules shares
    one Blender in its own loop), "none" never. `binary` is Blender's, for a script's sys.argv.
    """
    names = names or {}
    final_restore = restore or (lambda after: None)
    between = (lambda after: final_restore(after, enable=False)) if installed_only and restore else final_restore
    scripts = [f for f in files if f not in names and script_shape.read_is_script(f)]
    modules = [f for f in files if f not in scripts]
    prepare_module = preparing(addon, installed_only, isolation == "file")
    prepare_script = preparing(addon, installed_only, isolation in ("file", "auto"))
    if runner == "auto":
        runner = "pytest" if pytest_available() else "unittest"
    forget_modules_in(sorted({os.path.dirname(os.path.abspath(f)) for f in files + ([script["path"]] if script else [])}))
    whole = [(f, []) for f in scripts] + ([(script["path"], script.get("args", []))] if script else [])
    if whole:  # before the modules' own "collected": a crash in them leaves the scripts not run, not unseen
        emit({"event": "collected", "tests": [{"id": script_runner.script_id(f), "file": os.path.abspath(f), "line": 1} for f, _ in whole],
              "errors": []})
    with snapshot.emitting(emit):
        if modules:
            with exit_raises():
                if runner == "pytest":
                    run_pytest(modules, emit, between, names, deprecations, addon, prepare_module)
                else:
                    run_unittest(modules, emit, between, names, pytest_chosen_away=(runner == "unittest" and pytest_available()),
                                 prepare=prepare_module)
        for path, args in whole:
            prepare_script(os.path.basename(path))
            script_runner.run_script(path, args, emit, binary=binary, cwd=cwd)
            between(os.path.basename(path))
    final_restore("the tests")  # enabled for the probes, whatever the tests left
    emit({"event": "done", "runner": ran_with(runner if modules else None, len(whole))})


def ran_with(runner, scripts):
    """How the tests ran, for "The add-on's tests ran with … inside Blender"."""
    said = ("their own script%s (%d, each as blender --python runs it)" % ("" if scripts == 1 else "s", scripts)) if scripts else None
    return " and ".join(part for part in (runner, said) if part)


def preparing(addon, installed_only, fresh_scene):
    """What is done before each test file: the startup scene loaded (test-isolation), the add-on
    disabled when the tests enable it themselves (addon-state-in-tests)."""
    def prepare(before):
        if addon is None:
            return
        if fresh_scene:
            addon.fresh_startup_scene(before)
        if installed_only:
            addon.installed_only(before)

    return prepare


def forget_modules_in(folders):
    """The suite's modules (test files, the helpers beside them) out of sys.modules, so the files
    are imported as they are now: --watch runs them again after a save, in the same Blender."""
    for name, module in list(sys.modules.items()):
        file = getattr(module, "__file__", None)
        if file and any(inside(file, folder) for folder in folders):
            del sys.modules[name]


class ExitCalled(Exception):
    """sys.exit() inside a test: an error of that test (or its class), not the end of Blender."""


@contextlib.contextmanager
def exit_raises():
    """sys.exit(), exit() and quit() raise ExitCalled while the tests run.

    In a suite's own loop (one `blender -b` per file) sys.exit(1) in setUpClass ends that
    Blender with 1, and the loop fails. Here it would end the session: so it becomes an
    Exception, which unittest and pytest report as an error of that test or class.
    """

    def exit_(code=None):
        raise ExitCalled("sys.exit(%r) was called: the tests share Blender, so it fails this test instead of ending it" % (code,))

    saved = sys.exit, getattr(builtins, "exit", None), getattr(builtins, "quit", None)
    sys.exit = builtins.exit = builtins.quit = exit_
    try:
        yield
    finally:
        sys.exit, builtins.exit, builtins.quit = saved


@contextlib.contextmanager
def on_sys_path(folders):
    """Folders first on sys.path while the tests run (the add-on's source folder's parent, for a
    suite that imports it by its folder's name, as its own loop has it), then out again."""
    added = [folder for folder in folders if folder not in sys.path]
    sys.path[0:0] = added
    try:
        yield
    finally:
        for folder in added:
            while folder in sys.path:
                sys.path.remove(folder)
