"""The pytest side of the in-Blender test runner (addon_tests.py): pytest.main in this Blender, a
plugin (PytestEvents) turning its reports into the same events as the unittest side."""

import os
import time

from blender_bg.paths import same_file


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
            "tests": [{"id": short_id(item.nodeid), "file": self._files[item.nodeid], "line": (item.location[1] or 0) + 1} for item in session.items],
            "errors": self.collection_errors,
        })

    def _file(self, nodeid, location):
        return self._files.get(nodeid) or os.path.abspath(location[0])

    def pytest_runtest_logstart(self, nodeid, location):
        if nodeid in self._first_of_file:  # before the file's fixtures are set up
            self._file_started = time.monotonic()
            self._prepare(os.path.basename(nodeid.split("::")[0]))
        self._emit({"event": "start", "id": short_id(nodeid)})
        self._reports[nodeid] = {"outcome": "passed", "message": None, "traceback": None, "duration": 0.0,
                                 "file": self._file(nodeid, location), "line": (location[1] or 0) + 1}

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
            self._emit({"event": "file", "file": self._file(nodeid, location),
                        "duration": time.monotonic() - self._file_started})


def run_pytest(files, emit, restore, names, deprecations=None, addon=None, prepare=lambda before: None):
    import pytest

    from blender_bg.runners import pytest_blender_fixtures
    from blender_bg.runners.in_package import PytestAliases

    plugin = PytestEvents(emit, restore, deprecations, prepare)
    pytest_blender_fixtures.configure(addon, lambda message: emit({"event": "warning", "message": message}))
    # No cache folder in the user's checkout; capture at the sys level (fd capture would take
    # Blender's own stdout, the log); pytest's own terminal lines go to the Blender log.
    # --disable-warnings: no warnings summary in the log (the reports list deprecations once).
    # pytest-blender's own plugin, if installed in this Python, would start another Blender: ours stands in.
    aliases = PytestAliases(names)
    try:
        aliases.packages()
        pytest.main(["-p", "no:cacheprovider", "-p", "no:pytest-blender", "--capture=sys", "-q", "--no-header", "-rN", "--disable-warnings", "--continue-on-collection-errors", *files],
                    plugins=[plugin, pytest_blender_fixtures, aliases])
    finally:
        aliases.remove()
