"""The window the UI is drawn in: an area of each space type, the context a class is drawn in,
Blender's own operators that draw it, a screenshot, and the popup closed again.

Measured (BLENDER-FACTS.md): with a window, call_panel and call_menu run the class's draw() at
once (child panels too, closed ones and those in a sidebar tab that is not shown) and return
{'INTERFACE'} whatever it raised. Properties-editor panels want `space.context` set to their
bl_context; that assignment fails after an area changed type until it has drawn once.
"""

import contextlib
import shutil

# Areas that may change type to show a space the startup layout lacks: never the 3D view or
# the properties editor, which most add-ons draw in.
SPARE_AREAS = ("OUTLINER", "DOPESHEET_EDITOR")
# Space types an area cannot be changed to (Blender's own bars); their panels are drawn in the 3D view.
NOT_AN_AREA = ("TOPBAR", "STATUSBAR", "EMPTY", None)


def window(bpy):
    return bpy.context.window_manager.windows[0]


def redraw(bpy, win):
    run_operator(bpy, bpy.ops.wm.redraw_timer, {"window": win}, type="DRAW_WIN_SWAP", iterations=1)


@contextlib.contextmanager
def override(bpy, **members):
    """The context Blender's operators run in. temp_override came with 3.2; before it a dict."""
    members = {key: value for key, value in members.items() if value is not None}
    if hasattr(bpy.context, "temp_override"):
        with bpy.context.temp_override(**members):
            yield None
    else:
        yield members


def run_operator(bpy, operator, members, **kwargs):
    with override(bpy, **members) as legacy:
        return operator(legacy, **kwargs) if legacy is not None else operator(**kwargs)


class Screen:
    """The first window's areas, changed as the drawing needs and put back at the end."""

    def __init__(self, bpy):
        self.bpy = bpy
        self.win = window(bpy)
        self._changed = []  # (area, type it had)

    def area_for(self, space):
        """An area of that space type: one the layout has, or a spare one changed to it (the
        Preferences the largest: its add-on list with the add-on's preferences open is long)."""
        space = "VIEW_3D" if space in NOT_AN_AREA else space
        areas = list(self.win.screen.areas)
        for area in areas:
            if area.type == space:
                return area
        if space == "PREFERENCES":
            spare = sorted(areas, key=lambda a: a.width * a.height, reverse=True)
        else:
            spare = [area for kind in SPARE_AREAS for area in areas if area.type == kind]
        for area in spare[:1]:
            self._changed.append((area, area.type))
            try:
                area.type = space
            except (TypeError, ValueError):
                return None
            redraw(self.bpy, self.win)  # its space's data exists once it has drawn
            return area
        return None

    def region_of(self, area, kind):
        regions = list(area.regions)
        for region in regions:
            if region.type == (kind or "WINDOW"):
                return region
        for region in regions:
            if region.type == "WINDOW":
                return region
        return regions[0] if regions else None

    def show_context(self, area, context):
        """A properties editor on its bl_context ("object" → OBJECT); what was tried, if it cannot."""
        if area is None or area.type != "PROPERTIES" or not context:
            return None
        wanted = context.upper()
        space = area.spaces[0]
        for attempt in range(2):
            try:
                space.context = wanted
                return None
            except (TypeError, ValueError):
                if attempt == 0:
                    redraw(self.bpy, self.win)
        return "the Properties editor has no %s tab here" % wanted

    def members(self, area, region):
        return {"window": self.win, "screen": self.win.screen, "area": area, "region": region}

    def put_back(self):
        while self._changed:
            area, kind = self._changed.pop()
            try:
                area.type = kind
            except (TypeError, ValueError):
                pass


class Events:
    """Input Blender takes as if from the user (--enable-event-simulate): where popups open, and
    ESC to close them. Without that flag (a Blender that refuses it), nothing is simulated."""

    def __init__(self, win):
        self.win = win
        self.available = hasattr(win, "event_simulate")

    def move_to(self, area):
        if self.available and area is not None:
            self._simulate(type="MOUSEMOVE", value="NOTHING", x=area.x + area.width // 3, y=area.y + area.height * 2 // 3)

    def escape(self):
        if self.available:
            self._simulate(type="ESC", value="PRESS")
            self._simulate(type="ESC", value="RELEASE")

    def _simulate(self, **event):
        try:
            self.win.event_simulate(**event)
        except (RuntimeError, TypeError, ValueError):
            self.available = False  # Blender started without --enable-event-simulate


def screenshot(bpy, win, stem, framebuffer=None):
    """The whole window, after a redraw; returns the file written, or None.

    On the run's own virtual display the picture is the display's framebuffer (Xvfb -fbdir
    keeps it in a file, XWD format): Blender 4.x and 5.x's own screenshot reads a black image
    there (measured: Mesa's llvmpipe under Xvfb, 4.3.2 and 5.2.2; 3.4.1 reads it right).
    Elsewhere (a runner's desktop) Blender's screenshot operator writes a PNG.
    """
    redraw(bpy, win)
    if framebuffer:
        path = stem + ".xwd"
        try:
            shutil.copyfile(framebuffer, path)
            return path
        except OSError:
            return None
    path = stem + ".png"
    return path if "FINISHED" in run_operator(bpy, bpy.ops.screen.screenshot, {"window": win}, filepath=path) else None


def steady_viewport(bpy):
    """The 3D view drawn the same way every time: its anti-aliasing accumulates samples over
    redraws, so two pictures of one view differed all over (a popup's picture is what differs
    from the window before it opened)."""
    system = bpy.context.preferences.system
    if hasattr(system, "viewport_aa"):
        system.viewport_aa = "OFF"
    # The pointer's shape follows what Blender thinks is under it: hidden, and the display's own
    # pointer put in the far corner (real input is ignored: --enable-event-simulate), it is in no picture.
    win = window(bpy)
    for hide in (lambda: win.cursor_modal_set("NONE"), lambda: win.cursor_warp(win.width - 1, 0)):
        try:
            hide()
        except (AttributeError, TypeError, ValueError, RuntimeError):
            pass


def stage_default_context(bpy):
    """A selected mesh object, active, in Object mode: what most add-ons' poll() asks for."""
    view_layer = bpy.context.view_layer
    active = view_layer.objects.active
    if active is None or active.type != "MESH":
        mesh = next((o for o in view_layer.objects if o.type == "MESH"), None)
        if mesh is None:
            data = bpy.data.meshes.new("Cube")
            mesh = bpy.data.objects.new("Cube", data)
            bpy.context.scene.collection.objects.link(mesh)
        view_layer.objects.active = mesh
        active = mesh
    active.select_set(True)
    if active.mode != "OBJECT":
        run_operator(bpy, bpy.ops.object.mode_set, {"window": window(bpy)}, mode="OBJECT")


def describe_context(bpy):
    """The context a poll() saw, as the report says it: "Object mode, active mesh 'Cube'"."""
    obj = bpy.context.view_layer.objects.active
    mode = bpy.context.mode.replace("_", " ").capitalize() if bpy.context.mode else "no"
    return "%s mode, active %s" % (mode, "%s '%s'" % (obj.type.lower(), obj.name) if obj else "none")
