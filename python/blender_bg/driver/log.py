"""The driver's voice in Blender's log, and its way out when something is fatal."""

import os
import sys

LOG_PREFIX = "[blender-bg]"


def line_buffered_output():
    """Blender's stdout and stderr are pipes here: without line buffering the log arrives in lumps.
    And importing the add-on's tests (or the driver) must leave the user's checkout as it was:
    no __pycache__ (the entry scripts set this before importing the package, for the same reason)."""
    sys.dont_write_bytecode = True
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(line_buffering=True)


def log(message):
    try:
        print(LOG_PREFIX, message, file=sys.stderr, flush=True)
    except OSError:
        # Whoever read Blender's output is gone (the terminal closed, the runner was killed): the
        # driver still stops Blender when told to, only without a word.
        pass


def fail(code, message):
    """Report a fatal problem and leave at once.

    os._exit, not sys.exit: a half-registered add-on may have started non-daemon threads,
    and interpreter shutdown would wait for them forever.
    """
    log(message)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
