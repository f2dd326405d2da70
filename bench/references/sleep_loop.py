"""Today's practice: kick the loop once, sleep 50 ms, forever (what addon authors hand-roll)."""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import start_fixture_server  # noqa: E402

loop = start_fixture_server()
while True:
    loop.stop()
    loop.run_forever()  # one pass: handle whatever I/O is ready
    time.sleep(0.05)
