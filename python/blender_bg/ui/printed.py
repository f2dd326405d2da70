"""What Blender prints instead of raising while it draws, caught and put on the add-on's line.

A property or an operator that does not exist raises nothing in a draw: Blender prints a line
and draws a red or empty button. The wording changes between versions:

    rna_uiItemR: property not found: Object.gone            (3.4, 4.3)
    UILayout.prop(): property not found: Scene.x            (5.2)
    uiItemFullO: unknown operator 'mesh.gone'               (3.x, 4.x)

and Blender then names the Python line that asked for it on stderr ("file.py:23", Blender's
PyC_LineSpit; newer ones may prefix "^ "). C's stdout is buffered and its stderr is not, so
the message and its line can arrive out of order: they are paired by their order in each kind.

While a draw runs, both descriptors are pointed at one file (CapturedOutput) and C's buffers
flushed before reading it; what was caught is written on to the real stderr, so the log keeps it.
"""

import os
import re
import sys
import tempfile

WARNING = re.compile(r"^(?P<who>[A-Za-z_][\w.]*(?:\(\))?): (?P<what>(?:property not found|unknown operator)\b.*?)\s*$")
LINE_SPIT = re.compile(r"^(?:\^ )?(?P<file>\S.*\.py):(?P<line>\d+)\s*$")
PROPERTY = re.compile(r"property not found: (?:\w+\.)?(?P<name>\w+)")
OPERATOR = re.compile(r"unknown operator '(?P<name>[\w.]+)'")


def printed_warnings(text):
    """[(message, file or None, line or None)] from what Blender printed, in order."""
    messages, spits = [], []
    for raw in text.splitlines():
        line = raw.strip()
        warning = WARNING.match(line)
        if warning:
            messages.append("%s: %s" % (warning.group("who"), warning.group("what")))
            continue
        spit = LINE_SPIT.match(line)
        if spit:
            spits.append((spit.group("file"), int(spit.group("line"))))
    found = []
    for index, message in enumerate(messages):
        file, line = spits[index] if len(spits) == len(messages) else (None, None)
        found.append((message, file, line))
    return found


def searched_name(message):
    """The name the add-on's line must spell, when Blender did not say the line: the property's or
    the operator's."""
    for pattern in (PROPERTY, OPERATOR):
        match = pattern.search(message)
        if match:
            return match.group("name")
    return None


def flush_c_streams():
    """C's stdio buffers out (Blender prints with printf); best effort where there is no libc."""
    try:
        import ctypes

        if os.name == "nt":
            ctypes.CDLL("ucrtbase").fflush(None)
        else:
            ctypes.CDLL(None).fflush(None)
    except (OSError, AttributeError):
        pass


class CapturedOutput:
    """Descriptors 1 and 2 pointed at one file while the block runs; `.text` afterwards."""

    def __init__(self):
        self.text = ""
        self._file = None
        self._saved = None

    def __enter__(self):
        self._flush()
        self._file = tempfile.TemporaryFile()
        self._saved = (os.dup(1), os.dup(2))
        os.dup2(self._file.fileno(), 1)
        os.dup2(self._file.fileno(), 2)
        return self

    def __exit__(self, *exc):
        self._flush()
        os.dup2(self._saved[0], 1)
        os.dup2(self._saved[1], 2)
        for fd in self._saved:
            os.close(fd)
        self._file.seek(0)
        caught = self._file.read()
        self._file.close()
        self.text = caught.decode("utf-8", "replace")
        if caught:
            try:
                os.write(2, caught)  # the log keeps what Blender printed
            except OSError:
                pass
        return False

    @staticmethod
    def _flush():
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError, AttributeError):
                pass
        flush_c_streams()
