"""A render from inside a test (blender_bg.testing.assert_matches_snapshot), compared as a render probe step is.

The render is made here (render.py: the same deterministic settings as a `render` step); the
comparison is made by blender-bg-action, outside Blender, with the one rule every Blender gets.
So this call records the render as an event of the running test ({"event": "snapshot", ...}),
and the test's result is failed afterwards when the render does not match the approved image
(relative to the test file's folder; a copy in a folder named by Blender's series wins).
"""

import os

# render.py (and what it imports) is loaded by the first call: the driver imports this package
# at every start, and most runs render nothing.

# The running suite's emit (addon_tests.run sets it): None outside blender-bg-action's tests.
_emit = None


def render_for_test(image, threshold, max_diff_ratio, spec, file, line):
    """Renders the scene (spec: scene, camera, engine, resolution, samples, setup) and records it as
    an event of the running test at `file`:`line`, to be compared with `image`."""
    if _emit is None:
        raise RuntimeError("assert_matches_snapshot compares renders in blender-bg-action's test session (its tests input), not here")
    import tempfile

    import bpy

    from blender_bg.rendering import render

    output = os.path.join(tempfile.gettempdir(), "snapshot-%s.png" % os.urandom(12).hex())
    rendered = render.render_snapshot(spec, output, {"bpy": bpy, "C": bpy.context, "D": bpy.data})
    _emit({"event": "snapshot", "file": os.path.abspath(file), "line": line, "image": image,
           "actual": rendered["path"], "threshold": threshold, "max_diff_ratio": max_diff_ratio})


class emitting:
    """While the tests run, snapshots are events of theirs."""

    def __init__(self, emit):
        self._emit = emit

    def __enter__(self):
        global _emit
        self._saved, _emit = _emit, self._emit

    def __exit__(self, *exc):
        global _emit
        _emit = self._saved
