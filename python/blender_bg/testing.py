"""The API for an add-on's own tests, run by blender-bg-action inside Blender (this package is on
their sys.path there). Only what is named here is promised to tests; the rest of blender_bg is
the driver's.

    from blender_bg import assert_matches_snapshot

    def test_gem_looks_right():
        bpy.ops.object.gem_maker_build()
        assert_matches_snapshot("snapshots/gem.png", resolution=(96, 64), samples=8)
"""

from __future__ import annotations

import sys
from typing import Any

from blender_bg.rendering.snapshot import render_for_test

__all__ = ["assert_matches_snapshot"]


def assert_matches_snapshot(image: str, threshold: float | None = None, max_diff_ratio: float | None = None, **spec: Any) -> None:
    """Renders the scene as a `render` probe step does and has it compared with the approved `image`
    (relative to the test file's folder; a copy under a folder named by Blender's series wins).

    spec: scene, camera, engine, resolution, samples, setup (as a render step takes them).
    threshold: how different one pixel may be (0 to 1; default 0.1). max_diff_ratio: the share of
    pixels that may differ (default 0.01). The comparison is made by blender-bg-action outside
    Blender, with the one rule every Blender gets: the running test fails afterwards when the render
    does not match. Outside blender-bg-action's test session it raises RuntimeError.
    """
    caller = sys._getframe(1)
    render_for_test(image, threshold, max_diff_ratio, spec, caller.f_code.co_filename, caller.f_lineno)
