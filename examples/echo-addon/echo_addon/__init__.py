"""Echo addon: a minimal service addon, the way real ones (MCP servers, remote control) work.

It serves bare JSON over TCP on the main thread's asyncio loop, so request handlers may use
bpy safely. Requests look like {"type": "echo", "params": {...}}; replies like
{"status": "success", "result": ...} or {"status": "error", "message": "..."}.
The port comes from ECHO_ADDON_PORT (default 6688).
"""

bl_info = {
    "name": "Echo service (blender-bg-action example)",
    "author": "blender-bg-action",
    "version": (1, 0, 0),
    "blender": (2, 93, 0),
    "category": "Development",
}

import asyncio
import json
import os

import bpy

_server = None


def handle(request):
    kind = request.get("type")
    if kind == "echo":
        return {"status": "success", "result": request.get("params", {})}
    if kind == "get_scene_info":
        scene = bpy.context.scene
        return {
            "status": "success",
            "result": {
                "name": scene.name,
                "object_count": len(scene.objects),
                "objects": sorted(obj.name for obj in scene.objects),
                "blender_version": bpy.app.version_string,
            },
        }
    return {"status": "error", "message": "unknown command type: %r" % kind}


class EchoProtocol(asyncio.Protocol):
    """Bare JSON, no delimiter: a request is complete when the bytes so far parse."""

    def connection_made(self, transport):
        self.transport = transport
        self.buffer = b""

    def data_received(self, data):
        self.buffer += data
        try:
            request = json.loads(self.buffer.decode("utf-8"))
        except ValueError:
            return  # incomplete: wait for more bytes
        self.buffer = b""
        try:
            reply = handle(request)
        except Exception as error:  # a bad request must not take the server down
            reply = {"status": "error", "message": str(error)}
        self.transport.write(json.dumps(reply).encode("utf-8"))


def register():
    global _server
    port = int(os.environ.get("ECHO_ADDON_PORT", "6688"))
    loop = asyncio.get_event_loop()
    _server = loop.run_until_complete(loop.create_server(EchoProtocol, "127.0.0.1", port))
    print("echo addon listening on 127.0.0.1:%d" % port)


def unregister():
    global _server
    if _server is not None:
        _server.close()
        _server = None
    print("echo addon stopped")
