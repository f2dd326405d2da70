"""Whose code is this? The add-on's own files (and the tests'), told apart from Blender's,
libraries' and the driver's, so that a warning, an error or a leftover is put on the add-on's line."""

import os


def import_name(path):
    """The folder to put on sys.path and the dotted name to import `path` by, as
    `unittest discover` and pytest do: up through every folder that holds __init__.py."""
    folder, filename = os.path.split(os.path.abspath(path))
    parts = [os.path.splitext(filename)[0]]
    while os.path.isfile(os.path.join(folder, "__init__.py")):
        folder, package = os.path.split(folder)
        parts.insert(0, package)
    return folder, ".".join(parts)


def same_file(a, b):
    """Whether two paths name one file (false when either is not there)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def inside(path, root):
    """Whether `path` is `root` or below it (a single-file add-on is its own root)."""
    if not path:
        return False
    path, root = os.path.realpath(path), os.path.realpath(root)
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


class Roots:
    """Files or folders whose lines are someone's own: the staged add-on, the test files."""

    def __init__(self, roots=()):
        self._roots = []
        self._owned = {}  # filename -> bool: asked for every frame of every traceback
        self.add(roots)

    def add(self, roots):
        for root in roots:
            if root:
                self._roots.append(os.path.realpath(root))
        self._owned.clear()

    @property
    def paths(self):
        return list(self._roots)

    def owns(self, filename):
        if not filename or filename.startswith("<"):
            return False
        owned = self._owned.get(filename)
        if owned is None:
            path = os.path.realpath(filename)
            owned = any(path == root or path.startswith(root.rstrip(os.sep) + os.sep) for root in self._roots)
            self._owned[filename] = owned
        return owned

    def place(self, frame, lineno=None):
        """(file, line, function) of a frame, the file's real path."""
        code = frame.f_code
        return os.path.realpath(code.co_filename), lineno if lineno is not None else frame.f_lineno, code.co_name

    def first_walking_out(self, frame):
        """The first frame that is ours, walking out from `frame` to its callers, as a place."""
        while frame is not None:
            if self.owns(frame.f_code.co_filename):
                return self.place(frame)
            frame = frame.f_back
        return None

    def innermost(self, tb):
        """The innermost frame of a traceback that is ours (where our code raised, or called
        what raised), as a place; None when no frame is ours."""
        found = None
        while tb is not None:
            if self.owns(tb.tb_frame.f_code.co_filename):
                found = self.place(tb.tb_frame, tb.tb_lineno)
            tb = tb.tb_next
        return found

    def innermost_in_stack(self, frame):
        """The innermost frame of a live stack (a thread's, a coroutine's) that is ours."""
        return self.first_walking_out(frame)

    def code_place(self, function):
        """Where a function (or what wraps one: a bound method, a partial, a callable object)
        is defined, if that is ours: (file, line, name)."""
        code = function_code(function)
        if code is None or not self.owns(code.co_filename):
            return None
        return os.path.realpath(code.co_filename), code.co_firstlineno, code.co_name


def function_code(function, depth=0):
    """The code object behind a callable: functions, bound methods, functools.partial, and
    objects with __call__ (what handlers, timers and draw functions are)."""
    if depth > 4 or function is None:
        return None
    code = getattr(function, "__code__", None)
    if code is not None:
        return code
    for attribute in ("__func__", "func", "__wrapped__"):
        inner = getattr(function, attribute, None)
        if inner is not None and inner is not function:
            return function_code(inner, depth + 1)
    call = getattr(type(function), "__call__", None)
    return getattr(call, "__code__", None)


def function_name(function):
    code = function_code(function)
    return getattr(function, "__qualname__", None) or getattr(function, "__name__", None) or (code.co_name if code else repr(function))


def python_files(roots):
    for root in roots:
        if os.path.isfile(root):
            yield root
            continue
        for folder, dirs, files in os.walk(root):
            dirs[:] = [d for d in dirs if not d.startswith(".") and d != "__pycache__"]
            for name in sorted(files):
                if name.endswith(".py"):
                    yield os.path.join(folder, name)


def find_in_files(roots, pattern):
    """The first line matching `pattern` in the Python files under `roots`: (file, line, None)."""
    for path in python_files(roots):
        try:
            with open(path, encoding="utf-8", errors="replace") as handle:
                for number, text in enumerate(handle, 1):
                    if pattern.search(text):
                        return os.path.realpath(path), number, None
        except OSError:
            continue
    return None
