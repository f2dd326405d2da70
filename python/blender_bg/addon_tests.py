"""Runs an addon's Python tests inside the kept-alive Blender, on its main thread.

Used by the driver's control channel (op "tests"). Stdlib only: unittest always, pytest
when Blender's Python can import it. Progress goes out as events, one JSON object each,
as it happens, so the caller sees which test was running if Blender hangs or dies:

    {"event": "collected", "tests": [{"id", "file", "line"}], "errors": [{"id", "file", "line", "message", "traceback"}]}
    {"event": "start", "id"}
    {"event": "result", "id", "file", "line", "outcome", "message", "traceback", "duration"}
    {"event": "file", "file", "duration"}
    {"event": "done"}

outcome is passed, failed, error or skipped; duration is in seconds. "file" follows a test file's
last result: its time, setup and restore included (unittest: its import too; pytest imports
every file while collecting, before any time is taken), what a shard plan weighs it by. An error of "collected"
is a file that yields no runnable tests as it should (it does not import, or it holds
pytest-style tests that unittest cannot see): one failed result named by its id.

Files are imported as their own runners import them (a test package's files by their dotted
name, with the package's parent on sys.path), and a test calling sys.exit() fails instead
of ending Blender. `restore` (the driver's) puts the session back after each file.
"""

import builtins
import contextlib
import importlib
import importlib.util
import inspect
import os
import sys
import time
import traceback
import unittest

RUNNERS = ("auto", "unittest", "pytest")


def pytest_available():
    return importlib.util.find_spec("pytest") is not None


def run(files, runner, emit, restore=None, deprecations=None, addon=None, installed_only=False, names=None):
    """Runs the tests in `files` with `runner` ("auto": pytest if importable), emitting events.

    restore(after) is called after each file's tests (after: the file), to put the session
    back as a fresh Blender would have it for the next one, and once more after them all (a
    session fixture may have disabled the add-on). `deprecations` (the driver's DeprecationLog)
    hears of the warnings pytest catches itself; `addon` (AddonUnderTest) is what
    pytest-blender's fixtures install. `installed_only`: the tests enable the add-on
    themselves, so each file starts with it installed and disabled (addon-state-in-tests).
    names[file]: the dotted name a test file inside the add-on imports by (in_package.py).
    """
    final_restore = restore or (lambda after: None)
    between = (lambda after: final_restore(after, enable=False)) if installed_only and restore else final_restore
    prepare = (lambda before: addon.installed_only(before)) if installed_only and addon is not None else (lambda before: None)
    if runner == "auto":
        runner = "pytest" if pytest_available() else "unittest"
    forget_modules_in(sorted({os.path.dirname(os.path.abspath(f)) for f in files}))
    with exit_raises():
        if runner == "pytest":
            run_pytest(files, emit, between, deprecations, addon, prepare, names or {})
        else:
            run_unittest(files, emit, between, pytest_chosen_away=(runner == "unittest" and pytest_available()), prepare=prepare, names=names or {})
    final_restore("the tests")  # enabled for the probes, whatever the tests left
    emit({"event": "done", "runner": runner})


def forget_modules_in(folders):
    """The suite's modules (test files, the helpers beside them) out of sys.modules, so the files
    are imported as they are now: --watch runs them again after a save, in the same Blender."""
    for name, module in list(sys.modules.items()):
        file = getattr(module, "__file__", None)
        if file and any(os.path.dirname(os.path.abspath(file)) == folder or os.path.abspath(file).startswith(folder + os.sep) for folder in folders):
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


# --- unittest ------------------------------------------------------------------------


def import_name(path):
    """The folder to put on sys.path and the dotted name to import `path` by, as
    `unittest discover` and pytest do: up through every folder that holds __init__.py."""
    folder, filename = os.path.split(os.path.abspath(path))
    parts = [os.path.splitext(filename)[0]]
    while os.path.isfile(os.path.join(folder, "__init__.py")):
        folder, package = os.path.split(folder)
        parts.insert(0, package)
    return folder, ".".join(parts)


def load_module(path, index, name=None):
    """Imports a test file by its own runner's name (tests/pkg/foo_test.py as pkg.foo_test, so
    relative imports work), with that name's root folder importable; by `name` when given (a
    test file inside the add-on, a submodule of it)."""
    if name is not None:
        module = importlib.import_module(name)
        if not same_file(getattr(module, "__file__", "") or "", path):
            raise ImportError("%s imports as %s, but that name is %s" % (path, name, module.__file__))
        return module
    folder, name = import_name(path)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    existing = sys.modules.get(name)
    if existing is None or same_file(getattr(existing, "__file__", "") or "", path):
        module = importlib.import_module(name)
        if same_file(getattr(module, "__file__", "") or "", path):
            return module
        if "." in name:
            raise ImportError("%s imports as %s, but that name is %s: rename one of them" % (path, name, module.__file__))
    # A plain file whose name another module already has (two tests/*/test_utils.py): its own name.
    name = "blender_bg_test_%d_%s" % (index, os.path.splitext(os.path.basename(path))[0])
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def pytest_style_tests(module):
    """Tests pytest would collect from the module and unittest cannot see: test* functions,
    and Test* classes that are not TestCases, with the line of each."""
    found = []
    for name, value in vars(module).items():
        if getattr(value, "__module__", None) != module.__name__:
            continue
        if inspect.isfunction(value) and name.startswith("test"):
            found.append((name, source_line(value)))
        elif inspect.isclass(value) and name.startswith("Test") and not issubclass(value, unittest.TestCase):
            if any(attr.startswith("test") and callable(getattr(value, attr)) for attr in vars(value)):
                found.append((name, source_line(value)))
    return found


def source_line(thing):
    try:
        return inspect.getsourcelines(thing)[1]
    except (OSError, TypeError):
        return 1


PYTEST_MISSING = ("pytest is not importable in this Blender's Python %d.%d: add it with the python-packages input "
                  "(python-packages: pytest)" % sys.version_info[:2])


def unseen_by_unittest(path, found, pytest_chosen_away):
    """The collection error for pytest-style tests in a unittest run: the file, and what to do."""
    names = ", ".join(name for name, _ in found[:5]) + (" and %d more" % (len(found) - 5) if len(found) > 5 else "")
    advice = "pytest is importable here: set test-runner to pytest (or auto)" if pytest_chosen_away else PYTEST_MISSING
    return {
        "id": "%s (pytest-style tests)" % os.path.basename(path),
        "file": path,
        "line": min(line for _, line in found),
        "message": "%d pytest-style test%s (%s) that unittest cannot run; %s"
                   % (len(found), "" if len(found) == 1 else "s", names, advice),
        "traceback": None,
    }


def flatten(suite):
    for item in suite:
        if isinstance(item, unittest.TestSuite):
            yield from flatten(item)
        else:
            yield item


def line_in(path, error):
    """The line of `path` an exception happened on (the deepest frame in that file)."""
    if isinstance(error, SyntaxError) and error.filename and os.path.samefile(error.filename, path):
        return error.lineno or 1
    line = 1
    for frame in traceback.extract_tb(error.__traceback__):
        if same_file(frame.filename, path):
            line = frame.lineno
    return line


def same_file(a, b):
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def method_line(test):
    """The line a test method is defined on (its class's, for a fixture error)."""
    import inspect

    target = getattr(test, getattr(test, "_testMethodName", ""), None) or type(test)
    try:
        return inspect.getsourcelines(target)[1]
    except (OSError, TypeError):
        return 1


def test_name(test, path):
    """file::Class::method, as pytest names tests, so both runners read alike."""
    cls = type(test).__name__
    method = getattr(test, "_testMethodName", test.id().rsplit(".", 1)[-1])
    return "%s::%s::%s" % (os.path.basename(path) or type(test).__module__, cls, method)


def describe(error):
    return traceback.format_exception_only(type(error), error)[-1].strip()


class StreamingResult(unittest.TestResult):
    """A TestResult that emits each test's outcome as soon as it is known."""

    def __init__(self, emit, files_by_module):
        super().__init__()
        self._emit = emit
        self._files = files_by_module
        self._started = {}
        self._outcomes = {}

    def _key(self, test):
        return test_name(test, self._file(test))

    def _file(self, test):
        return self._files.get(type(test).__module__, "")

    def startTest(self, test):
        super().startTest(test)
        self._started[self._key(test)] = time.monotonic()
        self._emit({"event": "start", "id": self._key(test)})

    def _record(self, test, outcome, err=None, message=None):
        key = self._key(test)
        current = self._outcomes.get(key)
        # A failed subTest fails the test; the first failure's words are kept.
        if current and current["outcome"] in ("failed", "error"):
            return
        entry = {"outcome": outcome, "message": message, "traceback": None, "line": method_line(test)}
        if err is not None:
            exc_type, exc, tb = err
            entry["message"] = message or describe(exc)
            entry["traceback"] = "".join(traceback.format_exception(exc_type, exc, tb))
            path = self._file(test)
            if path:
                exc.__traceback__ = tb
                entry["line"] = line_in(path, exc) if line_in(path, exc) != 1 else entry["line"]
        self._outcomes[key] = entry

    def addSuccess(self, test):
        super().addSuccess(test)
        self._outcomes.setdefault(self._key(test), {"outcome": "passed", "message": None, "traceback": None, "line": method_line(test)})

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._record(test, "failed", err)

    def addError(self, test, err):
        super().addError(test, err)
        if not isinstance(test, unittest.TestCase):  # setUpClass / setUpModule failed: no test ran
            self._emit_fixture_error(test, err)
            return
        self._record(test, "error", err)

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is not None:
            failed = "failed" if issubclass(err[0], test.failureException) else "error"
            self._record(test, failed, err, "%s %s" % (subtest._subDescription(), describe(err[1])))

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self._record(test, "skipped", message=reason)

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self._record(test, "passed", message="failed as expected (expectedFailure)")

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self._record(test, "failed", message="passed, but it is marked expectedFailure")

    def stopTest(self, test):
        super().stopTest(test)
        key = self._key(test)
        entry = self._outcomes.get(key) or {"outcome": "passed", "message": None, "traceback": None, "line": method_line(test)}
        started = self._started.pop(key, time.monotonic())
        self._emit(dict(event="result", id=key, file=self._file(test), duration=time.monotonic() - started, **entry))

    def _emit_fixture_error(self, holder, err):
        # "setUpClass (module.Class)" or "setUpModule (module)": no test of it ran.
        description = getattr(holder, "description", str(holder))
        fixture, _, where = description.partition(" (")
        where = where.rstrip(")")
        module, _, cls = where.rpartition(".") if where not in self._files else (where, "", "")
        path = self._files.get(module, "")
        name = "::".join(part for part in (os.path.basename(path) or module, cls, fixture) if part)
        exc_type, exc, tb = err
        exc.__traceback__ = tb
        self._emit({"event": "start", "id": name})
        self._emit({
            "event": "result", "id": name, "file": path, "line": line_in(path, exc) if path else 1,
            "outcome": "error", "message": describe(exc),
            "traceback": "".join(traceback.format_exception(exc_type, exc, tb)), "duration": 0.0,
        })


def run_unittest(files, emit, restore, pytest_chosen_away=False, prepare=lambda before: None, names=None):
    loader = unittest.TestLoader()
    suites = []
    files_by_module = {}
    errors = []
    load_seconds = {}
    for index, path in enumerate(files):
        started = time.monotonic()
        try:
            module = load_module(path, index, (names or {}).get(path))
        except BaseException as error:  # a syntax or import error: one result, not a crash
            # A test file that imports pytest, where there is none: say how to get it.
            missing_pytest = isinstance(error, ImportError) and (error.name == "pytest" or "pytest" in str(error)) and not pytest_available()
            errors.append({"id": "%s (collecting)" % os.path.basename(path), "file": path, "line": line_in(path, error),
                           "message": "could not be collected: %s%s" % (describe(error), "; " + PYTEST_MISSING if missing_pytest else ""),
                           "traceback": "".join(traceback.format_exception(type(error), error, error.__traceback__))})
            continue
        files_by_module[module.__name__] = path
        load_seconds[path] = time.monotonic() - started
        unseen = pytest_style_tests(module)
        if unseen:
            errors.append(unseen_by_unittest(path, unseen, pytest_chosen_away))
        # The load_tests protocol too: loadTestsFromModule calls a module's load_tests.
        suites.append((path, loader.loadTestsFromModule(module)))
    tests = [t for _, suite in suites for t in flatten(suite) if isinstance(t, unittest.TestCase)]
    emit({
        "event": "collected",
        "tests": [{"id": test_name(t, files_by_module.get(type(t).__module__, "")), "file": files_by_module.get(type(t).__module__, ""), "line": method_line(t)} for t in tests],
        "errors": errors,
    })
    result = StreamingResult(emit, files_by_module)
    # A suite per file, each run whole (setUpModule / tearDownModule per file, as discover
    # runs them), then the session is put back for the next file.
    for path, suite in suites:
        started = time.monotonic()
        prepare(os.path.basename(path))
        suite.run(result)
        # The next file starts afresh: a class or module seen last must get its fixtures again.
        result._previousTestClass = None
        restore(os.path.basename(path))
        emit({"event": "file", "file": path, "duration": load_seconds.get(path, 0.0) + time.monotonic() - started})


# --- pytest --------------------------------------------------------------------------


def short_id(nodeid):
    """test_file.py::Class::test, whatever pytest's rootdir made of the path."""
    path, sep, rest = nodeid.partition("::")
    return os.path.basename(path) + sep + rest


class PytestEvents:
    """A pytest plugin that turns pytest's reports into the same events."""

    def __init__(self, emit, restore, deprecations, prepare=lambda before: None):
        self._emit = emit
        self._restore = restore
        self._prepare = prepare
        self._deprecations = deprecations
        self._reports = {}

    def pytest_warning_recorded(self, warning_message, when, nodeid, location):
        # pytest's warnings plugin catches its tests' warnings (and applies the suite's own
        # filterwarnings, -W error included): the driver's log hears of them here.
        if self._deprecations is not None:
            self._deprecations.seen(warning_message.category, warning_message.message, warning_message.filename, warning_message.lineno)

    def pytest_collectreport(self, report):
        if report.failed:
            path, line = self._collect_location(report)
            self._emit_error(path, line, report)

    def _collect_location(self, report):
        """The file that failed to collect, and the line its error names (a syntax error's)."""
        import re

        path = os.path.abspath(str(getattr(report, "fspath", "") or report.nodeid.split("::")[0]))
        text = str(report.longrepr)
        name = re.escape(os.path.basename(path))
        found = re.search(name + r'", line (\d+)', text) or re.search(name + r":(\d+)", text)
        return path, int(found.group(1)) if found else 1

    def _emit_error(self, path, line, report):
        text = str(report.longrepr)
        message = [l for l in text.splitlines() if l.startswith("E ")]
        reason = message[-1][1:].strip() if message else text.splitlines()[-1]
        self.collection_errors.append({"id": "%s (collecting)" % os.path.basename(path), "file": path, "line": line,
                                       "message": "could not be collected: %s" % reason, "traceback": text})

    collection_errors = None
    _files = {}
    _file_started = 0.0
    _last_of_file = frozenset()
    _first_of_file = frozenset()

    def pytest_sessionstart(self, session):
        self.collection_errors = []

    def pytest_collection_finish(self, session):
        # The last test of each file: once it has finished (teardown included, module fixtures
        # finalized), the session is put back for the next file.
        self._last_of_file = {item.nodeid for item, after in zip(session.items, session.items[1:] + [None])
                              if after is None or after.fspath != item.fspath}
        self._first_of_file = {item.nodeid for item, before in zip(session.items, [None] + session.items[:-1])
                               if before is None or before.fspath != item.fspath}
        # A test's location is relative to pytest's rootdir, which need not be Blender's cwd.
        self._files = {item.nodeid: os.path.abspath(str(item.fspath)) for item in session.items}
        self._emit({
            "event": "collected",
            "tests": [{"id": short_id(item.nodeid), "file": os.path.abspath(str(item.fspath)), "line": (item.location[1] or 0) + 1} for item in session.items],
            "errors": self.collection_errors,
        })

    def pytest_runtest_logstart(self, nodeid, location):
        if nodeid in self._first_of_file:  # before the file's fixtures are set up
            self._file_started = time.monotonic()
            self._prepare(os.path.basename(nodeid.split("::")[0]))
        self._emit({"event": "start", "id": short_id(nodeid)})
        self._reports[nodeid] = {"outcome": "passed", "message": None, "traceback": None, "duration": 0.0,
                                 "file": self._files.get(nodeid) or os.path.abspath(location[0]), "line": (location[1] or 0) + 1}

    def pytest_runtest_logreport(self, report):
        entry = self._reports.setdefault(report.nodeid, {"outcome": "passed", "message": None, "traceback": None, "duration": 0.0,
                                                         "file": "", "line": 1})
        entry["duration"] += report.duration
        if entry["outcome"] in ("failed", "error"):
            return
        if report.failed:
            entry["outcome"] = "failed" if report.when == "call" else "error"
            text = getattr(report, "longreprtext", str(report.longrepr))
            crash = getattr(getattr(report, "longrepr", None), "reprcrash", None)
            entry["message"] = crash.message.splitlines()[0] if crash is not None else text.splitlines()[-1]
            entry["traceback"] = text
            if crash is not None and same_file(crash.path, entry["file"]):
                entry["line"] = crash.lineno
        elif report.skipped:
            entry["outcome"] = "skipped" if not hasattr(report, "wasxfail") else "passed"
            longrepr = report.longrepr
            entry["message"] = longrepr[2] if isinstance(longrepr, tuple) else ("failed as expected (xfail)" if hasattr(report, "wasxfail") else str(longrepr))

    def pytest_runtest_logfinish(self, nodeid, location):
        entry = self._reports.pop(nodeid, None)
        if entry is not None:
            self._emit(dict(event="result", id=short_id(nodeid), **entry))
        if nodeid in self._last_of_file:
            self._restore(os.path.basename(nodeid.split("::")[0]))
            self._emit({"event": "file", "file": self._files.get(nodeid) or os.path.abspath(location[0]),
                        "duration": time.monotonic() - self._file_started})


def run_pytest(files, emit, restore, deprecations=None, addon=None, prepare=lambda before: None, names=None):
    import pytest

    from . import pytest_blender_fixtures
    from .in_package import PytestAliases

    plugin = PytestEvents(emit, restore, deprecations, prepare)
    pytest_blender_fixtures.configure(addon, lambda message: emit({"event": "warning", "message": message}))
    # No cache folder in the user's checkout; capture at the sys level (fd capture would take
    # Blender's own stdout, the log); pytest's own terminal lines go to the Blender log.
    # --disable-warnings: no warnings summary in the log (the reports list deprecations once).
    # pytest-blender's own plugin, if installed in this Python, would start another Blender: ours stands in.
    aliases = PytestAliases(names or {})
    try:
        aliases.packages()
        pytest.main(["-p", "no:cacheprovider", "-p", "no:pytest-blender", "--capture=sys", "-q", "--no-header", "-rN", "--disable-warnings", "--continue-on-collection-errors", *files],
                    plugins=[plugin, pytest_blender_fixtures, aliases])
    finally:
        aliases.remove()
