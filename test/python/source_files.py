"""Helpers for the driver's Python tests: source files written for a test, and their lines."""

import os
import textwrap


def write(folder, name, code):
    path = os.path.join(folder, name)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(textwrap.dedent(code))
    return path


def line_of(path, text):
    """The number of the first line of `path` that holds `text`."""
    with open(path, encoding="utf-8") as handle:
        return next(number for number, line in enumerate(handle, 1) if text in line)
