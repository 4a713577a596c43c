"""Routing of one message to its outputs, without a broker."""

from __future__ import annotations

import base64
import logging
from typing import Any

import jsonschema
import orjson
import pytest
from confluent_kafka import Message

import schemas
from pipeline.worker.errors import OutputTooLargeError
from pipeline.worker.routing import (
    AUDIT,
    QUARANTINE,
    RESTRICTED,
    SANITIZED,
    Output,
    Router,
)
from processors.decode import Limits
from processors.engine import Redaction, Redactor
from processors.entities import EntityType
from processors.errors import DecodeError
from processors.findings import Finding

SSN = b"219-09-9999"
TOKEN = b"<SSN:k1:0123456789abcdef>"
CANARY = b"canary-in-exception-9d1c"
TIMESTAMP_MS = 1_700_000_000_000
MAX_MESSAGE_BYTES = 64 * 1024


class MarkerRedactor:
    """Tokenizes SSN wherever it appears; fails on lines with a marker prefix."""

    def redact_line(self, line: bytes) -> Redaction:
        if line.startswith(b"POISON"):
            raise DecodeError("record is not valid UTF-8 at byte 3")
        if line.startswith(b"BUG"):
            raise ValueError(f"engine bug near {line!r}")
        if SSN not in line:
            return Redaction(line, ())
        start = line.index(SSN)
        finding = Finding(
            EntityType.SSN,
            "$",
            start,
            start + len(SSN),
            "marker",
            "1",
            1.0,
            "tokenize",
            TOKEN.decode(),
            TOKEN.decode(),
            SSN.decode(),
        )
        return Redaction(line.replace(SSN, TOKEN), (finding,), "billing")


def _msg(
    value: bytes | None,
    key: bytes | None = None,
    headers: list[tuple[str, str | bytes | None]] | None = None,
) -> Message:
    return Message(
        topic="logs.raw.v1",
        partition=2,
        offset=41,
        key=key,
        value=value,
        headers=headers,
        timestamp=(1, TIMESTAMP_MS),
    )


def _router(max_message_bytes: int = MAX_MESSAGE_BYTES) -> Router:
    return Router(MarkerRedactor(), "policy-7", max_message_bytes)


def _by_route(outputs: tuple[Output, ...], route: str) -> list[Output]:
    return [output for output in outputs if output.route == route]


def _record(output: Output) -> dict[str, Any]:
    assert output.value is not None
    record: dict[str, Any] = orjson.loads(output.value)
    return record


def test_route_passes_a_message_through_unchanged_when_nothing_is_found() -> None:
    headers: list[tuple[str, str | bytes | None]] = [
        ("traceparent", b"00-abc-01"),
        ("empty", None),
    ]
    msg = _msg(b'{"msg": "ok",  "status": 200}', key=b"order-1", headers=headers)

    routed = _router().route(msg)

    assert routed.quarantine_reason is None
    assert not routed.has_phi
    (sanitized,) = routed.outputs
    assert sanitized.route == SANITIZED
    assert sanitized.value == msg.value()
    assert sanitized.key == b"order-1"
    assert sanitized.headers == tuple(headers)
    assert sanitized.partition == 2
    assert sanitized.timestamp_ms == TIMESTAMP_MS


def test_route_adds_restricted_and_audit_records_when_the_value_has_phi() -> None:
    msg = _msg(b"claim for ssn " + SSN, key=b"order-1")

    routed = _router().route(msg)

    (sanitized,) = _by_route(routed.outputs, SANITIZED)
    (restricted,) = _by_route(routed.outputs, RESTRICTED)
    (audit,) = _by_route(routed.outputs, AUDIT)
    assert routed.has_phi
    assert sanitized.value == b"claim for ssn " + TOKEN
    assert sanitized.key == b"order-1"
    assert restricted.key == audit.key == b"logs.raw.v1/2/41"
    jsonschema.validate(_record(restricted), schemas.load("restricted.v1"))
    jsonschema.validate(_record(audit), schemas.load("audit.v1"))
    assert _record(restricted)["original"] == (msg.value() or b"").decode()
    assert _record(audit)["source"] == {
        "topic": "logs.raw.v1",
        "partition": 2,
        "offset": 41,
        "part": "value",
    }
    assert SSN not in (audit.value or b"")


def test_route_tokenizes_the_key_and_keeps_it_when_the_key_has_phi() -> None:
    msg = _msg(b"clean line", key=b"patient-" + SSN)

    routed = _router().route(msg)

    (sanitized,) = _by_route(routed.outputs, SANITIZED)
    (restricted,) = _by_route(routed.outputs, RESTRICTED)
    assert sanitized.key == b"patient-" + TOKEN
    assert sanitized.value == b"clean line"
    assert _record(restricted)["source"]["part"] == "key"


def test_route_redacts_header_values_in_place_when_a_header_has_phi() -> None:
    headers: list[tuple[str, str | bytes | None]] = [
        ("x-user", b"ssn " + SSN),
        ("x-empty", None),
        ("x-user", b"ok"),
    ]
    msg = _msg(b"clean line", headers=headers)

    routed = _router().route(msg)

    (sanitized,) = _by_route(routed.outputs, SANITIZED)
    (audit,) = _by_route(routed.outputs, AUDIT)
    assert sanitized.headers == (
        ("x-user", b"ssn " + TOKEN),
        ("x-empty", None),
        ("x-user", b"ok"),
    )
    assert _record(audit)["source"]["part"] == "header"
    assert _record(audit)["source"]["header"] == "x-user"
    jsonschema.validate(_record(audit), schemas.load("audit.v1"))


@pytest.mark.parametrize(
    ("msg", "part"),
    [
        pytest.param(_msg(b"POISON \xff", key=b"k"), "value", id="value"),
        pytest.param(_msg(b"fine " + SSN, key=b"POISON-key"), "key", id="key"),
        pytest.param(
            _msg(b"fine " + SSN, headers=[("h", b"POISON")]), "header", id="header"
        ),
    ],
)
def test_route_quarantines_the_whole_message_when_any_part_fails(
    msg: Message, part: str
) -> None:
    routed = _router().route(msg)

    (quarantine,) = routed.outputs
    record = _record(quarantine)
    assert quarantine.route == QUARANTINE
    assert routed.quarantine_reason == "decode_error"
    assert base64.b64decode(str(record["original_b64"])) == msg.value()
    assert record["source"]["part"] == part
    assert quarantine.key == msg.key()
    headers = msg.headers()
    assert quarantine.headers == (tuple(headers) if isinstance(headers, list) else None)
    jsonschema.validate(record, schemas.load("quarantine.v1"))


def test_route_quarantines_without_the_payload_when_the_engine_has_a_bug(
    caplog: pytest.LogCaptureFixture,
) -> None:
    msg = _msg(b"BUG " + CANARY)

    with caplog.at_level(logging.DEBUG):
        routed = _router().route(msg)

    (quarantine,) = routed.outputs
    record = _record(quarantine)
    assert routed.quarantine_reason == "record_error"
    assert "ValueError" in str(record["error"])
    assert CANARY.decode() not in str(record["error"])
    assert CANARY.decode() not in caplog.text
    assert "offset=41" in caplog.text
    jsonschema.validate(record, schemas.load("quarantine.v1"))


def test_route_quarantines_as_oversize_when_an_output_exceeds_the_limit() -> None:
    msg = _msg(SSN * 300)

    routed = Router(MarkerRedactor(), "p", max_message_bytes=8_000).route(msg)

    assert routed.quarantine_reason == "oversize"
    assert [o.route for o in routed.outputs] == [QUARANTINE]


def test_route_raises_when_even_the_quarantine_record_exceeds_the_limit() -> None:
    with pytest.raises(OutputTooLargeError, match="logs.raw.v1/2/41"):
        Router(MarkerRedactor(), "p", max_message_bytes=1_100).route(_msg(b"x" * 500))


def test_route_keeps_a_null_value_when_the_message_is_a_tombstone() -> None:
    routed = _router().route(_msg(None, key=b"order-1"))

    (sanitized,) = routed.outputs
    assert sanitized.value is None
    assert sanitized.key == b"order-1"


@pytest.fixture(scope="module")
def engine_router() -> Router:
    """Return a router over the real engine with small limits."""
    redactor = Redactor.from_defaults(
        b"routing-test-key-0123456789abcdef", 1, None, Limits(4096, 8)
    )
    return Router(redactor, redactor.policy.version, MAX_MESSAGE_BYTES)


def test_engine_route_passes_clean_json_byte_for_byte_when_nothing_is_found(
    engine_router: Router,
) -> None:
    line = b'{"level":"info",  "msg":"GET /health 200", "duration_ms": 3}'

    (sanitized,) = engine_router.route(_msg(line)).outputs

    assert sanitized.value == line


def test_engine_route_removes_the_ssn_when_a_line_holds_one(
    engine_router: Router,
) -> None:
    routed = engine_router.route(_msg(b'{"msg":"claim","ssn":"219-09-9999"}'))

    (sanitized,) = _by_route(routed.outputs, SANITIZED)
    assert routed.has_phi
    assert SSN not in (sanitized.value or b"")


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        pytest.param(b'{"msg": "unterminated', "decode_error", id="invalid-json"),
        pytest.param(b"caf\xe9 \xff\xfe", "decode_error", id="invalid-utf8"),
        pytest.param(b"x" * 5000, "oversize", id="oversize"),
        pytest.param(b"[" * 20 + b"]" * 20, "nesting", id="deep-nesting"),
        pytest.param(b"\x00\x01\x02binary\x03", "decode_error", id="binary"),
    ],
)
def test_engine_route_quarantines_poison_with_its_reason_when_undecodable(
    engine_router: Router, line: bytes, reason: str
) -> None:
    routed = engine_router.route(_msg(line))

    assert routed.quarantine_reason == reason
    assert [o.route for o in routed.outputs] == [QUARANTINE]
