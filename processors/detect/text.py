"""All detectors over one string: one RE2 pass routes it to the detectors it
needs, then their spans are resolved."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import re2

from processors.detect.base import TextDetector
from processors.detect.scanner import PatternScanner
from processors.resolve import resolve
from processors.spans import Span
from processors.tokens import token_spans

_SET_MAX_MEM = 64 << 20
"""RE2's default 8 MiB would push the large gate out of its DFA, several
times slower; the gate is built once per process."""


@dataclass(frozen=True, slots=True)
class Gated:
    """A detector and the RE2 patterns that cover everything it can report."""

    detector: TextDetector | None
    """None for patterns that only tell the JSON walk to look closer."""
    gate_patterns: tuple[str, ...]


class TextDetection:
    """Find the PHI spans of one string with every detector of a policy.

    One RE2 set holds the scanner's candidate regexes and every detector's
    gate patterns. A string that matches none costs that one pass; otherwise
    only the detectors whose patterns matched run, and the scanner validates
    only the regexes that matched. Each gate is a superset of what its
    detector can report, so skipping a detector loses nothing.
    """

    def __init__(
        self,
        scanner: PatternScanner,
        gated: Sequence[Gated],
        min_score: float,
        allow: frozenset[str] = frozenset(),
    ) -> None:
        self._scanner = scanner
        self._min_score = min_score
        self._allow = allow
        options = re2.Options()
        options.max_mem = _SET_MAX_MEM
        self._gate = re2.Set.SearchSet(options)
        for regex in scanner.regexes:
            self._gate.Add(regex)
        self._scanner_slots = len(scanner.regexes)
        owners: list[TextDetector | None] = []
        for entry in gated:
            for pattern in entry.gate_patterns:
                self._gate.Add(pattern)
                owners.append(entry.detector)
        self._owners = tuple(owners)
        self._gate.Compile()

    def may_contain(self, text: str) -> bool:
        """Return False only when no detector can find anything in ``text``."""
        return bool(self._gate.Match(text.encode("utf-8")))

    def detect(self, text: str) -> list[Span]:
        """Return non-overlapping spans sorted by start, tokens left alone."""
        if not text:
            return []
        data = text.encode("utf-8")
        hits = self._gate.Match(data)
        if not hits:
            return []
        slots = self._scanner_slots
        scanner_hits = [i for i in hits if i < slots]
        spans = (
            self._scanner.scan_hits(text, data, scanner_hits) if scanner_hits else []
        )
        ran: set[int] = set()
        for index in hits:
            if index < slots:
                continue
            detector = self._owners[index - slots]
            if detector is not None and id(detector) not in ran:
                ran.add(id(detector))
                spans.extend(detector.detect(text))
        if not spans:
            return []
        tokens = token_spans(text)
        if tokens:
            spans = [s for s in spans if not _inside_any(s, tokens)]
        if self._allow:
            spans = [
                s for s in spans if text[s.start : s.end].strip() not in self._allow
            ]
        return resolve(spans, self._min_score)


def _inside_any(span: Span, ranges: list[tuple[int, int]]) -> bool:
    return any(start <= span.start and span.end <= end for start, end in ranges)
