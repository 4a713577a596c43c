"""Tests of overlap resolution: weak spans go, overlaps merge, none stays in clear."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from processors.entities import EntityType
from processors.resolve import resolve
from processors.spans import Span

E = EntityType
MIN_SCORE = 0.5


def span(
    entity_type: EntityType,
    start: int,
    end: int,
    score: float = 0.9,
    detector: str = "d",
) -> Span:
    return Span(entity_type, start, end, detector, score)


# --- Examples -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("spans", "expected"),
    [
        pytest.param([], [], id="nothing"),
        pytest.param([span(E.SSN, 4, 15, 0.49)], [], id="below-min-score"),
        pytest.param(
            [span(E.SSN, 4, 15, 0.5)], [span(E.SSN, 4, 15, 0.5)], id="at-min-score"
        ),
        pytest.param([span(E.SSN, 4, 4)], [], id="empty-span"),
        pytest.param(
            [span(E.PHONE, 20, 32), span(E.SSN, 4, 15)],
            [span(E.SSN, 4, 15), span(E.PHONE, 20, 32)],
            id="apart-sorted",
        ),
        pytest.param(
            [span(E.PERSON, 0, 12), span(E.ADDRESS, 12, 30)],
            [span(E.PERSON, 0, 12), span(E.ADDRESS, 12, 30)],
            id="adjacent-kept-apart",
        ),
    ],
)
def test_resolve_returns_expected_spans_when_spans_do_not_overlap(
    spans: list[Span], expected: list[Span]
) -> None:
    assert resolve(spans, MIN_SCORE) == expected


def test_resolve_merges_to_union_with_strongest_type_when_spans_overlap() -> None:
    # "Dr. Ana Ruiz, 12 Elm St": a name and, overlapping, a weaker address.
    name = span(E.PERSON, 0, 12, 0.95, "names")
    address = span(E.ADDRESS, 4, 23, 0.6, "address")

    merged = resolve([address, name], MIN_SCORE)

    assert merged == [Span(E.PERSON, 0, 23, "names", 0.95)]


def test_resolve_prefers_longer_span_when_scores_tie() -> None:
    short = span(E.ZIP, 10, 15, 0.8, "zip")
    long = span(E.ADDRESS, 0, 15, 0.8, "address")

    assert resolve([short, long], MIN_SCORE) == [Span(E.ADDRESS, 0, 15, "address", 0.8)]


def test_resolve_ignores_weak_span_when_it_would_bridge_two_spans() -> None:
    left = span(E.PERSON, 0, 10)
    bridge = span(E.ADDRESS, 5, 25, 0.2)
    right = span(E.PHONE, 20, 30)

    assert resolve([left, bridge, right], MIN_SCORE) == [left, right]


def test_resolve_merges_chain_when_each_span_overlaps_the_next() -> None:
    spans = [span(E.PERSON, 0, 5, 0.7), span(E.MRN, 4, 9, 0.99), span(E.ID, 8, 12, 0.6)]

    merged = resolve(spans, MIN_SCORE)

    assert merged == [Span(E.MRN, 0, 12, "d", 0.99)]


def test_resolve_takes_longest_member_type_when_scores_tie_along_a_chain() -> None:
    spans = [
        span(E.PERSON, 0, 4, 0.8, "a"),
        span(E.ADDRESS, 2, 8, 0.8, "b"),
        span(E.DATE, 7, 14, 0.8, "c"),
    ]

    merged = resolve(spans, MIN_SCORE)

    # Members are 4, 6 and 7 long; the 7-long DATE is the strongest.
    assert merged == [Span(E.DATE, 0, 14, "c", 0.8)]


def test_resolve_leaves_input_unchanged_when_called() -> None:
    spans = [span(E.PHONE, 20, 32), span(E.SSN, 4, 15), span(E.SSN, 10, 22)]
    copy = list(spans)

    resolve(spans, MIN_SCORE)

    assert spans == copy


# --- Properties ---------------------------------------------------------------

SCORES = [0.1, 0.3, 0.5, 0.6, 0.8, 0.9, 1.0]


@st.composite
def spans_strategy(draw: st.DrawFn) -> Span:
    start = draw(st.integers(min_value=0, max_value=60))
    length = draw(st.integers(min_value=0, max_value=15))
    return Span(
        draw(st.sampled_from(list(EntityType))),
        start,
        start + length,
        draw(st.sampled_from(["a", "b", "c"])),
        draw(st.sampled_from(SCORES)),
    )


def _chars(spans: list[Span]) -> set[int]:
    return {i for s in spans for i in range(s.start, s.end)}


@settings(max_examples=120, deadline=None)
@given(spans=st.lists(spans_strategy(), max_size=12))
def test_resolve_covers_exactly_kept_characters_without_overlap_when_spans_are_random(
    spans: list[Span],
) -> None:
    kept = [s for s in spans if s.score >= MIN_SCORE and s.end > s.start]

    merged = resolve(spans, MIN_SCORE)

    # Sorted, non-empty and apart: each span ends at or before the next starts.
    assert all(s.end > s.start for s in merged)
    assert all(a.end <= b.start for a, b in zip(merged, merged[1:], strict=False))
    # No fragment of a kept value stays in clear, and nothing else is added.
    assert _chars(merged) == _chars(kept)
    for out in merged:
        members = [s for s in kept if out.start <= s.start and s.end <= out.end]
        assert members, out
        assert out.score == max(s.score for s in members)
        assert (out.entity_type, out.detector) in {
            (s.entity_type, s.detector) for s in members if s.score == out.score
        }
