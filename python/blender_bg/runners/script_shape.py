"""Is a test file a script? Read from its source, never by running it.

A suite's own loop runs some test files as scripts (`blender -b --python f`, its exit code the
verdict): their module-level code does the work, maybe running TestCases it defines
(`unittest.TextTestRunner().run(...)`, then `sys.exit(not ok)`). Imported as a test module, such
a file would run its tests while being collected and end in sys.exit(). A file that only defines
tests, or keeps its running under `if __name__ == "__main__":`, is a test module as before: a
file with tests and module-level calls that never run them (a set-up done at import) is one too,
or the tests it defines would be skipped and it would pass.
"""

import ast
import os

# Names that, called at module level, run tests or end the process: a file calling them is a script.
RUNS_OR_EXITS = {"main", "TextTestRunner", "run", "exit", "quit", "_exit"}


def is_script(source):
    """Whether a test file's source is a script (module-level code doing the work); a file that
    does not parse is not (the runner reports its syntax error where it imports it)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return False
    actions = [node for node in top_level(tree.body) if is_action(node)]
    if not actions:
        return False
    return not defines_tests(tree) or any(calls_runner(node) for node in actions)


def top_level(body):
    """Module-level statements, looking into plain `if`/`try` blocks (an import guarded by try) but
    not into `if __name__ == "__main__":`, which an import does not run."""
    for node in body:
        if isinstance(node, ast.If):
            if is_main_guard(node.test):
                yield from top_level(node.orelse)
                continue
            yield from top_level(node.body)
            yield from top_level(node.orelse)
        elif isinstance(node, ast.Try):
            for part in (node.body, *(handler.body for handler in node.handlers), node.orelse, node.finalbody):
                yield from top_level(part)
        else:
            yield node


def is_main_guard(test):
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq)):
        return False
    sides = [test.left, *test.comparators]
    return any(isinstance(s, ast.Name) and s.id == "__name__" for s in sides) and any(
        isinstance(s, ast.Constant) and s.value == "__main__" for s in sides)


def is_action(node):
    """A statement that does something when the file runs: a call on its own line (not a
    docstring), a loop, a with block, or an assignment whose value is the result of running."""
    if isinstance(node, ast.Expr):
        return isinstance(node.value, (ast.Call, ast.Await))
    if isinstance(node, (ast.For, ast.While, ast.With, ast.AsyncFor, ast.AsyncWith, ast.Raise, ast.Assert)):
        return True
    if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
        return node.value is not None and (calls_runner(node) or uses_bpy(node.value))
    return False


def uses_bpy(node):
    """Whether an expression reads Blender's data (`bpy.data.objects["Cube"]`): a script's work,
    where a helper module's constants (`HERE = os.path.dirname(__file__)`) are not."""
    return any(isinstance(inner, ast.Name) and inner.id == "bpy" for inner in ast.walk(node))


def calls_runner(node):
    """Whether a statement calls something that runs tests or exits (unittest.main, a
    TextTestRunner, runner.run(suite), pytest.main, sys.exit...)."""
    for inner in ast.walk(node):
        if isinstance(inner, ast.Call):
            func = inner.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if name in RUNS_OR_EXITS:
                return True
    return False


def defines_tests(tree):
    """Whether the module defines tests a runner would collect: test* functions, or classes with
    test* methods (TestCases and pytest-style classes alike)."""
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test"):
            return True
        if isinstance(node, ast.ClassDef) and any(
                isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name.startswith("test") for item in node.body):
            return True
    return False


def read_is_script(path):
    """Whether the file at `path` runs as a script. A name with a dot in it (cube.test.py) cannot be
    imported by any runner: its own loop can only have run it as a script, so it is one unless it
    only defines tests (then it is imported under a name of its own, unittest_runner.load_by_path)."""
    try:
        with open(path, "rb") as handle:
            source = handle.read()
    except OSError:
        return False
    if is_script(source):
        return True
    dotted = "." in os.path.splitext(os.path.basename(path))[0]
    try:
        return dotted and not defines_tests(ast.parse(source))
    except (SyntaxError, ValueError):
        return dotted  # run as a script, its syntax error is its result
