"""What every detector looks like to the engine."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from processors.entities import EntityType
from processors.spans import Span

Validator = Callable[[str, int, int], float | None]
"""Judge a candidate ``text[start:end]``: a score in [0, 1], or None to reject.

A validator sees the whole text, so it can read context words around the
candidate, and check boundaries the linear-time pattern cannot express.
"""


@dataclass(frozen=True, slots=True)
class Pattern:
    """A pattern detector: a linear-time RE2 candidate plus a validator.

    All patterns are compiled together into one prefilter, so a string with
    no candidate for any pattern costs one scan.
    """

    name: str
    version: str
    entity_type: EntityType
    regex: str
    """RE2 syntax: no lookaround, no backreferences, linear in the input."""
    validate: Validator
    group: int = 0
    """The capturing group whose bounds are the candidate (0: whole match)."""


class TextDetector(Protocol):
    """Anything that finds spans in one string."""

    name: str
    version: str

    def detect(self, text: str) -> list[Span]:
        """Return the spans of PHI in ``text``, in any order, maybe overlapping."""
        ...
