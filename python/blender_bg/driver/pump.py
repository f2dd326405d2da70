"""The pump input: an add-on's own `module:function`, called on the main thread."""

import threading
import time
import traceback

from blender_bg.driver.log import fail, log
from blender_bg.driver.protocol import EXIT_PUMP_INVALID


class Pump:
    """Calls an add-on's own `module:function` on the main thread every interval."""

    def __init__(self, function, interval, name, on_error=None):
        self._function = function
        self._on_error = on_error  # on_error(name, function, error): the add-on's background errors
        self._interval = interval
        self._name = name
        self._failures = 0
        self.next_due = time.monotonic()

    def run_if_due(self):
        now = time.monotonic()
        if now < self.next_due:
            return
        try:
            self._function()
        except Exception as error:
            self._failures += 1
            if self._on_error is not None:
                self._on_error(self._name, self._function, error)
            if self._failures == 1:  # once: a pump at 100 Hz would flood the log
                log("the pump %s raised (later failures are counted, not printed):" % self._name)
                traceback.print_exc()
        self.next_due = max(self.next_due + self._interval, time.monotonic())

    def report(self):
        if self._failures > 1:
            log("the pump %s raised %d times in all" % (self._name, self._failures))

    def due_now(self):
        self.next_due = min(self.next_due, time.monotonic())


class PumpWake:
    """Runs the pump as soon as a server thread starts waiting for its result.

    A pump add-on's server thread queues work for step() and then waits on it
    (Event.wait, Future.result, a blocking Queue.get: all threading.Condition.wait). That
    wait is the signal: the pump runs once at the next pass of the loop, not one interval
    later. The waiting thread only schedules the wake (one call_soon_threadsafe, coalesced
    while one is pending; wakes are at least MIN_GAP apart, later ones deferred, so a thread
    that waits in a tight loop cannot make the driver spin); addon code never runs on it.
    """

    MIN_GAP = 0.0001

    def __init__(self, loop, pump, wake):
        self._loop = loop
        self._pump = pump
        self._wake = wake
        self._lock = threading.Lock()
        self._pending = False
        self._last = 0.0
        self._original = None

    def install(self):
        original = threading.Condition.wait
        self._original = original
        poke = self.poke

        def wait(condition, timeout=None):
            if threading.current_thread() is not threading.main_thread():
                poke()
            return original(condition, timeout)

        threading.Condition.wait = wait

    def uninstall(self):
        if self._original is not None:
            threading.Condition.wait = self._original
            self._original = None

    def poke(self):
        with self._lock:
            if self._pending:
                return
            self._pending = True
        try:
            self._loop.call_soon_threadsafe(self._schedule)
        except RuntimeError:  # the loop is closed: the driver is stopping
            self._pending = False

    def _schedule(self):
        # On the loop. A wake within MIN_GAP of the last one is deferred, never dropped: the
        # wait that asked for it may be the one a request is waiting in.
        delay = self._last + self.MIN_GAP - time.monotonic()
        if delay > 0:
            self._loop.call_later(delay, self._fire)
        else:
            self._fire()

    def _fire(self):
        self._last = time.monotonic()
        self._pending = False
        self._pump.due_now()
        self._wake()


def resolve_pump(spec):
    import importlib

    module_name, _, function_name = spec.partition(":")
    try:
        function = getattr(importlib.import_module(module_name), function_name)
    except (ImportError, AttributeError):
        traceback.print_exc()
        fail(EXIT_PUMP_INVALID, "the pump %s cannot be found (traceback above)" % spec)
    if not callable(function):
        fail(EXIT_PUMP_INVALID, "the pump %s is not a function" % spec)
    return function


