"""JSON Schemas of every record phirewall writes, loadable at run time."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

NAMES = ("restricted.v1", "audit.v1", "quarantine.v1")


@cache
def load(name: str) -> dict[str, Any]:
    """Return the parsed JSON Schema ``name`` (e.g. ``audit.v1``)."""
    if name not in NAMES:
        raise KeyError(f"unknown schema {name!r}; known: {list(NAMES)}")
    text = (resources.files("schemas") / f"{name}.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema
