"""Encoders shared by the renderers: JSON with marked values, logfmt quoting."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import orjson

from pipeline.synth.fields import Field, styled


def dumps(document: Any) -> str:
    """Return ``document`` as compact JSON text; marked values pass through."""
    return orjson.dumps(document).decode()


def number(marked: str) -> orjson.Fragment:
    """Return a marked number that JSON writes without quotes."""
    return orjson.Fragment(marked)


def put(document: dict[str, Any], fields: Iterable[Field], style: str = "") -> None:
    """Add ``fields`` to ``document``, keys in ``style`` (see ``fields.styled``)."""
    for field in fields:
        value = number(field.value) if field.is_number else field.value
        document[styled(field.key, style)] = value


def logfmt_value(value: str) -> str:
    """Quote a logfmt value when it holds a space, a quote or an equals sign."""
    if value and not any(char in value for char in ' "=\\'):
        return value
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def logfmt(pairs: Iterable[tuple[str, str]]) -> str:
    """Join key-value pairs as one logfmt line."""
    return " ".join(f"{key}={logfmt_value(value)}" for key, value in pairs)
