"""Blender's own descendants (Linux): what the stop record lists and the leftover check names."""

import ctypes
import os
import sys


PR_SET_CHILD_SUBREAPER = 36


def become_subreaper():
    """Linux: orphans of Blender's children (a double fork, setsid -f) reparent to Blender
    instead of init, so the stop record can list them while Blender still lives."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def descendants(pid):
    """Every live process below `pid`, from /proc (Linux): [{"pid", "start"}].

    "start" is the process's start time in clock ticks, so a reused pid is told apart.
    """
    children = {}
    try:
        names = os.listdir("/proc")
    except OSError:
        return []
    for name in names:
        if not name.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % name, "rb") as handle:
                stat = handle.read().decode("utf-8", "replace")
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        if len(fields) < 20 or fields[0] == "Z":
            continue
        children.setdefault(int(fields[1]), []).append({"pid": int(name), "start": int(fields[19])})
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child["pid"])
    return found




def command_line(pid):
    """A process's command line, for a report (Linux: /proc; elsewhere unknown)."""
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as handle:
            text = handle.read().replace(b"\0", b" ").decode("utf-8", "replace").strip()
    except OSError:
        return "?"
    return text if len(text) <= 200 else text[:197] + "..."
