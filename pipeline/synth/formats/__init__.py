"""Renderers of every log format the generator writes, by format name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from pipeline.synth.event import Event
from pipeline.synth.formats import access, envelope, fhir, hl7, java, jsonlog, sql, text

Renderer = Callable[[Event], list[str]]
"""Render one event as one or more marked lines."""

FORMATS: Final[dict[str, Renderer]] = {
    "json": jsonlog.json_flat,
    "json_nested": jsonlog.nested,
    "json_in_json": jsonlog.json_in_json,
    "vector": envelope.vector,
    "fluentbit": envelope.fluent_bit,
    "logfmt": text.logfmt_format,
    "syslog": text.syslog,
    "python": text.python,
    "java": java.java,
    "access": access.access,
    "sql": sql.sql,
    "hl7": hl7.hl7_json,
    "hl7_text": hl7.hl7_text,
    "fhir": fhir.fhir,
    "clinical": text.clinical,
}

JSON_FORMATS: Final = frozenset(
    {"json", "json_nested", "json_in_json", "vector", "fluentbit", "hl7", "fhir"}
)
"""Formats whose every line is one JSON document."""
