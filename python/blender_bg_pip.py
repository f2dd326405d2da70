"""Runs pip with the very Python that runs inside Blender, for the python-packages input.

    blender -b --factory-startup --python blender_bg_pip.py -- <pip arguments>

Blender's own Python, not a python3 found on PATH: blender.org builds bundle theirs
(<X.Y>/python), Debian's Blender uses the system one, and a test Blender may live in a
chroot. Nothing is installed into Blender itself: the caller passes `install --target`.
Where pip is missing, the pip wheel that ensurepip bundles is run in place (still nothing
written into Blender's installation). Exits with pip's exit code; 3 when there is no pip.
"""

import glob
import importlib
import os
import runpy
import sys

EXIT_NO_PIP = 3


def interpreter():
    """The python executable beside Blender's Python library, if there is one: pip starts it to
    build packages from source. (sys.executable is Blender itself, or on Debian whatever
    python3.X comes first on PATH.)"""
    if os.name == "nt":
        names = [os.path.join(sys.exec_prefix, "bin", "python.exe"), os.path.join(sys.exec_prefix, "python.exe")]
    else:
        names = [os.path.join(sys.exec_prefix, "bin", "python%d.%d" % sys.version_info[:2])]
    return next((name for name in names if os.path.isfile(name)), None)


def find_pip():
    """Imports pip, from Blender's Python or else from ensurepip's bundled wheel; False if neither."""
    try:
        importlib.import_module("pip")  # imported, not only found: a broken pip fails here

        return True
    except ImportError:
        pass
    try:
        import ensurepip
    except ImportError:
        return False
    wheels = sorted(glob.glob(os.path.join(os.path.dirname(ensurepip.__file__), "_bundled", "pip-*.whl")))
    if not wheels:
        return False
    sys.path.insert(0, wheels[-1])  # a wheel is a zip: importable as it is
    return True


def main():
    sys.dont_write_bytecode = True
    args = sys.argv[sys.argv.index("--") + 1:] if "--" in sys.argv else []
    found = interpreter()
    if found:
        sys.executable = found
    print("blender-bg-pip: Python %d.%d.%d (%s)" % (sys.version_info[:3] + (sys.exec_prefix,)), flush=True)
    if not find_pip():
        print("blender-bg-pip: no pip for this Python, and no pip wheel bundled with ensurepip", flush=True)
        return EXIT_NO_PIP
    sys.argv = ["pip"] + args
    try:
        runpy.run_module("pip", run_name="__main__", alter_sys=True)
    except SystemExit as done:
        code = done.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)  # Blender's own exit path would ignore the code
