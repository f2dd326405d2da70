"""Runs python/blender_bg/runners/addon_tests.py outside Blender and prints its events, one JSON per line, on stderr.

    python3 print_test_events.py <runner> <test file>...

With BLENDER_BG_HIDE_PYTEST=1, pytest cannot be imported (as in a blender.org Blender).
"""

import json
import os
import sys

if os.environ.get("BLENDER_BG_HIDE_PYTEST") == "1":
    sys.modules["pytest"] = None  # import pytest raises ImportError, find_spec finds nothing

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
from blender_bg.runners import addon_tests  # noqa: E402

addon_tests.run(sys.argv[2:], sys.argv[1], lambda event: print(json.dumps(event), file=sys.stderr, flush=True))
