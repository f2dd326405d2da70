"""The serve loop: the main thread's asyncio loop, stopped only when a timer or the pump is due."""

import threading


class Waker:
    """Wakes the serve loop when a timer is registered, without disturbing anyone else.

    A plain loop.stop() queued while the loop is not in the driver's serve pass (during
    addon enable, or inside an add-on's own run_until_complete / kick) would stop *that*
    run instead. So the wake only stops the loop while serve() itself is running it.
    """

    def __init__(self, loop):
        self._loop = loop
        self.serving = False

    def _stop_if_serving(self):
        if self.serving:
            self._loop.stop()

    def wake(self):
        if threading.current_thread() is threading.main_thread():
            self._stop_if_serving()  # outside a serve pass, serve() looks at timers next anyway
        else:
            self._loop.call_soon_threadsafe(self._stop_if_serving)

    def wake_from_loop(self):
        """Called by a callback already on the loop (main thread): stop the serve pass."""
        self._stop_if_serving()


def serve(loop, timers, pump, stopper, waker):
    """Run the loop until something is due, run it, repeat; never sleep a fixed time.

    Timers and the pump run while the loop is stopped: some addons' timers run the same
    loop themselves (loop.stop(); loop.run_forever()), which fails inside a running loop.
    """
    while not stopper.requested:
        if timers is not None:
            timers.run_due()
        if pump is not None:
            pump.run_if_due()
        if stopper.requested:
            break
        deadlines = [due for due in (timers.next_due() if timers else None,
                                     pump.next_due if pump else None) if due is not None]
        wakeup = None
        if deadlines:
            wakeup = loop.call_at(min(deadlines), loop.stop)  # loop.time() is time.monotonic()
        waker.serving = True
        try:
            loop.run_forever()
        finally:
            waker.serving = False
        if wakeup is not None:
            wakeup.cancel()


