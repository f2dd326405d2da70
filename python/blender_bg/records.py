"""A JSON-lines file of distinct things seen during the session, each with a count.

Each distinct one is written when first seen (so a crash loses nothing but counts), and every
one again, with its count, when the session ends (flush). The last line of a key wins; the
TypeScript side reads it that way (src/session/driver-records.ts).
"""

import json
import threading


class CountedRecords:
    def __init__(self, path):
        self._path = path
        self._entries = {}
        self._lock = threading.Lock()

    def record(self, key, entry):
        """Counts `key`; a first sighting keeps `entry` (a dict) and writes it. Returns the count."""
        with self._lock:
            known = self._entries.get(key)
            if known is not None:
                known["count"] += 1
                return known["count"]
            entry = dict(entry, count=1)
            self._entries[key] = entry
            self._append([entry])
            return 1

    def entries(self):
        with self._lock:
            return [dict(entry) for entry in self._entries.values()]

    def flush(self):
        """Every entry again, with its final count."""
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
