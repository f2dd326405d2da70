"""blender-bg-action's side inside Blender, in subpackages by concern (as pytest's _pytest/ is):

    testing.py     the API for an add-on's own tests (assert_matches_snapshot): all a test may import
    driver/        the keep-alive driver: main (the order of it all; python/blender_bg_driver.py is the
                   entry script), log, protocol (exit codes, config, ready file, stop record), timers
                   (bpy.app.timers, run by the driver), pump, serve (asyncio until something is due),
                   control (the control channel), stopping (SIGTERM/SIGINT/shutdown), processes
                   (Blender's descendants), addon (the add-on under test, enabled from the staged copy)
    runners/       the add-on's unittest / pytest files: addon_tests (on the main thread, as events),
                   unittest_runner, pytest_runner, in_package (test files inside the add-on),
                   pytest_blender_fixtures (pytest-blender's fixtures, for suites written for it)
    health/        the add-on's health: errors (background exceptions), state (what unregister()
                   leaves; origins, registries), memory, deprecations, coverage_session
    rendering/     render (the render op, made the same way every time), snapshot (a test's render)
    ui/            the UI check's Blender (python/blender_bg_ui.py): inventory, drawing, spy, screen,
                   printed, events
    paths.py, records.py  below them all: whose file a frame is; counted JSON-lines records

Stdlib only; nothing here imports bpy at import time, so the bpy-free parts are tested under
plain Python (test/python).
"""

from blender_bg.testing import assert_matches_snapshot  # noqa: E402  (the one name tests import from here)

__all__ = ["assert_matches_snapshot"]
