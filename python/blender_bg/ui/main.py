"""The UI check's story, in a Blender with a window (python/blender_bg_ui.py is the entry):

1. the window comes up while the session still runs: the splash closed, a first redraw (the
   shaders compiled), OpenGL's renderer said; then it waits for the go file, written once the
   session has stopped, so the add-on's port is free when this Blender enables it;
2. enables the add-on (the staged copy, as the session does), runs ui-setup, stages a
   selected mesh object in Object mode;
3. draws everything the add-on draws (drawing.py), then each reload-check cycle: disabled,
   its modules dropped, enabled and drawn again;
4. leaves at once (os._exit): the session has already checked what unregister() leaves, and a
   service add-on's threads would hold up Blender's own exit.

Everything runs from bpy.app.timers (Blender's event loop runs between steps); an exception
escaping a step would leave the window open, so each is caught, told and ends the pass.
"""

import asyncio
import os
import sys
import time
import traceback

from blender_bg.runners import addon_tests
from blender_bg.runners import in_package
from blender_bg.driver.addon import AddonProblem, AddonUnderTest, add_python_paths, drop_modules
from blender_bg.driver.log import line_buffered_output, log
from blender_bg.paths import Roots
from blender_bg.driver.protocol import load_config
from blender_bg.ui import inventory
from blender_bg.ui import screen
from blender_bg.ui.drawing import DrawPass
from blender_bg.ui.events import EventsFile

POLL_GO = 0.05
EXIT_PROBLEM = 77


class _Unrecorded:
    """register() and unregister() errors are the session's to record; here they only end the pass."""

    def register_failed(self, error):
        pass

    def unregister_failed(self, error):
        pass


def leave(code):
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)


class UiCheck:
    def __init__(self, config, bpy):
        self.config = config
        self.bpy = bpy
        self.events = EventsFile(config["events_file"])
        self.roots = Roots([config.get("addon_path")])
        self.addon = AddonUnderTest(config, None, _Unrecorded(), None)
        self.before = None
        self.started = time.perf_counter()
        self._steps = self._story()

    def tick(self):
        """A bpy.app.timers function: the next step, or the end."""
        try:
            wait = next(self._steps)
            return POLL_GO if wait == "wait" else 0.0
        except StopIteration:
            self.events.write("done", ms=round((time.perf_counter() - self.started) * 1000))
            leave(0)
        except BaseException as error:  # the window would stay open: tell it and leave
            self.events.write("problem", message="the UI check itself failed: %s" % "".join(traceback.format_exception_only(type(error), error)).strip(), traceback=traceback.format_exc())
            traceback.print_exc()
            leave(EXIT_PROBLEM)
        return None

    def _story(self):
        bpy = self.bpy
        win = screen.window(bpy)
        screen.Events(win).escape()  # the splash screen
        screen.steady_viewport(bpy)
        yield
        screen.redraw(bpy, win)  # the first redraw compiles the shaders: before the session ends, not after
        self.events.write("window", blender=bpy.app.version_string, gl=gl_info(), ms=round((time.perf_counter() - self.started) * 1000))
        go = self.config.get("go_file")
        if go:
            self.events.write("waiting")
            while not os.path.exists(go):
                yield "wait"
        add_python_paths(self.config.get("python_paths"))
        # The main thread has the asyncio loop the session's driver gives it: an add-on that calls
        # asyncio.get_event_loop() in register() enables here as there (Python 3.14 makes none itself).
        asyncio.set_event_loop(asyncio.new_event_loop())
        self.before = inventory.snapshot(bpy)
        if not self._enable("enabling the add-on"):
            return
        if not self._setup():
            return
        cycles = int(self.config.get("reload_cycles") or 0)
        for cycle in range(cycles + 1):
            if cycle > 0:
                self.addon.disable()
                drop_modules(self.addon.module)
                if not self._enable("reload %d/%d: enabling the add-on again" % (cycle, cycles)) or not self._setup():
                    return
            targets = inventory.addon_targets(bpy, self.before, self.roots)
            if cycle == 0:
                log("UI check: %d things to draw" % len(targets))
            yield from DrawPass(bpy, self.events, self.roots, targets, cycle, self.config.get("images_dir"), self.config.get("framebuffer")).steps()
        tests = self.config.get("tests")
        if tests:
            yield  # the last popup closed
            self._run_tests(tests)

    def _run_tests(self, tests):
        """The add-on's test files that draw UI (call_panel, screenshots: in -b those crash Blender),
        run here with the window, after the drawing: the session's runner and its events, one JSON
        object per line in their own file (src/ui-check/test-events.ts reads them as the control
        channel's are read)."""
        self.events.write("testing", files=tests["files"])
        with EventsFile(tests["events_file"]) as stream:
            files, names = in_package.as_submodules(tests["files"], self.addon)
            try:
                with addon_tests.on_sys_path(tests.get("import_paths") or []):
                    addon_tests.run(files, tests.get("runner", "auto"), lambda event: stream.write(event.pop("event"), **event), self.addon.restore, None, self.addon,
                                    bool(tests.get("installed_only")), names, binary=blender_binary())
            except BaseException as error:  # the runner itself failed (pytest missing...): said once, as the session says it
                stream.write("failed", message=one_line(error), traceback=traceback.format_exc())
        self.events.write("tested")

    def _enable(self, doing):
        try:
            self.addon.enable()
            return True
        except AddonProblem as problem:
            self.events.write("problem", message="%s failed: %s" % (doing, problem))
            return False

    def _setup(self):
        """The default context (a selected mesh in Object mode), then ui-setup (Python, with bpy) on
        top of it, run with the 3D view as its context so operators such as mode_set work."""
        code = self.config.get("ui_setup")
        bpy = self.bpy
        try:
            screen.stage_default_context(bpy)
        except Exception as error:
            self.events.write("problem", message="staging the context raised %s" % one_line(error), traceback=traceback.format_exc())
            return False
        if not code:
            return True
        try:
            view = screen.Screen(bpy)
            area = view.area_for("VIEW_3D")
            with screen.override(bpy, **view.members(area, view.region_of(area, "WINDOW"))):
                exec(compile(code, "<ui-setup>", "exec"), {"__name__": "__ui_setup__", "bpy": bpy})
            return True
        except Exception as error:
            traceback.print_exc()
            self.events.write("problem", message="ui-setup raised %s" % one_line(error), traceback=traceback.format_exc())
            return False


def one_line(error):
    return "".join(traceback.format_exception_only(type(error), error)).strip().splitlines()[-1]


def gl_info():
    try:
        import gpu

        return {"vendor": gpu.platform.vendor_get(), "renderer": gpu.platform.renderer_get(), "version": gpu.platform.version_get()}
    except (ImportError, AttributeError):
        return None


def main():
    line_buffered_output()
    config = load_config(sys.argv)
    import bpy

    check = UiCheck(config, bpy)
    bpy.app.timers.register(check.tick, first_interval=0.0)


def blender_binary():
    """Blender's executable, for a test script's sys.argv (sys.executable is its Python)."""
    import bpy

    return bpy.app.binary_path
