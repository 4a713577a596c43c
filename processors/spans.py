"""Located pieces of PHI and the findings built from them."""

from __future__ import annotations

from dataclasses import dataclass

from processors.entities import EntityType


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of PHI found in one string: ``text[start:end]``.

    ``score`` is the detector's confidence in [0, 1]; the policy drops spans
    below its threshold.
    """

    entity_type: EntityType
    start: int
    end: int
    detector: str
    score: float = 1.0

    def overlaps(self, other: Span) -> bool:
        """Return True when the two spans share at least one character."""
        return self.start < other.end and other.start < self.end

    def __len__(self) -> int:
        return self.end - self.start
