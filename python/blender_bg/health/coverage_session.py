"""Coverage of the add-on's own files for the whole session, with coverage.py (the coverage input).

The driver starts it before the add-on is imported (import-time and register() lines count),
on every thread (service add-ons serve on threads), with branch coverage; on Python 3.12+
through coverage's sys.monitoring core, which costs far less than a trace function. It saves
what it has every few seconds and when the stop request arrives, so a session that crashes
or is killed still reports up to then; after unregister() it stops, saves, and writes the
JSON report the TypeScript side turns into Cobertura or LCOV under the repository's paths.

Run on its own (python/blender_bg_coverage.py), it writes that JSON from a saved data file (a
session that did not finish).
"""

import importlib
import os
import sys

from blender_bg.driver.log import fail, log
from blender_bg.driver.protocol import EXIT_COVERAGE_MISSING

SAVE_EVERY = 5.0  # seconds


def importable():
    try:
        importlib.import_module("coverage")  # imported, not only found: a broken install fails here
    except ImportError:
        return False
    return True


def measured(root):
    """What coverage measures: a package folder (its files never imported too), or one file."""
    if os.path.isdir(root):
        return {"source": [root]}
    return {"include": [root]}


def start_session_coverage(settings, root, timers):
    """coverage.py over the add-on's staged copy, from before it is imported (the coverage input)."""
    if not settings:
        return None
    if not importable():
        fail(EXIT_COVERAGE_MISSING, "coverage.py is not importable in this Blender's Python %d.%d: add it with the "
             "python-packages input (python-packages: coverage), or on Debian and Ubuntu apt-get install python3-coverage"
             % sys.version_info[:2])
    coverage = SessionCoverage(settings["data_file"], settings["json_file"], root)
    coverage.start()
    if timers is not None:  # a session that crashes or is killed still has what ran until the last save
        timers.register(lambda: coverage.save() or SAVE_EVERY, first_interval=SAVE_EVERY, persistent=True)
    return coverage


class SessionCoverage:
    def __init__(self, data_file, json_file, root):
        self._data_file = data_file
        self._json_file = json_file
        self._root = root
        self._coverage = None

    def start(self):
        if sys.version_info >= (3, 12):
            os.environ.setdefault("COVERAGE_CORE", "sysmon")
        import coverage

        self._coverage = coverage.Coverage(data_file=self._data_file, branch=True, config_file=False, **measured(self._root))
        self._coverage.start()

    def save(self):
        """What was measured so far, to the data file (the session goes on measuring)."""
        if self._coverage is not None:
            try:
                self._coverage.save()
            except Exception as error:  # a report is never worth the session
                log("coverage could not be saved: %s" % error)

    def exits_hard(self):
        """Whether Blender must leave with os._exit once the driver is done: with coverage.py 6
        imported, Blender 3.4's own exit path (addon_utils.disable_all) crashes with SIGSEGV
        (measured on Debian's 3.4.1 with python3-coverage 6.5; not with 7.x on 4.3 and 5.2).
        The add-on is disabled and everything written by then."""
        import coverage

        return coverage.version_info < (7, 0)

    def finish(self):
        """After unregister(): stop, save, and write the JSON report."""
        if self._coverage is None:
            return
        self._coverage.stop()
        self.save()
        write_json(self._coverage, self._json_file)


def write_json(cov, json_file):
    try:
        cov.json_report(outfile=json_file, ignore_errors=True)
    except Exception as error:  # nothing measured ("No data to report"): the TypeScript side says so
        log("coverage report: %s" % error)


def report_from_data(data_file, json_file, root):
    import coverage

    cov = coverage.Coverage(data_file=data_file, branch=True, config_file=False, **measured(root))
    cov.load()
    write_json(cov, json_file)

