"""Tests of the pattern scanner, the default registry and the validator helpers."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import re2
from hypothesis import given, settings
from hypothesis import strategies as st

from processors.detect import scanner as scanner_module
from processors.detect.base import Pattern, Validator
from processors.detect.patterns import contact, identifiers, network
from processors.detect.registry import default_patterns, default_scanner
from processors.detect.scanner import PatternScanner
from processors.detect.validators import Cues, is_glued, keyed
from processors.entities import EntityType
from processors.errors import ConfigError

OURS = PatternScanner(identifiers.PATTERNS + contact.PATTERNS + network.PATTERNS)

CLEAN_LINE = (
    '{"ts":"2026-12-03T17:22:41.123Z","level":"info","svc":"checkout",'
    '"host":"ip-10-0-3-17.ec2.internal","pod":"api-7d9f8b6c5-xk2p9",'
    '"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","span_id":"00f067aa0ba902b7",'
    '"request_id":"9b2e4c1a-5f3d-4e8b-a1c7-2d6f8e0b3a95","status":200,'
    '"duration_ms":12.4,"port":8080}'
)
PHI_LINE = (
    '{"ts":"2026-12-03T17:22:41.123Z","svc":"intake","msg":"updated patient '
    'ssn 123-45-6789 phone (217) 555-0143 email jane.doe@example.com"}'
)


def always(score: float | None) -> Validator:
    """Return a validator that gives every candidate the same score."""

    def validate(text: str, start: int, end: int) -> float | None:
        return score

    return validate


def pattern(
    name: str, regex: str, score: float | None = 1.0, group: int = 0
) -> Pattern:
    """Build a test pattern of entity type ID."""
    return Pattern(name, "1", EntityType.ID, regex, always(score), group)


def test_scanner_returns_nothing_when_it_has_no_patterns() -> None:
    empty = PatternScanner([])

    assert empty.scan("ssn 123-45-6789") == []
    assert not empty.has_candidates("ssn 123-45-6789")


def test_scanner_raises_config_error_when_two_patterns_share_a_name() -> None:
    with pytest.raises(ConfigError, match="named 'twice'"):
        PatternScanner([pattern("twice", "a"), pattern("twice", "b")])


def test_scanner_raises_config_error_when_regex_is_not_re2() -> None:
    with pytest.raises(ConfigError, match="lookahead"):
        PatternScanner([pattern("lookahead", r"a(?=b)")])


def test_scanner_returns_every_span_when_patterns_overlap() -> None:
    both = PatternScanner([pattern("long", r"[0-9]{6}"), pattern("short", r"[0-9]{3}")])

    spans = both.scan("id 123456")

    assert {(span.detector, span.start, span.end) for span in spans} == {
        ("long", 3, 9),
        ("short", 3, 6),
        ("short", 6, 9),
    }


def test_scanner_validates_each_sharer_when_patterns_share_a_regex() -> None:
    calls: list[str] = []

    def validator(name: str, score: float | None) -> Validator:
        def validate(text: str, start: int, end: int) -> float | None:
            calls.append(name)
            return score

        return validate

    shared = PatternScanner(
        [
            Pattern("kept", "1", EntityType.PHONE, "[0-9]+", validator("kept", 0.9)),
            Pattern(
                "dropped", "1", EntityType.FAX, "[0-9]+", validator("dropped", None)
            ),
        ]
    )

    spans = shared.scan("a 12 b 34")

    assert calls == ["kept", "dropped", "kept", "dropped"]
    assert [(span.entity_type, span.start, span.score) for span in spans] == [
        (EntityType.PHONE, 2, 0.9),
        (EntityType.PHONE, 7, 0.9),
    ]


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        pytest.param(None, 0, id="none"),
        pytest.param(0.0, 0, id="zero"),
        pytest.param(0.4, 1, id="low-but-positive"),
    ],
)
def test_scanner_keeps_only_positive_scores_when_validating(
    score: float | None, expected: int
) -> None:
    assert len(PatternScanner([pattern("p", "x", score)]).scan("x")) == expected


def test_scanner_reports_group_bounds_when_pattern_names_a_group() -> None:
    grouped = PatternScanner([pattern("keyed", r"mrn=([0-9]+)", group=1)])

    assert [(span.start, span.end) for span in grouped.scan("a mrn=42 b")] == [(6, 8)]


def test_scanner_propagates_error_when_a_validator_fails() -> None:
    def broken(text: str, start: int, end: int) -> float | None:
        raise ValueError("validator bug")

    failing = PatternScanner([Pattern("broken", "1", EntityType.ID, "x", broken)])

    with pytest.raises(ValueError, match="validator bug"):
        failing.scan("x")


@pytest.mark.parametrize(
    "prefix",
    [
        pytest.param("é ", id="latin"),
        pytest.param("患者 ", id="cjk"),
        pytest.param("🙂 ", id="astral"),
    ],
)
def test_scanner_counts_characters_when_text_is_not_ascii(prefix: str) -> None:
    ascii_spans = OURS.scan(PHI_LINE)

    spans = OURS.scan(prefix + PHI_LINE)

    shifted = {(span.start - len(prefix), span.end - len(prefix)) for span in spans}
    assert shifted == {(span.start, span.end) for span in ascii_spans}


def test_scanner_raises_when_text_holds_a_lone_surrogate() -> None:
    with pytest.raises(UnicodeEncodeError):
        OURS.scan("ssn 123-45-6789 \ud800")


def test_scanner_finds_the_same_spans_when_re2_internals_are_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(scanner_module, "_raw_match", lambda compiled: None)
    portable = PatternScanner(
        identifiers.PATTERNS + contact.PATTERNS + network.PATTERNS
    )

    assert portable.scan(PHI_LINE) == OURS.scan(PHI_LINE)


def test_scanner_uses_re2_internals_when_the_installed_release_has_them() -> None:
    raw = scanner_module._raw_match(re2.compile("x"))

    assert raw is not None
    assert raw(b"-x-", 0, 3)[0] == (1, 2)


def test_scanner_has_no_candidates_when_line_is_clean() -> None:
    assert not default_scanner().has_candidates(CLEAN_LINE)
    assert default_scanner().scan(CLEAN_LINE) == []


def test_scanner_finds_each_value_when_line_has_phi() -> None:
    spans = default_scanner().scan(PHI_LINE)

    assert {(span.entity_type, PHI_LINE[span.start : span.end]) for span in spans} == {
        (EntityType.SSN, "123-45-6789"),
        (EntityType.PHONE, "(217) 555-0143"),
        (EntityType.EMAIL, "jane.doe@example.com"),
    }


# --- Registry ---------------------------------------------------------------


def test_default_patterns_include_every_family_when_loaded() -> None:
    names = {pattern.name for pattern in default_patterns()}

    families = [identifiers.PATTERNS, contact.PATTERNS, network.PATTERNS]
    assert {pattern.name for family in families for pattern in family} <= names
    assert len(names) == len(default_patterns())


def test_default_scanner_compiled_once_when_asked_twice() -> None:
    assert default_scanner() is default_scanner()


# --- Never flagged ------------------------------------------------------------

MACHINE_DATA = [
    pytest.param("uuid 123E4567-E89B-12D3-A456-426614174000", id="uuid-upper"),
    pytest.param("md5 d41d8cd98f00b204e9800998ecf8427e", id="md5"),
    pytest.param("sha1 da39a3ee5e6b4b0d3255bfef95601890afd80709", id="sha1"),
    pytest.param(
        "sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        id="sha256",
    ),
    pytest.param("dd.trace_id=5234567890123456785 dd.span_id=1234", id="datadog-ids"),
    pytest.param("at 2026-12-03 17:22:41,123 INFO", id="python-log-time"),
    pytest.param("version v2.14.3 build 1.2.3.4-beta", id="versions"),
    pytest.param("listening on :8080 status=503", id="port-status"),
    pytest.param("pod api-7d9f8b6c5-xk2p9 deployment/api-7d9f8b6c5", id="k8s-names"),
    pytest.param("db01.prod.internal:5432 ip-10-0-3-17.ec2.internal", id="hosts"),
    pytest.param("kafka topic=logs.raw.v1 partition=3 offset=123456789012", id="kafka"),
    pytest.param("error E1234 ORA-00942 ERR_CONN_RESET", id="error-codes"),
    pytest.param("dx E11.9 I10 Z79.4 S72.001A", id="icd10"),
    pytest.param("cpt 99213 ndc 0002-3227-01", id="cpt-ndc"),
    pytest.param("metformin 500 mg twice daily, A1c 7.2%", id="drug-dose-lab"),
    pytest.param("commit a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0 (a1b2c3d)", id="git"),
    pytest.param("ULID 01HZXK3M5Q7R8S9T0V1W2X3Y4Z", id="ulid"),
    pytest.param("x-request-id: req_8f2c1a9e3b7d4f60", id="request-id"),
    pytest.param("java.lang.NullPointerException at Bar.baz(Bar.java:123)", id="trace"),
    pytest.param("memory 4294967296 bytes pid=12345 tid=67890", id="counters"),
    pytest.param("took 1500ms (12.4s) retries=3", id="durations"),
    pytest.param("0x7ffd5fbff8c0 segfault", id="pointer"),
]


@pytest.mark.parametrize("line", MACHINE_DATA)
def test_scanner_flags_nothing_when_line_is_machine_data(line: str) -> None:
    assert OURS.scan(line) == []


HEX_IDS = st.sampled_from([8, 16, 20, 32]).flatmap(
    lambda size: st.binary(min_size=size, max_size=size).map(bytes.hex)
)
"""Trace and span ids, git SHAs and digests: 16 to 64 hex digits."""

# Hypothesis takes naive bounds; timezones= makes the drawn values aware.
TIMES = st.datetimes(
    min_value=datetime(2000, 1, 1),  # noqa: DTZ001
    max_value=datetime(2099, 12, 31),  # noqa: DTZ001
    timezones=st.just(UTC),
)


@settings(deadline=None)
@given(uuid=st.uuids(), hex_id=HEX_IDS, upper=st.booleans())
def test_scanner_flags_nothing_when_line_has_only_machine_ids(
    uuid: object, hex_id: str, upper: bool
) -> None:
    line = f"request_id={uuid} trace_id={hex_id} sha={hex_id[:40]} pod=api-{hex_id[:9]}"

    assert OURS.scan(line.upper() if upper else line) == []


@settings(deadline=None)
@given(moment=TIMES, millis=st.integers(0, 999), duration_ms=st.integers(0, 99_999))
def test_scanner_flags_nothing_when_line_has_only_times(
    moment: datetime, millis: int, duration_ms: int
) -> None:
    iso = moment.strftime("%Y-%m-%dT%H:%M:%S") + f".{millis:03d}Z"
    epoch = int(moment.timestamp())
    line = (
        f'{{"ts":"{iso}","epoch":{epoch},"epoch_ms":{epoch * 1000 + millis},'
        f'"duration_ms":{duration_ms},"took":"{duration_ms / 1000:.1f}s"}}'
    )

    assert OURS.scan(line) == []


# --- Validator helpers --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end", "expected"),
    [
        pytest.param("a 123 b", 2, 5, False, id="spaces"),
        pytest.param("123", 0, 3, False, id="whole-text"),
        pytest.param("x123", 1, 4, True, id="letter-before"),
        pytest.param("123_", 0, 3, True, id="underscore-after"),
        pytest.param("ip-10-0", 3, 5, True, id="dash-joined"),
        pytest.param("=-10", 2, 4, False, id="dash-after-symbol"),
        pytest.param("10.x", 0, 2, True, id="dot-joined-after"),
        pytest.param("10. x", 0, 2, False, id="sentence-end"),
        pytest.param("é10", 1, 3, True, id="unicode-letter"),
    ],
)
def test_is_glued_tells_token_parts_when_neighbours_vary(
    text: str, start: int, end: int, expected: bool
) -> None:
    assert is_glued(text, start, end) is expected


CUES = Cues(ssn=r"ssn|social security|(?:home|cell)?phone", negative=r"order|trace")


@pytest.mark.parametrize(
    ("window", "expected"),
    [
        pytest.param("patient_ssn: ", "ssn", id="after-underscore"),
        pytest.param("SSN#", "ssn", id="upper-with-hash"),
        pytest.param("Social Security no ", "ssn", id="two-words"),
        pytest.param("homephone ", "ssn", id="optional-prefix"),
        pytest.param("lessn ", None, id="tail-of-word"),
        pytest.param("ssns ", None, id="longer-word"),
        pytest.param("order ssn ", "ssn", id="nearest-wins"),
        pytest.param("ssn order ", "negative", id="nearest-negative"),
        pytest.param("ssn" + "x" * 50, None, id="outside-window"),
    ],
)
def test_cues_nearest_names_closest_group_when_words_precede(
    window: str, expected: str | None
) -> None:
    assert CUES.nearest(window + "123", len(window)) == expected


@pytest.mark.parametrize(
    ("text", "value"),
    [
        pytest.param("ssn: 123", "123", id="colon"),
        pytest.param('"ssn":"123"', "123", id="json"),
        pytest.param("SSN # 123", "123", id="hash"),
        pytest.param("patient_ssn=123", "123", id="underscore-key"),
        pytest.param("ssn number is 123", "123", id="is"),
        pytest.param("ssn=(123)", "(123)", id="lazy-gap-keeps-punctuation"),
    ],
)
def test_keyed_regex_captures_value_when_context_word_leads(
    text: str, value: str
) -> None:
    match = re2.search(keyed("ssn", r"\(?[0-9]+\)?"), text)

    assert match is not None
    assert match.group(1) == value
