"""Tests of decoding raw lines: JSON or text, and every way a line is refused."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from processors.decode import Limits, check_depth, decode
from processors.errors import (
    DecodeError,
    NestingError,
    OversizeError,
    RecordError,
)

LIMITS = Limits()


def nested_arrays(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def nested_objects(depth: int) -> bytes:
    return b'{"a":' * (depth - 1) + b"{}" + b"}" * (depth - 1)


# --- Accepted lines -----------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected_doc"),
    [
        pytest.param(b'{"ssn": "123-45-6789"}', {"ssn": "123-45-6789"}, id="object"),
        pytest.param(b'[1, "two", null]', [1, "two", None], id="array"),
        pytest.param(b'  \t{"a": 1}', {"a": 1}, id="leading-blanks"),
        pytest.param(
            '{"name": "José Müller"}'.encode(), {"name": "José Müller"}, id="utf-8"
        ),
        pytest.param(b'{"n": 9223372036854775807}', {"n": 2**63 - 1}, id="int64-max"),
    ],
)
def test_decode_returns_json_record_when_line_is_json(
    line: bytes, expected_doc: object
) -> None:
    record = decode(line, LIMITS)

    assert record.is_json is True
    assert record.doc == expected_doc
    assert record.text == line.decode("utf-8")


@pytest.mark.parametrize(
    "line",
    [
        pytest.param(b"GET /health 200 3ms", id="plain"),
        pytest.param(b'level=info ssn=123-45-6789 msg="ok"', id="logfmt"),
        pytest.param(b"", id="empty"),
        pytest.param(b"\tindented\r", id="tab-and-cr"),
        pytest.param(b"\x1b[31mERROR\x1b[0m failed", id="ansi-colours"),
        pytest.param(b"page\x0cbreak\x0bvertical-tab", id="form-feed"),
        pytest.param("caf\u00e9 \U0001f600".encode(), id="non-ascii"),
    ],
)
def test_decode_returns_text_record_when_line_is_not_json(line: bytes) -> None:
    record = decode(line, LIMITS)

    assert record.is_json is False
    assert record.doc is None
    assert record.text == line.decode("utf-8")


@pytest.mark.parametrize(
    "line",
    [
        pytest.param(b"[2026-01-05 10:00:00] [INFO] visit created", id="bracket-time"),
        pytest.param(b"[main] INFO Scheduler - started", id="bracket-thread"),
    ],
)
def test_decode_returns_text_record_when_text_line_starts_with_bracket(
    line: bytes,
) -> None:
    record = decode(line, LIMITS)

    assert record.is_json is False


def test_decode_keeps_big_integer_exact_when_integer_exceeds_64_bits() -> None:
    record = decode(b'{"account_number": 18446744073709551616}', LIMITS)

    assert record.doc == {"account_number": 18446744073709551616}
    assert record.is_big_int is True


# --- Size ---------------------------------------------------------------------


def test_decode_accepts_line_when_length_equals_limit() -> None:
    limits = Limits(max_record_bytes=16)

    record = decode(b"x" * 16, limits)

    assert record.text == "x" * 16


def test_decode_raises_oversize_when_line_exceeds_limit() -> None:
    limits = Limits(max_record_bytes=16)

    with pytest.raises(OversizeError) as raised:
        decode(b"x" * 17, limits)

    assert "17 bytes" in str(raised.value)
    assert "max_record_bytes=16" in str(raised.value)
    assert raised.value.reason == "oversize"


# --- Encoding and control bytes -----------------------------------------------


@pytest.mark.parametrize(
    ("line", "offset"),
    [
        pytest.param(b"\xff name", 0, id="invalid-start-byte"),
        pytest.param(b"name \xc3", 5, id="truncated-sequence"),
        pytest.param(b"ok \xed\xa0\x80", 3, id="encoded-surrogate"),
    ],
)
def test_decode_raises_decode_error_when_line_is_not_utf8(
    line: bytes, offset: int
) -> None:
    with pytest.raises(DecodeError) as raised:
        decode(line, LIMITS)

    assert f"at byte {offset}" in str(raised.value)
    assert raised.value.__cause__ is None
    assert raised.value.__suppress_context__


@pytest.mark.parametrize(
    "byte", [0x00, 0x01, 0x08, 0x0E, 0x1A, 0x1C, 0x1F, 0x7F], ids=lambda b: f"0x{b:02x}"
)
def test_decode_raises_decode_error_when_line_holds_control_byte(byte: int) -> None:
    line = b"ssn=" + bytes([byte]) + b"x"

    with pytest.raises(DecodeError) as raised:
        decode(line, LIMITS)

    assert f"0x{byte:02x}" in str(raised.value)
    assert "at byte 4" in str(raised.value)


# --- Broken JSON --------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        pytest.param(b'{"ssn": "123-45-6789"', id="unterminated"),
        pytest.param(b"{ssn: 1}", id="unquoted-key"),
        pytest.param(b'{"dose": NaN}', id="nan"),
        pytest.param(b'{"dose": Infinity}', id="infinity"),
        pytest.param(b'{"a": 1} trailing', id="trailing-text"),
    ],
)
def test_decode_raises_decode_error_when_json_is_invalid(line: bytes) -> None:
    with pytest.raises(DecodeError) as raised:
        decode(line, LIMITS)

    assert f"({len(line)} bytes)" in str(raised.value)
    assert raised.value.reason == "decode_error"


# --- Nesting ------------------------------------------------------------------


@pytest.mark.parametrize(
    "build", [nested_arrays, nested_objects], ids=["arrays", "objects"]
)
def test_decode_accepts_json_when_depth_equals_limit(
    build: Callable[[int], bytes],
) -> None:
    record = decode(build(LIMITS.max_depth), LIMITS)

    assert record.is_json is True


@pytest.mark.parametrize(
    "build", [nested_arrays, nested_objects], ids=["arrays", "objects"]
)
def test_decode_raises_nesting_error_when_depth_exceeds_limit(
    build: Callable[[int], bytes],
) -> None:
    with pytest.raises(NestingError, match=f"max_depth={LIMITS.max_depth}"):
        decode(build(LIMITS.max_depth + 1), LIMITS)


@pytest.mark.parametrize(
    "limits",
    [
        pytest.param(LIMITS, id="default-limit"),
        pytest.param(Limits(max_depth=1_000_000), id="limit-beyond-recursion"),
    ],
)
def test_decode_raises_record_error_when_nesting_exceeds_recursion_depth(
    limits: Limits,
) -> None:
    # Deeper than Python's recursion limit and orjson's own: a refusal, never
    # a RecursionError that would stop the worker.
    with pytest.raises(RecordError):
        decode(nested_arrays(100_000), limits)


def test_decode_accepts_brackets_inside_strings_when_json_is_shallow() -> None:
    line = b'{"note": "' + b"[" * 200 + b'"}'

    record = decode(line, LIMITS)

    assert record.doc == {"note": "[" * 200}


def test_decode_accepts_brackets_inside_strings_when_fallback_parser_reads_record() -> (
    None
):
    # An integer past 64 bits sends the record to the standard-library
    # parser, whose depth pre-scan must skip brackets inside strings.
    line = b'{"n": 123456789012345678901234, "text": "' + b"[" * 100 + b'"}'

    record = decode(line, LIMITS)

    assert record.doc["text"] == "[" * 100
    assert record.doc["n"] == 123456789012345678901234


def test_decode_raises_decode_error_when_string_holds_lone_surrogate() -> None:
    # Valid JSON syntax, but no valid Unicode: it could not be written back.
    with pytest.raises(DecodeError):
        decode(b'{"note": "\\ud800"}', LIMITS)


def test_check_depth_counts_only_containers_when_walking() -> None:
    doc = {"a": [{"b": "[[[[[["}], "c": 1}

    check_depth(doc, 3)
    with pytest.raises(NestingError):
        check_depth(doc, 2)


# --- No record text in errors -------------------------------------------------


def _bad_records(secret: bytes) -> list[tuple[bytes, Limits]]:
    deep = b"[" * 70 + b'"' + secret + b'"' + b"]" * 70
    return [
        (secret + b" \xff", LIMITS),
        (b"ssn=" + secret + b"\x00", LIMITS),
        (b'{"ssn": "' + secret + b'"', LIMITS),
        (b'{"ssn": "' + secret + b'", "x": NaN}', LIMITS),
        (b'{"a": [' + secret + b"]}", LIMITS),
        (b"name=" + secret * 4, Limits(max_record_bytes=16)),
        (deep, LIMITS),
    ]


@settings(max_examples=30, deadline=None)
@given(
    body=st.text(
        alphabet="ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789-",
        min_size=6,
        max_size=30,
    )
)
def test_decode_error_never_contains_record_text_when_record_is_refused(
    body: str,
) -> None:
    # "Zq" keeps the secret from being a word the messages use themselves.
    secret = f"Zq{body}".encode()

    for line, limits in _bad_records(secret):
        with pytest.raises(RecordError) as raised:
            decode(line, limits)

        message = str(raised.value)
        assert secret.decode() not in message
        assert body not in message
        assert raised.value.__cause__ is None
