"""Overlap resolution: merge overlapping spans so no fragment stays in clear."""

from __future__ import annotations

from collections.abc import Iterable

from processors.spans import Span


def resolve(spans: Iterable[Span], min_score: float) -> list[Span]:
    """Drop weak spans, then merge overlapping ones into their union.

    The union takes the entity type and detector of its strongest member
    (highest score, then longest), so ``Dr. Ana Ruiz, MRN 123`` detected as a
    name and, overlapping, as an address still leaves no character in clear.

    Returns:
        Non-overlapping spans sorted by start.
    """
    kept = sorted(
        (s for s in spans if s.score >= min_score and s.end > s.start),
        key=lambda s: (s.start, -s.end),
    )
    merged: list[Span] = []
    strongest: list[Span] = []
    for span in kept:
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            winner = max(strongest[-1], span, key=lambda s: (s.score, len(s)))
            strongest[-1] = winner
            merged[-1] = Span(
                winner.entity_type,
                last.start,
                max(last.end, span.end),
                winner.detector,
                winner.score,
            )
        else:
            merged.append(span)
            strongest.append(span)
    return merged
