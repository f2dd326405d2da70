"""assert_matches_snapshot: a render from inside a test, compared as a render probe step is.

    from blender_bg import assert_matches_snapshot

    def test_gem_looks_right():
        bpy.ops.object.gem_maker_build()
        assert_matches_snapshot("snapshots/gem.png", resolution=(96, 64), samples=8)

The render is made here (render.py: the same deterministic settings as a `render` step); the
comparison is made by blender-bg-action, outside Blender, with the one rule every Blender gets.
So this call records the render as an event of the running test ({"event": "snapshot", ...}),
and the test's result is failed afterwards when the render does not match the approved image
(relative to the test file's folder; a copy in a folder named by Blender's series wins).
"""

import os
import sys

# render.py (and what it imports) is loaded by the first call: the driver imports this package
# at every start, and most runs render nothing.

# The running suite's emit (addon_tests.run sets it): None outside blender-bg-action's tests.
_emit = None


def assert_matches_snapshot(image, threshold=None, max_diff_ratio=None, **spec):
    """Renders the scene (spec: scene, camera, engine, resolution, samples, setup) and has it compared with `image`."""
    if _emit is None:
        raise RuntimeError("assert_matches_snapshot compares renders in blender-bg-action's test session (its tests input), not here")
    caller = sys._getframe(1)
    import tempfile

    import bpy

    from . import render

    output = os.path.join(tempfile.gettempdir(), "snapshot-%s.png" % os.urandom(12).hex())
    rendered = render.render_snapshot(spec, output, {"bpy": bpy, "C": bpy.context, "D": bpy.data})
    _emit({"event": "snapshot", "file": os.path.abspath(caller.f_code.co_filename), "line": caller.f_lineno, "image": image,
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
