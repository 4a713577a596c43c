"""Tests of the HL7 v2 detector, on synthetic messages only."""

from __future__ import annotations

import string
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from processors.detect.hl7 import HL7Detector
from processors.entities import EntityType

E = EntityType
DETECTOR = HL7Detector()

MSH = "MSH|^~\\&|LAB|GENERAL|||20240501120000||ADT^A01|MSG0001|P|2.5"


def segment(name: str, fields: dict[int, str]) -> str:
    """Join a segment from its non-empty fields, numbered as in the standard."""
    return "|".join([name] + [fields.get(n, "") for n in range(1, max(fields) + 1)])


PID = segment(
    "PID",
    {
        1: "1",
        3: "MRN4471^^^GENERAL^MR~A-902^^^OTHER^PI",
        5: "QUILL^ODETTE^R^JR",
        7: "19610214",
        8: "F",
        11: "12 LARCH LN^UNIT 3^FAIRVIEW^IL^62999^USA^H",
        13: "(217)555-0143^PRN^PH^odette@example.com",
        18: "ACCT-77",
        19: "900-12-3456",
        20: "Q1234567^IL^20300101",
    },
)
PID_SPANS = [
    (E.MRN, "MRN4471"),
    (E.MRN, "A-902"),
    (E.PERSON, "QUILL"),
    (E.PERSON, "ODETTE"),
    (E.PERSON, "R"),
    (E.PERSON, "JR"),
    (E.DATE, "19610214"),
    (E.ADDRESS, "12 LARCH LN"),
    (E.ADDRESS, "UNIT 3"),
    (E.ADDRESS, "FAIRVIEW"),
    (E.ZIP, "62999"),
    (E.PHONE, "(217)555-0143"),
    (E.EMAIL, "odette@example.com"),
    (E.ACCOUNT, "ACCT-77"),
    (E.SSN, "900-12-3456"),
    (E.LICENSE, "Q1234567"),
]


def found(text: str) -> list[tuple[EntityType, str]]:
    """Return (entity type, value) of each span, in text order."""
    spans = sorted(DETECTOR.detect(text), key=lambda span: span.start)
    return [(span.entity_type, text[span.start : span.end]) for span in spans]


POSITIVES = [
    pytest.param(MSH + "\r" + PID, PID_SPANS, id="pid-carriage-return"),
    pytest.param(MSH + "\n" + PID + "\n", PID_SPANS, id="pid-newline"),
    pytest.param(
        'msg="' + MSH.replace("\\", "\\\\") + "\\r" + PID + '" level=info',
        PID_SPANS,
        id="pid-json-escaped",
    ),
    pytest.param(
        "NK1|1|QUILL^MARTIN|SPO|4 ELM ST^^FAIRVIEW^IL^62999|217-555-0188",
        [
            (E.PERSON, "QUILL"),
            (E.PERSON, "MARTIN"),
            (E.ADDRESS, "4 ELM ST"),
            (E.ADDRESS, "FAIRVIEW"),
            (E.ZIP, "62999"),
            (E.PHONE, "217-555-0188"),
        ],
        id="nk1",
    ),
    pytest.param(
        segment("IN1", {1: "1", 2: "PLAN7", 16: "QUILL^ODETTE", 36: "POL-5521"}),
        [(E.PERSON, "QUILL"), (E.PERSON, "ODETTE"), (E.MEMBER_ID, "POL-5521")],
        id="in1",
    ),
    pytest.param(
        "GT1|1||QUILL^MARTIN^^^MR",
        [(E.PERSON, "QUILL"), (E.PERSON, "MARTIN")],
        id="gt1-prefix-kept",
    ),
    pytest.param(
        "PV1|1|I|W2^12^1||||1234^OKAFOR^ADA^^^DR^MD|5678^LINDQVIST^BO|^VANCE^IDA",
        [
            (E.PERSON, "OKAFOR"),
            (E.PERSON, "ADA"),
            (E.PERSON, "LINDQVIST"),
            (E.PERSON, "BO"),
            (E.PERSON, "VANCE"),
            (E.PERSON, "IDA"),
        ],
        id="pv1-doctors",
    ),
    pytest.param(
        "PID|1||77^^^H||VAN&DER&BERG^PIM",
        [
            (E.MRN, "77"),
            (E.PERSON, "VAN"),
            (E.PERSON, "DER"),
            (E.PERSON, "BERG"),
            (E.PERSON, "PIM"),
        ],
        id="subcomponents",
    ),
    pytest.param(
        "MSH#*~\\&#X\rPID#1##55***H##LEE*ANN",
        [(E.MRN, "55"), (E.PERSON, "LEE"), (E.PERSON, "ANN")],
        id="msh-separators",
    ),
    pytest.param('PID|1||""||DOE^""', [(E.PERSON, "DOE")], id="hl7-null"),
    pytest.param("PID|1||12345^^^H", [(E.MRN, "12345")], id="truncated-id"),
    pytest.param(
        "PID|1||1^^^H||DOE^JA",
        [(E.MRN, "1"), (E.PERSON, "DOE"), (E.PERSON, "JA")],
        id="truncated-name",
    ),
]


@pytest.mark.parametrize(("text", "spans"), POSITIVES)
def test_detect_finds_fields_when_segments_hold_phi(
    text: str, spans: list[tuple[EntityType, str]]
) -> None:
    assert found(text) == spans


NEGATIVES = [
    pytest.param("", id="empty"),
    pytest.param("no segments here", id="prose"),
    pytest.param("a | b | c", id="pipes"),
    pytest.param("RAPID|1||12345^^^H", id="glued-name"),
    pytest.param("PID 1 12345", id="no-separator"),
    pytest.param("PID|", id="bare"),
    pytest.param("PID|1||^^^H||^", id="empty-components"),
    pytest.param(MSH, id="msh-only"),
    pytest.param("MSH|", id="msh-truncated"),
    pytest.param("OBX|1|NM|GLU^Glucose||95|mg/dL", id="other-segment"),
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_detect_finds_nothing_when_no_target_segment_holds_phi(text: str) -> None:
    assert found(text) == []


VALUE = st.text(
    alphabet=string.ascii_letters + string.digits + " -.", min_size=1, max_size=10
).filter(lambda value: value.strip() != "")

SEGMENT_ENDS = ["\r", "\n", "\r\n", "\\r", "\\n"]


Part = str | tuple[EntityType, str]


class _Builder:
    """Append segments to a message and remember where each PHI value went."""

    def __init__(self, end: str) -> None:
        self.end = end
        self.text = "log " + MSH
        self.spans: list[tuple[EntityType, int, int]] = []

    def segment(self, name: str, fields: dict[int, list[Part]]) -> None:
        self.text += self.end + name
        for number in range(1, max(fields) + 1):
            self.text += "|"
            for part in fields.get(number, []):
                if isinstance(part, tuple):
                    entity_type, part = part
                    start = len(self.text)
                    self.spans.append((entity_type, start, start + len(part)))
                self.text += part


@settings(max_examples=200, deadline=None)
@given(
    mrn=VALUE,
    family=VALUE,
    given_name=VALUE,
    birth=VALUE,
    street=VALUE,
    zip_code=VALUE,
    phone=VALUE,
    ssn=VALUE,
    kin=VALUE,
    policy=VALUE,
    doctor=VALUE,
    end=st.sampled_from(SEGMENT_ENDS),
)
def test_detect_yields_exactly_the_built_spans_when_messages_are_generated(
    mrn: str,
    family: str,
    given_name: str,
    birth: str,
    street: str,
    zip_code: str,
    phone: str,
    ssn: str,
    kin: str,
    policy: str,
    doctor: str,
    end: str,
) -> None:
    message = _Builder(end)
    message.segment(
        "PID",
        {
            1: ["1"],
            3: [(E.MRN, mrn), "^^^H^MR"],
            5: [(E.PERSON, family), "^", (E.PERSON, given_name)],
            7: [(E.DATE, birth)],
            11: [(E.ADDRESS, street), "^^^IL^", (E.ZIP, zip_code)],
            13: [(E.PHONE, phone)],
            19: [(E.SSN, ssn)],
        },
    )
    message.segment("NK1", {1: ["1"], 2: [(E.PERSON, kin)], 3: ["SPO"]})
    message.segment("IN1", {1: ["1"], 36: [(E.MEMBER_ID, policy)]})
    message.segment("PV1", {1: ["1"], 7: ["9^", (E.PERSON, doctor)]})
    message.segment("OBX", {1: ["1"], 5: ["42"]})

    spans = DETECTOR.detect(message.text)

    expected = [(t, s, e) for t, s, e in message.spans if message.text[s:e].strip()]
    assert sorted((s.entity_type, s.start, s.end) for s in spans) == sorted(expected)


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(alphabet='PIDNK1GTVMSH|^~&\\\r\n"x 0', max_size=120)
    | st.text(max_size=120)
)
def test_detect_returns_spans_inside_text_when_input_is_malformed(text: str) -> None:
    for span in DETECTOR.detect(text):
        assert 0 <= span.start < span.end <= len(text)
        assert not set(text[span.start : span.end]) & set("|^~\r\n")


SIZE = 10_000
"""Characters of the smaller input; the larger one has GROWTH times as many."""

GROWTH = 8

MAX_RATIO = 24.0
"""Linear time gives a ratio near GROWTH, quadratic near GROWTH squared."""


def _seconds(text: str) -> float:
    started = time.perf_counter()
    DETECTOR.detect(text)
    return time.perf_counter() - started


@pytest.mark.parametrize(
    "unit",
    [
        pytest.param("PID|", id="segment-names"),
        pytest.param("PID|1|^~&", id="separators"),
        pytest.param("MSH|^~\\&|", id="headers"),
        pytest.param("|", id="pipes"),
    ],
)
def test_detect_takes_linear_time_when_input_repeats_a_unit(unit: str) -> None:
    small = min(_seconds(unit * (SIZE // len(unit))) for _ in range(5))
    large = min(_seconds(unit * (GROWTH * SIZE // len(unit))) for _ in range(5))

    assert large / max(small, 1e-4) < MAX_RATIO
