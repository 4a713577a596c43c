"""Tests of the key gate: a superset of the keys the field rules mark, and no more."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import re2
from hypothesis import given, settings
from hypothesis import strategies as st

from processors.detect.fields import (
    AGE_KEYS,
    AMBIGUOUS_NAME_KEYS,
    PHI_KEY_SPELLINGS,
    SUFFIX_SPELLINGS,
    classify,
    normalize_key,
)
from processors.detect.keygate import key_gate_pattern
from processors.detect.keyvalue import KeyValueDetector
from processors.policy import load_policy

GATE = re2.compile(key_gate_pattern())
DETECTOR = KeyValueDetector(is_person_name=lambda _: True)


def is_marked(raw_key: str) -> bool:
    """Return True when the field rules mark ``raw_key`` written in text.

    In text a dotted key is a path: its last part is the key, the one before
    it the parent, as the key-value detector reads it.
    """
    parts = raw_key.split(".")
    parent = normalize_key(parts[-2]) if len(parts) > 1 else ""
    rule = classify(normalize_key(parts[-1]), parent)
    return rule.entity_type is not None or rule.is_age or rule.is_ambiguous_name


def renderings(key: str) -> list[str]:
    """Return ``key`` as a logfmt pair and as a JSON member, both with PHI."""
    return [f"{key}=93", f"{key} = 93", f'"{key}": "93"', f"'{key}':93"]


def snake(words: list[str]) -> str:
    return "_".join(words)


def camel(words: list[str]) -> str:
    return words[0] + "".join(word.capitalize() for word in words[1:])


def kebab(words: list[str]) -> str:
    return "-".join(words)


def upper_snake(words: list[str]) -> str:
    return "_".join(words).upper()


def dotted(words: list[str]) -> str:
    return "visit." + "_".join(words)


def dotted_camel(words: list[str]) -> str:
    return "record.payload." + camel(words)


FORMS: list[Callable[[list[str]], str]] = [
    snake,
    camel,
    kebab,
    upper_snake,
    dotted,
    dotted_camel,
]
EVERY_KEY = sorted(
    {*PHI_KEY_SPELLINGS, *SUFFIX_SPELLINGS, *AGE_KEYS, *AMBIGUOUS_NAME_KEYS}
)


# --- Superset -----------------------------------------------------------------


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.__name__)
def test_key_gate_matches_every_marked_key_when_key_is_spelled_in_form(
    form: Callable[[list[str]], str],
) -> None:
    misses = []
    unmarked = []
    for spelling in EVERY_KEY:
        key = form(spelling.split("_"))
        if not is_marked(key):
            unmarked.append(key)
            continue
        misses.extend(text for text in renderings(key) if not GATE.search(text))

    assert misses == []
    # The forms are meant to be marked: a silent skip would prove nothing.
    assert unmarked == []


SUFFIX_FORMS: list[Callable[[str, list[str]], str]] = [
    lambda prefix, words: prefix + "".join(w.capitalize() for w in words),
    lambda prefix, words: "_".join([prefix, *words]),
    lambda prefix, words: "-".join([prefix, *words]).upper(),
    lambda prefix, words: f"{prefix}.{camel(words)}",
    lambda prefix, words: prefix + "".join(words),
]


@settings(max_examples=150, deadline=None)
@given(
    prefix=st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=12),
    suffix=st.sampled_from(SUFFIX_SPELLINGS),
    form=st.sampled_from(SUFFIX_FORMS),
    context=st.sampled_from(["", "msg=ok ", "{", "GET /p?page=2&", "\t", "a,"]),
)
def test_key_gate_matches_when_suffix_key_has_any_prefix(
    prefix: str,
    suffix: str,
    form: Callable[[str, list[str]], str],
    context: str,
) -> None:
    key = form(prefix, suffix.split("_"))

    assert is_marked(key)
    for text in renderings(key):
        # The key-value detector reports it, so the gate must let it through.
        assert DETECTOR.detect(context + text), context + text
        assert GATE.search(context + text), context + text


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("patient.name=Maria", id="patient-name"),
        pytest.param("patient.first_name=Maria", id="patient-first-name"),
        pytest.param("patient.id=P12345", id="patient-id"),
        pytest.param("address.city=Springfield", id="address-city"),
        pytest.param("address.postalCode=62704", id="address-postal-code"),
        pytest.param('{"identifier": [{"value": "P12345"}]}', id="json-identifier"),
        pytest.param('{"patient": {"text": "Maria"}}', id="json-parent"),
    ],
)
def test_key_gate_matches_when_parent_rule_key_is_written(text: str) -> None:
    assert DETECTOR.detect(text) or text.startswith("{")
    assert GATE.search(text)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("caregiver.id=CG7781", id="caregiver-id"),
        pytest.param("identifier.value=P12345", id="identifier-value"),
        pytest.param("address.line=12 Elm Street", id="address-line"),
        pytest.param("patient.middle=Ann", id="patient-middle"),
        pytest.param("name.prefix=Ms", id="name-prefix"),
        pytest.param("guarantor.number=G5512", id="guarantor-number"),
    ],
)
def test_key_gate_matches_when_dotted_parent_rule_key_is_in_text(text: str) -> None:
    # The detector reports the value, so the gate must not skip the text.
    assert DETECTOR.detect(text)

    assert GATE.search(text)


# --- Keys the policy adds -----------------------------------------------------


def test_key_gate_matches_extra_key_when_spelled_without_separators() -> None:
    gate = re2.compile(key_gate_pattern(load_policy().identifier_keys))

    assert gate.search("encounterid=E-1001")
    assert gate.search('"CLAIMID": "C-77"')
    assert gate.search('{"claimId": "C-77"}')


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("encounter_id=E-1001", id="snake"),
        pytest.param('{"claim_id": "C-77"}', id="json-snake"),
        pytest.param("visit-id: V-9", id="kebab"),
    ],
)
def test_key_gate_matches_default_identifier_keys_when_spelled_with_separators(
    text: str,
) -> None:
    policy = load_policy()
    gate = re2.compile(key_gate_pattern(policy.identifier_keys))

    assert KeyValueDetector(policy.identifier_keys).detect(text)
    assert gate.search(text)


# --- Clean keys ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("page=2", id="page"),
        pytest.param("trace_id=4bf92f3577b34da6", id="trace-id"),
        pytest.param("status=200", id="status"),
        pytest.param("duration_ms=12", id="duration"),
        pytest.param('{"status": "ok", "duration_ms": 12}', id="json"),
        pytest.param("message=done usage=3 language=en", id="age-inside-words"),
        pytest.param("user_agent=curl/8.4 referer=/index", id="user-agent"),
        pytest.param("level=info method=GET path=/api/v1/visits", id="request"),
        pytest.param("the ssn column was empty", id="key-word-without-separator"),
    ],
)
def test_key_gate_does_not_match_when_text_holds_only_clean_keys(text: str) -> None:
    assert GATE.search(text) is None
