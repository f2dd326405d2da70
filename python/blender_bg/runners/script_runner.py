"""Runs a test script inside the kept-alive Blender as `blender -b --python SCRIPT -- ARGS` would.

Two shapes of suite are scripts: a per-file script (`blender -b --factory-startup --python
f.test.py`, one Blender per file, the exit code its verdict) and a suite's own runner
(`--python tests/runner.py -- --coverage`, which discovers and runs every test itself). Each runs
as Blender would run it: `sys.argv` as Blender's own command line with `--` and the arguments,
`__file__` the script's absolute path, `__name__ == "__main__"` in a fresh `__main__` module, the
workspace as cwd, the script's folder not added to sys.path (Blender does not add it).

Its verdict is its exit: `sys.exit()`/`exit()` with 0 or None, or the end of the script, passes;
any other code, or an exception escaping the script, fails (Blender itself exits 0 after a
traceback without --python-exit-code: never greener here). What unittest or pytest runs inside
it is reported per test, as the tests input's are: every TestResult's calls are tapped while it
runs, and pytest.main gets our reporting plugin.
"""

import builtins
import contextlib
import os
import sys
import time
import traceback
import types
import unittest

from blender_bg.runners.unittest_runner import RESULT_CALLS, TestEvents, describe, line_in


def script_id(path):
    return "%s (script)" % os.path.basename(path)


def blender_argv(binary, path, args):
    """sys.argv as `blender -b --python PATH -- ARGS` gives it: Blender's whole command line."""
    return [binary, "-b", "--python", path] + (["--"] + list(args) if args else [])


def exit_code(error):
    """The process exit code a SystemExit means, as Python gives it (None 0, an int itself, else 1)."""
    code = error.code
    if code is None:
        return 0
    if isinstance(code, bool):
        return int(code)
    return code if isinstance(code, int) else 1


def run_script(path, args, emit, binary=None, cwd=None):
    """Runs one script, emitting its own start and result (id `name.py (script)`) and every test it
    runs. Returns (passed, exit code or None when it raised)."""
    path = os.path.abspath(path)
    own_id = script_id(path)
    failed_tests = []

    def tests_emit(event):
        emit(event)
        if event.get("event") == "result":
            if event.get("outcome") in ("failed", "error"):
                failed_tests.append(event["id"])
            emit({"event": "start", "id": own_id})  # the script holds Blender again: its timeout runs

    emit({"event": "start", "id": own_id})
    started = time.monotonic()
    code, error, exit_line = None, None, 1
    with as_blender_runs_it(path, args, binary, cwd) as namespace, tapped_unittest(tests_emit), tapped_pytest(tests_emit):
        try:
            with open(path, "rb") as handle:
                source = handle.read()
            exec(compile(source, path, "exec"), namespace)
            code = 0
        except SystemExit as exited:
            code = exit_code(exited)
            exit_line = line_in(path, exited)
            if isinstance(exited.code, str):
                print(exited.code, file=sys.stderr)  # as Python prints it on its way out
        except BaseException as raised:  # the script's own error: its result, not the driver's
            error = raised
    result = {"event": "result", "id": own_id, "file": path, "line": 1, "duration": time.monotonic() - started,
              "outcome": "passed", "message": None, "traceback": None}
    if error is not None:
        result.update(outcome="error", message="%s (Blender would print this and exit 0 without --python-exit-code)" % describe(error),
                      line=line_in(path, error), traceback="".join(traceback.format_exception(type(error), error, error.__traceback__)))
    elif code != 0:
        result.update(outcome="failed", message="the script exited with %d" % code, line=exit_line)
    elif failed_tests:
        shown = ", ".join(failed_tests[:3]) + (" and %d more" % (len(failed_tests) - 3) if len(failed_tests) > 3 else "")
        result.update(outcome="failed", message="the script exited with 0, but %d test%s it ran failed (%s): a loop that trusts "
                      "the exit code would be green" % (len(failed_tests), "" if len(failed_tests) == 1 else "s", shown))
    emit(result)
    emit({"event": "file", "file": path, "duration": time.monotonic() - started})
    return result["outcome"] == "passed", code


@contextlib.contextmanager
def as_blender_runs_it(path, args, binary=None, cwd=None):
    """A fresh `__main__` namespace for the script, with Blender's argv, the real sys.exit (the
    test runner makes it raise for tests), cwd, and all of it put back afterwards, with sys.path."""
    module = types.ModuleType("__main__")
    module.__file__ = path
    module.__builtins__ = builtins
    saved_main = sys.modules.get("__main__")
    saved_argv, saved_path, saved_cwd = sys.argv, list(sys.path), os.getcwd()
    saved_exits = sys.exit, getattr(builtins, "exit", None), getattr(builtins, "quit", None)
    sys.modules["__main__"] = module
    sys.argv = blender_argv(binary or sys.executable, path, args)
    sys.exit = _real_exit
    builtins.exit = builtins.quit = _real_exit
    if cwd:
        os.chdir(cwd)
    try:
        yield module.__dict__
    finally:
        sys.exit, builtins.exit, builtins.quit = saved_exits
        sys.argv = saved_argv
        sys.path[:] = saved_path
        os.chdir(saved_cwd)
        if saved_main is not None:
            sys.modules["__main__"] = saved_main
        else:
            sys.modules.pop("__main__", None)


def _real_exit(code=None):
    raise SystemExit(code)


def module_file(name):
    """The file a test's module was loaded from (a script's own TestCases: the script, its __main__)."""
    module = sys.modules.get(name)
    return os.path.abspath(module.__file__) if getattr(module, "__file__", None) else ""


@contextlib.contextmanager
def tapped_unittest(emit):
    """While the script runs, every unittest TestResult also tells `emit` what happens to each
    test: the script's own runner (TextTestRunner, unittest.main) is left as it is."""
    events = TestEvents(emit, module_file)
    saved = {method: getattr(unittest.TestResult, method) for method in RESULT_CALLS}

    def tapping(method, original):
        def tap(self, test, *args):
            original(self, test, *args)
            events.feed(method, test, *args)

        return tap

    for method, original in saved.items():
        setattr(unittest.TestResult, method, tapping(method, original))
    try:
        yield
    finally:
        for method, original in saved.items():
            setattr(unittest.TestResult, method, original)


@contextlib.contextmanager
def tapped_pytest(emit):
    """While the script runs, pytest.main (if it can be imported) reports through our plugin too."""
    try:
        import pytest
    except ImportError:
        yield
        return
    from blender_bg.runners.pytest_runner import PytestEvents

    original = pytest.main

    def main(args=None, plugins=None, **kwargs):
        return original(args, plugins=list(plugins or []) + [PytestEvents(emit, lambda after: None, None)], **kwargs)

    pytest.main = main
    try:
        yield
    finally:
        pytest.main = original
