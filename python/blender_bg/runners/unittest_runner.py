"""The unittest side of the in-Blender test runner (addon_tests.py): files imported as their own
runner imports them, a suite per file, each test's outcome emitted as soon as it is known
(StreamingResult), pytest-style tests unittest cannot see named as a failure of their file."""

import importlib
import importlib.util
import inspect
import os
import sys
import time
import traceback
import unittest

from blender_bg.paths import import_name, same_file


def pytest_available():
    return importlib.util.find_spec("pytest") is not None


def load_module(path, index, name=None):
    """Imports a test file by its own runner's name (tests/pkg/foo_test.py as pkg.foo_test, so
    relative imports work), with that name's root folder importable; by `name` when given (a
    test file inside the add-on, a submodule of it)."""
    if name is not None:
        module = importlib.import_module(name)
        if not same_file(getattr(module, "__file__", "") or "", path):
            raise ImportError("%s imports as %s, but that name is %s" % (path, name, module.__file__))
        return module
    if "." in os.path.splitext(os.path.basename(path))[0]:  # tests/cube.test.py: no module name can hold that dot
        return load_by_path(path, index)
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
    return load_by_path(path, index)


def load_by_path(path, index):
    """Imports a test file under a name of its own, not one it could be imported by."""
    name = "blender_bg_test_%d_%s" % (index, os.path.splitext(os.path.basename(path))[0].replace(".", "_"))
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


def method_line(test):
    """The line a test method is defined on (its class's, for a fixture error)."""
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


class TestEvents:
    """Each unittest test's outcome as events, as soon as it is known: fed by a TestResult's calls
    (StreamingResult's, or any result a script's own runner makes: script_runner.py taps them).
    `file_of(module_name)` is the test file a test's module was loaded from ("" when unknown)."""

    def __init__(self, emit, file_of):
        self._emit = emit
        self._file_of = file_of
        self._started = {}
        self._outcomes = {}

    def _file(self, test):
        return self._file_of(type(test).__module__)

    def _key(self, test):
        return test_name(test, self._file(test))

    def start(self, test):
        self._started[self._key(test)] = time.monotonic()
        self._emit({"event": "start", "id": self._key(test)})

    def record(self, test, outcome, err=None, message=None):
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

    def success(self, test):
        self._outcomes.setdefault(self._key(test), {"outcome": "passed", "message": None, "traceback": None, "line": method_line(test)})

    def error(self, test, err):
        if not isinstance(test, unittest.TestCase):  # setUpClass / setUpModule failed: no test ran
            self._fixture_error(test, err)
        else:
            self.record(test, "error", err)

    def subtest(self, test, subtest, err):
        if err is not None:
            failed = "failed" if issubclass(err[0], test.failureException) else "error"
            self.record(test, failed, err, "%s %s" % (subtest._subDescription(), describe(err[1])))

    def stop(self, test):
        key = self._key(test)
        entry = self._outcomes.pop(key, None) or {"outcome": "passed", "message": None, "traceback": None, "line": method_line(test)}
        started = self._started.pop(key, time.monotonic())
        self._emit(dict(event="result", id=key, file=self._file(test), duration=time.monotonic() - started, **entry))

    def _fixture_error(self, holder, err):
        # "setUpClass (module.Class)" or "setUpModule (module)": no test of it ran.
        description = getattr(holder, "description", str(holder))
        fixture, _, where = description.partition(" (")
        where = where.rstrip(")")
        module, _, cls = (where, "", "") if self._file_of(where) else where.rpartition(".")
        path = self._file_of(module)
        name = "::".join(part for part in (os.path.basename(path) or module, cls, fixture) if part)
        exc_type, exc, tb = err
        exc.__traceback__ = tb
        self._emit({"event": "start", "id": name})
        self._emit({
            "event": "result", "id": name, "file": path, "line": line_in(path, exc) if path else 1,
            "outcome": "error", "message": describe(exc),
            "traceback": "".join(traceback.format_exception(exc_type, exc, tb)), "duration": 0.0,
        })

    def feed(self, method, test, *args):
        """One TestResult call (its method's name and arguments) as the events it means."""
        if method == "startTest":
            self.start(test)
        elif method == "stopTest":
            self.stop(test)
        elif method == "addSuccess":
            self.success(test)
        elif method == "addFailure":
            self.record(test, "failed", args[0])
        elif method == "addError":
            self.error(test, args[0])
        elif method == "addSubTest":
            self.subtest(test, *args)
        elif method == "addSkip":
            self.record(test, "skipped", message=args[0])
        elif method == "addExpectedFailure":
            self.record(test, "passed", message="failed as expected (expectedFailure)")
        elif method == "addUnexpectedSuccess":
            self.record(test, "failed", message="passed, but it is marked expectedFailure")


# The TestResult calls that carry a test's outcome: what StreamingResult and a script's tap hear.
RESULT_CALLS = ("startTest", "stopTest", "addSuccess", "addFailure", "addError", "addSubTest", "addSkip",
                "addExpectedFailure", "addUnexpectedSuccess")


class StreamingResult(unittest.TestResult):
    """A TestResult that emits each test's outcome as soon as it is known."""

    def __init__(self, emit, files_by_module):
        super().__init__()
        self.events = TestEvents(emit, lambda module: files_by_module.get(module, ""))


def _forwarding(method):
    def forward(self, test, *args):
        getattr(unittest.TestResult, method)(self, test, *args)
        self.events.feed(method, test, *args)

    forward.__name__ = method
    return forward


for _method in RESULT_CALLS:
    setattr(StreamingResult, _method, _forwarding(_method))


def run_unittest(files, emit, restore, names, pytest_chosen_away=False, prepare=lambda before: None):
    loader = unittest.TestLoader()
    suites = []
    files_by_module = {}
    errors = []
    load_seconds = {}
    for index, path in enumerate(files):
        started = time.monotonic()
        try:
            module = load_module(path, index, names.get(path))
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
