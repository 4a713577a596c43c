"""The redaction engine end to end: decode, detect, decide, rebuild."""

from __future__ import annotations

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from processors.decode import Limits
from processors.engine import Redactor
from processors.errors import DecodeError, NestingError, OversizeError, RecordError
from processors.policy import parse_policy
from processors.tokens import TOKEN_RE

KEY = b"unit-test-key-0123456789abcdef"


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    return Redactor.from_defaults(KEY)


CLEAN_LINES = [
    pytest.param(
        b'{"ts":"2026-12-03T17:22:41.123Z","level":"info","service":"scheduler",'
        b'"msg":"request completed","method":"GET","path":"/api/v1/slots?page=2",'
        b'"status":200,"duration_ms":12.4,'
        b'"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","host":"sched-7d9f-xk2p"}',
        id="json-app-log",
    ),
    pytest.param(
        b"2026-12-03T17:22:41Z INFO worker-3 job=reindex took=1532ms "
        b"request_id=9b2c1f4e-8a7d-4c3b-9e2f-1a0b3c4d5e6f status=200",
        id="logfmt-ish",
    ),
    pytest.param(
        b'{"level":"warn","msg":"diagnosis E11.9 coded","code":"E11.9",'
        b'"version":"v2.14.3","port":8080}',
        id="icd10-and-version",
    ),
    pytest.param(b"", id="empty"),
    pytest.param(b"   ", id="blank"),
]


@pytest.mark.parametrize("line", CLEAN_LINES)
def test_redact_line_returns_input_unchanged_when_no_phi(
    redactor: Redactor, line: bytes
) -> None:
    result = redactor.redact_line(line)
    assert result.sanitized == line
    assert result.findings == ()
    assert not result.has_phi


PHI_CASES = [
    pytest.param(
        b'{"patient":{"name":"Maria Garcia","dob":"1961-03-03"},"msg":"ok"}',
        ["Maria Garcia", "1961-03-03"],
        id="json-nested-patient",
    ),
    pytest.param(
        b'{"firstName":"Oluwaseun","lastName":"Adeyemi","ssn":"123-45-6789"}',
        ["Oluwaseun", "Adeyemi", "123-45-6789"],
        id="json-camel-keys",
    ),
    pytest.param(
        b'ts=2026-12-03T17:22:41Z patient_name="Nguyen Van An" mrn=00482913',
        ["Nguyen Van An", "00482913"],
        id="logfmt",
    ),
    pytest.param(
        b"2026-12-03 17:22:41,123 INFO sent reminder to ana.ruiz@example.com "
        b"at 217-555-0143, ssn 123-45-6789",
        ["ana.ruiz@example.com", "217-555-0143", "123-45-6789"],
        id="plain-text",
    ),
    pytest.param(
        b'{"message":"{\\"email\\":\\"ana@example.org\\",\\"ok\\":true}",'
        b'"kubernetes":{"container_name":"api"}}',
        ["ana@example.org"],
        id="json-inside-string",
    ),
    pytest.param(
        b'{"contacts":[{"phone":"(217) 555-0143"},{"phone":"+44 20 7946 0958"}]}',
        ["555-0143", "7946 0958"],
        id="array-of-objects",
    ),
    pytest.param(
        b'{"address":{"line":["12 Elm St","Apt 4"],"city":"Springfield",'
        b'"postalCode":"62704"}}',
        ["12 Elm St", "Apt 4", "Springfield", "62704"],
        id="fhir-address",
    ),
    pytest.param(
        b'{"ssn":123456789,"age":93}',
        ["123456789", "93"],
        id="numbers-under-phi-keys",
    ),
]


@pytest.mark.parametrize(("line", "secrets"), PHI_CASES)
def test_redact_line_removes_every_value_when_phi_present(
    redactor: Redactor, line: bytes, secrets: list[str]
) -> None:
    result = redactor.redact_line(line)
    for secret in secrets:
        assert secret.encode() not in result.sanitized
    assert result.has_phi
    if line.startswith(b"{"):
        assert isinstance(orjson.loads(result.sanitized), dict)


def test_redact_line_keeps_key_order_and_shape_when_json(redactor: Redactor) -> None:
    line = b'{"z":1,"patient":{"name":"Maria Garcia","id":7},"a":[1,2],"m":"x"}'
    doc = orjson.loads(redactor.redact_line(line).sanitized)
    assert list(doc) == ["z", "patient", "a", "m"]
    assert list(doc["patient"]) == ["name", "id"]
    assert doc["a"] == [1, 2]
    assert doc["z"] == 1


def test_redact_line_is_idempotent_when_run_on_its_own_output(
    redactor: Redactor,
) -> None:
    for case in PHI_CASES:
        once = redactor.redact_line(case.values[0]).sanitized  # type: ignore[arg-type]
        assert redactor.redact_line(once).sanitized == once


def test_redact_line_gives_equal_tokens_when_one_value_written_two_ways(
    redactor: Redactor,
) -> None:
    a = redactor.redact_line(b'{"ssn":"123-45-6789","phone":"(217) 555-0143"}')
    b = redactor.redact_line(b'{"ssn":"123456789","phone":"+1 217.555.0143"}')
    assert [f.token for f in a.findings] == [f.token for f in b.findings]


def test_redact_line_does_not_change_callers_document(redactor: Redactor) -> None:
    line = b'{"patient":{"name":"Maria Garcia"},"list":[{"email":"a@example.com"}]}'
    before = orjson.loads(line)
    redactor.redact_line(line)
    assert orjson.loads(line) == before


def test_findings_locate_values_when_text_record(redactor: Redactor) -> None:
    line = "mail ana.ruiz@example.com now"
    result = redactor.redact_line(line.encode())
    (finding,) = result.findings
    assert finding.path == "$"
    assert line[finding.start : finding.end] == "ana.ruiz@example.com"
    assert finding.value == "ana.ruiz@example.com"
    assert TOKEN_RE.fullmatch(finding.token)


@pytest.mark.parametrize(
    ("line", "error"),
    [
        pytest.param(b"\xff\xfe ssn 123-45-6789", DecodeError, id="invalid-utf8"),
        pytest.param(b'{"ssn": "123-45-6789"', DecodeError, id="broken-json"),
        pytest.param(b"ssn\x00123-45-6789", DecodeError, id="binary"),
        pytest.param(b"[" * 100 + b"]" * 100, NestingError, id="deep"),
        pytest.param(b"x" * 5000, OversizeError, id="oversize"),
    ],
)
def test_redact_line_raises_record_error_without_text_when_bad_input(
    line: bytes, error: type[RecordError]
) -> None:
    redactor = Redactor.from_defaults(KEY, limits=Limits(max_record_bytes=4096))
    with pytest.raises(error) as caught:
        redactor.redact_line(line)
    assert "123-45-6789" not in str(caught.value)
    assert "123456789" not in str(caught.value)


def test_policy_actions_apply_per_entity_and_field() -> None:
    policy = parse_policy(
        {
            "entities": {"SSN": {"action": "mask", "keep_last": 4}},
            "fields": {"patient.dob": "generalize"},
        }
    )
    redactor = Redactor.from_defaults(KEY, policy=policy)
    line = b'{"patient":{"dob":"1961-03-03","ssn":"123-45-6789"}}'
    doc = orjson.loads(redactor.redact_line(line).sanitized)
    assert doc["patient"] == {"dob": "1961", "ssn": "***-**-6789"}


def test_policy_allow_list_keeps_value_when_listed() -> None:
    policy = parse_policy({"allow": {"values": ["help@example.com"]}})
    redactor = Redactor.from_defaults(KEY, policy=policy)
    line = b"write to help@example.com or ana.ruiz@example.com"
    out = redactor.redact_line(line).sanitized
    assert b"help@example.com" in out
    assert b"ana.ruiz@example.com" not in out


def test_policy_deny_list_and_custom_detector_find_their_values() -> None:
    policy = parse_policy(
        {
            "deny": {"values": [{"value": "Project Nightingale", "entity_type": "ID"}]},
            "detectors": [
                {"name": "emp", "entity_type": "ID", "pattern": "EMP-[0-9]{6}"}
            ],
        }
    )
    redactor = Redactor.from_defaults(KEY, policy=policy)
    out = redactor.redact_line(b"Project Nightingale badge EMP-123456 ok").sanitized
    assert b"Nightingale" not in out
    assert b"EMP-123456" not in out
    assert out.endswith(b" ok")


# -- the no-leak invariant --------------------------------------------------

_SSNS = st.builds(
    "{:03d}-{:02d}-{:04d}".format,
    st.integers(1, 665),
    st.integers(1, 99),
    st.integers(1, 9999),
)
_EMAILS = st.builds(
    "{}.{}@example.com".format,
    st.text("abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=8),
    st.text("abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=8),
)
_PHONES = st.builds(
    "({}) 555-01{:02d}".format, st.integers(201, 989), st.integers(0, 99)
)
_SHAPES = st.sampled_from(
    [
        '{{"level":"info","msg":"lookup","ssn":"{ssn}","email":"{email}"}}',
        'ts=2026-12-03T10:00:00Z level=info ssn={ssn} email={email} phone="{phone}"',
        "2026-12-03 10:00:00 INFO patient contact {email} / {phone}, SSN {ssn}",
        '{{"message":"called {phone} for {email}","data":{{"ssn":"{ssn}"}}}}',
        '{{"events":[{{"note":"ssn {ssn}"}},{{"contact":{{"phone":"{phone}"}}}}]}}',
        "GET /api/patients?ssn={ssn}&email={email} HTTP/1.1 200",
    ]
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(shape=_SHAPES, ssn=_SSNS, email=_EMAILS, phone=_PHONES)
def test_no_generated_phi_survives_in_any_log_shape(
    redactor: Redactor, shape: str, ssn: str, email: str, phone: str
) -> None:
    line = shape.format(ssn=ssn, email=email, phone=phone)
    out = redactor.redact_line(line.encode()).sanitized.decode()
    for value in (ssn, email, phone):
        if value in line:
            assert value not in out
    assert redactor.redact_line(out.encode()).sanitized.decode() == out
