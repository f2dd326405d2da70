"""Runs python/blender_bg_tests.py outside Blender and prints its events, one JSON per line, on stderr.

    python3 print_test_events.py <runner> <test file>...
"""

import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
import blender_bg_tests  # noqa: E402

blender_bg_tests.run(sys.argv[2:], sys.argv[1], lambda event: print(json.dumps(event), file=sys.stderr, flush=True))
