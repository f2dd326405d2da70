"""One pass over everything the add-on draws, as steps: Blender's event loop runs between them,
so a simulated ESC closes one popup before the next opens (main.py drives the steps from a
timer). Each draw is caught whole: what the add-on's code raised (spy.py), what Blender printed
instead of raising (printed.py), which of its classes ran, a screenshot of the window.
"""

import os
import re
import sys
import time

from blender_bg.paths import find_in_files
from blender_bg.ui import inventory
from blender_bg.ui import screen
from blender_bg.ui.printed import CapturedOutput, printed_warnings, searched_name
from blender_bg.ui import spy
from blender_bg.ui.spy import DrawSpy, short_message

POPUP_KINDS = ("panel", "menu")


def file_safe(name):
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_") or "ui"


class DrawPass:
    """Draws every target once (`cycle` 0 is the run's pass; 1.. are reload-check's)."""

    def __init__(self, bpy, events, roots, targets, cycle, images_dir, framebuffer=None):
        self.bpy = bpy
        self.events = events
        self.roots = roots
        self.targets = targets
        self.cycle = cycle
        self.images_dir = images_dir if cycle == 0 else None
        self.framebuffer = framebuffer
        self.screen = screen.Screen(bpy)
        self.input = screen.Events(self.screen.win)
        self.spy = DrawSpy(roots, self._raised)
        self._drawing = None
        self._seen = set()
        self._baselines = {}
        self.tried = {}  # target id -> the context its poll() saw
        self.failed = {}  # draw (root) id -> why Blender would not draw it

    # --- what went wrong ------------------------------------------------------------------
    def _raised(self, target_id, error, place):
        message = short_message(error)
        if place is None:  # not the add-on's line (a helper of Blender's raised with none of its frames): still its draw
            place = next((t.place for t in self.targets if t.id == target_id), None)
        self._error(target_id, "raised", message, place, spy.traceback_text(error, message))

    def _printed(self, drawn_ids, text):
        for message, file, line in printed_warnings(text):
            place = (os.path.realpath(file), line, None) if file and self.roots.owns(file) else None
            if place is None:
                name = searched_name(message)
                files = [t.place[0] for t in self.targets if t.id in drawn_ids and t.place]
                found = name and (find_in_files(files, re.compile(r"['\"]%s['\"]" % re.escape(name))) or find_in_files(self.roots.paths, re.compile(r"['\"]%s['\"]" % re.escape(name))))
                place = found or None
            self._error(self._owner_of(place, drawn_ids), "printed", message, place, None)

    def _owner_of(self, place, drawn_ids):
        """The class a printed line belongs to: the drawn one whose file holds it, nearest above it."""
        candidates = [t for t in self.targets if t.id in drawn_ids and t.place and place and t.place[0] == place[0] and t.place[1] <= place[1]]
        if candidates:
            return max(candidates, key=lambda t: t.place[1]).id
        return drawn_ids[0] if drawn_ids else "?"

    def _error(self, target_id, kind, message, place, trace):
        key = (target_id, kind, message, place[0] if place else None, place[1] if place else None)
        if key in self._seen:  # 3.4 prints a panel's error twice per draw; a list row's once per row
            return
        self._seen.add(key)
        self.events.write("error", target=target_id, cycle=self.cycle, kind=kind, message=message,
                          file=place[0] if place else None, line=place[1] if place else None,
                          function=place[2] if place else None, traceback=trace)

    # --- the steps --------------------------------------------------------------------------
    def steps(self):
        # What there is to draw, before any of it is: a draw that hangs or crashes Blender is still named at its line.
        self.events.write("inventory", cycle=self.cycle, targets=[target.record() for target in self.targets])
        for target in self.targets:
            if target.cls is not None:
                self.spy.wrap_class(target.cls, target.base, target.id)
        for host, funcs in inventory.draw_functions_of(self.targets):
            for index, function in enumerate(funcs):
                for target in self.targets:
                    if target.function is function:
                        self.spy.wrap_appended(funcs, index, target.id)
        try:
            for draw in self._draws():
                yield from self._draw(draw)
        finally:
            self.screen.put_back()
        self._report_targets()

    def _draws(self):
        """What to draw to reach every target, each once, grouped by space type."""
        draws, seen = [], set()
        for target in self.targets:
            draw = self._draw_for(target)
            if draw is not None and draw["id"] not in seen:
                seen.add(draw["id"])
                draws.append(draw)
            elif draw is not None:
                next(d for d in draws if d["id"] == draw["id"])["targets"].append(target.id)
        # The 3D view and the Properties editor first; the Preferences last: they take the largest area.
        order = {"VIEW_3D": 0, "PROPERTIES": 1, "PREFERENCES": 3}
        return sorted(draws, key=lambda d: (order.get(d["space"], 2), d["space"] or "", d["context"] or ""))

    def _draw_for(self, target):
        bpy = self.bpy
        if target.kind == "panel":
            root = inventory.root_panel(bpy, target)
            cls = getattr(bpy.types, root, None)
            return {"id": root, "how": "panel", "targets": [target.id], "space": getattr(cls, "bl_space_type", None), "region": getattr(cls, "bl_region_type", None), "context": getattr(cls, "bl_context", None) or None}
        if target.kind == "menu":
            return {"id": target.id, "how": "menu", "targets": [target.id], "space": "VIEW_3D", "region": "WINDOW", "context": None}
        if target.kind == "header":
            return {"id": target.id, "how": "header", "targets": [target.id], "space": target.space, "region": "HEADER", "context": None}
        if target.kind == "preferences":
            return {"id": target.id, "how": "preferences", "targets": [target.id], "space": "PREFERENCES", "region": "WINDOW", "context": None}
        if target.kind == "appended":
            host = inventory.idname_of(target.host)
            how = {"Menu": "menu", "Panel": "panel", "Header": "header"}.get(target.base)
            if how is None:
                return None
            space = getattr(target.host, "bl_space_type", None) if how != "menu" else "VIEW_3D"
            region = getattr(target.host, "bl_region_type", None) if how == "panel" else ("HEADER" if how == "header" else "WINDOW")
            root = inventory.root_panel(bpy, inventory.Target("panel", host, host, "Panel", cls=target.host)) if how == "panel" else host
            return {"id": root, "how": how, "targets": [target.id], "space": space, "region": region, "context": (getattr(target.host, "bl_context", None) or None) if how == "panel" else None}
        return None  # lists: drawn by the panels that show them

    def _draw(self, draw):
        bpy = self.bpy
        area = self.screen.area_for(draw["space"])
        if area is None:
            self.failed[draw["id"]] = "no area could show the %s space" % draw["space"]
            return
        no_context = self.screen.show_context(area, draw["context"])
        if no_context:
            self.failed[draw["id"]] = no_context
        region = self.screen.region_of(area, "HEADER" if draw["how"] == "header" else draw["region"])
        where = "%s › %s" % (area.type, region.type if region else "?")
        if draw["context"]:
            where += " (%s tab)" % draw["context"].upper()
        for target_id in draw["targets"]:
            self.tried[target_id] = "%s; %s" % (where, screen.describe_context(bpy))
        if draw["how"] in POPUP_KINDS:
            self.input.move_to(area)
            yield  # the pointer moves before the popup opens at it
        baseline = self._baseline(area, draw) if self.images_dir else None
        self.events.write("drawing", targets=draw["targets"], draw=draw["id"], cycle=self.cycle)
        started = time.perf_counter()
        members = self.screen.members(area, region)
        with CapturedOutput() as output:
            try:
                if draw["how"] == "panel":
                    screen.run_operator(bpy, bpy.ops.wm.call_panel, members, name=draw["id"], keep_open=False)
                elif draw["how"] == "menu":
                    screen.run_operator(bpy, bpy.ops.wm.call_menu, members, name=draw["id"])
                elif draw["how"] == "preferences":
                    self._show_preferences(area, draw["targets"][0])
                else:
                    area.tag_redraw()
                    screen.redraw(bpy, self.screen.win)
            except Exception as error:  # the operator refused (poll, an unknown name): said, not raised
                self.failed[draw["id"]] = short_message(error)
        elapsed = (time.perf_counter() - started) * 1000
        self._printed(draw["targets"], output.text)
        image = None
        if self.images_dir:
            stem = os.path.join(self.images_dir, file_safe(draw["id"] if draw["how"] != "header" else draw["targets"][0]))
            with CapturedOutput():  # what a redraw prints is not this draw's: the panels on screen drew again
                image = screen.screenshot(bpy, self.screen.win, stem, self.framebuffer)
        crop = self._crop(area, region) if draw["how"] in ("header", "preferences") else None
        self.events.write("drawn", draw=draw["id"], targets=draw["targets"], cycle=self.cycle, ms=round(elapsed, 1), image=image, baseline=baseline, crop=crop)
        if draw["how"] in POPUP_KINDS:
            self.input.escape()
            yield  # the popup closes before the next one opens

    def _baseline(self, area, draw):
        """The window before a popup opens, once per area and tab: what the image is cropped against."""
        key = (area.type, draw["context"])
        if key not in self._baselines and draw["how"] in POPUP_KINDS:
            stem = os.path.join(self.images_dir, ".baseline-%d" % len(self._baselines))
            with CapturedOutput():
                self._baselines[key] = screen.screenshot(self.bpy, self.screen.win, stem, self.framebuffer)
        return self._baselines.get(key)

    def _crop(self, area, region):
        """[x, y, width, height] from the window's top left: the header strip, or the whole area."""
        win = self.screen.win
        box = region if region is not None and region.type == "HEADER" else area
        return [box.x, win.height - (box.y + box.height), box.width, box.height]

    def _show_preferences(self, area, target_id):
        """The add-on's preferences as a user opens them: Preferences › Add-ons, found, expanded."""
        import addon_utils

        bpy = self.bpy
        prefs = bpy.context.preferences
        prefs.active_section = "ADDONS"
        module = target_id  # an AddonPreferences' bl_idname is the add-on's module
        # The Preferences list the modules addon_utils read from the files (not sys.modules'):
        # its show_expanded is the one the list looks at.
        listed = next((m for m in addon_utils.modules(refresh=False) if m.__name__ == module), None) or sys.modules.get(module)
        info = addon_utils.module_bl_info(listed) if listed is not None else {}
        wm = bpy.context.window_manager
        if hasattr(wm, "addon_search"):
            wm.addon_search = info.get("name", "") if isinstance(info, dict) else ""
        if isinstance(info, dict):
            info["show_expanded"] = True
        area.tag_redraw()
        screen.redraw(bpy, self.screen.win)

    def _report_targets(self):
        for target in self.targets:
            drawn = self.spy.calls.get(target.id, 0) > 0
            reason = None if drawn else self._why_not(target)
            self.events.write("target", target=target.record(), cycle=self.cycle, drawn=drawn, calls=self.spy.calls.get(target.id, 0), reason=reason, tried=self.tried.get(target.id))
        self.spy.unwrap()

    def _why_not(self, target):
        if self.spy.polls.get(target.id) is False:
            return "its poll() was false"
        draw = self._draw_for(target)
        if draw is not None and draw["id"] in self.failed:
            return self.failed[draw["id"]]
        if target.kind == "list":
            return "no panel drew it (template_list)"
        if target.kind == "panel" and target.parent:
            return "its parent panel %s did not draw it" % target.parent
        if target.kind == "header":
            # measured on 3.4.1 and 5.2.2: a Header class of its own registers, and no header draws it
            return "Blender drew the %s header without calling it" % (target.space or "space's")
        return "Blender did not call its draw code"

