"""Snapshot renders: one frame of the live scene to a PNG, made the same way every time.

Deterministic by default: a fixed seed, denoising off (Debian's Blender has no
OpenImageDenoise, and a denoiser's output moves between releases), motion blur off, the
Standard view transform (Filmic and AgX, the defaults of different releases, would change
every colour), Cycles on the CPU. The scene's settings are put back afterwards: a render
step must not change what later steps see. What the author's `setup` sets wins.
"""

import os
import sys
import time

# What a snapshot names the engine → the identifiers Blender versions give it, newest first.
ENGINES = {
    "CYCLES": ("CYCLES",),
    "EEVEE": ("BLENDER_EEVEE_NEXT", "BLENDER_EEVEE"),
    "WORKBENCH": ("BLENDER_WORKBENCH",),
}

# Engines that draw with the GPU module: in background mode they need an EGL library.
NEEDS_EGL = {"EEVEE", "WORKBENCH"}


class RenderRefused(Exception):
    """An engine that cannot run here: said before anything renders (never a SIGABRT)."""


def egl_missing():
    """Why a GPU engine would abort Blender here, or None when it can draw (Linux: libEGL)."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        ctypes.CDLL("libEGL.so.1")
        return None
    except OSError:
        return "Blender finds no EGL library (libEGL.so.1) here, and in background mode without it Blender aborts (SIGABRT) when it draws"


def engine_identifier(scene, engine):
    for identifier in ENGINES[engine]:
        try:
            scene.render.engine = identifier
            return identifier
        except TypeError:
            continue
    raise RenderRefused("this Blender has no %s engine" % engine)


class Settings:
    """Sets attributes and remembers what they were, to put them back."""

    def __init__(self):
        self._saved = []

    def set(self, owner, name, value):
        if owner is None or not hasattr(owner, name):
            return  # an older or newer Blender without this setting
        self._saved.append((owner, name, getattr(owner, name)))
        try:
            setattr(owner, name, value)
        except (AttributeError, TypeError, ValueError):
            self._saved.pop()

    def restore(self):
        for owner, name, value in reversed(self._saved):
            try:
                setattr(owner, name, value)
            except (AttributeError, TypeError, ValueError, ReferenceError):
                pass


def render_snapshot(spec, output, namespace):
    """Renders the scene by `spec` into `output` (PNG); returns what the step reports."""
    import bpy

    engine = (spec.get("engine") or "CYCLES").upper()
    if engine not in ENGINES:
        raise RenderRefused("unknown engine %r: CYCLES, EEVEE or WORKBENCH" % engine)
    if engine in NEEDS_EGL:
        missing = egl_missing()
        if missing:
            raise RenderRefused("%s cannot render here: %s; install Mesa's EGL (libegl1), or render with CYCLES" % (engine, missing))
    scene = bpy.data.scenes[spec["scene"]] if spec.get("scene") else bpy.context.scene
    settings = Settings()
    try:
        render = scene.render
        settings.set(render, "engine", render.engine)
        identifier = engine_identifier(scene, engine)
        if spec.get("camera"):
            settings.set(scene, "camera", bpy.data.objects[spec["camera"]])
        if scene.camera is None:
            raise RenderRefused("the scene %r has no camera to render from" % scene.name)
        width, height = spec.get("resolution") or (256, 256)
        for name, value in (("resolution_x", width), ("resolution_y", height), ("resolution_percentage", 100),
                            ("use_motion_blur", False), ("use_border", False), ("filepath", output)):
            settings.set(render, name, value)
        image = render.image_settings
        for name, value in (("file_format", "PNG"), ("color_mode", "RGBA"), ("color_depth", "8"), ("compression", 15)):
            settings.set(image, name, value)
        settings.set(scene.view_settings, "view_transform", "Standard")
        settings.set(scene.view_settings, "look", "None")
        settings.set(scene.view_settings, "exposure", 0.0)
        settings.set(scene.view_settings, "gamma", 1.0)
        samples = int(spec.get("samples") or 16)
        if identifier == "CYCLES":
            cycles = scene.cycles
            for name, value in (("device", "CPU"), ("samples", samples), ("preview_samples", samples), ("seed", 0),
                                ("use_animated_seed", False), ("use_denoising", False), ("use_adaptive_sampling", False),
                                ("use_auto_tile", False)):
                settings.set(cycles, name, value)
        else:
            settings.set(getattr(scene, "eevee", None), "taa_render_samples", samples)
        if spec.get("setup"):
            exec(compile(spec["setup"], "<render setup>", "exec"), namespace)
        started = time.perf_counter()
        bpy.ops.render.render(write_still=True, scene=scene.name)
        elapsed = time.perf_counter() - started
        if not os.path.isfile(output):
            raise RenderRefused("Blender rendered but wrote no image to %s" % output)
        return {"path": output, "width": int(width), "height": int(height), "engine": engine, "seconds": elapsed}
    finally:
        settings.restore()
