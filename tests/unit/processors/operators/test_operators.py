"""Tests of the operators, called directly and through presidio's AnonymizerEngine."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from presidio_anonymizer.entities import OperatorConfig, RecognizerResult

from processors.entities import EntityType
from processors.errors import DetectionError
from processors.normalize import parse_date
from processors.operators.dateshift import DateShift
from processors.operators.generalize import SPARSE_ZIP3, Generalize
from processors.operators.keep import Keep
from processors.operators.mask import Mask
from processors.operators.redact import Redact
from processors.operators.registry import OPERATORS, presidio_engine
from processors.operators.tokenize import Tokenize
from processors.policy import ACTIONS, Action
from processors.tokens import Tokenizer, TokenKey

TOKENIZER = Tokenizer(TokenKey(b"unit-test-operator-secret-0123456"))
PATIENT = "PERSON:<PERSON:k1:00112233aabbccdd>"

# HHS de-identification guidance, Safe Harbor (2000 census): the three-digit
# ZIP areas of 20,000 people or fewer, written out independently of the code.
HHS_SPARSE_ZIP3 = [
    "036",
    "059",
    "063",
    "102",
    "203",
    "556",
    "692",
    "790",
    "821",
    "823",
    "830",
    "831",
    "878",
    "879",
    "884",
    "890",
    "893",
]


def params(
    entity_type: EntityType, action: Action | None = None, **extra: Any
) -> dict[str, Any]:
    """Return operator parameters as the engine passes them."""
    return {
        "entity_type": entity_type,
        "tokenizer": TOKENIZER,
        "action": action or Action(),
        **extra,
    }


def shift_of(original: str, shifted: str) -> int:
    """Return the days between a date and its shifted ISO form."""
    before = parse_date(original)
    assert before is not None
    return (date.fromisoformat(shifted) - before).days


# --- The registry -------------------------------------------------------------


def test_operators_cover_every_policy_action_when_registered() -> None:
    assert set(OPERATORS) == set(ACTIONS)


def test_operators_have_distinct_presidio_names_when_registered() -> None:
    names = [operator.operator_name() for operator in OPERATORS.values()]

    assert len(set(names)) == len(names)


# --- mask ---------------------------------------------------------------------

MASKED = [
    pytest.param("123-45-6789", 4, "***-**-6789", id="ssn-keeps-separators"),
    pytest.param("(217) 555-0143", 4, "(***) ***-0143", id="phone"),
    pytest.param("4111 1111 1111 1111", 4, "**** **** **** 1111", id="card"),
    pytest.param("maria.garcia@example.com", 4, "*****.******@******e.com", id="email"),
    pytest.param("MRN0012345", 6, "*****12345", id="half-of-ten"),
    pytest.param("1234", 4, "**34", id="short-keeps-half"),
    pytest.param("ab", 4, "*b", id="two-chars"),
    pytest.param("a", 4, "*", id="one-char"),
    pytest.param("123-45-6789", 0, "***-**-****", id="keep-none"),
    pytest.param("--", 4, "--", id="separators-only"),
    pytest.param("", 4, "", id="empty"),
]


@pytest.mark.parametrize(("value", "keep_last", "expected"), MASKED)
def test_mask_keeps_last_characters_when_value_is_long_enough(
    value: str, keep_last: int, expected: str
) -> None:
    action = Action("mask", keep_last=keep_last)

    assert Mask().operate(value, params(EntityType.SSN, action)) == expected


# Values without '*': how a '*' already in the input counts is the mask's own
# mark, which the idempotence test below is about.
VALUES_WITHOUT_MASK = st.text(
    alphabet=st.characters(exclude_characters="*"), max_size=40
)


@settings(max_examples=120, deadline=None)
@given(value=VALUES_WITHOUT_MASK, keep_last=st.integers(min_value=0, max_value=12))
def test_mask_keeps_at_most_half_and_every_separator_when_value_is_arbitrary(
    value: str, keep_last: int
) -> None:
    masked = Mask().operate(value, {"action": Action("mask", keep_last=keep_last)})

    assert len(masked) == len(value)
    alnum_positions = [i for i, char in enumerate(value) if char.isalnum()]
    expected_kept = min(keep_last, len(alnum_positions) // 2)
    kept = set(alnum_positions[len(alnum_positions) - expected_kept :])
    for i, (before, after) in enumerate(zip(value, masked, strict=True)):
        if not before.isalnum() or i in kept:
            assert after == before
        else:
            assert after == "*"


@pytest.mark.parametrize(
    ("value", "keep_last"),
    [
        pytest.param("123-45-6789", 4, id="ssn"),
        pytest.param("4111 1111 1111 1111", 4, id="card"),
        pytest.param("MRN0012345", 4, id="mrn"),
    ],
)
def test_mask_is_idempotent_when_applied_to_its_own_output(
    value: str, keep_last: int
) -> None:
    action_params = {"action": Action("mask", keep_last=keep_last)}
    once = Mask().operate(value, action_params)

    assert Mask().operate(once, action_params) == once


@settings(max_examples=60, deadline=None, database=None)
@given(
    value=st.text(alphabet="0123456789-", min_size=8, max_size=20),
    keep_last=st.integers(min_value=1, max_value=6),
)
def test_mask_is_idempotent_when_value_is_arbitrary(value: str, keep_last: int) -> None:
    action_params = {"action": Action("mask", keep_last=keep_last)}
    once = Mask().operate(value, action_params)

    assert Mask().operate(once, action_params) == once


def test_mask_uses_default_keep_last_when_no_action_given() -> None:
    assert Mask().operate("123-45-6789", None) == "***-**-6789"


# --- redact -------------------------------------------------------------------


@pytest.mark.parametrize("entity_type", list(EntityType), ids=str)
def test_redact_writes_type_label_when_value_is_redacted(
    entity_type: EntityType,
) -> None:
    result = Redact().operate("Maria Garcia", params(entity_type))

    assert result == f"<{entity_type.value}>"


# --- generalize ---------------------------------------------------------------

GENERALIZED = [
    pytest.param(EntityType.DATE, "March 3, 1961", "1961", id="date-month-name"),
    pytest.param(EntityType.DATE, "1961-03-03", "1961", id="date-iso"),
    pytest.param(EntityType.DATE, "03/03/61", "1961", id="date-two-digit-year"),
    pytest.param(EntityType.DATE, "admitted in 2019", "2019", id="date-year-in-text"),
    pytest.param(EntityType.DATE, "02/30/1961", "1961", id="date-invalid-day"),
    pytest.param(EntityType.ZIP, "62704", "627**", id="zip5"),
    pytest.param(EntityType.ZIP, "62704-1234", "627**", id="zip9"),
    pytest.param(EntityType.ZIP, " 10001 ", "100**", id="zip-blanks"),
    pytest.param(EntityType.ZIP, "12", "000**", id="zip-too-short"),
    pytest.param(EntityType.AGE, "93", "90+", id="age"),
    pytest.param(EntityType.AGE, "104 years", "90+", id="age-with-unit"),
]


@pytest.mark.parametrize(("entity_type", "value", "expected"), GENERALIZED)
def test_generalize_keeps_safe_harbor_form_when_value_is_readable(
    entity_type: EntityType, value: str, expected: str
) -> None:
    assert Generalize().operate(value, params(entity_type)) == expected


def test_generalize_sparse_list_equals_hhs_list_when_loaded() -> None:
    assert set(HHS_SPARSE_ZIP3) == SPARSE_ZIP3


@pytest.mark.parametrize("zip3", HHS_SPARSE_ZIP3)
def test_generalize_writes_000_when_zip3_area_is_sparse(zip3: str) -> None:
    assert Generalize().operate(f"{zip3}01", params(EntityType.ZIP)) == "000**"


@pytest.mark.parametrize(
    ("entity_type", "value"),
    [
        pytest.param(EntityType.DATE, "next Tuesday", id="date-without-year"),
        pytest.param(EntityType.SSN, "123-45-6789", id="no-coarser-form"),
        pytest.param(EntityType.PERSON, "Maria Garcia", id="person"),
    ],
)
def test_generalize_falls_back_to_token_when_value_has_no_coarser_form(
    entity_type: EntityType, value: str
) -> None:
    result = Generalize().operate(value, params(entity_type))

    assert result == TOKENIZER.token(entity_type, value)


# --- date_shift ---------------------------------------------------------------


def test_date_shift_writes_iso_date_when_value_is_a_date() -> None:
    result = DateShift().operate(
        "March 3, 1961", params(EntityType.DATE, patient=PATIENT)
    )

    assert date.fromisoformat(result) != date(1961, 3, 3)
    assert len(result) == len("1961-03-03")


@settings(max_examples=80, deadline=None)
@given(
    patient=st.text(min_size=1, max_size=40),
    first=st.dates(min_value=date(1900, 1, 1), max_value=date(2090, 12, 31)),
    second=st.dates(min_value=date(1900, 1, 1), max_value=date(2090, 12, 31)),
    max_days=st.integers(min_value=1, max_value=3650),
)
def test_date_shift_moves_every_date_of_a_patient_alike_when_patient_is_known(
    patient: str, first: date, second: date, max_days: int
) -> None:
    action = Action("date_shift", max_shift_days=max_days)
    shift = DateShift()

    first_shift = shift_of(
        first.isoformat(),
        shift.operate(
            first.isoformat(), params(EntityType.DATE, action, patient=patient)
        ),
    )
    second_text = f"{second.month:02d}/{second.day:02d}/{second.year}"
    second_shift = shift_of(
        second_text,
        shift.operate(second_text, params(EntityType.DATE, action, patient=patient)),
    )

    assert first_shift == second_shift
    assert first_shift != 0
    assert -max_days <= first_shift <= max_days


def test_date_shift_differs_between_patients_when_many_patients_shift() -> None:
    shifts = {
        shift_of(
            "1961-03-03",
            DateShift().operate(
                "1961-03-03",
                params(EntityType.DATE, patient=f"MRN:<MRN:k1:{i:016x}>"),
            ),
        )
        for i in range(50)
    }

    # 50 draws from 730 offsets: a handful may collide, most must not.
    assert len(shifts) >= 40


def test_date_shift_reaches_both_directions_when_patients_vary() -> None:
    action = Action("date_shift", max_shift_days=1)

    shifts = {
        shift_of(
            "1961-03-03",
            DateShift().operate(
                "1961-03-03", params(EntityType.DATE, action, patient=f"p{i}")
            ),
        )
        for i in range(40)
    }

    assert shifts == {-1, 1}


@pytest.mark.parametrize(
    ("entity_type", "value", "extra"),
    [
        pytest.param(EntityType.DATE, "1961-03-03", {}, id="no-patient"),
        pytest.param(
            EntityType.DATE, "1961-03-03", {"patient": ""}, id="empty-patient"
        ),
        pytest.param(
            EntityType.DATE, "next Tuesday", {"patient": PATIENT}, id="unreadable-date"
        ),
        pytest.param(
            EntityType.DATE, "02/30/1961", {"patient": PATIENT}, id="invalid-date"
        ),
        pytest.param(EntityType.AGE, "93", {"patient": PATIENT}, id="not-a-date-type"),
    ],
)
def test_date_shift_falls_back_to_token_when_shift_is_impossible(
    entity_type: EntityType, value: str, extra: dict[str, Any]
) -> None:
    result = DateShift().operate(value, params(entity_type, **extra))

    assert result == TOKENIZER.token(entity_type, value)


# --- keep and tokenize --------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(value=st.text(max_size=40))
def test_keep_returns_value_unchanged_when_kept(value: str) -> None:
    assert Keep().operate(value, params(EntityType.PERSON)) == value


def test_tokenize_returns_token_when_value_is_tokenized() -> None:
    result = Tokenize().operate("123-45-6789", params(EntityType.SSN))

    assert result == TOKENIZER.token(EntityType.SSN, "123456789")


# --- Missing parameters -------------------------------------------------------


@pytest.mark.parametrize(
    ("operator", "bad_params"),
    [
        pytest.param(Tokenize(), {"tokenizer": TOKENIZER}, id="tokenize-no-type"),
        pytest.param(
            Tokenize(), {"entity_type": "SSN", "tokenizer": "x"}, id="tokenize-no-key"
        ),
        pytest.param(Redact(), {"entity_type": "SOCIAL"}, id="redact-unknown-type"),
        pytest.param(Generalize(), None, id="generalize-no-params"),
        pytest.param(DateShift(), {"entity_type": "DATE"}, id="date-shift-no-key"),
    ],
)
def test_operator_raises_detection_error_when_parameters_are_missing(
    operator: Any, bad_params: dict[str, Any] | None
) -> None:
    with pytest.raises(DetectionError) as raised:
        operator.validate(bad_params)

    with pytest.raises(DetectionError):
        operator.operate("Maria Garcia 123-45-6789", bad_params)

    assert "Maria" not in str(raised.value)


# --- Through presidio ---------------------------------------------------------

TEXT = (
    "Maria Garcia, SSN 123-45-6789, DOB 03/03/1961, ZIP 62704, "
    "mail maria.garcia@example.com, tel 217-555-0143, age 93."
)
VALUES = {
    EntityType.PERSON: ("Maria Garcia", "tokenize", "tokenize"),
    EntityType.SSN: ("123-45-6789", "mask", "mask_last"),
    EntityType.DATE: ("03/03/1961", "date_shift", "date_shift"),
    EntityType.ZIP: ("62704", "generalize", "generalize"),
    EntityType.EMAIL: ("maria.garcia@example.com", "redact", "redact_label"),
    EntityType.PHONE: ("217-555-0143", "keep", "keep_value"),
    EntityType.AGE: ("93", "generalize", "generalize"),
}
"""Entity type: (value in TEXT, policy action, presidio operator name)."""


def test_presidio_engine_writes_same_text_when_given_our_operators() -> None:
    results = []
    configs = {}
    expected = TEXT
    spans = sorted(
        (
            (TEXT.index(value), entity_type)
            for entity_type, (value, _, _) in VALUES.items()
        ),
        reverse=True,
    )
    for start, entity_type in spans:
        value, action_name, presidio_name = VALUES[entity_type]
        end = start + len(value)
        action = Action(action_name, keep_last=4, max_shift_days=90)
        operator_params = {"tokenizer": TOKENIZER, "action": action, "patient": PATIENT}
        results.append(RecognizerResult(entity_type.value, start, end, 0.9))
        configs[entity_type.value] = OperatorConfig(presidio_name, operator_params)
        direct = OPERATORS[action_name].operate(
            value, {**operator_params, "entity_type": entity_type}
        )
        expected = expected[:start] + direct + expected[end:]

    result = presidio_engine().anonymize(TEXT, results, configs)

    assert result.text == expected
    # The direct results are what the policy promises, not copies of the input.
    assert "123-45-6789" not in result.text
    assert "***-**-6789" in result.text
    assert "<EMAIL>" in result.text
    assert "627**" in result.text
    assert "217-555-0143" in result.text


def test_presidio_engine_keeps_builtin_mask_when_our_operators_are_added() -> None:
    config = OperatorConfig(
        "mask", {"masking_char": "#", "chars_to_mask": 2, "from_end": False}
    )

    result = presidio_engine().anonymize(
        "id 123456", [RecognizerResult("ID", 3, 9, 1.0)], {"ID": config}
    )

    assert result.text == "id ##3456"
