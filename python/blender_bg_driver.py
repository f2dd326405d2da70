"""Keep-alive driver: runs inside headless Blender and keeps it serving an add-on.

Run as:
    blender --background --factory-startup --python blender_bg_driver.py -- <config.json>

Headless Blender exits after its last command-line argument and never runs
bpy.app.timers. The driver (stdlib only, Python 3.9+ for Blender 2.93 and later; the
blender_bg package beside this script, one module per concern, main.py the order):

1. takes over bpy.app.timers before the add-on loads, so add-ons that hand work to the
   main thread with bpy.app.timers.register(fn, first_interval=0) keep working;
2. enables the add-on, then runs the optional startup snippet;
3. opens the control channel (loopback TCP, a random token from the config) on which
   `blender` probe steps send Python to run on the main thread, then writes the ready file;
4. serves: runs the main thread's asyncio loop until the next due timer or pump tick,
   runs what is due while the loop is stopped, and repeats. The loop blocks in select()
   in between, so an idle Blender costs nothing and a request is answered at once;
5. on SIGTERM / SIGINT: disables the add-on (its unregister() runs), closes the loop and
   returns, so Blender exits 0 through its normal exit path.

The stop record (a JSON file the config names) is how the TypeScript side tells a graceful
stop from an add-on that ended Blender itself: "stopping" is written when the stop request
arrives, "clean" once the add-on is disabled, with the processes Blender still has below it
(on Linux Blender is made a child subreaper, so orphaned grandchildren stay below it).

Exit codes other than 0 name what went wrong: blender_bg/driver/protocol.py, in step with
src/session/driver-protocol.ts.
"""

import os
import sys

# Before the package is imported: Blender ignores PYTHONDONTWRITEBYTECODE, and nothing may
# write __pycache__ into this package's folder or the user's checkout.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from blender_bg.driver.main import main  # noqa: E402

if __name__ == "__main__":  # Blender runs --python scripts as __main__
    main()
