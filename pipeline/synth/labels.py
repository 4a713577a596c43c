"""Labelled lines, and the markers that locate values through any escaping."""

from __future__ import annotations

import re
from dataclasses import dataclass

_OPEN = "\ue000"
_CLOSE = "\ue001"
_FIRST_ID = 0xE100
_LAST_ID = 0xF8FF

# A marked value: open, one character naming the label, the value, close.
# Private-use characters pass through JSON, logfmt and SQL quoting untouched,
# so the value between the markers is exactly what the rendered line holds.
_MARKED = re.compile(f"{_OPEN}([\ue100-\uf8ff])(.*?){_CLOSE}", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Label:
    """One labelled value: ``line[start:end] == value``.

    ``entity_type`` is an entity type for PHI, or a look-alike kind.
    """

    entity_type: str
    value: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class LabelledLine:
    """One generated log line with the PHI and look-alikes it carries."""

    line: str
    format: str
    phi: tuple[Label, ...]
    lookalikes: tuple[Label, ...]


class Marks:
    """Mark the labelled values of one event, then locate them in its lines."""

    def __init__(self) -> None:
        self._kinds: list[tuple[bool, str]] = []

    def phi(self, entity_type: str, value: str) -> str:
        """Return ``value`` marked as PHI of ``entity_type``."""
        return self._mark(True, entity_type, value)

    def lookalike(self, kind: str, value: str) -> str:
        """Return ``value`` marked as a look-alike of ``kind``."""
        return self._mark(False, kind, value)

    def resolve(self, marked: str, fmt: str) -> LabelledLine:
        """Strip the markers from one rendered line and label what they held."""
        pieces: list[str] = []
        phi: list[Label] = []
        lookalikes: list[Label] = []
        position = 0
        length = 0
        for match in _MARKED.finditer(marked):
            before = marked[position : match.start()]
            pieces.append(before)
            length += len(before)
            value = match.group(2)
            is_phi, kind = self._kinds[ord(match.group(1)) - _FIRST_ID]
            label = Label(kind, value, length, length + len(value))
            (phi if is_phi else lookalikes).append(label)
            pieces.append(value)
            length += len(value)
            position = match.end()
        pieces.append(marked[position:])
        line = "".join(pieces)
        if _OPEN in line or _CLOSE in line or "\n" in line or "\r" in line:
            raise ValueError(f"{fmt} rendered an unbalanced marker or a line break")
        return LabelledLine(line, fmt, tuple(phi), tuple(lookalikes))

    def _mark(self, is_phi: bool, kind: str, value: str) -> str:
        if _OPEN in value or _CLOSE in value:
            raise ValueError(f"a {kind} value is already marked")
        index = len(self._kinds)
        if _FIRST_ID + index > _LAST_ID:
            raise ValueError(f"more labels in one event than {index}")
        self._kinds.append((is_phi, kind))
        return f"{_OPEN}{chr(_FIRST_ID + index)}{value}{_CLOSE}"
