"""Tests of field rules: which keys and paths hold PHI, and which never do."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from processors.detect.fields import (
    AGE_KEYS,
    AMBIGUOUS_NAME_KEYS,
    NEVER_KEYS,
    PHI_KEY_SPELLINGS,
    PHI_KEYS,
    SUFFIX_SPELLINGS,
    FieldRule,
    classify,
    classify_path,
    normalize_key,
)
from processors.entities import EntityType

E = EntityType


# --- Spellings ----------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(["first_name"], id="snake"),
        pytest.param(["firstName"], id="camel"),
        pytest.param(["FIRST-NAME"], id="upper-kebab"),
        pytest.param(["First Name"], id="words"),
        pytest.param(["patient", "first_name"], id="under-patient"),
        pytest.param(["visit", "0", "firstName"], id="under-array"),
    ],
)
def test_classify_path_marks_person_when_first_name_is_spelled_any_way(
    path: list[str],
) -> None:
    assert classify_path(path) == FieldRule(entity_type=E.PERSON)


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        pytest.param("First-Name", "firstname", id="kebab"),
        pytest.param("dateOfBirth", "dateofbirth", id="camel"),
        pytest.param("X_B3_TraceId", "xb3traceid", id="mixed"),
        pytest.param("zip5", "zip5", id="digits"),
        pytest.param("$.pt name!", "ptname", id="punctuation"),
    ],
)
def test_normalize_key_keeps_lowercase_letters_and_digits_when_key_is_spelled(
    key: str, expected: str
) -> None:
    assert normalize_key(key) == expected


@settings(max_examples=100, deadline=None)
@given(
    spelling=st.sampled_from(PHI_KEY_SPELLINGS),
    separators=st.lists(
        st.sampled_from(["_", "-", " ", "", "."]), min_size=8, max_size=8
    ),
    uppercase=st.integers(min_value=0, max_value=2**48 - 1),
)
def test_classify_marks_same_type_when_key_is_respelled(
    spelling: str, separators: list[str], uppercase: int
) -> None:
    words = spelling.split("_")
    joined = words[0] + "".join(
        separators[i % len(separators)] + word for i, word in enumerate(words[1:])
    )
    respelled = "".join(
        # Bit i of ``uppercase`` says whether character i is upper case.
        char.upper() if uppercase >> (i % 48) & 1 else char
        for i, char in enumerate(joined)
    )

    rule = classify(normalize_key(respelled))

    assert rule.entity_type is PHI_KEYS[spelling.replace("_", "")]


# --- PHI keys -----------------------------------------------------------------

PHI_EXAMPLES = [
    pytest.param("ssn", E.SSN, id="ssn"),
    pytest.param("socialSecurityNumber", E.SSN, id="ssn-long"),
    pytest.param("MRN", E.MRN, id="mrn"),
    pytest.param("patient_id", E.MRN, id="patient-id"),
    pytest.param("dob", E.DATE, id="dob"),
    pytest.param("admissionDateTime", E.DATE, id="admission"),
    pytest.param("cell_phone", E.PHONE, id="phone"),
    pytest.param("fax", E.FAX, id="fax"),
    pytest.param("e-mail", E.EMAIL, id="email"),
    pytest.param("street_address", E.ADDRESS, id="address"),
    pytest.param("postal_code", E.ZIP, id="zip"),
    pytest.param("x-forwarded-for", E.IP_ADDRESS, id="ip"),
    pytest.param("memberId", E.MEMBER_ID, id="member"),
    pytest.param("mbi", E.MBI, id="mbi"),
    pytest.param("iban", E.ACCOUNT, id="account"),
    pytest.param("cc_number", E.CREDIT_CARD, id="card"),
    pytest.param("npi", E.LICENSE, id="license"),
    pytest.param("vin", E.VIN, id="vin"),
    pytest.param("license_plate", E.PLATE, id="plate"),
    pytest.param("imei", E.DEVICE_ID, id="device"),
]


@pytest.mark.parametrize(("key", "expected"), PHI_EXAMPLES)
def test_classify_marks_entity_type_when_key_always_holds_phi(
    key: str, expected: EntityType
) -> None:
    assert classify(normalize_key(key)).entity_type is expected


def test_phi_keys_cover_every_spelling_when_built() -> None:
    assert set(PHI_KEYS) == {s.replace("_", "") for s in PHI_KEY_SPELLINGS}
    assert all(key == normalize_key(key) for key in PHI_KEYS)


# --- Never keys ---------------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    [
        "trace_id",
        "traceId",
        "X-Request-Id",
        "span_id",
        "duration_ms",
        "status",
        "level",
        "hostname",
        "icd10",
        "timestamp",
        "statusCode",
    ],
)
def test_classify_marks_never_when_key_never_holds_phi(key: str) -> None:
    assert classify(normalize_key(key)) == FieldRule(is_never=True)


def test_never_keys_share_nothing_with_phi_keys_when_defined() -> None:
    assert not NEVER_KEYS & set(PHI_KEYS)
    assert not NEVER_KEYS & AGE_KEYS
    assert not NEVER_KEYS & AMBIGUOUS_NAME_KEYS


# --- Parent rules -------------------------------------------------------------

PARENT_EXAMPLES = [
    pytest.param(
        ["patient", "name"], FieldRule(entity_type=E.PERSON), id="patient-name"
    ),
    pytest.param(["Patient", "ID"], FieldRule(entity_type=E.MRN), id="patient-id"),
    pytest.param(["guarantor", "birth"], FieldRule(entity_type=E.DATE), id="birth"),
    pytest.param(["nextOfKin", "display"], FieldRule(entity_type=E.PERSON), id="kin"),
    pytest.param(["patient", "age"], FieldRule(is_age=True), id="patient-age"),
    pytest.param(["address", "city"], FieldRule(entity_type=E.ADDRESS), id="city"),
    pytest.param(
        ["homeAddress", "line1"], FieldRule(entity_type=E.ADDRESS), id="line1"
    ),
    pytest.param(["address", "postalCode"], FieldRule(entity_type=E.ZIP), id="postal"),
    pytest.param(
        ["address", "district"], FieldRule(entity_type=E.ADDRESS), id="district"
    ),
    # FHIR Patient: name[].family, name[].given[], name[].text, identifier[].value.
    pytest.param(
        ["name", "0", "family"], FieldRule(entity_type=E.PERSON), id="fhir-family"
    ),
    pytest.param(
        ["name", "0", "given", "1"], FieldRule(entity_type=E.PERSON), id="fhir-given"
    ),
    pytest.param(
        ["name", "0", "text"], FieldRule(entity_type=E.PERSON), id="fhir-text"
    ),
    pytest.param(
        ["name", "0", "prefix"], FieldRule(entity_type=E.PERSON), id="fhir-prefix"
    ),
    pytest.param(
        ["identifier", "0", "value"], FieldRule(entity_type=E.MRN), id="fhir-identifier"
    ),
    pytest.param(
        ["address", "0", "line", "0"], FieldRule(entity_type=E.ADDRESS), id="fhir-line"
    ),
]


@pytest.mark.parametrize(("path", "expected"), PARENT_EXAMPLES)
def test_classify_path_marks_child_when_parent_makes_it_phi(
    path: list[str], expected: FieldRule
) -> None:
    assert classify_path(path) == expected


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(["order", "id"], id="order-id"),
        pytest.param(["product", "name"], id="product-name-is-only-ambiguous"),
        pytest.param(["coding", "0", "value"], id="value-outside-identifier"),
        pytest.param(["document", "text"], id="text-outside-person"),
        pytest.param(["route", "line"], id="line-outside-address"),
        pytest.param(["cart", "number"], id="number-outside-person"),
    ],
)
def test_classify_path_marks_no_type_when_parent_is_not_a_person_or_address(
    path: list[str],
) -> None:
    assert classify_path(path).entity_type is None


def test_classify_path_returns_neutral_when_path_is_only_indexes() -> None:
    assert classify_path(["0", "1"]) == FieldRule()


# --- Suffix rules -------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        pytest.param("guarantorPhone", E.PHONE, id="guarantor-phone"),
        pytest.param("spouse_email_address", E.EMAIL, id="spouse-email"),
        pytest.param("billingZipCode", E.ZIP, id="billing-zip"),
        pytest.param("referrerLastName", E.PERSON, id="referrer-last-name"),
        pytest.param("primaryInsuredSSN", E.SSN, id="insured-ssn"),
        pytest.param("priorMrn", E.MRN, id="prior-mrn"),
        pytest.param("motherDob", E.DATE, id="mother-dob"),
        pytest.param("secondarySubscriberId", E.MEMBER_ID, id="subscriber-id"),
    ],
)
def test_classify_marks_suffix_type_when_key_ends_with_phi_key(
    key: str, expected: EntityType
) -> None:
    assert classify(normalize_key(key)).entity_type is expected


@settings(max_examples=100, deadline=None)
@given(
    prefix=st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=10),
    suffix=st.sampled_from(SUFFIX_SPELLINGS),
)
def test_classify_marks_suffix_type_when_any_prefix_precedes_suffix(
    prefix: str, suffix: str
) -> None:
    rule = classify(normalize_key(f"{prefix}_{suffix}"))

    # A prefix may also complete a longer PHI key; either way it is PHI.
    assert rule.entity_type is not None
    assert rule.entity_type is PHI_KEYS.get(
        normalize_key(f"{prefix}_{suffix}"), PHI_KEYS[suffix.replace("_", "")]
    )


# --- Ambiguous names, ages, extra identifiers ---------------------------------


@pytest.mark.parametrize("key", ["name", "userName", "created_by", "displayName"])
def test_classify_marks_ambiguous_when_key_may_hold_a_name(key: str) -> None:
    assert classify(normalize_key(key)) == FieldRule(is_ambiguous_name=True)


@pytest.mark.parametrize("key", ["age", "patientAge", "age_years"])
def test_classify_marks_age_when_key_holds_an_age(key: str) -> None:
    assert classify(normalize_key(key)) == FieldRule(is_age=True)


def test_classify_marks_id_when_policy_adds_identifier_key() -> None:
    extra = ("encounterid", "claimid")

    assert classify("encounterid", "", extra) == FieldRule(entity_type=E.ID)
    assert classify("encounterid") == FieldRule()


@pytest.mark.parametrize("key", ["message", "page", "count", "path", "url_path"])
def test_classify_returns_neutral_when_key_says_nothing(key: str) -> None:
    assert classify(normalize_key(key)) == FieldRule()
