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

import json
import os
import sys
import threading
import warnings

CATEGORIES = (DeprecationWarning, PendingDeprecationWarning, FutureWarning)


class DeprecationLog:
    def __init__(self, path, roots):
        self._path = path
        self._roots = []
        self._entries = {}
        self._lock = threading.Lock()
        self._original = None
        self.add_roots(roots)

    def add_roots(self, roots):
        """Files or folders whose lines are the add-on's own (the staged copy, the test files)."""
        for root in roots:
            if root:
                self._roots.append(os.path.realpath(root))

    def install(self):
        self._original = warnings.showwarning
        warnings.showwarning = self._show
        for category in CATEGORIES:
            warnings.filterwarnings("always", category=category)

    def uninstall(self):
        if self._original is not None:
            warnings.showwarning = self._original
            self._original = None

    def owns(self, filename):
        if not filename or filename.startswith("<"):
            return False
        path = os.path.realpath(filename)
        return any(path == root or path.startswith(root.rstrip(os.sep) + os.sep) for root in self._roots)

    def owner(self, filename, lineno, frame):
        """The add-on's (file, line) a warning belongs to, or None: where it points, if that is
        the add-on's, else the first frame of the add-on's walking out from `frame`."""
        if self.owns(filename):
            return os.path.realpath(filename), lineno
        while frame is not None:
            if self.owns(frame.f_code.co_filename):
                return os.path.realpath(frame.f_code.co_filename), frame.f_lineno
            frame = frame.f_back
        return None

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
        key = (category, message, filename, lineno)
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                entry["count"] += 1
                return
            entry = {"category": category, "message": message, "file": filename, "line": lineno, "count": 1}
            self._entries[key] = entry
            self._append([entry])

    def entries(self):
        with self._lock:
            return [dict(entry) for entry in self._entries.values()]

    def flush(self):
        """Every deprecation again, with its final count."""
        self._append(self.entries())

    def _append(self, entries):
        if not self._path or not entries:
            return
        try:
            with open(self._path, "a", encoding="utf-8") as handle:
                for entry in entries:
                    handle.write(json.dumps(entry) + "\n")
        except OSError:  # the session goes on; the reports then show none
            pass
