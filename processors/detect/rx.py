"""Verbose regular expressions for RE2, which has no ``(?x)`` flag of its own."""

from __future__ import annotations

from functools import lru_cache

import re2


def verbose(pattern: str) -> str:
    """Strip the whitespace and ``# comments`` of a verbose pattern.

    Like Python's ``re.VERBOSE``: whitespace and comments inside a character
    class or after a backslash are kept.
    """
    out: list[str] = []
    in_class = False
    class_chars = 0
    """Characters of the class so far, a leading ``^`` excluded: a ``]``
    as the first one is a literal."""
    chars = iter(pattern)
    for char in chars:
        if char == "\\":
            out.append(char)
            out.append(next(chars, ""))
            class_chars += 1
        elif in_class:
            out.append(char)
            if char == "]" and class_chars > 0:
                in_class = False
            elif not (char == "^" and out[-2] == "["):
                class_chars += 1
        elif char == "[":
            in_class = True
            class_chars = 0
            out.append(char)
        elif char == "#":
            for skipped in chars:
                if skipped == "\n":
                    break
        elif not char.isspace():
            out.append(char)
    return "".join(out)


@lru_cache(maxsize=256)
def compile_verbose(pattern: str) -> re2._Regexp:
    """Compile a verbose pattern with RE2 (linear time, no backtracking)."""
    return re2.compile(verbose(pattern))
