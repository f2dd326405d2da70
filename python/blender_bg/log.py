"""The driver's voice in Blender's log, and its way out when something is fatal."""

import os
import sys

LOG_PREFIX = "[blender-bg]"


def log(message):
    try:
        print(LOG_PREFIX, message, file=sys.stderr, flush=True)
    except OSError:
        # Whoever read Blender's output is gone (the terminal closed, the runner was killed): the
        # driver still stops Blender when told to, only without a word.
        pass


def fail(code, message):
    """Report a fatal problem and leave at once.

    os._exit, not sys.exit: a half-registered addon may have started non-daemon threads,
    and interpreter shutdown would wait for them forever.
    """
    log(message)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
