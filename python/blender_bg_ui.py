"""The UI check: runs inside a Blender with a window (never -b: there nothing draws, and
call_panel segfaults) and draws everything the add-on draws.

Run as:
    blender --factory-startup -noaudio --enable-event-simulate --python blender_bg_ui.py -- <config.json>

on the run's own virtual display (src/ui-check/). The blender_bg.ui package beside this script
says how (its main.py the order); what it finds goes to the events file the config names.
"""

import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from blender_bg.ui.main import main  # noqa: E402

if __name__ == "__main__":
    main()
