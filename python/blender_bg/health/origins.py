"""Where things were made: threads started, sockets made, ports listened on, child processes
spawned, known by the add-on's (or the tests') line that made them; and what a socket still
holds (a port that cannot be bound again, the thread blocked on it). Used by state.py."""

import errno
import os
import socket
import subprocess
import sys
import threading
import weakref


class Origins:
    """Where things were made: patched in before the add-on is enabled, so a thread, a socket, a
    listening port or a child process is known by the add-on's line that made it."""

    def __init__(self, roots, test_roots):
        self.roots = roots
        self.test_roots = test_roots
        self.threads = weakref.WeakKeyDictionary()  # Thread -> (owner, place)
        self.sockets = weakref.WeakKeyDictionary()  # socket -> place (the add-on's only)
        self.listening = []  # [(weakref to the socket, family, address, place)]
        self.processes = {}  # pid -> (owner, place)
        self._saved = None

    def owner_of_caller(self, frame):
        """("addon" | "tests", place) of the first frame of either, walking out; else None."""
        while frame is not None:
            filename = frame.f_code.co_filename
            if self.roots.owns(filename):
                return "addon", self.roots.place(frame)
            if self.test_roots.owns(filename):
                return "tests", self.test_roots.place(frame)
            frame = frame.f_back
        return None

    def install(self):
        origins = self
        saved = self._saved = {
            "start": threading.Thread.start,
            "socket_init": socket.socket.__init__,
            "listen": socket.socket.listen,
            "popen_init": subprocess.Popen.__init__,
        }

        def start(thread):
            owner = origins.owner_of_caller(sys._getframe(1))
            if owner is not None:
                origins.threads[thread] = owner
            return saved["start"](thread)

        def socket_init(sock, *args, **kwargs):
            saved["socket_init"](sock, *args, **kwargs)
            owner = origins.owner_of_caller(sys._getframe(1))
            if owner is not None and owner[0] == "addon":
                origins.sockets[sock] = owner[1]

        def listen(sock, *args):
            result = saved["listen"](sock, *args)
            owner = origins.owner_of_caller(sys._getframe(1))
            if owner is not None and owner[0] == "addon":
                try:
                    origins.listening.append((weakref.ref(sock), sock.family, sock.getsockname(), owner[1]))
                except OSError:
                    pass
            return result

        def popen_init(popen, *args, **kwargs):
            saved["popen_init"](popen, *args, **kwargs)
            owner = origins.owner_of_caller(sys._getframe(1))
            if owner is not None:
                origins.processes[popen.pid] = owner

        threading.Thread.start = start
        socket.socket.__init__ = socket_init
        socket.socket.listen = listen
        subprocess.Popen.__init__ = popen_init

    def uninstall(self):
        if self._saved is None:
            return
        threading.Thread.start = self._saved["start"]
        socket.socket.__init__ = self._saved["socket_init"]
        socket.socket.listen = self._saved["listen"]
        subprocess.Popen.__init__ = self._saved["popen_init"]
        self._saved = None


def still_bound(family, address):
    """Whether a new server could not bind this address now: "Address already in use"."""
    probe = socket.socket(family, socket.SOCK_STREAM)
    try:
        if os.name != "nt":  # as servers do: a port in TIME_WAIT is free (on Windows the option would steal it)
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(tuple(address[:2]) if family == socket.AF_INET else tuple(address))
        return False
    except OSError as error:
        return error.errno in (errno.EADDRINUSE, getattr(errno, "WSAEADDRINUSE", errno.EADDRINUSE))
    finally:
        probe.close()


def holding_thread(sock, roots):
    """The live thread whose stack holds `sock` (blocked in its accept(), or serving it), and
    where in the add-on's code it is: (thread, place or None)."""
    frames = sys._current_frames()
    for thread in threading.enumerate():
        if thread is threading.current_thread():
            continue  # the check itself holds it now
        top = frames.get(thread.ident)
        frame = top
        while frame is not None:
            for value in frame.f_locals.values():
                if value is sock or getattr(value, "socket", None) is sock:
                    return thread, roots.innermost_in_stack(top)
            frame = frame.f_back
    return None


def format_address(address):
    if isinstance(address, tuple) and len(address) >= 2:
        return "%s:%s" % (address[0], address[1])
    return str(address)
