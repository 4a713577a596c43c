"""Tests of the output records against their JSON Schemas, and of PHI in audit."""

from __future__ import annotations

import base64
import copy
import json
from importlib import resources
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

import schemas
from processors.engine import Redaction
from processors.entities import EntityType
from processors.errors import (
    DecodeError,
    DetectionError,
    NestingError,
    OversizeError,
    RecordError,
)
from processors.findings import Finding
from processors.outputs import (
    AUDIT_SCHEMA,
    QUARANTINE_SCHEMA,
    RESTRICTED_SCHEMA,
    audit_event,
    quarantine_record,
    restricted_record,
)
from processors.policy import ACTIONS
from processors.tokens import Tokenizer, TokenKey

E = EntityType
TOKENIZER = Tokenizer(TokenKey(b"unit-test-outputs-secret-01234567"))
KAFKA_SOURCE = {"topic": "logs.raw.v1", "partition": 3, "offset": 42, "part": "value"}
FILE_SOURCE = {"file": "visits.log", "line": 7}
ORIGINAL = (
    b'{"service":"intake","patient":{"name":"Maria Garcia"},'
    b'"message":"ssn 123-45-6789 {\\"dob\\": \\"1961-03-03\\"}",'
    b'"note":"call (217) 555-0143 or maria.garcia@example.com"}'
)
PHI_VALUES = (
    "Maria Garcia",
    "123-45-6789",
    "1961-03-03",
    "(217) 555-0143",
    "maria.garcia@example.com",
)


def finding(
    entity_type: EntityType,
    path: str,
    start: int,
    value: str,
    action: str,
    replacement: str | None = None,
) -> Finding:
    token = TOKENIZER.token(entity_type, value)
    return Finding(
        entity_type=entity_type,
        path=path,
        start=start,
        end=start + len(value),
        detector="field_rule" if path.endswith("name") else "pattern:x",
        detector_version="1",
        score=0.87654,
        action=action,
        token=token,
        replacement=token if replacement is None else replacement,
        value=value,
    )


FINDINGS = (
    finding(E.PERSON, "$.patient.name", 0, "Maria Garcia", "tokenize"),
    finding(E.SSN, "$.message", 4, "123-45-6789", "mask", "***-**-6789"),
    finding(E.DATE, "$.message#$.dob", 0, "1961-03-03", "generalize", "1961"),
    finding(E.PHONE, "$.note", 5, "(217) 555-0143", "keep", "(217) 555-0143"),
    finding(E.EMAIL, "$.note", 23, "maria.garcia@example.com", "redact", "<EMAIL>"),
)
REDACTION = Redaction(sanitized=b"{}", findings=FINDINGS, service="intake")


def validate(record: dict[str, Any], name: str) -> None:
    Draft202012Validator(schemas.load(name)).validate(record)


def is_valid(record: dict[str, Any], name: str) -> bool:
    return Draft202012Validator(schemas.load(name)).is_valid(record)


# --- The schemas themselves ---------------------------------------------------


@pytest.mark.parametrize("name", schemas.NAMES)
def test_schema_is_valid_draft_2020_12_when_loaded(name: str) -> None:
    schema = schemas.load(name)

    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith(f"/{name}.json")


def test_schema_names_list_every_shipped_file_when_package_is_installed() -> None:
    shipped = {
        entry.name.removesuffix(".json")
        for entry in resources.files("schemas").iterdir()
        if entry.name.endswith(".json")
    }

    assert shipped == set(schemas.NAMES)


def test_schema_load_raises_with_known_names_when_name_is_unknown() -> None:
    with pytest.raises(KeyError, match="audit.v1"):
        schemas.load("audit.v2")


@pytest.mark.parametrize("name", ["restricted.v1", "audit.v1"])
def test_schema_lists_every_entity_type_and_action_when_loaded(name: str) -> None:
    item = schemas.load(name)["properties"]["findings"]["items"]["properties"]

    assert set(item["entity_type"]["enum"]) == {e.value for e in EntityType}
    assert set(item["action"]["enum"]) == set(ACTIONS)


# --- Restricted records -------------------------------------------------------


@pytest.mark.parametrize("source", [KAFKA_SOURCE, FILE_SOURCE], ids=["kafka", "file"])
def test_restricted_record_is_valid_when_built_from_redaction(
    source: dict[str, Any],
) -> None:
    record = restricted_record(REDACTION, ORIGINAL, source, "2026-12-01")

    validate(record, "restricted.v1")
    assert record["schema"] == RESTRICTED_SCHEMA
    assert record["original"] == ORIGINAL.decode()
    assert record["service"] == "intake"
    assert record["source"] == source
    assert [f["value"] for f in record["findings"]] == list(PHI_VALUES)
    assert record["findings"][1]["replacement"] == "***-**-6789"
    assert record["findings"][0]["score"] == 0.877


def test_restricted_record_copies_source_when_built() -> None:
    source = dict(KAFKA_SOURCE)

    record = restricted_record(REDACTION, ORIGINAL, source, "v")
    record["source"]["offset"] = 0

    assert source["offset"] == 42


# --- Audit events -------------------------------------------------------------


def test_audit_event_is_valid_when_built_from_redaction() -> None:
    event = audit_event(REDACTION, KAFKA_SOURCE, "2026-12-01")

    validate(event, "audit.v1")
    assert event["schema"] == AUDIT_SCHEMA
    assert event["counts"] == {"DATE": 1, "EMAIL": 1, "PERSON": 1, "PHONE": 1, "SSN": 1}
    assert [f["token"] for f in event["findings"]] == [f.token for f in FINDINGS]


def test_audit_event_holds_no_phi_when_serialized() -> None:
    event = audit_event(REDACTION, KAFKA_SOURCE, "2026-12-01")

    serialized = json.dumps(event)

    for finding_out in event["findings"]:
        assert "value" not in finding_out
        assert "replacement" not in finding_out
    for value in PHI_VALUES:
        assert value not in serialized
    assert "Garcia" not in serialized
    assert "6789" not in serialized
    assert "0143" not in serialized


@st.composite
def findings_strategy(draw: st.DrawFn) -> Finding:
    # "Zq" marks the value so it cannot be a word the event uses itself.
    value = "Zq" + draw(
        st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz", min_size=6)
    )
    entity_type = draw(st.sampled_from(list(EntityType)))
    action = draw(st.sampled_from(sorted(ACTIONS)))
    replacement = value if action == "keep" else TOKENIZER.token(entity_type, value)
    start = draw(st.integers(min_value=0, max_value=500))
    return Finding(
        entity_type=entity_type,
        path=draw(st.sampled_from(["$", "$.msg", "$.a[0].b", "$.log#$.ssn"])),
        start=start,
        end=start + len(value),
        detector="pattern:x",
        detector_version="2",
        score=draw(st.floats(min_value=0, max_value=1)),
        action=action,
        token=TOKENIZER.token(entity_type, value),
        replacement=replacement,
        value=value,
    )


@settings(max_examples=40, deadline=None)
@given(
    findings=st.lists(findings_strategy(), min_size=1, max_size=6),
    service=st.one_of(st.none(), st.text(min_size=1, max_size=64)),
)
def test_outputs_are_valid_and_audit_holds_no_value_when_findings_are_random(
    findings: list[Finding], service: str | None
) -> None:
    redaction = Redaction(b"x", tuple(findings), service)
    original = " ".join(f.value for f in findings).encode()

    restricted = restricted_record(redaction, original, FILE_SOURCE, "v1")
    event = audit_event(redaction, FILE_SOURCE, "v1")

    validate(restricted, "restricted.v1")
    validate(event, "audit.v1")
    serialized = json.dumps(event, ensure_ascii=False)
    for f in findings:
        assert f.value not in serialized
    assert sum(event["counts"].values()) == len(findings)


# --- Quarantine records -------------------------------------------------------


@pytest.mark.parametrize(
    "error_class",
    [RecordError, DecodeError, OversizeError, NestingError, DetectionError],
    ids=lambda c: c.__name__,
)
def test_quarantine_record_is_valid_when_reason_comes_from_record_error(
    error_class: type[RecordError],
) -> None:
    record = quarantine_record(
        ORIGINAL,
        error_class.reason,
        "record is not valid UTF-8 at byte 3",
        KAFKA_SOURCE,
    )

    validate(record, "quarantine.v1")
    assert record["schema"] == QUARANTINE_SCHEMA


def test_quarantine_record_keeps_line_whole_and_encoded_when_built() -> None:
    line = ORIGINAL + b"\xff\x00"

    record = quarantine_record(line, "decode_error", "not UTF-8", FILE_SOURCE)

    assert base64.b64decode(record["original_b64"], validate=True) == line
    assert record["original_bytes"] == len(line)
    serialized = json.dumps(record)
    for value in PHI_VALUES:
        assert value not in serialized


# --- Invalid records fail -----------------------------------------------------


def _restricted() -> dict[str, Any]:
    return restricted_record(REDACTION, ORIGINAL, KAFKA_SOURCE, "v1")


def _audit() -> dict[str, Any]:
    return audit_event(REDACTION, KAFKA_SOURCE, "v1")


def _quarantine() -> dict[str, Any]:
    return quarantine_record(ORIGINAL, "oversize", "too big", KAFKA_SOURCE)


def _drop(key: str) -> Any:
    return lambda r: r.pop(key)


def _set_finding(key: str, value: Any) -> Any:
    return lambda r: r["findings"][0].__setitem__(key, value)


BROKEN = [
    pytest.param(_restricted, "restricted.v1", _drop("findings"), id="r-no-findings"),
    pytest.param(_restricted, "restricted.v1", _drop("original"), id="r-no-original"),
    pytest.param(_restricted, "restricted.v1", _drop("service"), id="r-no-service"),
    pytest.param(
        _restricted,
        "restricted.v1",
        lambda r: r["findings"].clear(),
        id="r-empty-findings",
    ),
    pytest.param(
        _restricted,
        "restricted.v1",
        lambda r: r["findings"][0].pop("value"),
        id="r-finding-no-value",
    ),
    pytest.param(
        _restricted,
        "restricted.v1",
        _set_finding("token", "<PERSON:k1:0011223344556677"),
        id="r-token-unterminated",
    ),
    pytest.param(
        _restricted,
        "restricted.v1",
        _set_finding("token", "<PERSON:k1:00112233445566AA>"),
        id="r-token-upper-hex",
    ),
    pytest.param(
        _restricted,
        "restricted.v1",
        _set_finding("token", "<PERSON:k1:001122334455667>"),
        id="r-token-15-hex",
    ),
    pytest.param(
        _restricted,
        "restricted.v1",
        _set_finding("token", "<PERSON:1:0011223344556677>"),
        id="r-token-no-k",
    ),
    pytest.param(
        _restricted,
        "restricted.v1",
        _set_finding("token", "<PERSON>"),
        id="r-token-is-label",
    ),
    pytest.param(
        _restricted, "restricted.v1", _set_finding("entity_type", "NAME"), id="r-type"
    ),
    pytest.param(
        _restricted, "restricted.v1", _set_finding("action", "scrub"), id="r-action"
    ),
    pytest.param(_restricted, "restricted.v1", _set_finding("start", -1), id="r-start"),
    pytest.param(
        _restricted, "restricted.v1", _set_finding("score", 1.5), id="r-score"
    ),
    pytest.param(
        _restricted, "restricted.v1", _set_finding("path", "patient.name"), id="r-path"
    ),
    pytest.param(
        _restricted,
        "restricted.v1",
        lambda r: r.__setitem__("schema", AUDIT_SCHEMA),
        id="r-wrong-schema-name",
    ),
    pytest.param(
        _restricted,
        "restricted.v1",
        lambda r: r.__setitem__("service", "s" * 65),
        id="r-service-too-long",
    ),
    pytest.param(
        _restricted,
        "restricted.v1",
        lambda r: r.__setitem__("extra", 1),
        id="r-extra-property",
    ),
    pytest.param(_audit, "audit.v1", _drop("counts"), id="a-no-counts"),
    pytest.param(
        _audit, "audit.v1", _set_finding("value", "Maria Garcia"), id="a-holds-value"
    ),
    pytest.param(
        _audit, "audit.v1", _set_finding("replacement", "***"), id="a-holds-replacement"
    ),
    pytest.param(
        _audit,
        "audit.v1",
        _set_finding("token", "Maria Garcia"),
        id="a-token-is-text",
    ),
    pytest.param(
        _audit,
        "audit.v1",
        lambda r: r["counts"].__setitem__("NAME", 1),
        id="a-count-key",
    ),
    pytest.param(
        _audit,
        "audit.v1",
        lambda r: r["counts"].__setitem__("SSN", 0),
        id="a-count-zero",
    ),
    pytest.param(
        _quarantine, "quarantine.v1", _drop("original_b64"), id="q-no-original"
    ),
    pytest.param(
        _quarantine,
        "quarantine.v1",
        lambda r: r.__setitem__("reason", "bad_luck"),
        id="q-reason",
    ),
    pytest.param(
        _quarantine,
        "quarantine.v1",
        lambda r: r.__setitem__("error", "x" * 501),
        id="q-error-too-long",
    ),
    pytest.param(
        _quarantine,
        "quarantine.v1",
        lambda r: r.__setitem__("original", ORIGINAL.decode()),
        id="q-original-in-clear",
    ),
    pytest.param(
        _quarantine,
        "quarantine.v1",
        lambda r: r["source"].__setitem__("partition", -1),
        id="q-negative-partition",
    ),
]


@pytest.mark.parametrize(("build", "name", "break_it"), BROKEN)
def test_schema_rejects_record_when_record_is_broken(
    build: Any, name: str, break_it: Any
) -> None:
    record = copy.deepcopy(build())
    assert is_valid(record, name)

    break_it(record)

    with pytest.raises(ValidationError):
        validate(record, name)
