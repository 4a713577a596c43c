"""The corpus is seeded, holds its PHI share, and covers formats and types."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.synth import FORMATS, LOOKALIKE_KINDS, generate
from processors.entities import EntityType


def _phi_share(seed: int, count: int, ratio: float) -> float:
    items = list(generate(seed, count, ratio))
    return sum(bool(item.phi) for item in items) / len(items)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_generate_repeats_lines_and_labels_when_seed_is_the_same(seed: int) -> None:
    first = list(generate(seed, 40, 0.3))
    second = list(generate(seed, 40, 0.3))

    assert first == second


def test_generate_differs_when_seed_differs() -> None:
    first = [item.line for item in generate(1, 20, 0.3)]
    second = [item.line for item in generate(2, 20, 0.3)]

    assert first != second


def test_generate_is_a_prefix_of_a_longer_run_when_seed_is_the_same() -> None:
    short = list(generate(9, 50, 0.2))
    long = list(generate(9, 120, 0.2))

    assert long[:50] == short


@pytest.mark.parametrize(
    "ratio",
    [0.0, 0.01, 0.1, 0.5, 0.9, 1.0],
    ids=["none", "one-percent", "tenth", "half", "most", "all"],
)
@pytest.mark.parametrize("seed", [1, 2, 3], ids=["seed1", "seed2", "seed3"])
def test_phi_share_matches_ratio_when_corpus_is_large(seed: int, ratio: float) -> None:
    share = _phi_share(seed, 1500, ratio)

    assert share == pytest.approx(ratio, abs=0.01)


def test_phi_share_is_exact_when_ratio_is_zero_or_one() -> None:
    assert _phi_share(4, 500, 0.0) == 0.0
    assert _phi_share(4, 500, 1.0) == 1.0


def test_generate_writes_count_lines_when_events_span_many_lines() -> None:
    items = list(generate(3, 37, 0.5, ["java", "hl7_text"]))

    assert len(items) == 37


def test_generate_writes_nothing_when_count_is_zero() -> None:
    assert list(generate(3, 0, 0.5)) == []


def test_generate_uses_only_requested_formats_when_formats_are_given() -> None:
    items = list(generate(6, 200, 0.5, ["logfmt", "access"]))

    assert {item.format for item in items} == {"logfmt", "access"}


def test_generate_covers_every_format_and_kind_when_all_formats_are_drawn() -> None:
    items = list(generate(8, 4000, 0.5))

    phi_types = Counter(label.entity_type for item in items for label in item.phi)
    kinds = Counter(label.entity_type for item in items for label in item.lookalikes)
    assert {item.format for item in items} == set(FORMATS)
    assert set(phi_types) == {member.value for member in EntityType}
    assert set(kinds) == set(LOOKALIKE_KINDS)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"count": -1}, "count"),
        ({"phi_ratio": 1.5}, "phi_ratio"),
        ({"formats": ["yaml"]}, "unknown format yaml"),
        ({"formats": []}, "no format"),
    ],
    ids=["negative-count", "ratio-above-one", "unknown-format", "empty-formats"],
)
def test_generate_raises_value_error_when_arguments_are_invalid(
    kwargs: dict[str, object], message: str
) -> None:
    arguments: dict[str, object] = {"seed": 1, "count": 5, "phi_ratio": 0.5}
    arguments.update(kwargs)

    with pytest.raises(ValueError, match=message):
        generate(**arguments)  # type: ignore[arg-type]
