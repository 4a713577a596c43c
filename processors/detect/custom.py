"""Detectors the policy adds: custom regular expressions and a deny list."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import re2

from processors.entities import EntityType
from processors.policy import CustomDetector
from processors.spans import Span


class CustomPatternDetector:
    """Report every match of the policy's own RE2 patterns."""

    name = "custom"
    version = "1"

    def __init__(self, detectors: Sequence[CustomDetector]) -> None:
        self._compiled = [
            (re2.compile(d.pattern), d.entity_type, f"custom:{d.name}")
            for d in detectors
        ]
        self.gate_patterns = [d.pattern for d in detectors]

    def detect(self, text: str) -> list[Span]:
        """Return a span per match, scored 1.0."""
        spans = []
        for regex, entity_type, name in self._compiled:
            for match in regex.finditer(text):
                start, end = match.span()
                if end > start:
                    spans.append(Span(entity_type, start, end, name, 1.0))
        return spans


class DenyListDetector:
    """Report every occurrence of a value the policy always redacts."""

    name = "deny_list"
    version = "1"

    def __init__(self, values: Mapping[str, EntityType]) -> None:
        self._values = dict(values)
        self.gate_patterns = [re2.escape(v) for v in self._values]

    def detect(self, text: str) -> list[Span]:
        """Return a span per occurrence of each denied value."""
        spans = []
        for value, entity_type in self._values.items():
            start = text.find(value)
            while start >= 0:
                spans.append(Span(entity_type, start, start + len(value), self.name))
                start = text.find(value, start + len(value))
        return spans
