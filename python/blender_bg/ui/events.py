"""The UI check's events, one JSON object per line, each written and flushed as it happens:
the TypeScript side reads the file while Blender draws (a draw that hangs is named by its
"drawing" event with no "drawn" after it) and after it exits (Blender dying mid-draw loses
nothing written before). src/ui-check/ui-events.ts reads it; keep the two in step.

    window    the window is up: Blender's version, OpenGL's vendor, renderer and version
    waiting   the add-on is not enabled until the session has stopped (its port is free)
    inventory what the add-on draws, at the start of each cycle (each target's kind, label, line)
    drawing   a draw starts: target ids, cycle
    drawn     it returned: ms, the window's screenshot (and its baseline, or a crop)
    error     the add-on's draw code raised, or Blender printed a property or operator not found
    target    after each cycle, every class and appended draw function: drawn, or why not
    problem   the pass could not go on (the add-on did not enable, ui-setup raised)
    testing   the add-on's test files that draw UI run now (their events: a file of their own)
    tested    they have
    done      the pass is over
"""

import json


class EventsFile:
    def __init__(self, path):
        self._handle = open(path, "a", encoding="utf-8")

    def write(self, event, **fields):
        fields["event"] = event
        self._handle.write(json.dumps(fields) + "\n")
        self._handle.flush()

    def close(self):
        self._handle.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False
