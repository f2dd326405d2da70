"""How a stop request arrives: SIGTERM, SIGINT, or the control channel's shutdown."""

import signal

from blender_bg.driver.log import log


class Stopper:
    def __init__(self, loop, record):
        self.requested = False
        self._loop = loop
        self._record = record

    def request(self, reason):
        if not self.requested:
            log("%s received: stopping" % reason)
            self._record.write(stopping=reason)
        self.requested = True
        self._loop.stop()


def install_signal_handlers(loop, stopper):
    for signum in (signal.SIGTERM, signal.SIGINT):
        name = signal.Signals(signum).name
        try:
            loop.add_signal_handler(signum, stopper.request, name)
        except (NotImplementedError, RuntimeError):  # Windows: no loop signal handlers
            signal.signal(signum, lambda *_ignored, _name=name: loop.call_soon_threadsafe(stopper.request, _name))


