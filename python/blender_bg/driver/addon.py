"""The add-on under test: made to win over a bundled copy, enabled from the staged copy, disabled
with its errors recorded, reloaded (reload-check), and put back between test files as a fresh
Blender would have it."""

import os
import sys
import traceback

from blender_bg.driver.log import log
from blender_bg.paths import inside
from blender_bg.driver.protocol import EXIT_ADDON_ENABLE_FAILED, EXIT_ADDON_NOT_STAGED
from blender_bg.driver.timers import install_timers, keeping_timers


class AddonProblem(Exception):
    """The add-on did not enable, or not from the copy under test; `code` is the driver's exit."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def enable_addon(module, staged_path, legacy, on_error=None):
    """Enables the copy under test and returns the file it loaded from; raises AddonProblem
    unless it enabled from that copy. on_error(exception): what import or register() raised."""
    import addon_utils

    make_room_for(module, staged_path, legacy)
    errors = []
    enabled = addon_utils.enable(module, default_set=True, persistent=True, handle_error=errors.append)
    if enabled is None or errors:
        if errors:
            error = errors[0]
            traceback.print_exception(type(error), error, error.__traceback__)
            if on_error is not None:
                on_error(error)
            said = "".join(traceback.format_exception_only(type(error), error)).strip().splitlines()[-1]
            raise AddonProblem(EXIT_ADDON_ENABLE_FAILED, "enabling the add-on %r failed: %s (traceback above)" % (module, said))
        raise AddonProblem(EXIT_ADDON_ENABLE_FAILED, "enabling the add-on %r failed: %s" % (module, silent_refusal(module)))
    loaded_from = module_file(module)
    if staged_path and not inside(loaded_from, staged_path):
        raise AddonProblem(EXIT_ADDON_NOT_STAGED, "the add-on %r was loaded from %s, not from the copy under test in %s"
                           % (module, loaded_from or "nowhere (it has no __file__)", staged_path))
    log("addon %r enabled, loaded from %s" % (module, loaded_from))
    return loaded_from


def silent_refusal(module):
    """Why addon_utils.enable returned nothing without an exception, as far as it can be told.

    Blender before 4.2 skips a legacy add-on whose bl_info["blender"] is below (2, 80, 0),
    saying nothing unless started with --debug (a 2018 add-on declares (2, 72, 0)); a module it
    cannot import by that name it reports only as "addon not loaded" in its log.
    """
    import bpy

    loaded = sys.modules.get(module)
    if loaded is None:
        return "Blender could not import it under that name (it printed \"addon not loaded\" in its log)"
    declared = (getattr(loaded, "bl_info", None) or {}).get("blender")
    if isinstance(declared, tuple) and declared < (2, 80, 0):
        return ("its bl_info declares \"blender\": %r, and Blender %s skips add-ons that declare less than (2, 80, 0) "
                "without a word; declare the oldest Blender it runs on, (2, 80, 0) or newer" % (declared, bpy.app.version_string))
    return "Blender gave no reason"


def make_room_for(module, staged_path, legacy):
    """The staged copy must win over an add-on Blender bundles under the same name.

    Blender appends its own add-on folders to sys.path before the user's, so a bundled
    node_wrangler or io_scene_gltf2 shadows a fork of it; one that Blender's defaults
    enable (io_scene_gltf2) is imported before this script even runs. So: a bundled add-on
    of that name is disabled, dropped from sys.modules, and the staged folder goes first.
    """
    if not staged_path:
        return
    name = module if legacy else module.rsplit(".", 1)[-1]
    loaded = sys.modules.get(name)
    if loaded is not None and not inside(getattr(loaded, "__file__", None), staged_path):
        import addon_utils
        import bpy

        bundled_enabled = name in bpy.context.preferences.addons
        if bundled_enabled:
            log("Blender's own add-on %r (%s) was enabled by its defaults: disabled, so the copy under test runs"
                % (name, getattr(loaded, "__file__", "?")))
            addon_utils.disable(name, default_set=True)
        # An extension's id may name any module (bl_ext.<repo>.<id> cannot clash): only a
        # bundled add-on of that name is dropped. A legacy add-on's name must be ours.
        if legacy or bundled_enabled:
            for key in [key for key in sys.modules if key == name or key.startswith(name + ".")]:
                del sys.modules[key]
    if legacy:
        folder = os.path.dirname(staged_path)
        while folder in sys.path:
            sys.path.remove(folder)
        sys.path.insert(0, folder)


def disable_addon(module, on_error=None, default_set=False):
    """Disables the add-on (its unregister() runs); on_error(exception): what unregister() raised."""
    import addon_utils

    def handle_error(error):
        traceback.print_exception(type(error), error, error.__traceback__)
        if on_error is not None:
            on_error(error)

    addon_utils.disable(module, default_set=default_set, handle_error=handle_error)
    # Blender 3.x's disable() clears `__addon_persistent` (a typo for __addon_persistent__, fixed in
    # 4.x), so an add-on enabled as persistent comes back by itself at the next file load or
    # factory reset (measured on 3.4.1): clear the real flag, as newer Blenders do.
    loaded = sys.modules.get(module)
    if loaded is not None and not getattr(loaded, "__addon_enabled__", False):
        loaded.__addon_persistent__ = False


def drop_modules(module):
    """The add-on's modules out of sys.modules, so enabling it again imports its files afresh."""
    for key in [key for key in sys.modules if key == module or key.startswith(module + ".")]:
        del sys.modules[key]


def ensure_extension_repository(repository):
    """A repository of the user's own name (extension-repository), made in the session's
    preferences as Blender's "Add Local Repository" makes one; the built-in ones exist."""
    if not repository:
        return
    import bpy

    repos = bpy.context.preferences.extensions.repos
    if not any(repo.module == repository["module"] for repo in repos):
        repos.new(name=repository["module"], module=repository["module"], custom_directory=repository["directory"], source="USER")


def module_file(module):
    loaded = sys.modules.get(module)
    return os.path.realpath(loaded.__file__) if loaded is not None and getattr(loaded, "__file__", None) else None


def add_python_paths(paths):
    """The python-packages folders, first on sys.path (their .pth files too), before the add-on loads."""
    import site

    for path in reversed(paths or []):
        before = list(sys.path)
        site.addsitedir(path)
        added = [entry for entry in sys.path if entry not in before]
        for entry in added:
            sys.path.remove(entry)
        sys.path[0:0] = added
        log("python-packages: %s is on sys.path" % path)


class AddonUnderTest:
    """The add-on as the session has it: enabled, disabled, reloaded, put back.

    Its register() and unregister() errors go to `errors` (AddonErrors); `state` (BlenderState,
    or None with unregister-check off) names what a disable left behind.
    """

    def __init__(self, config, timers, errors, state):
        self.module = config["addon_module"]
        # the name of the user's folder (or file) it was staged from: what their suite may call it
        self.source_name = config.get("addon_source_name")
        self.staged_path = config.get("addon_path")
        # the user's folder it was staged from (a package or an extension folder; None for a file
        # or a zip): test files inside it are the add-on's own submodules (in_package.py)
        self.source_folder = config.get("addon_source_folder")
        self.legacy = config.get("addon_kind") != "extension"
        self._repository = config.get("extension_repository")
        self._startup = config.get("startup")
        self._grace = float(config.get("unregister_grace", 1.0))
        self._timers = timers
        self.errors = errors
        self.state = state
        # with count_ui: what Blender drew before the add-on came (ui/inventory.py), to count what it adds
        self._drawn_before = None

    def note_what_blender_draws(self):
        """Before the first enable (count_ui): Blender's own panels, menus and draw functions."""
        import bpy

        from blender_bg.ui import inventory

        self._drawn_before = inventory.snapshot(bpy)

    def ui_targets(self):
        """How many panels, menus, headers, lists, preferences and appended draw functions the add-on
        has now (None: not counted): the UI check starts a Blender with a window only when there are some."""
        if self._drawn_before is None:
            return None
        import bpy

        from blender_bg.paths import Roots
        from blender_bg.ui import inventory

        return len(inventory.addon_targets(bpy, self._drawn_before, Roots([self.staged_path])))

    def enable(self):
        """Enables the copy under test; returns the file it loaded from (raises AddonProblem)."""
        ensure_extension_repository(self._repository)
        return enable_addon(self.module, self.staged_path, self.legacy, on_error=self.errors.register_failed)

    def run_startup(self):
        """The startup snippet, as after the first enable; raises what it raises."""
        import bpy

        if self._startup:
            exec(compile(self._startup, "<startup>", "exec"), {"__name__": "__startup__", "bpy": bpy})

    def disable(self):
        """Disables it and returns what it left in Blender (records; none when not checked)."""
        log("disabling the add-on %r" % self.module)
        disable_addon(self.module, on_error=self.errors.unregister_failed)
        return self.state.leftovers(self._grace) if self.state is not None else []

    def reload(self):
        """One reload-check cycle: disable, check, drop its modules, enable again from the staged
        copy, run the startup snippet again. What a user does when they update an add-on."""
        leftovers = self.disable()
        drop_modules(self.module)
        problem = None
        try:
            self.enable()
            self.run_startup()
        except AddonProblem as error:
            problem = str(error)
        except Exception as error:  # the startup snippet
            traceback.print_exc()
            problem = "the startup snippet raised %s" % "".join(traceback.format_exception_only(type(error), error)).strip()
        return {"leftovers": leftovers, "enabled": problem is None, "problem": problem, "uiTargets": self.ui_targets() if problem is None else None}

    def enabled(self):
        import bpy

        loaded = sys.modules.get(self.module)
        return self.module in bpy.context.preferences.addons and getattr(loaded, "__addon_enabled__", False)

    def installed_only(self, before):
        """Before a test file that enables the add-on itself: installed and disabled, as in that
        suite's own loop (disabled cleanly now, while its preferences still exist)."""
        if self.enabled():
            log("disabling the add-on %r before %s: its tests enable it themselves" % (self.module, before))
            disable_addon(self.module, on_error=self.errors.unregister_failed, default_set=True)

    def fresh_startup_scene(self, before):
        """Before a test file (test-isolation: file): the startup scene loaded again, as a fresh
        Blender per file has it; the add-on stays as it is (read_homefile leaves add-ons and
        preferences alone). A load drops non-persistent timers and handlers: the add-on's own are
        kept, since a fresh Blender would have them from its register()."""
        import bpy

        def owned(function):
            code = getattr(function, "__code__", None)
            return code is not None and inside(code.co_filename, self.staged_path)

        handler_lists = [name for name in dir(bpy.app.handlers) if isinstance(getattr(bpy.app.handlers, name), list)]
        kept = {name: [h for h in getattr(bpy.app.handlers, name) if owned(h)] for name in handler_lists}
        log("loading the startup scene before %s (test-isolation)" % before)
        with keeping_timers(owned):
            bpy.ops.wm.read_homefile()
        for name, handlers in kept.items():
            present = getattr(bpy.app.handlers, name)
            present.extend(h for h in handlers if h not in present)

    def restore(self, after, enable=True):
        """Between test files: the timers shim and the add-on back, as a fresh Blender would have them
        (enabled, unless the tests enable it themselves: `enable` False).

        In a suite's own CI every file gets a fresh Blender with the add-on enabled; here files
        share one. A test that calls read_factory_settings() (which disables every add-on the
        factory preferences do not list) must not leave the next file, or the probes, without
        the add-on.
        """
        import bpy

        if self._timers is not None and bpy.app.timers.register != self._timers.register:
            install_timers(bpy, self._timers)
        if enable and not self.enabled():
            log("the add-on %r was disabled during %s: enabled again, as a fresh Blender would have it" % (self.module, after))
            try:
                self.enable()  # its repository too: read_factory_settings() drops one of the user's own
            except AddonProblem as problem:  # the tests after this one will say what it breaks
                log(str(problem))
