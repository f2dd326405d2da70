"""The driver's voice in Blender's log, and its way out when something is fatal."""

import os
import sys

LOG_PREFIX = "[blender-bg]"


def log(message):
    print(LOG_PREFIX, message, file=sys.stderr, flush=True)


def fail(code, message):
    """Report a fatal problem and leave at once.

    os._exit, not sys.exit: a half-registered addon may have started non-daemon threads,
    and interpreter shutdown would wait for them forever.
    """
    log(message)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
