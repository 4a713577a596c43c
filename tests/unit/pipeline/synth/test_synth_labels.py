"""Labels of generated lines are exact, typed and located in every format."""

from __future__ import annotations

from itertools import pairwise

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.synth import (
    FORMATS,
    JSON_FORMATS,
    LOOKALIKE_KINDS,
    LabelledLine,
    generate,
)
from pipeline.synth.labels import Marks
from processors.entities import EntityType

# Generation is pure Python; on a loaded CI runner one example can take a
# few hundred milliseconds, which is not what these tests are about.
_SETTINGS = settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
_SEEDS = st.integers(min_value=0, max_value=2**32 - 1)
_ENTITY_TYPES = {member.value for member in EntityType}

# HL7 segments written one per line carry patient fields and nothing else.
_BARE_SEGMENTS = ("PID|", "NK1|", "PV1|", "IN1|", "OBX|")


def _check_labels(item: LabelledLine) -> None:
    spans = []
    for label in item.phi + item.lookalikes:
        assert 0 <= label.start < label.end <= len(item.line)
        assert item.line[label.start : label.end] == label.value
        spans.append((label.start, label.end))
    spans.sort()
    for (_, end), (start, _) in pairwise(spans):
        assert end <= start, "labels overlap"
    assert {label.entity_type for label in item.phi} <= _ENTITY_TYPES
    assert {label.entity_type for label in item.lookalikes} <= set(LOOKALIKE_KINDS)


def test_marks_resolve_exact_offsets_when_values_are_json_escaped() -> None:
    marks = Marks()
    inner = orjson.dumps({"name": marks.phi("PERSON", "Ana O'Neill")}).decode()
    outer = orjson.dumps({"msg": inner, "t": marks.lookalike("UUID", "x-1")}).decode()

    item = marks.resolve(outer, "test")

    assert [label.value for label in item.phi] == ["Ana O'Neill"]
    assert [label.value for label in item.lookalikes] == ["x-1"]
    _check_labels(item)


def test_marks_resolve_rejects_line_break_when_a_renderer_leaves_one() -> None:
    marks = Marks()

    with pytest.raises(ValueError, match="line break"):
        marks.resolve("a\nb", "test")


@pytest.mark.parametrize("fmt", tuple(FORMATS), ids=tuple(FORMATS))
@_SETTINGS
@given(seed=_SEEDS)
def test_labels_match_line_text_when_any_seed_renders_a_format(
    fmt: str, seed: int
) -> None:
    for item in generate(seed, 30, 0.5, [fmt]):
        assert item.format == fmt
        assert "\n" not in item.line
        assert "\r" not in item.line
        _check_labels(item)


@pytest.mark.parametrize("fmt", sorted(JSON_FORMATS), ids=sorted(JSON_FORMATS))
@_SETTINGS
@given(seed=_SEEDS)
def test_json_formats_parse_with_orjson_when_any_seed_renders_them(
    fmt: str, seed: int
) -> None:
    for item in generate(seed, 20, 0.5, [fmt]):
        assert isinstance(orjson.loads(item.line), dict)


@_SETTINGS
@given(seed=_SEEDS)
def test_lines_carry_lookalikes_when_not_a_bare_hl7_segment(seed: int) -> None:
    for item in generate(seed, 60, 0.5):
        if not item.line.startswith(_BARE_SEGMENTS):
            assert item.lookalikes, item.format


def test_lines_starting_with_brace_parse_when_a_format_mixes_text_and_json() -> None:
    items = list(generate(11, 300, 0.5, ["sql"]))

    json_lines = [item for item in items if item.line.startswith("{")]

    assert json_lines, "the sql format should include PostgreSQL jsonlog lines"
    for item in json_lines:
        orjson.loads(item.line)


def test_hl7_segments_split_on_json_escapes_when_logged_as_json() -> None:
    items = list(generate(5, 50, 1.0, ["hl7"]))

    for item in items:
        assert "\\r" in item.line
        raw = orjson.loads(item.line)["raw"]
        assert raw.startswith("MSH|")
        assert "\rPID|" in raw


def test_stack_traces_join_with_json_escapes_when_java_is_logged_as_json() -> None:
    items = list(generate(2, 600, 0.5, ["json", "vector", "fluentbit"]))

    traced = [item for item in items if "\\n\\tat " in item.line]

    assert traced
    for item in traced:
        orjson.loads(item.line)
