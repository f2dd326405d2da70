"""Exceptions the add-on's code raises where no test or probe sees them.

In `blender -b` an exception in a timer, a handler, a thread or an asyncio task is printed (or
not) and Blender goes on: nothing reaches the exit code. Here each one is recorded against the
innermost frame in the add-on's own files (where its code raised, or called what raised):

- bpy.app.timers functions and the pump (the driver runs them and tells us);
- what Blender calls and prints with PyErr_Print: bpy.app.handlers callbacks, property update
  callbacks (both through sys.excepthook: measured on 3.4; other callbacks Blender prints the
  same way are caught too);
- threads (threading.excepthook), asyncio (every loop's default exception handler: a task whose
  exception was never retrieved, a failing callback), sys.unraisablehook;
- register() and unregister() (addon_utils' handle_error).

An exception with no frame in the add-on's files is not the add-on's (the tests' own code, a
probe's, Blender's): it is left to whoever reports it now. Each hook passes the exception on to
the one it replaced, so the log shows it as before. Records: records.py's JSON lines.
"""

import asyncio
import os
import re
import sys
import threading
import traceback

from blender_bg.paths import Roots, function_code, function_name
from blender_bg.records import CountedRecords


class AddonErrors:
    def __init__(self, path, addon_roots):
        self.roots = Roots(addon_roots)
        self._records = CountedRecords(path)
        self._saved = None

    # --- recording ------------------------------------------------------------------
    def record(self, kind, where, error, fallback=None):
        """Records `error` if the add-on's code raised it; returns whether it did. `fallback`:
        a function whose definition is the place when no traceback frame is the add-on's."""
        place = self.roots.innermost(getattr(error, "__traceback__", None))
        if place is None and isinstance(error, SyntaxError) and self.roots.owns(error.filename):
            place = (os.path.realpath(error.filename), error.lineno or 1, "<module>")  # no frame of its own
        if place is None and fallback is not None:
            place = self.roots.code_place(fallback)
        if place is None:
            return False
        file, line, function = place
        message = "".join(traceback.format_exception_only(type(error), error)).strip().splitlines()[-1]
        trace = "".join(traceback.format_exception(type(error), error, error.__traceback__))
        self._records.record(
            (kind, where, type(error).__name__, file, line),
            {"kind": kind, "where": where, "message": message, "file": file, "line": line, "function": function, "traceback": trace},
        )
        return True

    def timer_failed(self, function, error):
        self.record("timer", "bpy.app.timers function %s" % function_name(function), error, fallback=function)

    def pump_failed(self, spec, function, error):
        self.record("pump", "pump %s" % spec, error, fallback=function)

    def register_failed(self, error):
        self.record("register", "register()", error)

    def unregister_failed(self, error):
        self.record("unregister", "unregister()", error)

    def entries(self):
        return self._records.entries()

    def flush(self):
        self._records.flush()

    # --- the hooks --------------------------------------------------------------------
    def install(self):
        base = asyncio.BaseEventLoop
        self._saved = {
            "excepthook": sys.excepthook,
            "threading": threading.excepthook,
            "unraisable": sys.unraisablehook,
            "asyncio": base.default_exception_handler,
        }
        saved = self._saved
        errors = self

        def excepthook(exc_type, value, tb):
            if value is not None:
                if value.__traceback__ is None:
                    value = value.with_traceback(tb)
                errors.record("callback", describe_callback(tb), value)
            return saved["excepthook"](exc_type, value, tb)

        def thread_excepthook(args):
            if args.exc_value is not None and not issubclass(args.exc_type, SystemExit):
                name = args.thread.name if args.thread is not None else "?"
                errors.record("thread", "thread %r" % name, args.exc_value)
            return saved["threading"](args)

        def unraisablehook(unraisable):
            if unraisable.exc_value is not None:
                where = describe_unraisable(unraisable)
                errors.record("unraisable", where, unraisable.exc_value, fallback=unraisable.object if function_code(unraisable.object) else None)
            return saved["unraisable"](unraisable)

        def default_exception_handler(loop, context):
            error = context.get("exception")
            if isinstance(error, BaseException):
                errors.record("asyncio", describe_asyncio(context), error)
            return saved["asyncio"](loop, context)

        sys.excepthook = excepthook
        threading.excepthook = thread_excepthook
        sys.unraisablehook = unraisablehook
        base.default_exception_handler = default_exception_handler

    def uninstall(self):
        if self._saved is None:
            return
        sys.excepthook = self._saved["excepthook"]
        threading.excepthook = self._saved["threading"]
        sys.unraisablehook = self._saved["unraisable"]
        asyncio.BaseEventLoop.default_exception_handler = self._saved["asyncio"]
        self._saved = None


def describe_callback(tb):
    """What Blender called: the traceback's outermost frame. A bpy.app.handlers entry is named by
    its list ("load_post handler on_load"); anything else (a property's update function, any
    other callback Blender called) by its name."""
    if tb is None:
        return "a callback"
    code = tb.tb_frame.f_code
    try:
        import bpy

        for name in dir(bpy.app.handlers):
            functions = getattr(bpy.app.handlers, name)
            if name.startswith("_") or not isinstance(functions, list):
                continue
            if any(function_code(function) is code for function in functions):
                return "%s handler %s" % (name, code.co_name)
    except ImportError:  # plain Python (the unit tests)
        pass
    return "%s, called by Blender" % code.co_name


def describe_unraisable(unraisable):
    """ "Exception ignored in Leaky.__del__": by the object Python names, which Python 3.14 gives
    only inside err_msg, with its address ("while calling deallocator <function X.__del__ at 0x…>")."""
    if unraisable.object is not None:
        return "Exception ignored in %s" % function_name(unraisable.object)
    said = re.search(r"<(?:function|bound method|method) ([\w.<>]+)(?: of .*?)? at 0x[0-9a-fA-F]+>", unraisable.err_msg or "")
    return "Exception ignored in %s" % said.group(1) if said else (unraisable.err_msg or "Exception ignored")


def describe_asyncio(context):
    task = context.get("task") or context.get("future")
    coro = getattr(task, "get_coro", lambda: None)() if task is not None else None
    if coro is not None:
        return "asyncio task %s" % getattr(coro, "__qualname__", repr(coro))
    handle = context.get("handle")
    if handle is not None:
        callback = getattr(handle, "_callback", None)
        return "asyncio callback %s" % (function_name(callback) if callback is not None else repr(handle))
    return "asyncio: %s" % context.get("message", "an exception")
