"""Tests of the policy: the shipped default, each setting, and every error."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from processors.entities import EntityType
from processors.errors import PolicyError
from processors.policy import (
    ACTIONS,
    Action,
    CustomDetector,
    Policy,
    load_policy,
    parse_policy,
)


def policy_from(toml_text: str) -> Policy:
    """Parse ``toml_text`` as a policy file would be."""
    return parse_policy(tomllib.loads(toml_text))


# --- The shipped default ------------------------------------------------------


def test_load_policy_returns_default_when_no_path_given() -> None:
    policy = load_policy()

    assert policy.version == "2026-12-03"
    assert policy.min_score == 0.5
    assert policy.default == Action("tokenize")
    assert policy.action_for(EntityType.AGE).name == "tokenize"
    assert policy.action_for(EntityType.SSN).name == "tokenize"
    assert set(policy.identifier_keys) == {"encounterid", "claimid", "visitid"}
    assert policy.allow == frozenset()
    assert policy.deny == {}
    assert policy.detectors == ()


def test_parse_policy_returns_defaults_when_document_is_empty() -> None:
    policy = parse_policy({})

    assert policy.version == "custom"
    assert policy.min_score == 0.5
    assert policy.action_for(EntityType.PERSON) == Action()


# --- Actions ------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_action_for_returns_named_action_when_entity_sets_it(name: str) -> None:
    policy = policy_from(f'[entities]\nSSN = "{name}"\n')

    assert policy.action_for(EntityType.SSN).name == name
    assert policy.action_for(EntityType.PHONE).name == "tokenize"


@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_action_for_returns_named_action_when_default_sets_it(name: str) -> None:
    policy = policy_from(f'default = "{name}"\n')

    assert policy.action_for(EntityType.EMAIL).name == name


def test_action_keeps_parameters_when_given_as_table() -> None:
    policy = policy_from(
        "[entities]\n"
        'CREDIT_CARD = { action = "mask", keep_last = 2 }\n'
        'DATE = { action = "date_shift", max_shift_days = 30 }\n'
    )

    assert policy.action_for(EntityType.CREDIT_CARD) == Action("mask", keep_last=2)
    assert policy.action_for(EntityType.DATE) == Action("date_shift", max_shift_days=30)


def test_action_defaults_to_tokenize_when_table_names_no_action() -> None:
    policy = policy_from("[entities]\nMRN = { keep_last = 2 }\n")

    assert policy.action_for(EntityType.MRN) == Action("tokenize", keep_last=2)


# --- Per-field actions --------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "normalized"),
    [
        pytest.param("patient.dob", "patient.dob", id="plain"),
        pytest.param("Patient.Date-Of-Birth", "patient.dateofbirth", id="case-kebab"),
        pytest.param("billing.card_number", "billing.cardnumber", id="snake"),
        pytest.param("guarantor.homePhone", "guarantor.homephone", id="camel"),
    ],
)
def test_parse_policy_normalizes_field_path_when_keys_are_spelled_freely(
    written: str, normalized: str
) -> None:
    policy = policy_from(f'[fields]\n"{written}" = "mask"\n')

    assert set(policy.by_field) == {normalized}
    assert policy.action_for(EntityType.DATE, normalized).name == "mask"


def test_action_for_prefers_field_when_field_and_entity_both_match() -> None:
    policy = policy_from(
        '[entities]\nDATE = "redact"\n[fields]\n"patient.dob" = "generalize"\n'
    )

    assert policy.action_for(EntityType.DATE, "patient.dob").name == "generalize"
    assert policy.action_for(EntityType.DATE, "visit.date").name == "redact"
    assert policy.action_for(EntityType.DATE).name == "redact"


# --- Lists: identifiers, allow, deny ------------------------------------------


def test_parse_policy_normalizes_identifier_keys_when_listed() -> None:
    policy = policy_from('[identifiers]\nkeys = ["Claim-ID", "rx_number"]\n')

    assert policy.identifier_keys == ("claimid", "rxnumber")


def test_parse_policy_strips_allow_values_when_listed() -> None:
    policy = policy_from('[allow]\nvalues = [" support@example.com ", "N/A"]\n')

    assert policy.allow == frozenset({"support@example.com", "N/A"})


def test_parse_policy_reads_deny_values_when_listed() -> None:
    policy = policy_from(
        "[[deny.values]]\n"
        'value = " Zed Placeholder "\n'
        'entity_type = "PERSON"\n'
        "[[deny.values]]\n"
        'value = "PRJ-ORCHID"\n'
        "[[deny.values]]\n"
        'value = "   "\n'
    )

    assert policy.deny == {
        "Zed Placeholder": EntityType.PERSON,
        "PRJ-ORCHID": EntityType.ID,
    }


def test_parse_policy_reads_custom_detectors_when_listed() -> None:
    policy = policy_from(
        "[[detectors]]\n"
        'name = "employee_id"\n'
        'entity_type = "ID"\n'
        'pattern = "EMP-[0-9]{6}"\n'
        "[[detectors]]\n"
        'pattern = "RX[0-9]{8}"\n'
    )

    assert policy.detectors == (
        CustomDetector("employee_id", EntityType.ID, "EMP-[0-9]{6}"),
        CustomDetector("custom_1", EntityType.ID, "RX[0-9]{8}"),
    )


# --- Errors -------------------------------------------------------------------

INVALID = [
    pytest.param({"actions": {}}, ("actions", "known"), id="unknown-setting"),
    pytest.param(
        {"entities": {"SSN": "scramble"}},
        ("entities.SSN", "scramble", "use one of", "tokenize"),
        id="unknown-action",
    ),
    pytest.param(
        {"default": "scramble"}, ("default", "use one of"), id="unknown-default"
    ),
    pytest.param(
        {"entities": {"SOCIAL": "mask"}},
        ("entities.SOCIAL", "unknown entity type", "use one of", "SSN"),
        id="unknown-entity-type",
    ),
    pytest.param(
        {"fields": {"patient.dob": "scramble"}},
        ("patient.dob", "use one of"),
        id="unknown-field-action",
    ),
    pytest.param(
        {"entities": {"SSN": 3}},
        ("entities.SSN", "expected a table or an action name"),
        id="action-wrong-type",
    ),
    pytest.param(
        {"entities": {"SSN": {"action": "mask", "keep_last": -1}}},
        ("entities.SSN.keep_last", "integer >= 0"),
        id="negative-keep-last",
    ),
    pytest.param(
        {"entities": {"DATE": {"action": "date_shift", "max_shift_days": 0}}},
        ("entities.DATE.max_shift_days", "integer >= 1"),
        id="zero-shift",
    ),
    pytest.param({"min_score": 1.5}, ("min_score", "between 0 and 1"), id="score-high"),
    pytest.param({"min_score": "high"}, ("min_score", "number"), id="score-text"),
    pytest.param(
        {"deny": {"values": [{"value": "PRJ-ORCHID", "entity_type": "CODE"}]}},
        ("deny.entity_type", "use one of"),
        id="deny-unknown-type",
    ),
    pytest.param(
        {"detectors": [{"name": "x"}]},
        ("detectors[0]", "pattern"),
        id="detector-without-pattern",
    ),
    pytest.param(
        {"detectors": [{"pattern": "EMP-[0-9]{6}", "entity_type": "BADGE"}]},
        ("detectors[0].entity_type", "use one of"),
        id="detector-unknown-type",
    ),
]


@pytest.mark.parametrize(("document", "expected_words"), INVALID)
def test_parse_policy_raises_with_fix_when_setting_is_invalid(
    document: dict[str, Any], expected_words: tuple[str, ...]
) -> None:
    with pytest.raises(PolicyError) as raised:
        parse_policy(document)

    message = str(raised.value)
    for word in expected_words:
        assert word in message


@pytest.mark.parametrize(
    "pattern",
    [
        pytest.param("EMP-(?=[0-9])[0-9]{6}", id="lookahead"),
        pytest.param("(?<=EMP-)[0-9]{6}", id="lookbehind"),
        pytest.param(r"(EMP)-\1", id="backreference"),
        pytest.param("EMP-[0-9", id="unclosed-class"),
    ],
)
def test_parse_policy_raises_when_custom_pattern_is_not_re2(pattern: str) -> None:
    with pytest.raises(PolicyError) as raised:
        parse_policy({"detectors": [{"name": "employee_id", "pattern": pattern}]})

    message = str(raised.value)
    assert "detectors[0].pattern" in message
    assert "RE2" in message
    assert "lookaround" in message
    # The parser's own exception is not chained: its text names the pattern.
    assert raised.value.__cause__ is None
    assert raised.value.__suppress_context__


@pytest.mark.parametrize(
    "document",
    [
        pytest.param({"entities": "tokenize"}, id="entities-not-table"),
        pytest.param({"fields": 3}, id="fields-not-table"),
        pytest.param({"identifiers": ["claim_id"]}, id="identifiers-not-table"),
    ],
)
def test_parse_policy_raises_policy_error_when_section_has_wrong_type(
    document: dict[str, Any],
) -> None:
    with pytest.raises(PolicyError):
        parse_policy(document)


@pytest.mark.parametrize(
    "document",
    [
        pytest.param(
            {"entities": {"SSN": {"action": "mask", "keep_last": True}}},
            id="keep-last-boolean",
        ),
        pytest.param({"min_score": True}, id="min-score-boolean"),
    ],
)
def test_parse_policy_raises_when_number_setting_is_boolean(
    document: dict[str, Any],
) -> None:
    with pytest.raises(PolicyError):
        parse_policy(document)


# --- Loading files ------------------------------------------------------------


def test_load_policy_reads_file_when_path_given(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text('version = "test-1"\n[entities]\nSSN = "redact"\n', "utf-8")

    policy = load_policy(path)

    assert policy.version == "test-1"
    assert policy.action_for(EntityType.SSN).name == "redact"


def test_load_policy_raises_when_file_is_missing(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="cannot read the policy file") as raised:
        load_policy(tmp_path / "absent.toml")

    assert "--policy" in str(raised.value)


def test_load_policy_raises_when_file_is_not_toml(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text("[entities\nSSN = redact\n", "utf-8")

    with pytest.raises(PolicyError, match="not valid TOML") as raised:
        load_policy(path)

    assert raised.value.__cause__ is None


def test_load_policy_raises_when_file_has_unknown_setting(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text('mode = "strict"\n', "utf-8")

    with pytest.raises(PolicyError, match="mode"):
        load_policy(str(path))
