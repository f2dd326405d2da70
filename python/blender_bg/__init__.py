"""blender-bg-action's side inside Blender: the keep-alive driver, one module per concern.

    main.py            the order of it all (python/blender_bg_driver.py is the entry script)
    log.py             the driver's log lines; fail() for what is fatal
    protocol.py        exit codes, the config file, the ready file, the stop record
    timers.py          bpy.app.timers, run by the driver (Blender runs none in background mode)
    pump.py            the pump input and its wake (a server thread waiting for its result)
    serve.py           the serve loop: asyncio until something is due, never a fixed sleep
    control.py         the control channel (eval, exec, tests, shutdown)
    stopping.py        SIGTERM / SIGINT / shutdown, as one stop request
    processes.py       Blender's descendants (child subreaper on Linux)
    addon.py           the add-on under test: enabled from the staged copy, put back between files
    addon_tests.py     the add-on's unittest / pytest files, run on the main thread (the events),
    unittest_runner.py, pytest_runner.py  each runner's side; in_package.py  test files inside the add-on
    pytest_blender_fixtures.py  pytest-blender's fixtures, for suites written for it
    deprecations.py    Python's deprecation warnings, against the add-on's lines
    coverage_session.py  coverage.py over the staged copy
    paths.py, records.py  whose file a frame is (and a line in the add-on's files); counted JSON-lines records
    errors.py, state.py, memory.py  the add-on's health: background errors, what unregister()
                       leaves, Blender's memory
    render.py          snapshot renders (the render op), made the same way every time
    snapshot.py        assert_matches_snapshot, for the add-on's own tests (this package is on their sys.path)
    origins.py, registries.py  for state.py: where threads, sockets, ports and processes were
                       made; Blender's registries (handlers, classes, draw functions, keymaps)

Stdlib only; nothing here imports bpy at import time, so the bpy-free parts are tested under
plain Python (test/python).
"""

from .snapshot import assert_matches_snapshot  # noqa: E402  (the one name tests import from here)

__all__ = ["assert_matches_snapshot"]
