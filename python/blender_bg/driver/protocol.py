"""The driver's side of src/session/driver-protocol.ts: exit codes, the config file, the ready
file and the stop record. Keep the two in step (test/unit/session/driver-protocol.test.ts)."""

import json
import os
import sys

from blender_bg.driver.log import fail, log

EXIT_CONFIG_INVALID = 70
EXIT_ADDON_ENABLE_FAILED = 71
EXIT_STARTUP_FAILED = 72
EXIT_PUMP_INVALID = 73
EXIT_ADDON_NOT_STAGED = 75
EXIT_COVERAGE_MISSING = 76


def load_config(argv):
    args = argv[argv.index("--") + 1:] if "--" in argv else []
    if len(args) != 1:
        fail(EXIT_CONFIG_INVALID, "usage: blender -b --python blender_bg_driver.py -- <config.json>")
    try:
        with open(args[0], encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError) as error:
        fail(EXIT_CONFIG_INVALID, "cannot read the driver config %s: %s" % (args[0], error))



def write_ready_file(path, config, control_port, addon_file, usage, ui_targets=None):
    import bpy

    info = {
        "pid": os.getpid(),
        "controlPort": control_port,
        "blenderVersion": bpy.app.version_string,
        "pythonVersion": "%d.%d.%d" % sys.version_info[:3],
        "addonModule": config["addon_module"],
        "addonFile": addon_file,
        "usage": usage,  # Blender's memory and CPU time once ready (memory.py)
        "uiTargets": ui_targets,  # what the add-on draws, counted (count_ui: the UI check starts when there is some)
    }
    partial = path + ".partial"
    with open(partial, "w", encoding="utf-8") as handle:
        json.dump(info, handle)
    os.replace(partial, path)  # atomic: the TypeScript side never reads half a file


class StopRecord:
    """The stop record file: rewritten whole (atomically) as the stop goes on."""

    def __init__(self, path):
        self._path = path
        self._fields = {}

    def write(self, **fields):
        self._fields.update(fields)
        if not self._path:
            return
        partial = self._path + ".partial"
        try:
            with open(partial, "w", encoding="utf-8") as handle:
                json.dump(self._fields, handle)
            os.replace(partial, self._path)
        except OSError as error:  # the run goes on; the TypeScript side reads "no record"
            log("cannot write the stop record %s: %s" % (self._path, error))


