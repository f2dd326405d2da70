"""Keep-alive driver: runs inside headless Blender and keeps it serving an addon.

Run as:
    blender --background --factory-startup --python blender_bg_driver.py -- <config.json>

Headless Blender exits after its last command-line argument and never runs
bpy.app.timers. This script (stdlib only, Python 3.9+ for Blender 2.93 and later):

1. takes over bpy.app.timers before the addon loads, so addons that hand work to the
   main thread with bpy.app.timers.register(fn, first_interval=0) keep working;
2. enables the addon, then runs the optional startup snippet;
3. opens the control channel (loopback TCP, a random token from the config) on which
   `blender` probe steps send Python to run on the main thread, then writes the ready file;
4. serves: runs the main thread's asyncio loop until the next due timer or pump tick,
   runs what is due while the loop is stopped, and repeats. The loop blocks in select()
   in between, so an idle Blender costs nothing and a request is answered at once;
5. on SIGTERM / SIGINT: disables the addon (its unregister() runs), closes the loop and
   returns, so Blender exits 0 through its normal exit path.

The stop record (a JSON file the config names) is how the TypeScript side tells a graceful
stop from an addon that ended Blender itself: "stopping" is written when the stop request
arrives, "clean" once the addon is disabled, with the processes Blender still has below it
(on Linux Blender is made a child subreaper, so orphaned grandchildren stay below it).

Exit codes other than 0 name what went wrong; keep them in step with
src/session/driver-protocol.ts.
"""

import asyncio
import ctypes
import heapq
import itertools
import json
import os
import signal
import sys
import threading
import time
import traceback

EXIT_CONFIG_INVALID = 70
EXIT_ADDON_ENABLE_FAILED = 71
EXIT_STARTUP_FAILED = 72
EXIT_PUMP_INVALID = 73
EXIT_ADDON_NOT_STAGED = 75
EXIT_COVERAGE_MISSING = 76

LOG_PREFIX = "[blender-bg]"

# A control-channel client proves itself on its first line; until then a line may be no
# longer than this, so a stranger cannot make Blender buffer without limit.
MAX_UNAUTHENTICATED_LINE = 4096


def log(message):
    print(LOG_PREFIX, message, file=sys.stderr, flush=True)


def fail(code, message):
    """Report a fatal problem and leave at once.

    os._exit, not sys.exit: a half-registered addon may have started non-daemon threads,
    and interpreter shutdown would wait for them forever.
    """
    log(message)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


class TimerQueue:
    """The bpy.app.timers API, run by the driver instead of Blender's window manager.

    register() may be called from any thread; timers always run on the main thread.
    """

    def __init__(self, floor, wake):
        # floor: shortest repeat interval, in seconds. Addons that kick their own loop
        # return 0 ("again at once"); GUI Blender idles a few ms between event-loop
        # passes, so such a timer is raised to the floor instead of spinning a core.
        self._floor = floor
        self._wake = wake
        self._lock = threading.Lock()
        self._heap = []
        self._entries = {}
        self._order = itertools.count()

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
            except Exception:
                log("a bpy.app.timers function raised; it is unregistered, as Blender does:")
                traceback.print_exc()
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


class Pump:
    """Calls an addon's own `module:function` on the main thread every interval."""

    def __init__(self, function, interval, name):
        self._function = function
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
        except Exception:
            self._failures += 1
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

    A pump addon's server thread queues work for step() and then waits on it
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


class ControlChannel:
    """Loopback, newline-delimited JSON: {"token", "op": "eval"|"exec"|"shutdown", "code"}.

    Code runs on the main thread between passes of the loop (scheduled like a timer), in
    one namespace for the whole run, so an `exec` step can set names a later step reads.
    """

    def __init__(self, loop, timers, stopper, token, addon_port=None, guard=None, deprecations=None):
        self._addon_port = addon_port
        self._guard = guard
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
            self._timers.register(lambda: self.run(op, request.get("code", ""), transport), first_interval=0)
        elif op == "tests":
            files, runner = request.get("files", []), request.get("runner", "auto")
            self._timers.register(lambda: self.run_tests(files, runner, transport), first_interval=0)
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

    def run_tests(self, files, runner, transport):
        """The addon's own tests, on the main thread; each event is sent as it happens."""
        import blender_bg_tests

        if self._deprecations is not None:  # the tests' folders are the add-on's own lines too
            self._deprecations.add_roots(sorted({os.path.dirname(os.path.abspath(f)) for f in files}))

        def emit(event):
            self.reply(transport, event)

        try:
            with refuse_own_port(self._addon_port):
                blender_bg_tests.run(files, runner, emit, self._guard.restore if self._guard else None, self._deprecations)
        except BaseException as error:  # the runner itself failed (pytest missing...): say so, once
            emit({"event": "failed", "message": "".join(traceback.format_exception_only(type(error), error)).strip(),
                  "traceback": traceback.format_exc()})
        return None

    @staticmethod
    def reply(transport, body):
        transport.write(json.dumps(body).encode("utf-8") + b"\n")

    def close(self):
        if self._server is not None:
            self._server.close()


class refuse_own_port:
    """While tests run: a connection from Blender's main thread to the addon's own port would
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
                    "a test on Blender's main thread cannot connect to the addon's own port %d: the server "
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


def load_config(argv):
    args = argv[argv.index("--") + 1:] if "--" in argv else []
    if len(args) != 1:
        fail(EXIT_CONFIG_INVALID, "usage: blender -b --python blender_bg_driver.py -- <config.json>")
    try:
        with open(args[0], encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError) as error:
        fail(EXIT_CONFIG_INVALID, "cannot read the driver config %s: %s" % (args[0], error))


def install_timers(bpy, timers):
    bpy.app.timers.register = timers.register
    bpy.app.timers.unregister = timers.unregister
    bpy.app.timers.is_registered = timers.is_registered


class AddonProblem(Exception):
    """The addon did not enable, or not from the copy under test; `code` is the driver's exit."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def enable_addon(module, staged_path, legacy):
    """Enables the copy under test and returns the file it loaded from; raises AddonProblem
    unless it enabled from that copy."""
    import addon_utils

    make_room_for(module, staged_path, legacy)
    errors = []
    enabled = addon_utils.enable(module, default_set=True, persistent=True, handle_error=errors.append)
    if enabled is None or errors:
        if errors:
            error = errors[0]
            traceback.print_exception(type(error), error, error.__traceback__)
        raise AddonProblem(EXIT_ADDON_ENABLE_FAILED, "enabling the addon %r failed (traceback above)" % module)
    loaded_from = module_file(module)
    if staged_path and not inside(loaded_from, staged_path):
        raise AddonProblem(EXIT_ADDON_NOT_STAGED, "the addon %r was loaded from %s, not from the copy under test in %s"
                           % (module, loaded_from or "nowhere (it has no __file__)", staged_path))
    log("addon %r enabled, loaded from %s" % (module, loaded_from))
    return loaded_from


def make_room_for(module, staged_path, legacy):
    """The staged copy must win over an add-on Blender bundles under the same name.

    Blender appends its own add-on folders to sys.path before the user's, so a bundled
    node_wrangler or io_scene_gltf2 shadows a fork of it; one that Blender's defaults
    enable (io_scene_gltf2) is imported before this script even runs. So: a bundled add-on
    of that name is disabled, dropped from sys.modules, and the staged folder goes first.
    """
    if not staged_path:
        return
    name = module if legacy else module.rsplit(".", 1)[-1]
    loaded = sys.modules.get(name)
    if loaded is not None and not inside(getattr(loaded, "__file__", None), staged_path):
        import addon_utils
        import bpy

        bundled_enabled = name in bpy.context.preferences.addons
        if bundled_enabled:
            log("Blender's own add-on %r (%s) was enabled by its defaults: disabled, so the copy under test runs"
                % (name, getattr(loaded, "__file__", "?")))
            addon_utils.disable(name, default_set=True)
        # An extension's id may name any module (bl_ext.<repo>.<id> cannot clash): only a
        # bundled add-on of that name is dropped. A legacy add-on's name must be ours.
        if legacy or bundled_enabled:
            for key in [key for key in sys.modules if key == name or key.startswith(name + ".")]:
                del sys.modules[key]
    if legacy:
        folder = os.path.dirname(staged_path)
        while folder in sys.path:
            sys.path.remove(folder)
        sys.path.insert(0, folder)


def start_coverage(settings, root, timers, module):
    """coverage.py over the add-on's staged copy, from before it is imported (the coverage input)."""
    if not settings:
        return None
    if not module.importable():
        fail(EXIT_COVERAGE_MISSING, "coverage.py is not importable in this Blender's Python %d.%d: add it with the "
             "python-packages input (python-packages: coverage), or on Debian and Ubuntu apt-get install python3-coverage"
             % sys.version_info[:2])
    coverage = module.SessionCoverage(settings["data_file"], settings["json_file"], root)
    coverage.start()
    if timers is not None:  # a session that crashes or is killed still has what ran until the last save
        timers.register(lambda: coverage.save() or module.SAVE_EVERY, first_interval=module.SAVE_EVERY)
    return coverage


def ensure_extension_repository(repository):
    """A repository of the user's own name (extension-repository), made in the session's
    preferences as Blender's "Add Local Repository" makes one; the built-in ones exist."""
    if not repository:
        return
    import bpy

    repos = bpy.context.preferences.extensions.repos
    if not any(repo.module == repository["module"] for repo in repos):
        repos.new(name=repository["module"], module=repository["module"], custom_directory=repository["directory"], source="USER")


def module_file(module):
    loaded = sys.modules.get(module)
    return os.path.realpath(loaded.__file__) if loaded is not None and getattr(loaded, "__file__", None) else None


def inside(path, root):
    """Whether `path` is `root` or below it (a single-file add-on is its own root)."""
    if not path:
        return False
    path, root = os.path.realpath(path), os.path.realpath(root)
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def add_python_paths(paths):
    """The python-packages folders, first on sys.path (their .pth files too), before the addon loads."""
    import site

    for path in reversed(paths or []):
        before = list(sys.path)
        site.addsitedir(path)
        added = [entry for entry in sys.path if entry not in before]
        for entry in added:
            sys.path.remove(entry)
        sys.path[0:0] = added
        log("python-packages: %s is on sys.path" % path)


class SessionGuard:
    """Puts the session back as the tests found it, between test files.

    In a suite's own CI every file gets a fresh Blender with the add-on enabled; here files
    share one. A test that calls read_factory_settings() (which disables every add-on the
    factory preferences do not list) must not leave the next file, or the probes, without
    the add-on.
    """

    def __init__(self, module, staged_path, legacy, timers, repository):
        self._repository = repository
        self._module = module
        self._staged_path = staged_path
        self._legacy = legacy
        self._timers = timers

    def restore(self, after):
        import bpy

        if self._timers is not None and bpy.app.timers.register != self._timers.register:
            install_timers(bpy, self._timers)
        loaded = sys.modules.get(self._module)
        if self._module not in bpy.context.preferences.addons or not getattr(loaded, "__addon_enabled__", False):
            log("the addon %r was disabled during %s: enabled again, as a fresh Blender would have it" % (self._module, after))
            try:
                ensure_extension_repository(self._repository)  # read_factory_settings() drops it
                enable_addon(self._module, self._staged_path, self._legacy)
            except AddonProblem as problem:  # the tests after this one will say what it breaks
                log(str(problem))


def run_startup(code):
    import bpy

    try:
        exec(compile(code, "<startup>", "exec"), {"__name__": "__startup__", "bpy": bpy})
    except BaseException:  # SystemExit too: the snippet must not end the run quietly
        traceback.print_exc()
        fail(EXIT_STARTUP_FAILED, "the startup snippet raised (traceback above)")


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


def write_ready_file(path, config, control_port, addon_file):
    import bpy

    info = {
        "pid": os.getpid(),
        "controlPort": control_port,
        "blenderVersion": bpy.app.version_string,
        "pythonVersion": "%d.%d.%d" % sys.version_info[:3],
        "addonModule": config["addon_module"],
        "addonFile": addon_file,
    }
    partial = path + ".partial"
    with open(partial, "w", encoding="utf-8") as handle:
        json.dump(info, handle)
    os.replace(partial, path)  # atomic: the TypeScript side never reads half a file


class Waker:
    """Wakes the serve loop when a timer is registered, without disturbing anyone else.

    A plain loop.stop() queued while the loop is not in the driver's serve pass (during
    addon enable, or inside an addon's own run_until_complete / kick) would stop *that*
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


class StopRecord:
    """The stop record file: rewritten whole (atomically) as the stop goes on."""

    def __init__(self, path):
        self._path = path
        self._fields = {}

    def write(self, **fields):
        self._fields.update(fields)
        if not self._path:
            return
        partial = self._path + ".partial"
        try:
            with open(partial, "w", encoding="utf-8") as handle:
                json.dump(self._fields, handle)
            os.replace(partial, self._path)
        except OSError as error:  # the run goes on; the TypeScript side reads "no record"
            log("cannot write the stop record %s: %s" % (self._path, error))


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


PR_SET_CHILD_SUBREAPER = 36


def become_subreaper():
    """Linux: orphans of Blender's children (a double fork, setsid -f) reparent to Blender
    instead of init, so the stop record can list them while Blender still lives."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def descendants(pid):
    """Every live process below `pid`, from /proc (Linux): [{"pid", "start"}].

    "start" is the process's start time in clock ticks, so a reused pid is told apart.
    """
    children = {}
    try:
        names = os.listdir("/proc")
    except OSError:
        return []
    for name in names:
        if not name.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % name, "rb") as handle:
                stat = handle.read().decode("utf-8", "replace")
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        if len(fields) < 20 or fields[0] == "Z":
            continue
        children.setdefault(int(fields[1]), []).append({"pid": int(name), "start": int(fields[19])})
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child["pid"])
    return found


def shut_down(loop, module, pump, deprecations, coverage):
    import addon_utils

    if coverage is not None:  # what ran until now is kept, should unregister() hang and be killed
        coverage.save()
    log("disabling the addon %r" % module)
    addon_utils.disable(module, default_set=False)
    if coverage is not None:  # unregister()'s lines counted
        coverage.finish()
    deprecations.uninstall()  # unregister()'s warnings counted; now the final counts
    deprecations.flush()
    if pump is not None:
        pump.report()
    pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
    for task in pending:
        task.cancel()
    if pending:
        loop.run_until_complete(asyncio.wait(pending, timeout=1.0))
    loop.run_until_complete(loop.shutdown_asyncgens())
    loop.close()
    log("stopped cleanly")


def main():
    # Importing the addon's tests (and this package's own runner) must leave the user's
    # checkout as it was: no __pycache__ folders. Blender ignores PYTHONDONTWRITEBYTECODE.
    sys.dont_write_bytecode = True
    # Blender's stdout is a pipe here: without line buffering the log arrives in lumps.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(line_buffering=True)

    config = load_config(sys.argv)
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # this package's other modules
    import bpy
    from blender_bg_deprecations import DeprecationLog
    import blender_bg_coverage

    become_subreaper()
    record = StopRecord(config.get("stop_file"))
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)  # addons calling asyncio.get_event_loop() share this loop
    stopper = Stopper(loop, record)
    install_signal_handlers(loop, stopper)

    timers = None
    waker = Waker(loop)
    if bpy.app.background:
        timers = TimerQueue(float(config.get("timer_floor", 0.005)), wake=waker.wake)
        install_timers(bpy, timers)

    module = config["addon_module"]
    coverage = start_coverage(config.get("coverage"), config.get("addon_path"), timers, blender_bg_coverage)
    # From before the addon is imported: import-time and register() warnings count too.
    deprecations = DeprecationLog(config.get("deprecations_file"), [config.get("addon_path")])
    deprecations.install()
    add_python_paths(config.get("python_paths"))
    legacy = config.get("addon_kind") != "extension"
    ensure_extension_repository(config.get("extension_repository"))
    try:
        addon_file = enable_addon(module, config.get("addon_path"), legacy)
    except AddonProblem as problem:
        fail(problem.code, str(problem))
    guard = SessionGuard(module, config.get("addon_path"), legacy, timers, config.get("extension_repository"))
    if config.get("startup"):
        run_startup(config["startup"])
    pump = None
    pump_wake = None
    if config.get("pump"):
        pump = Pump(resolve_pump(config["pump"]), float(config["pump_interval"]), config["pump"])
        if config.get("pump_wake", True):
            pump_wake = PumpWake(loop, pump, waker.wake_from_loop)
            pump_wake.install()

    control = None
    control_port = None
    if timers is not None and config.get("control_token"):
        control = ControlChannel(loop, timers, stopper, config["control_token"], config.get("addon_port"), guard, deprecations)
        control_port = control.open()

    write_ready_file(config["ready_file"], config, control_port, addon_file)
    log("ready: Blender %s, Python %d.%d" % (bpy.app.version_string, sys.version_info[0], sys.version_info[1]))

    if not bpy.app.background:
        return  # with a window, Blender's own event loop keeps it alive and runs timers

    serve(loop, timers, pump, stopper, waker)
    if pump_wake is not None:
        pump_wake.uninstall()  # before unregister(): its threads' waits are no longer ours to watch
    if control is not None:
        control.close()
    shut_down(loop, module, pump, deprecations, coverage)
    record.write(clean=True, descendants=descendants(os.getpid()))
    if coverage is not None and coverage.exits_hard():
        log("leaving without Blender's own exit path, which crashes once coverage.py 6 is imported")
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


if __name__ == "__main__":  # Blender runs --python scripts as __main__; tests import the module
    main()
