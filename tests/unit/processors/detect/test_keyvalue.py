"""Tests of the key-value detector: PHI keys written as pairs inside text."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from processors.detect.keyvalue import (
    MAX_ADDRESS_CHARS,
    MAX_EXTRA_NAME_WORDS,
    NAME,
    VERSION,
    KeyValueDetector,
)
from processors.entities import EntityType

E = EntityType
KNOWN_NAMES = frozenset({"Maria Garcia", "Ana Ruiz", "Maria"})


def is_known_name(text: str) -> bool:
    """A stand-in for the name dictionary: a few invented names."""
    return text in KNOWN_NAMES


def found(
    text: str,
    detector: KeyValueDetector | None = None,
) -> list[tuple[EntityType, str]]:
    """Return (entity type, value) of every span the detector reports."""
    spans = (detector or KeyValueDetector()).detect(text)
    assert all(s.detector == NAME and s.score == 1.0 for s in spans)
    return [(s.entity_type, text[s.start : s.end]) for s in spans]


# --- Forms of pairs -----------------------------------------------------------

FORMS = [
    pytest.param(
        "level=info ssn=123-45-6789 mrn=MRN0012345 msg=lookup",
        [(E.SSN, "123-45-6789"), (E.MRN, "MRN0012345")],
        id="logfmt",
    ),
    pytest.param(
        'patient_name="Maria Garcia" dob=1961-03-03 status=ok',
        [(E.PERSON, "Maria Garcia"), (E.DATE, "1961-03-03")],
        id="logfmt-quoted",
    ),
    pytest.param(
        "email='maria.garcia@example.com' phone = 217-555-0143",
        [(E.EMAIL, "maria.garcia@example.com"), (E.PHONE, "217-555-0143")],
        id="single-quotes-and-blanks",
    ),
    pytest.param(
        "SELECT * FROM visits WHERE ssn = '123-45-6789' AND p.last_name='Garcia'",
        [(E.SSN, "123-45-6789"), (E.PERSON, "Garcia")],
        id="sql-predicates",
    ),
    pytest.param(
        "GET /api/visits?mrn=A1234567&dob=1961-03-03&page=2 HTTP/1.1",
        [(E.MRN, "A1234567"), (E.DATE, "1961-03-03")],
        id="query-string",
    ),
    pytest.param(
        'body {"firstName": "Maria", "zip": "62704", "status": "ok"}',
        [(E.PERSON, "Maria"), (E.ZIP, "62704")],
        id="json-fragment",
    ),
    pytest.param(
        'payload={"memberId":"XAB123456789"}',
        [(E.MEMBER_ID, "XAB123456789")],
        id="json-after-key",
    ),
    pytest.param(
        ':ssn => "123-45-6789"',
        [(E.SSN, "123-45-6789")],
        id="ruby-hash-arrow",
    ),
    pytest.param(
        "Patient: Maria Garcia was seen; DOB: 03/03/1961",
        [(E.PERSON, "Maria Garcia"), (E.DATE, "03/03/1961")],
        id="label-prose",
    ),
    pytest.param(
        "visit patient.id=P12345 address.city=Springfield",
        [(E.MRN, "P12345"), (E.ADDRESS, "Springfield")],
        id="dotted-parent-rules",
    ),
    pytest.param(
        "x_forwarded_for=198.51.100.7, guarantorPhone=217-555-0143",
        [(E.IP_ADDRESS, "198.51.100.7"), (E.PHONE, "217-555-0143")],
        id="suffix-and-ip",
    ),
]


@pytest.mark.parametrize(("text", "expected"), FORMS)
def test_detect_reports_values_when_phi_keys_are_written_as_pairs(
    text: str, expected: list[tuple[EntityType, str]]
) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("trace_id=4bf92f3577b34da6 status=200", id="never-keys"),
        pytest.param("page=2 count=10 path=/visits", id="neutral-keys"),
        pytest.param("ssn lookup failed for the visit", id="no-separator"),
        pytest.param("dob= ", id="empty-value"),
    ],
)
def test_detect_reports_nothing_when_no_phi_key_holds_a_value(text: str) -> None:
    assert found(text) == []


def test_detector_has_name_and_version_when_built() -> None:
    assert (KeyValueDetector.name, KeyValueDetector.version) == (NAME, VERSION)


# --- Name extension -----------------------------------------------------------

NAME_EXTENSIONS = [
    pytest.param("patient_name=Maria Garcia status=ok", "Maria Garcia", id="two-words"),
    pytest.param(
        "patient_name=Maria Elena Garcia Lopez Smith status=ok",
        "Maria Elena Garcia Lopez",
        id="at-most-three-more-words",
    ),
    pytest.param(
        "patient_name=Maria Garcia Status=active", "Maria Garcia", id="stops-before-key"
    ),
    pytest.param(
        "patient_name=Maria Garcia Dept: cardiology",
        "Maria Garcia",
        id="stops-before-label",
    ),
    pytest.param(
        "patient_name=Maria O'Neil-Garcia was seen",
        "Maria O'Neil-Garcia",
        id="punctuated",
    ),
    pytest.param("patient_name=Maria, Garcia", "Maria", id="stops-at-comma"),
]


@pytest.mark.parametrize(("text", "expected"), NAME_EXTENSIONS)
def test_detect_extends_name_over_capitalized_words_when_value_is_bare(
    text: str, expected: str
) -> None:
    assert found(text) == [(E.PERSON, expected)]


def test_detect_keeps_quoted_name_whole_when_value_is_quoted() -> None:
    text = 'patient_name="Maria" Garcia Lopez'

    assert found(text) == [(E.PERSON, "Maria")]


# --- Address extension --------------------------------------------------------

ADDRESS_EXTENSIONS = [
    pytest.param(
        "address=12 Elm Street, Springfield, IL status=ok",
        "12 Elm Street, Springfield, IL",
        id="stops-before-next-key",
    ),
    pytest.param(
        "street_address=12 Elm Street; visit ok",
        "12 Elm Street",
        id="stops-at-semicolon",
    ),
    pytest.param("address=12 Elm Street|next", "12 Elm Street", id="stops-at-pipe"),
    pytest.param(
        "address=12 Elm Street  latency 3ms", "12 Elm Street", id="stops-at-two-blanks"
    ),
    pytest.param("address=12 Elm Street", "12 Elm Street", id="runs-to-end"),
]


@pytest.mark.parametrize(("text", "expected"), ADDRESS_EXTENSIONS)
def test_detect_extends_address_to_clause_end_when_value_is_bare(
    text: str, expected: str
) -> None:
    assert found(text) == [(E.ADDRESS, expected)]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("address=12 Elm Street | next", id="blank-before-pipe"),
        pytest.param("address=12 Elm Street ; next", id="blank-before-semicolon"),
        pytest.param("address=12 Elm Street \n", id="blank-before-newline"),
    ],
)
def test_detect_ends_address_before_blanks_when_clause_ends_at_delimiter(
    text: str,
) -> None:
    assert found(text) == [(E.ADDRESS, "12 Elm Street")]


def test_detect_caps_address_length_when_clause_is_long() -> None:
    text = "address=12 " + "Elm " * 60

    ((entity_type, value),) = found(text)

    assert entity_type is E.ADDRESS
    assert value.startswith("12 Elm")
    assert len(value) == len("12") + MAX_ADDRESS_CHARS


# --- Ages ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("age=90", [(E.AGE, "90")], id="ninety"),
        pytest.param("patient_age: 104", [(E.AGE, "104")], id="over-one-hundred"),
        pytest.param("age=89", [], id="eighty-nine"),
        pytest.param("age=7", [], id="child"),
        pytest.param("age=ninety", [], id="words"),
        pytest.param("age=-91", [], id="negative"),
    ],
)
def test_detect_reports_age_only_when_age_is_ninety_or_more(
    text: str, expected: list[tuple[EntityType, str]]
) -> None:
    assert found(text) == expected


@settings(max_examples=60, deadline=None)
@given(age=st.integers(min_value=0, max_value=130))
def test_detect_reports_age_when_and_only_when_it_is_at_least_ninety(age: int) -> None:
    reported = found(f"visit ok age={age} status=done")

    assert reported == ([(E.AGE, str(age))] if age >= 90 else [])


# --- Ambiguous name keys ------------------------------------------------------


def test_detect_reports_ambiguous_key_when_name_test_accepts_the_value() -> None:
    detector = KeyValueDetector(is_person_name=is_known_name)

    assert found("user=Maria Garcia action=login", detector) == [
        (E.PERSON, "Maria Garcia")
    ]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("name=checkout-service", id="service"),
        pytest.param("name=Nightly Backup job=done", id="capitalized-non-name"),
        pytest.param('createdBy="deploy-bot"', id="quoted-bot"),
    ],
)
def test_detect_skips_ambiguous_key_when_name_test_rejects_the_value(text: str) -> None:
    detector = KeyValueDetector(is_person_name=is_known_name)

    assert found(text, detector) == []


def test_detect_skips_ambiguous_key_when_no_name_test_is_given() -> None:
    assert found("user=Maria Garcia") == []


def test_detect_tests_extended_name_when_ambiguous_value_is_bare() -> None:
    seen: list[str] = []

    def spy(text: str) -> bool:
        seen.append(text)
        return False

    KeyValueDetector(is_person_name=spy).detect("owner=Ana Ruiz status=ok")

    assert seen == ["Ana Ruiz"]


def test_detect_extends_ambiguous_name_like_phi_name_when_value_is_bare() -> None:
    words = "Ana Bo Cy Di Ed Fa Gu"
    detector = KeyValueDetector(is_person_name=lambda _: True)
    expected = " ".join(words.split()[: 1 + MAX_EXTRA_NAME_WORDS])

    assert found(f"patient_name={words}", detector) == [(E.PERSON, expected)]
    assert found(f"user={words}", detector) == [(E.PERSON, expected)]


# --- Keys the policy adds -----------------------------------------------------


def test_detect_reports_id_when_policy_adds_the_key() -> None:
    detector = KeyValueDetector(extra_keys=("encounterid",))

    assert found("encounter_id=E-1001 claim_id=C-2", detector) == [(E.ID, "E-1001")]


# --- Offsets ------------------------------------------------------------------

KEYS: list[tuple[str, EntityType]] = [
    ("ssn", E.SSN),
    ("mrn", E.MRN),
    ("dob", E.DATE),
    ("email", E.EMAIL),
    ("zip", E.ZIP),
]
RENDER: list[Callable[[str, str], str]] = [
    lambda key, value: f"{key}={value}",
    lambda key, value: f'{key}="{value}"',
    lambda key, value: f'"{key}": "{value}"',
    lambda key, value: f"{key}: {value}",
]


@settings(max_examples=80, deadline=None)
@given(
    before=st.sampled_from(["", "msg=ok ", "GET /v?", "WHERE ", "{"]),
    key_and_type=st.sampled_from(KEYS),
    value=st.text(alphabet="ABCDEFGHJK0123456789-", min_size=1, max_size=20),
    render=st.sampled_from(RENDER),
)
def test_detect_locates_value_exactly_when_pair_is_embedded(
    before: str,
    key_and_type: tuple[str, EntityType],
    value: str,
    render: Callable[[str, str], str],
) -> None:
    key, entity_type = key_and_type
    text = before + render(key, value) + " status=ok"

    assert found(text) == [(entity_type, value)]
