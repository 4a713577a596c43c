"""The one-pass gate: Hyperscan and the RE2 fallback report the same patterns."""

from __future__ import annotations

from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from processors.detect.gate import HyperscanGate, Re2Gate, compile_gate
from processors.detect.registry import default_scanner

PATTERNS = [
    r"\b[0-9]{3}-[0-9]{2}-[0-9]{4}\b",
    r"(?i)patient[ \t]+\pL",
    r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}",
    r"(?:^|[^\pL\pN_])\p{Lu}\p{Ll}+ \p{Lu}\p{Ll}",
    r"(?:PID|NK1)\|",
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("ssn 123-45-6789", [0], id="ssn"),
        pytest.param("Patient joão", [1], id="cue-unicode"),
        pytest.param("mail a.b@example.org now", [2], id="email"),
        pytest.param("seen by Maria Garcia", [3], id="name-run"),
        pytest.param("MSH|x\rPID|1", [4], id="hl7"),
        pytest.param("2026-12-03T10:00:00Z ok", [], id="clean"),
        pytest.param("", [], id="empty"),
    ],
)
def test_gates_report_same_patterns_when_text_matches_some(
    text: str, expected: list[int]
) -> None:
    data = text.encode()
    for gate in (HyperscanGate(PATTERNS), Re2Gate(PATTERNS)):
        assert sorted(set(gate.match(data))) == expected


_LOG_TEXT = st.text(
    alphabet=st.sampled_from(list("abcXYZ019 -:@.|_PIDNK1ssnMariaGc\n\té")),
    max_size=120,
)


@settings(max_examples=150, deadline=None)
@given(text=_LOG_TEXT)
def test_hyperscan_gate_equals_re2_gate_when_text_is_arbitrary(text: str) -> None:
    data = text.encode()
    assert sorted(set(_hyperscan_gate().match(data))) == sorted(
        set(_re2_gate().match(data))
    )


@cache
def _hyperscan_gate() -> HyperscanGate:
    return HyperscanGate(default_scanner().regexes)


@cache
def _re2_gate() -> Re2Gate:
    return Re2Gate(default_scanner().regexes)


def test_compile_gate_prefers_hyperscan_when_installed() -> None:
    assert isinstance(compile_gate(PATTERNS), HyperscanGate)
