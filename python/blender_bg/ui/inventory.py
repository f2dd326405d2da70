"""What the add-on draws: the Panel, Menu, Header, UIList and AddonPreferences classes it
registered, and the draw functions it appended to Blender's own menus, panels and headers.

Found as the unregister check finds them (registries.py): what is registered after the add-on
is enabled and was not before. So a class defined in a module the add-on vendors counts, and a
class of another add-on does not.
"""

from blender_bg.health.registries import class_place, draw_functions, registered_by_python, rna_base_name, struct_classes

DRAWN_BASES = ("Panel", "Menu", "Header", "UIList", "AddonPreferences")
KINDS = {"Panel": "panel", "Menu": "menu", "Header": "header", "UIList": "list", "AddonPreferences": "preferences"}


def snapshot(bpy):
    """Before the add-on is enabled: the classes Python registered, and every host's draw functions."""
    classes = struct_classes(bpy)
    return {
        "classes": {cls for cls in classes if registered_by_python(cls)},
        "draw": {cls: list(funcs) for cls, funcs in draw_functions(classes)},
    }


def idname_of(cls):
    idname = cls.__dict__.get("bl_idname")
    return idname if isinstance(idname, str) and idname else cls.__name__


class Target:
    """One thing the add-on draws. `cls` (or `host` and `function`) is what is drawn."""

    def __init__(self, kind, idname, label, base, cls=None, host=None, function=None, place=None):
        self.kind = kind
        self.id = idname
        self.label = label
        self.base = base
        self.cls = cls
        self.host = host
        self.function = function
        self.place = place

    def attr(self, name, default=None):
        return getattr(self.cls or self.host, name, default)

    @property
    def space(self):
        return self.attr("bl_space_type")

    @property
    def region(self):
        return self.attr("bl_region_type")

    @property
    def context(self):
        return self.attr("bl_context") or None

    @property
    def parent(self):
        return self.attr("bl_parent_id") or None

    def record(self):
        """As the events file says it (events.py)."""
        file, line = (self.place[0], self.place[1]) if self.place else (None, None)
        return {
            "id": self.id,
            "kind": self.kind,
            "label": self.label,
            "space": self.space,
            "region": self.region,
            "context": self.context,
            "category": self.attr("bl_category"),
            "parent": self.parent,
            "host": idname_of(self.host) if self.host is not None else None,
            "file": file,
            "line": line,
        }


def addon_targets(bpy, before, roots):
    """Everything the add-on draws, classes first (in registration order where Python keeps it)."""
    targets = []
    classes = struct_classes(bpy)
    for cls in classes:
        if not registered_by_python(cls) or cls in before["classes"]:
            continue
        base = rna_base_name(cls)
        if base not in DRAWN_BASES:
            continue
        label = cls.__dict__.get("bl_label") or cls.__name__
        targets.append(Target(KINDS[base], idname_of(cls), label, base, cls=cls, place=class_place(cls, roots)))
    for host, funcs in draw_functions(classes):
        known = before["draw"].get(host, [])
        for function in funcs:
            if any(function is old for old in known):
                continue
            place = roots.code_place(function)
            if place is None:  # the host's own draw (first in the list once anything is appended), another add-on's
                continue
            name = getattr(function, "__name__", "draw function")
            host_id = idname_of(host)
            targets.append(Target("appended", "%s › %s" % (host_id, name), "%s in %s" % (name, host_id), rna_base_name(host), host=host, function=function, place=place))
    return targets


def root_panel(bpy, target):
    """The panel drawn to reach this one: its topmost parent (a child panel is drawn with it),
    which may be one of Blender's own."""
    idname, seen = target.id, set()
    parent = target.parent
    while parent and parent not in seen:
        seen.add(parent)
        cls = getattr(bpy.types, parent, None)
        if cls is None:
            break
        idname = parent
        parent = getattr(cls, "bl_parent_id", None) or None
    return idname


def draw_functions_of(targets):
    """(host, its list of draw functions) for every host the add-on appended to."""
    hosts = []
    for target in targets:
        if target.kind == "appended" and all(target.host is not host for host in hosts):
            hosts.append(target.host)
    for host in hosts:
        funcs = getattr(host.__dict__.get("draw"), "_draw_funcs", None)
        if isinstance(funcs, list):
            yield host, funcs
