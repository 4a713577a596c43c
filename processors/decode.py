"""Decode one raw log line into a record: JSON document or text."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import orjson

from processors.errors import DecodeError, NestingError, OversizeError

_BINARY = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
"""Control bytes no text log carries (tab, newlines, ESC for colours are fine)."""


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds on one record, so detection time per record is bounded."""

    max_record_bytes: int = 1 << 20
    max_depth: int = 64


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
            raise NestingError(
                f"record nests deeper than max_depth={max_depth} levels"
            )
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values() if _is_container(v))
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node if _is_container(v))


def _is_container(value: Any) -> bool:
    return isinstance(value, dict | list)


def _parse_json(data: bytes, max_depth: int) -> tuple[Any, bool]:
    # Bracket counts bound the depth, so shallow records skip the walk.
    may_be_deep = data.count(b"{") + data.count(b"[") > max_depth
    try:
        doc = orjson.loads(data)
        is_big_int = False
    except orjson.JSONDecodeError:
        doc, is_big_int = _parse_json_fallback(data, max_depth), True
    if may_be_deep:
        check_depth(doc, max_depth)
    return doc, is_big_int


def _parse_json_fallback(data: bytes, max_depth: int) -> Any:
    # orjson rejects integers past 64 bits; the standard library reads them.
    # Its parser recurses, so depth is bounded before it runs.
    depth = 0
    for byte in data:
        if byte in b"{[":
            depth += 1
            if depth > max_depth:
                raise NestingError(
                    f"record nests deeper than max_depth={max_depth} levels"
                )
        elif byte in b"}]":
            depth -= 1
    try:
        return json.loads(data, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        raise DecodeError(
            f"record starts like JSON but is not valid JSON ({len(data)} bytes)"
        ) from None


def _reject_constant(name: str) -> Any:
    raise ValueError("NaN and Infinity are not JSON")


def decode(line: bytes, limits: Limits) -> Record:
    """Decode one line; JSON when it starts with ``{`` or ``[``, else text.

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
    match = _BINARY.search(line)
    if match is not None:
        raise DecodeError(
            f"record holds a binary control byte 0x{line[match.start()]:02x} "
            f"at byte {match.start()}"
        )
    stripped = line.lstrip()
    if stripped[:1] in (b"{", b"["):
        doc, is_big_int = _parse_json(line, limits.max_depth)
        return Record(text=text, doc=doc, is_json=True, is_big_int=is_big_int)
    return Record(text=text)
