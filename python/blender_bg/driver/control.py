"""The control channel: loopback TCP, newline-delimited JSON, every request carrying the token."""

import asyncio
import json
import os
import threading
import traceback

from blender_bg.runners import addon_tests
from blender_bg.runners import in_package
from blender_bg.health import memory

# A control-channel client proves itself on its first line; until then a line may be no
# longer than this, so a stranger cannot make Blender buffer without limit.
MAX_UNAUTHENTICATED_LINE = 4096


class ControlChannel:
    """Loopback, newline-delimited JSON: {"token", "op", ...}. Ops: eval and exec (Python, for
    `blender` probe steps), tests (the add-on's test files), reload (reload-check), stats
    (Blender's memory and CPU time), render (a snapshot: render.py), shutdown.

    Code runs on the main thread between passes of the loop (scheduled like a timer), in
    one namespace for the whole run, so an `exec` step can set names a later step reads.
    """

    def __init__(self, loop, timers, stopper, token, addon_port=None, addon=None, deprecations=None):
        self._addon_port = addon_port
        self._addon = addon
        self._deprecations = deprecations
        self._loop = loop
        self._timers = timers
        self._stopper = stopper
        self._token = token
        self._server = None
        import bpy

        self.namespace = {"__name__": "__probe__", "bpy": bpy, "C": bpy.context, "D": bpy.data}

    def open(self):
        channel = self

        class Protocol(asyncio.Protocol):
            def connection_made(self, transport):
                self.transport = transport
                self.buffer = b""
                self.authenticated = False

            def data_received(self, data):
                self.buffer += data
                while not self.transport.is_closing():
                    newline = self.buffer.find(b"\n")
                    if newline < 0:
                        if not self.authenticated and len(self.buffer) > MAX_UNAUTHENTICATED_LINE:
                            self.transport.abort()  # too long to be a request of ours
                        return
                    line, self.buffer = self.buffer[:newline], self.buffer[newline + 1:]
                    if line.strip():
                        self.authenticated = channel.receive(line, self.transport, self.authenticated)

        self._server = self._loop.run_until_complete(self._loop.create_server(Protocol, "127.0.0.1", 0))
        return self._server.sockets[0].getsockname()[1]

    def receive(self, line, transport, authenticated):
        """Handles one line; returns whether the connection has proved it is ours.

        Nothing is answered before the token matches: a line that is not JSON, not an
        object or without the token closes the connection, with no answer and no hint.
        """
        try:
            request = json.loads(line.decode("utf-8"))
        except ValueError:
            request = None
        if not isinstance(request, dict) or not self._token_matches(request.get("token")):
            if authenticated:
                self.reply(transport, {"ok": False, "error": "the request is not a JSON object with the token"})
                return True
            transport.abort()
            return False
        op = request.get("op")
        if op == "shutdown":
            self.reply(transport, {"ok": True, "value": None})
            self._stopper.request("control shutdown")
        elif op in ("eval", "exec"):
            # Off the running loop: the code may use bpy freely, or even run the loop itself.
            self._timers.register(lambda: self.run(op, request.get("code", ""), transport), first_interval=0, persistent=True)
        elif op == "tests":
            files, runner = request.get("files", []), request.get("runner", "auto")
            installed_only = request.get("addon_state") == "installed"
            options = {"import_paths": request.get("import_paths", []), "isolation": request.get("isolation", "auto"),
                       "script": request.get("script"), "cwd": request.get("cwd")}
            self._timers.register(lambda: self.run_tests(files, runner, transport, installed_only, **options), first_interval=0, persistent=True)
        elif op == "reload":
            self._timers.register(lambda: self.reload(transport), first_interval=0, persistent=True)
        elif op == "render":
            spec, output = request.get("spec", {}), request.get("output", "")
            self._timers.register(lambda: self.render(spec, output, transport), first_interval=0, persistent=True)
        elif op == "stats":
            self.reply(transport, {"ok": True, "value": memory.usage()})
        else:
            self.reply(transport, {"ok": False, "error": "unknown op %r" % op})
        return True

    def _token_matches(self, token):
        import hmac

        return isinstance(token, str) and hmac.compare_digest(token.encode("utf-8"), self._token.encode("utf-8"))

    def run(self, op, code, transport):
        try:
            if op == "eval":
                value = eval(compile(code, "<probe>", "eval"), self.namespace)
            else:
                self.namespace.pop("result", None)
                exec(compile(code, "<probe>", "exec"), self.namespace)
                value = self.namespace.get("result")
            self.reply(transport, {"ok": True, "value": to_json(value)})
        except BaseException as error:  # a probe's mistake must not stop the driver
            lines = traceback.format_exception_only(type(error), error)
            # Skip the driver's own frame: the traceback starts in the probe's code.
            trace = "".join(traceback.format_exception(type(error), error, error.__traceback__.tb_next))
            self.reply(transport, {"ok": False, "error": lines[-1].strip(), "traceback": trace})
        return None

    def run_tests(self, files, runner, transport, installed_only=False, import_paths=(), isolation="auto", script=None, cwd=None):
        """The add-on's own tests (and the suite's own runner script, test-script), on the main
        thread; each event is sent as it happens."""
        import bpy

        def emit(event):
            self.reply(transport, event)

        files, names = in_package.as_submodules(files, self._addon)
        folders = sorted({os.path.dirname(os.path.abspath(f)) for f in files + ([script["path"]] if script else [])})
        if self._deprecations is not None:  # the tests' folders are the add-on's own lines too
            self._deprecations.add_roots(folders)
        if self._addon is not None and self._addon.state is not None:  # what the tests make is theirs
            self._addon.state.add_test_roots(folders)
        try:
            with refuse_own_port(self._addon_port), addon_tests.on_sys_path(import_paths):
                addon_tests.run(files, runner, emit, self._addon.restore if self._addon else None, self._deprecations, self._addon, installed_only, names,
                                isolation=isolation, script=script, binary=bpy.app.binary_path, cwd=cwd or os.getcwd())
        except BaseException as error:  # the runner itself failed (pytest missing...): say so, once
            emit({"event": "failed", "message": "".join(traceback.format_exception_only(type(error), error)).strip(),
                  "traceback": traceback.format_exc()})
        return None

    def render(self, spec, output, transport):
        """A snapshot render on the main thread (render.py); an engine that cannot run here is refused in words."""
        from blender_bg.rendering import render  # loaded by the first render: most runs render nothing

        try:
            self.reply(transport, {"ok": True, "value": render.render_snapshot(spec, output, self.namespace)})
        except render.RenderRefused as refused:
            self.reply(transport, {"ok": False, "error": str(refused), "refused": True})
        except BaseException as error:  # the scene, the setup code: the step's, not the driver's
            lines = traceback.format_exception_only(type(error), error)
            self.reply(transport, {"ok": False, "error": lines[-1].strip(), "traceback": traceback.format_exc()})
        return None

    def reload(self, transport):
        """One reload-check cycle, on the main thread; the reply says what it left and whether it
        enabled again, with Blender's memory after it."""
        try:
            value = self._addon.reload()
            value["usage"] = memory.usage()
            self.reply(transport, {"ok": True, "value": value})
        except BaseException as error:  # the driver's own bug: said, never a silent hang
            self.reply(transport, {"ok": False, "error": "".join(traceback.format_exception_only(type(error), error)).strip(),
                                   "traceback": traceback.format_exc()})
        return None

    @staticmethod
    def reply(transport, body):
        transport.write(json.dumps(body).encode("utf-8") + b"\n")

    def close(self):
        if self._server is not None:
            self._server.close()


class refuse_own_port:
    """While tests run: a connection from Blender's main thread to the add-on's own port would
    wait forever (the server answers on this very thread), so it is refused at once, saying why."""

    def __init__(self, port):
        self._port = port
        self._original = None

    def __enter__(self):
        import socket

        if not self._port:
            return self
        port, original = self._port, socket.socket.connect
        self._original = original

        def connect(sock, address):
            on_main = threading.current_thread() is threading.main_thread()
            if on_main and isinstance(address, tuple) and len(address) >= 2 and address[1] == port:
                raise ConnectionRefusedError(
                    "a test on Blender's main thread cannot connect to the add-on's own port %d: the server "
                    "answers on this same thread, so it would wait forever. Test the server from outside "
                    "with probes." % port)
            return original(sock, address)

        socket.socket.connect = connect
        return self

    def __exit__(self, *exc):
        import socket

        if self._original is not None:
            socket.socket.connect = self._original
        return False


def to_json(value, depth=0):
    """Blender values as JSON: vectors and collections become lists, the rest their repr."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if depth > 32:
        return repr(value)
    if isinstance(value, dict):
        return {str(k): to_json(v, depth + 1) for k, v in value.items()}
    if hasattr(value, "keys") and hasattr(value, "__getitem__") and not hasattr(value, "bl_rna"):
        try:
            return {str(k): to_json(value[k], depth + 1) for k in value.keys()}
        except Exception:
            pass
    if not hasattr(value, "bl_rna") or hasattr(value, "__len__"):
        try:  # lists, tuples, mathutils.Vector/Color (sequences without __iter__), collections
            return [to_json(item, depth + 1) for item in iter(value)]
        except TypeError:
            pass
    if hasattr(value, "__float__"):
        return float(value)
    return repr(value)


