"""Writes the coverage JSON report from a saved data file (a session that crashed or was killed).

    blender -b --factory-startup --python blender_bg_coverage.py -- <data file> <json file> <root>
"""

import os
import sys

sys.dont_write_bytecode = True  # nothing written into this package's folder
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from blender_bg.health.coverage_session import report_from_data  # noqa: E402

if __name__ == "__main__":
    report_from_data(*sys.argv[sys.argv.index("--") + 1:])
    sys.stdout.flush()
    os._exit(0)
