"""The add-on's draw code watched while the UI is drawn: which of it ran, what it raised.

Blender looks a registered class's draw() and poll() up on the class each time it calls them,
so they can be wrapped in place for the pass (and put back before a reload cycle disables the
add-on). A draw function the add-on appended to one of Blender's menus is wrapped in the
host's list. The wrapper records and raises again: Blender then does what it always does
(prints the traceback; on 3.4 a panel's error is printed twice), the log reads as before.

Wrapping, not sys.excepthook: Blender's own wrapper around appended draw functions (draw_ls in
bpy_types.py) catches their exceptions and prints them, so they never reach the hook.
"""

import traceback


# Every method Blender calls to draw a class, by the Blender type it registers as.
DRAW_METHODS = {
    "Panel": ("draw", "draw_header", "draw_header_preset"),
    "Menu": ("draw",),
    "Header": ("draw",),
    "UIList": ("draw_item", "draw_filter", "filter_items"),
    "AddonPreferences": ("draw",),
}


def traceback_text(error, message):
    """The traceback from the first frame that is not this module's (the wrapper is ours, not the
    add-on's), its last line the short message (not Blender's list of every icon)."""
    start = tb = error.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == __file__:  # the wrapper: what it called is the add-on's
            start = tb.tb_next
        tb = tb.tb_next
    lines = traceback.format_exception(type(error), error, start)
    return "".join(lines[:-1]) + message + "\n"


def short_message(error, limit=300):
    """The exception's last line, its enum list cut: Blender lists every icon name it knows
    ("enum "HAIR" not found in ('NONE', 'QUESTION', … 900 more)")."""
    said = "".join(traceback.format_exception_only(type(error), error)).strip().splitlines()[-1]
    if len(said) <= limit:
        return said
    head = said[:limit]
    cut = head.rfind(", ")
    return (head[:cut] if cut > 0 else head) + ", …)"


class DrawSpy:
    def __init__(self, roots, on_error):
        """`roots`: paths.Roots of the add-on's files; on_error(target_id, error, place)."""
        self.roots = roots
        self._on_error = on_error
        self.calls = {}  # target id -> how many times its draw code ran
        self.polls = {}  # target id -> what its poll() last returned
        self._restore = []

    def _raised(self, target_id, error):
        place = self.roots.innermost(error.__traceback__)
        self._on_error(target_id, error, place)

    def wrap_class(self, cls, base, target_id):
        for name in DRAW_METHODS.get(base, ()):
            original = cls.__dict__.get(name)
            if callable(original):
                self._replace(cls, name, original, self._watched(target_id, original))
        poll = cls.__dict__.get("poll")
        if isinstance(poll, classmethod):
            self._replace(cls, "poll", poll, classmethod(self._watched_poll(target_id, poll.__func__)))

    def wrap_appended(self, funcs, index, target_id):
        """An appended draw function, at funcs[index] of its host's list."""
        original = funcs[index]
        funcs[index] = self._watched(target_id, original)
        self._restore.append(lambda: _put_back(funcs, original))

    def unwrap(self):
        """Everything back as the add-on made it (before it is disabled)."""
        while self._restore:
            self._restore.pop()()

    def _replace(self, cls, name, original, wrapper):
        setattr(cls, name, wrapper)
        self._restore.append(lambda: setattr(cls, name, original))

    def _watched(self, target_id, function):
        spy = self

        def call(*args):
            spy.calls[target_id] = spy.calls.get(target_id, 0) + 1
            try:
                return function(*args)
            except Exception as error:
                spy._raised(target_id, error)
                raise

        watched = same_arguments(function, call)
        watched.__wrapped__ = function
        return watched

    def _watched_poll(self, target_id, function):
        spy = self

        def poll(cls, context):
            try:
                result = function(cls, context)
            except Exception as error:
                spy._raised(target_id, error)
                raise
            spy.polls[target_id] = bool(result)
            return result

        poll.__wrapped__ = function
        return poll


def _put_back(funcs, original):
    """The host's list may have changed since (another add-on appended): found by what it wraps."""
    for index, function in enumerate(funcs):
        if getattr(function, "__wrapped__", None) is original:
            funcs[index] = original
            return


def same_arguments(function, call):
    """A function taking exactly the positional arguments `function` takes, passing them to `call`.

    Blender counts a Python draw method's arguments (its code's co_argcount) and passes only
    that many: a wrapper taking *args would be called with none.
    """
    code = getattr(function, "__code__", None)
    count = code.co_argcount if code is not None else 2
    names = ", ".join("a%d" % index for index in range(count))
    namespace = {"call": call}
    exec("def %s(%s):\n    return call(%s)\n" % (getattr(function, "__name__", "draw"), names, names), namespace)
    made = namespace[getattr(function, "__name__", "draw")]
    made.__qualname__ = getattr(function, "__qualname__", made.__name__)
    return made
