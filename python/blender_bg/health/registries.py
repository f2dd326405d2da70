"""Blender's registries as the unregister check reads them: handler lists, the Python classes of
Blender's types, registered classes and where they are defined, menu draw functions, add-on
keymap items. Used by state.py."""

import collections
import os
import re
import sys

from blender_bg.paths import find_in_files


def handler_lists(bpy):
    for name in dir(bpy.app.handlers):
        functions = getattr(bpy.app.handlers, name)
        if not name.startswith("_") and isinstance(functions, list):
            yield name, functions


def struct_classes(bpy):
    """Every Python class of Blender's types that exists now (built-in ones are made as they are
    first used), each once."""
    seen, todo, found = set(), [bpy.types.bpy_struct], []
    while todo:
        for cls in type.__subclasses__(todo.pop()):
            if cls not in seen:
                seen.add(cls)
                found.append(cls)
                todo.append(cls)
    return found


def registered_by_python(cls):
    """A class some Python code registered (bpy.utils.register_class gives it bl_rna; unregister takes it)."""
    return "bl_rna" in cls.__dict__ and cls.__module__ != "bpy.types"


def rna_base_name(cls):
    """The Blender type a class registers as: Operator, Panel, PropertyGroup..."""
    import bpy

    for base in cls.__mro__[1:]:
        if getattr(bpy.types, base.__name__, None) is base:  # Blender's own (made in C, or in its bpy_types.py)
            return base.__name__
    return "class"


def class_label(cls):
    idname = cls.__dict__.get("bl_idname")
    return "%s (%s)" % (cls.__name__, idname) if isinstance(idname, str) and idname != cls.__name__ else cls.__name__


def class_place(cls, roots):
    module = sys.modules.get(cls.__module__)
    filename = getattr(module, "__file__", None)
    if not filename or not roots.owns(filename):
        return None
    pattern = re.compile(r"^\s*class\s+%s\b" % re.escape(cls.__name__))
    place = find_in_files([filename], pattern)
    return (place[0], place[1], cls.__name__) if place else (os.path.realpath(filename), 1, cls.__name__)


def draw_functions(classes):
    for cls in classes:
        draw = cls.__dict__.get("draw")
        funcs = getattr(draw, "_draw_funcs", None)
        if isinstance(funcs, list):
            yield cls, funcs


def keymap_items(bpy):
    """The add-on key configuration's items, counted (the same shortcut twice is two)."""
    counted = collections.Counter()
    keyconfig = bpy.context.window_manager.keyconfigs.addon if bpy.context.window_manager else None
    if keyconfig is None:
        return counted
    for keymap in keyconfig.keymaps:
        for kmi in keymap.keymap_items:
            counted[(keymap.name, kmi.idname, kmi.type, kmi.value, kmi.shift, kmi.ctrl, kmi.alt, kmi.oskey)] += 1
    return counted
