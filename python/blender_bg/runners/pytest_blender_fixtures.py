"""The fixtures of pytest-blender, for suites written for it, in our pytest session.

pytest-blender runs a suite's pytest inside Blender and gives it fixtures; its users' conftest.py
installs the add-on with `install_addons_from_dir` and disables it with `disable_addons` (or
`uninstall_addons`); tests ask `blender_executable`, `blender_version`,
`blender_python_executable`, `blender_python_version` and `blender_addons_dir`. Written here from
their documented behaviour, so such a suite runs unmodified:

- installing the add-on under test is what the session already did: it is enabled (again, if
  it was disabled) and its module name returned; any other add-on is copied into this session's
  add-ons folder and enabled, as the fixture says;
- disabling and uninstalling do what they say (the add-on under test is only disabled: the
  session enables it again for the probes);
- the information fixtures answer for the Blender that runs the tests;
- pytest-blender's ini options are known (no "unknown option" warning): `blender-addons-dirs`
  installs every add-on in those folders at the start, as pytest-blender does; the ones that
  choose a Blender mean nothing here and are said to (`warn`).
"""

import os
import shutil
import sys
import zipfile

import pytest

from blender_bg.driver.addon import disable_addon

INI_OPTIONS = {
    "blender-executable": "the Blender to run (pytest-blender)",
    "blender-template": "a startup .blend (pytest-blender)",
    "blender-addons-dirs": "folders whose add-ons are installed before the tests (pytest-blender)",
    "blender-addons-cleaning": "remove installed add-ons after the tests (pytest-blender)",
    "pytest-blender-debug": "pytest-blender's own debug output",
}
# What those that choose a Blender mean here instead.
MEANINGLESS_HERE = {
    "blender-executable": "the tests run in the Blender this run started (blender-version or blender-path)",
    "blender-template": "a .blend to open first is the blend-file input",
}

_session = {"addon": None, "warn": lambda message: None}


def configure(addon, warn):
    """The add-on under test (AddonUnderTest, or None) and how to say what means nothing here."""
    _session["addon"] = addon
    _session["warn"] = warn


def pytest_addoption(parser):
    for name, help_text in INI_OPTIONS.items():
        parser.addini(name, help_text, type="linelist" if name == "blender-addons-dirs" else None)


def pytest_sessionstart(session):
    config = session.config
    for name, instead in MEANINGLESS_HERE.items():
        if config.getini(name):
            _session["warn"]("%s sets pytest-blender's %s, which means nothing here: %s." % (config.inipath or "the pytest configuration", name, instead))
    for folder in config.getini("blender-addons-dirs"):
        install_from_dir(os.path.join(str(config.rootpath), folder))


@pytest.fixture(scope="session")
def blender_executable():
    import bpy

    return bpy.app.binary_path


@pytest.fixture(scope="session")
def blender_version():
    import bpy

    return bpy.app.version_string


@pytest.fixture(scope="session")
def blender_python_executable():
    return sys.executable  # what pytest-blender answers from 2.91 on


@pytest.fixture(scope="session")
def blender_python_version():
    return "%d.%d.%d" % sys.version_info[:3]


@pytest.fixture(scope="session")
def blender_addons_dir():
    return addons_dir()


@pytest.fixture(scope="session")
def install_addons_from_dir():
    return install_from_dir


@pytest.fixture(scope="session")
def disable_addons():
    def disable(addon_module_names, save_userpref=True, default_set=True, **kwargs):
        for name in addon_module_names:
            disable_one(name, default_set)

    return disable


@pytest.fixture(scope="session")
def uninstall_addons():
    def uninstall(addon_module_names, quiet=True):
        for name in addon_module_names:
            disable_one(name, True)
            if not under_test(name):
                for path in (os.path.join(addons_dir(), name), os.path.join(addons_dir(), name + ".py")):
                    if os.path.isdir(path):
                        shutil.rmtree(path, ignore_errors=True)
                    elif os.path.isfile(path):
                        os.remove(path)

    return uninstall


def addons_dir():
    import bpy

    return bpy.utils.user_resource("SCRIPTS", path="addons", create=True)


def under_test(name):
    """Whether `name` is the add-on this run tests: its module, or the folder it came from."""
    addon = _session["addon"]
    return addon is not None and name in (addon.module, addon.module.rsplit(".", 1)[-1], addon.source_name)


def install_from_dir(addons_dir_path, addon_module_names=None, recursive=False, save_userpref=True, default_set=True, persistent=True, **kwargs):
    """The add-ons in a folder (all of them, or those named), installed and enabled; their module names."""
    import addon_utils

    names = list(addon_module_names) if addon_module_names is not None else discover(addons_dir_path, recursive)
    if not names:
        raise ValueError("no add-ons found in %r" % addons_dir_path)
    installed = []
    for name in names:
        if under_test(name):
            addon = _session["addon"]
            loaded = sys.modules.get(addon.module)
            if not getattr(loaded, "__addon_enabled__", False):
                addon.enable()
            installed.append(addon.module)
            continue
        copy_addon(addons_dir_path, name, recursive)
        addon_utils.enable(name, default_set=default_set, persistent=persistent)
        installed.append(name)
    return installed


def disable_one(name, default_set):
    addon = _session["addon"]
    if under_test(name):
        disable_addon(addon.module, on_error=addon.errors.unregister_failed)
    else:
        import addon_utils

        addon_utils.disable(name, default_set=default_set)


def discover(folder, recursive):
    """Module names of the add-ons in a folder: .py files, packages, zips (pytest-blender's discovery)."""
    found = []
    for entry in sorted(os.listdir(folder)):
        path = os.path.join(folder, entry)
        if entry.startswith(("__", ".")):
            continue
        if entry.endswith((".py", ".zip")) and os.path.isfile(path):
            found.append(entry.rsplit(".", 1)[0])
        elif os.path.isfile(os.path.join(path, "__init__.py")):
            found.append(entry)
        elif recursive and os.path.isdir(path):
            found.extend(discover(path, True))
    return found


def copy_addon(folder, name, recursive):
    """A named add-on of `folder` (a .py, a package or a zip) into this session's add-ons folder."""
    target = addons_dir()
    for root, dirs, files in os.walk(folder) if recursive else [(folder, os.listdir(folder), [])]:
        if os.path.isfile(os.path.join(root, name + ".py")):
            shutil.copy2(os.path.join(root, name + ".py"), target)
            return
        if os.path.isfile(os.path.join(root, name, "__init__.py")):
            shutil.copytree(os.path.join(root, name), os.path.join(target, name), dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
            return
        if os.path.isfile(os.path.join(root, name + ".zip")):
            with zipfile.ZipFile(os.path.join(root, name + ".zip")) as archive:
                archive.extractall(target)
            return
    raise FileNotFoundError("no add-on %r in %s" % (name, folder))
