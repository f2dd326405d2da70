"""bpy.app.timers, run by the driver: Blender never runs timers in background mode."""

import heapq
import itertools
import threading
import time
import traceback

from blender_bg.driver.log import log


# The shortest repeat interval, in seconds (see TimerQueue's floor).
TIMER_FLOOR = 0.005


class TimerQueue:
    """The bpy.app.timers API, run by the driver instead of Blender's window manager.

    register() may be called from any thread; timers always run on the main thread.
    """

    def __init__(self, floor, wake, on_error=None):
        # floor: shortest repeat interval, in seconds. Add-ons that kick their own loop
        # return 0 ("again at once"); GUI Blender idles a few ms between event-loop
        # passes, so such a timer is raised to the floor instead of spinning a core.
        self._floor = floor
        self._wake = wake
        self._lock = threading.Lock()
        self._heap = []
        self._entries = {}
        self._order = itertools.count()
        # on_error(function, error): a timer raised (the add-on's background errors hear of it)
        self.on_error = on_error

    # --- the bpy.app.timers API -------------------------------------------------
    def register(self, function, first_interval=0, persistent=False):
        if not callable(function):
            raise TypeError("function is not callable")
        entry = {"function": function, "persistent": bool(persistent), "cancelled": False}
        with self._lock:
            self._entries.setdefault(function, []).append(entry)
            self._push(entry, time.monotonic() + max(0.0, float(first_interval)))
        self._wake()

    def unregister(self, function):
        with self._lock:
            entries = self._entries.get(function)
            if not entries:
                raise ValueError("Error: function is not registered")
            self._forget(entries[0])

    def is_registered(self, function):
        with self._lock:
            return bool(self._entries.get(function))

    def forget_non_persistent(self, keep=None):
        """A file is being loaded: the timers registered without persistent=True go, as Blender
        drops them on every file load (its BLI_timer_on_file_load); persistent ones stay, and those
        whose function `keep(function)` names (see keeping_timers)."""
        with self._lock:
            for function, entries in list(self._entries.items()):
                if keep is not None and keep(function):
                    continue
                for entry in [e for e in entries if not e["persistent"]]:
                    self._forget(entry)

    def functions(self):
        """Every function registered now (the add-on's leftover check compares them)."""
        with self._lock:
            return list(self._entries)

    # --- used by the serve loop ---------------------------------------------------
    def next_due(self):
        with self._lock:
            while self._heap and self._heap[0][2]["cancelled"]:
                heapq.heappop(self._heap)
            return self._heap[0][0] if self._heap else None

    def run_due(self):
        now = time.monotonic()
        due = []
        with self._lock:
            while self._heap and self._heap[0][0] <= now:
                entry = heapq.heappop(self._heap)[2]
                if not entry["cancelled"]:
                    due.append(entry)
        for entry in due:
            if entry["cancelled"]:  # unregistered by a timer that ran before it
                continue
            try:
                result = entry["function"]()
            except Exception as error:
                log("a bpy.app.timers function raised; it is unregistered, as Blender does:")
                traceback.print_exc()
                if self.on_error is not None:
                    self.on_error(entry["function"], error)
                result = None
            with self._lock:
                if entry["cancelled"]:
                    continue
                if result is None:
                    self._forget(entry)
                else:
                    interval = max(float(result), self._floor)
                    self._push(entry, time.monotonic() + interval)

    # --- internals (lock held) -----------------------------------------------------
    def _push(self, entry, due):
        heapq.heappush(self._heap, (due, next(self._order), entry))

    def _forget(self, entry):
        entry["cancelled"] = True
        entries = self._entries.get(entry["function"], [])
        if entry in entries:
            entries.remove(entry)
        if not entries:
            self._entries.pop(entry["function"], None)


# The queue the load_pre handler empties of non-persistent timers (install_timers sets it).
_installed = None
# While a load the driver makes itself runs (a test file's fresh startup scene): timers to keep.
_keep = None


def _drop_timers_on_load(*_args):
    """load_pre: a file is being loaded (a test's read_homefile or open_mainfile): the
    non-persistent timers go, as in GUI Blender. One function object for the whole session, so
    installing it again (after read_factory_settings) changes nothing the leftover check sees."""
    if _installed is not None:
        _installed.forget_non_persistent(_keep)


class keeping_timers:
    """Within: a file load keeps the non-persistent timers `keep(function)` names (the add-on's
    own, registered by its register(): a fresh Blender per test file would have them)."""

    def __init__(self, keep):
        self._keep = keep

    def __enter__(self):
        global _keep
        _keep = self._keep

    def __exit__(self, *_):
        global _keep
        _keep = None


def install_timers(bpy, timers):
    global _installed
    _installed = timers
    bpy.app.timers.register = timers.register
    bpy.app.timers.unregister = timers.unregister
    bpy.app.timers.is_registered = timers.is_registered
    if _drop_timers_on_load not in bpy.app.handlers.load_pre:
        # persistent: the handler itself survives every load (the decorator marks the same function)
        bpy.app.handlers.load_pre.append(bpy.app.handlers.persistent(_drop_timers_on_load))


