"""Shared by the reference scripts: put the fixture addon on sys.path, start its asyncio server.

Run as: blender -b --factory-startup --python bench/references/<script>.py -- <addons dir> <port>
The reference servers are the very same asyncio server the driver is measured with
(test/fixtures/addons/fixture_service, mode "asyncio"), so only the keep-alive differs.
"""

import asyncio
import sys


def start_fixture_server():
    addons_dir, port = sys.argv[sys.argv.index("--") + 1:][:2]
    sys.path.insert(0, addons_dir)
    from fixture_service import modes

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    modes.AsyncioServer(int(port)).start()
    print("REFERENCE-READY", flush=True)
    return loop
