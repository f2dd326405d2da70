"""Python's deprecation warnings for the whole session, recorded against the add-on's own lines.

Used by the driver (stdlib only, no bpy). In `blender -b` nobody sees an add-on's
deprecations: Python hides DeprecationWarning outside __main__, and what it does show
scrolls by in the log. So, from before the add-on is imported until after its unregister():

- DeprecationWarning, PendingDeprecationWarning and FutureWarning are always shown to us;
- each is attributed to the first frame in the add-on's own files (or the test files),
  walking out from where it was raised: a warning raised by Blender's or a library's code on
  behalf of an add-on line belongs to that line. One with no such frame is not the add-on's
  (Blender's own, the driver's) and is left out;
- each distinct one (category, message, file, line) is recorded once, with a count, in a
  JSON-lines file: a line when it is first seen (so a crash loses nothing but counts), and
  every one again, with its count, when the session ends. The last line of a key wins.

The warnings are recorded, not printed: the reports show them once, with their count.
"""

import os
import sys
import warnings

from blender_bg.paths import Roots
from blender_bg.records import CountedRecords

CATEGORIES = (DeprecationWarning, PendingDeprecationWarning, FutureWarning)


class DeprecationLog:
    def __init__(self, path, roots):
        self._roots = Roots(roots)
        self._records = CountedRecords(path)
        self._original = None

    def add_roots(self, roots):
        """Files or folders whose lines are the add-on's own (the staged copy, the test files)."""
        self._roots.add(roots)

    def install(self):
        self._original = warnings.showwarning
        warnings.showwarning = self._show
        for category in CATEGORIES:
            warnings.filterwarnings("always", category=category)

    def uninstall(self):
        if self._original is not None:
            warnings.showwarning = self._original
            self._original = None

    def owner(self, filename, lineno, frame):
        """The add-on's (file, line) a warning belongs to, or None: where it points, if that is
        the add-on's, else the first frame of the add-on's walking out from `frame`."""
        if self._roots.owns(filename):
            return os.path.realpath(filename), lineno
        place = self._roots.first_walking_out(frame)
        return place[:2] if place else None

    def _show(self, message, category, filename, lineno, file=None, line=None):
        if not issubclass(category, CATEGORIES):
            return self._original(message, category, filename, lineno, file, line)
        self.seen(category, message, filename, lineno, sys._getframe(1))
        return None

    def seen(self, category, message, filename, lineno, frame=None):
        """A warning, from our hook or from a runner that caught it first (pytest records the
        warnings of its tests itself: only where it points is known then)."""
        if not issubclass(category, CATEGORIES):
            return
        owner = self.owner(filename, lineno, frame)
        if owner is not None:
            self.record(category.__name__, str(message), owner[0], owner[1])

    def record(self, category, message, filename, lineno):
        self._records.record((category, message, filename, lineno),
                             {"category": category, "message": message, "file": filename, "line": lineno})

    def entries(self):
        return self._records.entries()

    def flush(self):
        """Every deprecation again, with its final count."""
        self._records.flush()
