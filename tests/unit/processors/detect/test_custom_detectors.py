"""Tests of the detectors a policy adds: its own RE2 patterns and its deny list."""

from __future__ import annotations

import pytest
import re2
from hypothesis import given, settings
from hypothesis import strategies as st

from processors.detect.custom import CustomPatternDetector, DenyListDetector
from processors.entities import EntityType
from processors.policy import CustomDetector, parse_policy
from processors.spans import Span

E = EntityType
EMPLOYEE = CustomDetector("employee_id", E.ID, "EMP-[0-9]{6}")
RX = CustomDetector("rx_number", E.ACCOUNT, "RX[0-9]{8}")


# --- Custom patterns ----------------------------------------------------------


def test_custom_detector_reports_every_match_when_patterns_match() -> None:
    text = "badge EMP-004211 filled RX00012345 for EMP-000017"

    spans = CustomPatternDetector([EMPLOYEE, RX]).detect(text)

    assert sorted(spans, key=lambda s: s.start) == [
        Span(E.ID, 6, 16, "custom:employee_id", 1.0),
        Span(E.ACCOUNT, 24, 34, "custom:rx_number", 1.0),
        Span(E.ID, 39, 49, "custom:employee_id", 1.0),
    ]
    assert [text[s.start : s.end] for s in spans if s.entity_type is E.ID] == [
        "EMP-004211",
        "EMP-000017",
    ]


def test_custom_detector_reports_nothing_when_no_pattern_matches() -> None:
    assert CustomPatternDetector([EMPLOYEE]).detect("badge EMP-42 and EMP-") == []


def test_custom_detector_skips_empty_matches_when_pattern_can_match_nothing() -> None:
    detector = CustomPatternDetector([CustomDetector("opt", E.ID, "Z*")])

    spans = detector.detect("aZZb Z")

    assert [(s.start, s.end) for s in spans] == [(1, 3), (5, 6)]


def test_custom_detector_gate_patterns_match_same_text_when_compiled() -> None:
    detector = CustomPatternDetector([EMPLOYEE, RX])

    gates = [re2.compile(p) for p in detector.gate_patterns]

    assert any(g.search("badge EMP-004211") for g in gates)
    assert any(g.search("fill RX00012345") for g in gates)
    assert not any(g.search("badge EMP-42 RX12") for g in gates)


def test_custom_detector_reads_policy_detectors_when_policy_lists_them() -> None:
    policy = parse_policy(
        {"detectors": [{"name": "employee_id", "pattern": "EMP-[0-9]{6}"}]}
    )

    spans = CustomPatternDetector(policy.detectors).detect("by EMP-004211")

    assert spans == [Span(E.ID, 3, 13, "custom:employee_id", 1.0)]


# --- Deny list ----------------------------------------------------------------


def test_deny_list_reports_every_occurrence_when_value_repeats() -> None:
    detector = DenyListDetector({"Zed Placeholder": E.PERSON, "PRJ-ORCHID": E.ID})
    text = "Zed Placeholder on PRJ-ORCHID; cc Zed Placeholder"

    spans = detector.detect(text)

    assert sorted(spans, key=lambda s: s.start) == [
        Span(E.PERSON, 0, 15, "deny_list", 1.0),
        Span(E.ID, 19, 29, "deny_list", 1.0),
        Span(E.PERSON, 34, 49, "deny_list", 1.0),
    ]


def test_deny_list_reports_non_overlapping_occurrences_when_value_overlaps_itself() -> (
    None
):
    spans = DenyListDetector({"ZZ": E.ID}).detect("ZZZZZ")

    assert [(s.start, s.end) for s in spans] == [(0, 2), (2, 4)]


def test_deny_list_keeps_its_own_copy_when_caller_changes_mapping() -> None:
    values = {"PRJ-ORCHID": E.ID}
    detector = DenyListDetector(values)

    values["Zed Placeholder"] = E.PERSON

    assert detector.detect("Zed Placeholder") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("ask Zed Q. Placeholder (VIP) now", True, id="literal"),
        pytest.param("ask Zed Qx Placeholder (VIP) now", False, id="dot-is-literal"),
        pytest.param("ask Zed Q. Placeholder VIP now", False, id="parens-are-literal"),
    ],
)
def test_deny_list_gate_matches_value_literally_when_value_has_metacharacters(
    text: str, expected: bool
) -> None:
    detector = DenyListDetector({"Zed Q. Placeholder (VIP)": E.PERSON})

    (gate,) = [re2.compile(p) for p in detector.gate_patterns]

    assert (gate.search(text) is not None) is expected
    assert bool(detector.detect(text)) is expected


@settings(max_examples=80, deadline=None)
@given(pieces=st.lists(st.text(alphabet="abc -.", max_size=8), min_size=1, max_size=8))
def test_deny_list_finds_each_inserted_value_when_text_is_random(
    pieces: list[str],
) -> None:
    value = "Zed Placeholder"
    text = value.join(pieces)
    expected = []
    position = 0
    for piece in pieces[:-1]:
        position += len(piece)
        expected.append((position, position + len(value)))
        position += len(value)

    spans = DenyListDetector({value: E.PERSON}).detect(text)

    assert [(s.start, s.end) for s in spans] == expected
