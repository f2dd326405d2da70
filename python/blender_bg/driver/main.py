"""The driver's story: take over timers, enable the add-on, serve, stop cleanly.

Each step lives in its own module; this one only says in which order they happen.
"""

import asyncio
import os
import sys
import traceback

from blender_bg.health import memory
from blender_bg.driver.addon import AddonProblem, AddonUnderTest, add_python_paths
from blender_bg.driver.control import ControlChannel
from blender_bg.health.coverage_session import start_session_coverage
from blender_bg.health.deprecations import DeprecationLog
from blender_bg.health.errors import AddonErrors
from blender_bg.driver.log import fail, line_buffered_output, log
from blender_bg.driver.processes import become_subreaper, descendants
from blender_bg.driver.protocol import EXIT_STARTUP_FAILED, StopRecord, load_config, write_ready_file
from blender_bg.driver.pump import Pump, PumpWake, resolve_pump
from blender_bg.driver.serve import Waker, serve
from blender_bg.health.state import BlenderState
from blender_bg.driver.stopping import Stopper, install_signal_handlers
from blender_bg.driver.timers import TIMER_FLOOR, TimerQueue, install_timers


def shut_down(loop, addon, pump, deprecations, errors, coverage, record):
    if coverage is not None:  # what ran until now is kept, should unregister() hang and be killed
        coverage.save()
    leftovers = addon.disable()
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
    errors.uninstall()  # after the loop's last callbacks: their errors counted too
    errors.flush()
    if addon.state is not None:
        addon.state.origins.uninstall()
    record.write(leftovers=leftovers, usage=memory.usage(), checkTimings=addon.state.timings if addon.state is not None else None)
    log("stopped cleanly")


def main():
    line_buffered_output()
    config = load_config(sys.argv)
    import bpy

    become_subreaper()
    record = StopRecord(config.get("stop_file"))
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)  # addons calling asyncio.get_event_loop() share this loop
    stopper = Stopper(loop, record)
    install_signal_handlers(loop, stopper)

    staged = config.get("addon_path")
    # From before the add-on is imported: what its import and register() raise counts too.
    errors = AddonErrors(config.get("addon_errors_file"), [staged])
    errors.install()
    timers = None
    waker = Waker(loop)
    if bpy.app.background:
        timers = TimerQueue(TIMER_FLOOR, wake=waker.wake, on_error=errors.timer_failed)
        install_timers(bpy, timers)

    coverage = start_session_coverage(config.get("coverage"), staged, timers)
    deprecations = DeprecationLog(config.get("deprecations_file"), [staged])
    deprecations.install()
    add_python_paths(config.get("python_paths"))
    state = None
    if config.get("unregister_check"):  # Blender as the add-on finds it, to compare after unregister()
        state = BlenderState([staged], timers, loop, config.get("addon_port"), config.get("addon_host") or "127.0.0.1")
        state.snapshot()
    addon = AddonUnderTest(config, timers, errors, state)
    if config.get("count_ui"):
        addon.note_what_blender_draws()
    try:
        addon_file = addon.enable()
    except AddonProblem as problem:
        errors.flush()
        fail(problem.code, str(problem))
    try:
        addon.run_startup()
    except BaseException:  # SystemExit too: the snippet must not end the run quietly
        traceback.print_exc()
        fail(EXIT_STARTUP_FAILED, "the startup snippet raised (traceback above)")
    pump = None
    pump_wake = None
    if config.get("pump"):
        pump = Pump(resolve_pump(config["pump"]), float(config["pump_interval"]), config["pump"], on_error=errors.pump_failed)
        if config.get("pump_wake", True):
            pump_wake = PumpWake(loop, pump, waker.wake_from_loop)
            pump_wake.install()

    control = None
    control_port = None
    if timers is not None and config.get("control_token"):
        control = ControlChannel(loop, timers, stopper, config["control_token"], config.get("addon_port"), addon, deprecations)
        control_port = control.open()

    write_ready_file(config["ready_file"], config, control_port, addon_file, memory.usage(), addon.ui_targets())
    log("ready: Blender %s, Python %d.%d" % (bpy.app.version_string, sys.version_info[0], sys.version_info[1]))

    if not bpy.app.background:
        return  # with a window, Blender's own event loop keeps it alive and runs timers

    serve(loop, timers, pump, stopper, waker)
    if pump_wake is not None:
        pump_wake.uninstall()  # before unregister(): its threads' waits are no longer ours to watch
    if control is not None:
        control.close()
    shut_down(loop, addon, pump, deprecations, errors, coverage, record)
    record.write(clean=True, descendants=descendants(os.getpid()))
    if coverage is not None and coverage.exits_hard():
        log("leaving without Blender's own exit path, which crashes once coverage.py 6 is imported")
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)
