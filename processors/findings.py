"""Findings: what was found where, and what was done about it."""

from __future__ import annotations

from dataclasses import dataclass

from processors.entities import EntityType


@dataclass(frozen=True, slots=True)
class Finding:
    """One span of PHI in a record, located and acted on.

    ``value`` is the PHI itself: it goes to the restricted zone only, never
    to audit events, logs or metrics.
    """

    entity_type: EntityType
    path: str
    """Where the string is: ``$`` for a text record, ``$.patient.name`` in JSON;
    ``#`` enters JSON held inside a string (``$.message#$.ssn``)."""
    start: int
    end: int
    """Character offsets of the value in the string at ``path``."""
    detector: str
    detector_version: str
    score: float
    action: str
    token: str
    """The value's deterministic token, whatever the action (for correlation)."""
    replacement: str
    """What the sanitized record holds instead of the value."""
    value: str = ""
