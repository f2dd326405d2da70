"""What the add-on added to Blender, and whether its unregister() took it all away again.

A snapshot is taken before the add-on is enabled; after it is disabled (at teardown, and in
every reload cycle) Blender is compared with it while it is still alive, so every leftover can be
named with the add-on's line that made it:

    handler      a bpy.app.handlers entry whose function is the add-on's
    timer        a bpy.app.timers function of the add-on's still registered
    class        a class of the add-on's still registered (operator, panel, property group...)
    property     a property still on one of Blender's types (Scene.my_prop)
    draw         a draw function still appended to a menu, panel or header
    keymap       an add-on keymap item still in Blender's add-on key configuration
    thread       a thread the add-on started (or running its code) still alive
    port         a port the add-on listened on that cannot be bound again
    socket       a socket the add-on made still open
    task         an asyncio task of the add-on's still pending on the main loop
    process      a child process still running

Threads, ports, sockets, tasks and processes get a short grace to end (a server thread polling
accept() with a timeout ends within it). What the tests made (their files are `test_roots`) is
theirs, not the add-on's. What Blender cannot list (msgbus subscriptions) is not checked.
"""

import asyncio
import os
import re
import socket
import sys
import threading
import time

from blender_bg.health.origins import Origins, format_address, holding_thread, still_bound
from blender_bg.paths import Roots, find_in_files, function_name
from blender_bg.driver.processes import command_line, descendants
from blender_bg.health.registries import class_label, class_place, draw_functions, handler_lists, keymap_items, registered_by_python, rna_base_name, struct_classes

LINGERING = ("thread", "port", "socket", "task", "process")


class BlenderState:
    def __init__(self, addon_roots, timers=None, loop=None, addon_port=None, addon_host="127.0.0.1"):
        self.roots = Roots(addon_roots)
        self.test_roots = Roots()
        self.origins = Origins(self.roots, self.test_roots)
        self._addon_roots = [root for root in addon_roots if root]
        self._timers = timers
        self._loop = loop
        self._port = addon_port
        self._host = addon_host
        self.before = None
        # what the check costs, in ms: the snapshot once, the last comparison (the bench reads them)
        self.timings = {"snapshotMs": None, "compareMs": None}

    def add_test_roots(self, roots):
        self.test_roots.add(roots)

    # --- before --------------------------------------------------------------------------
    def snapshot(self):
        """Before the add-on is enabled: what Blender already has."""
        self.origins.install()
        started = time.perf_counter()
        import bpy

        self.before = dict(self.runtime_now(), **self.blender_now(bpy))
        self.timings["snapshotMs"] = round((time.perf_counter() - started) * 1000, 2)

    def blender_now(self, bpy):
        """What Blender's registries hold now."""
        classes = struct_classes(bpy)
        return {
            "handlers": {name: list(functions) for name, functions in handler_lists(bpy)},
            "timers": list(self._timers.functions()) if self._timers is not None else [],
            "classes": {cls for cls in classes if registered_by_python(cls)},
            "properties": {cls: frozenset(cls.__dict__["bl_rna"].properties.keys()) for cls in classes if "bl_rna" in cls.__dict__},
            "draw": {cls: list(funcs) for cls, funcs in draw_functions(classes)},
            "keymaps": keymap_items(bpy),
            "addons": set(bpy.context.preferences.addons.keys()),
        }

    def runtime_now(self):
        """What Python and the process hold now: threads, the main loop's tasks, child processes,
        and whether the port input is free (checked after unregister() only if it was free
        before the add-on: a stranger holding it is not the add-on's leftover)."""
        return {
            "threads": set(threading.enumerate()),
            "tasks": set(asyncio.all_tasks(self._loop)) if self._loop is not None and not self._loop.is_closed() else set(),
            "processes": {(p["pid"], p["start"]) for p in descendants(os.getpid())},
            "port_free": bool(self._port) and not still_bound(self._family(), (self._host, self._port)),
        }

    # --- after ---------------------------------------------------------------------------
    def leftovers(self, grace=1.0):
        """After the add-on was disabled: what it left, as records. Threads, ports, sockets,
        tasks and processes are given up to `grace` seconds to end."""
        if self.before is None:
            return []
        deadline = time.monotonic() + grace
        while True:
            started = time.perf_counter()
            found = self.compare()
            self.timings["compareMs"] = round((time.perf_counter() - started) * 1000, 2)
            if not any(item["kind"] in LINGERING for item in found) or time.monotonic() >= deadline:
                return found
            self._wait(0.02)

    def _wait(self, seconds):
        """Let the main loop run a moment (a cancelled task finishes there), else just sleep."""
        loop = self._loop
        if loop is not None and not loop.is_closed() and not loop.is_running():
            loop.run_until_complete(asyncio.sleep(seconds))
        else:
            time.sleep(seconds)

    def compare(self):
        import bpy

        return self.compare_blender(bpy) + self.compare_runtime()

    def compare_blender(self, bpy):
        """What the add-on left in Blender's registries."""
        classes = struct_classes(bpy)
        others = self._others_enabled_since(bpy)
        return (self._handlers(bpy) + self._timers_left() + self._classes(classes) + self._properties(classes, others)
                + self._draw_functions(classes) + self._keymap_items(bpy, classes, others))

    def _others_enabled_since(self, bpy):
        """Add-ons enabled since the snapshot (the one under test is disabled by now): a factory
        reset in a test re-enables bundled ones, and what they add is theirs."""
        since = set(bpy.context.preferences.addons.keys()) - self.before.get("addons", set())
        # a disable without default_set leaves the add-on under test in the preferences' list
        return sorted(name for name in since if not self.roots.owns(getattr(sys.modules.get(name), "__file__", None)))

    def _unknown_owner(self, what, others):
        """The detail of a leftover whose owner cannot be told: said, not put on the add-on's line."""
        since = (" %s %s enabled since the add-on was" % (", ".join(others[:3]) + (" and %d more" % (len(others) - 3) if len(others) > 3 else ""),
                                                          "was" if len(others) == 1 else "were")) if others else ""
        return "(whose it is cannot be told: nothing in the add-on's files %s;%s; not counted)" % (what, since or " it may be Blender's or the tests'")

    def compare_runtime(self):
        """What the add-on left running: threads, ports, sockets, tasks, processes."""
        return self._threads() + self._ports_and_sockets() + self._tasks() + self._processes()

    def _handlers(self, bpy):
        found = []
        for name, functions in handler_lists(bpy):
            known = self.before["handlers"].get(name, [])
            for function in functions:
                place = self.roots.code_place(function)
                if place and not any(function is old for old in known):
                    found.append(item("handler", "%s handler %s" % (name, function_name(function)), place))
        return found

    def _timers_left(self):
        if self._timers is None:
            return []
        known = self.before["timers"]
        found = []
        for function in self._timers.functions():
            place = self.roots.code_place(function)
            if place and not any(function is old for old in known):
                found.append(item("timer", "bpy.app.timers function %s" % function_name(function), place))
        return found

    def _classes(self, classes):
        found = []
        for cls in classes:
            if cls in self.before["classes"] or not registered_by_python(cls):
                continue
            place = class_place(cls, self.roots)
            if place:
                found.append(item("class", "%s %s" % (rna_base_name(cls), class_label(cls)), place))
        return found

    def _properties(self, classes, others):
        known = self.before["properties"]
        added = []
        for cls in classes:
            rna = cls.__dict__.get("bl_rna")
            if rna is None or registered_by_python(cls):
                continue  # a class of the add-on's own is reported as a class
            before = known.get(cls)
            # A type Blender made a Python class for only after the snapshot is not compared: an
            # operator's own properties are runtime ones too (PREFERENCES_OT_addon_enable.module,
            # made when a test first calls it). The add-on's properties go on types that exist
            # at startup (Scene, Object, WindowManager...).
            if before is None or len(rna.properties) == len(before):
                continue  # the cheap check: almost every type is unchanged
            for prop in rna.properties:
                if prop.identifier not in before:
                    added.append((cls.__name__, prop.identifier))
        found = []
        for type_name, prop in added:
            pattern = re.compile(r"\b%s\s*\.\s*%s\s*=|setattr\(\s*[\w.]*\b%s\s*,\s*['\"]%s['\"]" % ((re.escape(type_name), re.escape(prop)) * 2))
            place = find_in_files(self._addon_roots, pattern)
            if place is None and self.test_roots.paths and find_in_files(self.test_roots.paths, pattern):
                continue  # the tests' own property
            if place is None and others:  # made by an add-on enabled since, most likely: said, not counted
                found.append(item("property", "%s.%s" % (type_name, prop), None, detail=self._unknown_owner("assigns it", others), owner="unknown"))
                continue
            found.append(item("property", "%s.%s" % (type_name, prop), place))
        return found

    def _draw_functions(self, classes):
        found = []
        known = self.before["draw"]
        for cls, funcs in draw_functions(classes):
            old = known.get(cls, [])
            for function in funcs:
                place = self.roots.code_place(function)
                if place and not any(function is f for f in old):
                    found.append(item("draw", "draw function %s in %s" % (function_name(function), cls.__name__), place))
        return found

    def _keymap_items(self, bpy, classes, others):
        """Keymap items added since the snapshot that are the add-on's. Whose an item is: the add-on's
        when its files name the operator; another module's when the operator is a Python class
        outside the add-on (a bundled add-on a factory reset enabled again) or the tests name it;
        otherwise the add-on's first keymap_items.new() when nothing else ran that could add one,
        else said as not told."""
        now = keymap_items(bpy)
        found = []
        for key, count in (now - self.before["keymaps"]).items():
            keymap, idname, event, value = key[:4]
            name = "keymap item %s (%s %s) in %r" % (idname, event, value, keymap)
            named = self._operator_pattern(idname)
            place = find_in_files(self._addon_roots, re.compile(r"keymap_items\.new\(.*%s" % named)) or find_in_files(self._addon_roots, re.compile(named))
            if place is not None:
                found.append(item("keymap", name, place, count=count))
                continue
            if self._operator_elsewhere(idname, classes) or (self.test_roots.paths and find_in_files(self.test_roots.paths, re.compile(named))):
                continue  # another module's operator, or the tests' own item
            adds = find_in_files(self._addon_roots, re.compile(r"keymap_items\.new\("))
            if adds is None:
                continue  # the add-on adds no keymap item at all
            if others or self.test_roots.paths:
                found.append(item("keymap", name, None, count=count, detail=self._unknown_owner("names %s" % idname, others), owner="unknown"))
            else:  # only the add-on ran: its item, with an operator named at run time
                found.append(item("keymap", name, adds, count=count))
        return found

    @staticmethod
    def _operator_pattern(idname):
        """The operator written in code: its idname in quotes, or its class name (MY_OT_name)."""
        module, _, name = idname.partition(".")
        return r"(['\"]%s['\"]|\b%s_OT_%s\b)" % (re.escape(idname), re.escape(module.upper()), re.escape(name))

    def _operator_elsewhere(self, idname, classes):
        """Whether a Python operator registered now with that idname lives outside the add-on."""
        for cls in classes:
            if getattr(cls, "bl_idname", None) == idname and registered_by_python(cls) and rna_base_name(cls) == "Operator":
                return class_place(cls, self.roots) is None
        return False

    def _threads(self):
        found = []
        frames = sys._current_frames()
        for thread in threading.enumerate():
            if thread in self.before["threads"] or not thread.is_alive():
                continue
            owner = self.origins.threads.get(thread)
            if owner is not None and owner[0] == "tests":
                continue
            frame = frames.get(thread.ident)
            where = self.roots.innermost_in_stack(frame) if frame is not None else None
            place = where or (owner[1] if owner else None)
            if place is None:
                continue
            found.append(item("thread", "thread %r%s" % (thread.name, " (daemon)" if thread.daemon else ""), place, detail="still running"))
        return found

    def _ports_and_sockets(self):
        found = []
        reported = set()
        for ref, family, address, place in self.origins.listening:
            key = (family, address[:2])
            if key in reported or not still_bound(family, address):
                continue
            reported.add(key)
            sock = ref()
            record = item("port", "port %s:%d" % (address[0], address[1]), place, detail="still listening")
            holder = holding_thread(sock, self.roots) if sock is not None else None
            if holder is not None:
                record["holder"] = item("thread", "thread %r" % holder[0].name, holder[1])
            found.append(record)
        if self.before["port_free"] and not any(key[1][1] == self._port for key in reported):
            if still_bound(self._family(), (self._host, self._port)):
                found.append(item("port", "port %s:%d" % (self._host, self._port), None, detail="still listening (the port input)"))
        for sock, place in list(self.origins.sockets.items()):
            if sock.fileno() == -1:
                continue
            try:
                local = sock.getsockname()
                if isinstance(local, tuple) and (sock.family, local[:2]) in reported:
                    continue
                if sock.type == socket.SOCK_STREAM and sock.getsockopt(socket.SOL_SOCKET, getattr(socket, "SO_ACCEPTCONN", 30)):
                    detail = "still open and listening"
                else:
                    detail = "still open"
            except OSError:
                local, detail = "?", "still open"
            found.append(item("socket", "socket %s" % (format_address(local),), place, detail=detail))
        return found

    def _family(self):
        return socket.AF_INET6 if ":" in self._host else socket.AF_INET

    def _tasks(self):
        loop = self._loop
        if loop is None or loop.is_closed():
            return []
        found = []
        for task in asyncio.all_tasks(loop):
            if task.done() or task in self.before["tasks"]:
                continue
            coro = task.get_coro()
            frame = getattr(coro, "cr_frame", None)
            place = self.roots.innermost_in_stack(frame) if frame is not None else self.roots.code_place(coro)
            if place is None and getattr(coro, "cr_code", None) is not None and self.roots.owns(coro.cr_code.co_filename):
                place = (os.path.realpath(coro.cr_code.co_filename), coro.cr_code.co_firstlineno, coro.cr_code.co_name)
            if place is not None:
                found.append(item("task", "asyncio task %s" % getattr(coro, "__qualname__", repr(coro)), place, detail="still pending"))
        return found

    def _processes(self):
        found = []
        for process in descendants(os.getpid()):
            if (process["pid"], process["start"]) in self.before["processes"]:
                continue
            owner = self.origins.processes.get(process["pid"])
            if owner is not None and owner[0] == "tests":
                continue
            found.append(item("process", "process %d (%s)" % (process["pid"], command_line(process["pid"])), owner[1] if owner else None, detail="still running"))
        return found


def item(kind, name, place, detail=None, count=1, owner=None):
    record = {"kind": kind, "name": name, "file": None, "line": None, "function": None}
    if owner is not None:
        record["owner"] = owner  # "unknown": said, not counted as the add-on's
    if place is not None:
        record["file"], record["line"], record["function"] = place
    if detail:
        record["detail"] = detail
    if count != 1:
        record["count"] = count
    return record
