"""The floor: the asyncio server run by a plain blocking loop, nothing else in the way."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import start_fixture_server  # noqa: E402

start_fixture_server().run_forever()
