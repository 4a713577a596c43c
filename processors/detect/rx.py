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
    chars = iter(pattern)
    for char in chars:
        if char == "\\":
            out.append(char)
            out.append(next(chars, ""))
        elif in_class:
            out.append(char)
            if char == "]" and out[-2:-1] != ["["] and out[-3:-1] != ["[", "^"]:
                in_class = False
        elif char == "[":
            in_class = True
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
