"""Decode one raw log line into a record: JSON document or text."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import orjson

from processors.errors import DecodeError, NestingError, OversizeError

_CONTROL_BYTES = bytes(
    [*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F]
)
"""Control bytes no text log carries (tab, newlines, ESC for colours are fine)."""

_DIGIT_MAP = bytes(0x30 if 0x30 <= b <= 0x39 else 0x20 for b in range(256))
_LONG_DIGIT_RUN = b"0" * 20
"""A run of digits that may be an integer past 64 bits (or sit in a string).
Both checks use ``bytes.translate``, a C loop several times faster than a
regular expression over the same line."""


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds on one record, so detection time per record is bounded."""

    max_record_bytes: int = 1 << 20
    max_depth: int = 64


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True, slots=True)
class Record:
    """A decoded line: ``doc`` is the parsed JSON, or None for text."""

    text: str
    doc: Any = None
    is_json: bool = False
    is_big_int: bool = False
    """True when the JSON needed the standard library (integers past 64 bits)."""


def check_depth(doc: Any, max_depth: int) -> None:
    """Raise NestingError when ``doc`` nests deeper than ``max_depth``."""
    stack: list[tuple[Any, int]] = [(doc, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > max_depth:
            raise NestingError(f"record nests deeper than max_depth={max_depth} levels")
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values() if _is_container(v))
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node if _is_container(v))


def _is_container(value: Any) -> bool:
    return isinstance(value, dict | list)


def _parse_json(data: bytes, max_depth: int) -> tuple[Any, bool]:
    # orjson reads integers past 64 bits as floats, which would change them
    # when a record is written back; the standard library keeps them exact.
    if _LONG_DIGIT_RUN in data.translate(_DIGIT_MAP):
        return _parse_json_exact(data, max_depth), True
    # Bracket counts bound the depth, so shallow records skip the walk.
    may_be_deep = data.count(b"{") + data.count(b"[") > max_depth
    try:
        doc = orjson.loads(data)
    except orjson.JSONDecodeError:
        raise DecodeError(
            f"record starts like JSON but is not valid JSON ({len(data)} bytes)"
        ) from None
    if may_be_deep:
        check_depth(doc, max_depth)
    return doc, False


def _scan_depth(data: bytes, max_depth: int) -> None:
    """Raise NestingError when brackets outside strings nest too deep."""
    depth = 0
    in_string = False
    escaped = False
    for byte in data:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in b"{[":
            depth += 1
            if depth > max_depth:
                raise NestingError(
                    f"record nests deeper than max_depth={max_depth} levels"
                )
        elif byte in b"}]":
            depth -= 1


def _parse_json_exact(data: bytes, max_depth: int) -> Any:
    # The standard library's parser recurses, so depth is bounded first.
    _scan_depth(data, max_depth)
    try:
        return json.loads(data, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        raise DecodeError(
            f"record starts like JSON but is not valid JSON ({len(data)} bytes)"
        ) from None


def _reject_constant(name: str) -> Any:
    raise ValueError("NaN and Infinity are not JSON")


def decode(line: bytes, limits: Limits) -> Record:
    """Decode one line: JSON when it starts with ``{`` (or is a JSON array),
    else text.

    Raises:
        OversizeError: longer than ``limits.max_record_bytes``.
        DecodeError: invalid UTF-8, binary control bytes, or broken JSON.
        NestingError: JSON nested deeper than ``limits.max_depth``.
    """
    if len(line) > limits.max_record_bytes:
        raise OversizeError(
            f"record has {len(line)} bytes, limit is "
            f"max_record_bytes={limits.max_record_bytes}"
        )
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DecodeError(f"record is not valid UTF-8 at byte {exc.start}") from None
    if len(line.translate(None, _CONTROL_BYTES)) != len(line):
        position = next(i for i, b in enumerate(line) if b in _CONTROL_BYTES)
        raise DecodeError(
            f"record holds a binary control byte 0x{line[position]:02x} "
            f"at byte {position}"
        )
    first = line.lstrip()[:1]
    if first == b"{":
        doc, is_big_int = _parse_json(line, limits.max_depth)
        return Record(text=text, doc=doc, is_json=True, is_big_int=is_big_int)
    if first == b"[":
        # Text logs often open with "[2026-12-03 10:00:00] [INFO]": a line
        # that starts like an array but is no JSON is text, not an error.
        try:
            doc, is_big_int = _parse_json(line, limits.max_depth)
        except NestingError:
            raise
        except DecodeError:
            if line.lstrip()[1:].lstrip()[:1] in (b"[", b"{", b'"'):
                _scan_depth(line, limits.max_depth)
                raise
            return Record(text=text)
        return Record(text=text, doc=doc, is_json=True, is_big_int=is_big_int)
    return Record(text=text)
