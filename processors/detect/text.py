"""All detectors over one string: one RE2 pass routes it to the detectors it
needs, then their spans are resolved."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from processors.detect.base import TextDetector
from processors.detect.gate import compile_gate
from processors.detect.scanner import PatternScanner
from processors.resolve import resolve
from processors.spans import Span
from processors.tokens import token_spans

_PAIR_HINT = re.compile(r"[A-Za-z_][\"']?[ \t]*[=:]")
"""A letter before ``=`` or ``:``: the least a key-value pair needs (a
timestamp's colons follow digits)."""


@dataclass(frozen=True, slots=True)
class Scope:
    """What the gate found in a whole record."""

    has_any: bool
    """False: nothing in the record can be PHI."""
    needs_text: bool
    """False: only keys matched, so strings need the key-value detector only."""
    hits: frozenset[int]


@dataclass(frozen=True, slots=True)
class Gated:
    """A detector and the RE2 patterns that cover everything it can report."""

    detector: TextDetector | None
    """None for patterns that only tell the JSON walk to look closer."""
    gate_patterns: tuple[str, ...]


class TextDetection:
    """Find the PHI spans of one string with every detector of a policy.

    One gate (:mod:`processors.detect.gate`) holds the scanner's candidate
    regexes and every detector's gate patterns. A string that matches none
    costs that one pass; otherwise
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
        pairs: TextDetector | None = None,
        cache_dir: Path | None = None,
    ) -> None:
        """Compile the gate.

        Args:
            pairs: the key-value detector among ``gated``, which
                :meth:`detect_pairs` runs alone.
            cache_dir: where the compiled gate may be kept between processes.
        """
        self._scanner = scanner
        self._min_score = min_score
        self._allow = allow
        patterns = list(scanner.regexes)
        self._scanner_slots = len(patterns)
        owners: list[TextDetector | None] = []
        for entry in gated:
            for pattern in entry.gate_patterns:
                patterns.append(pattern)
                owners.append(entry.detector)
        self._owners = tuple(owners)
        self._pairs = pairs
        self._gate = compile_gate(patterns, cache_dir)

    def may_contain(self, text: str) -> bool:
        """Return False only when no detector can find anything in ``text``."""
        return bool(self._gate.match(text.encode("utf-8")))

    def line_scope(self, text: str) -> Scope:
        """Return what the gate found in a whole record, to narrow later work."""
        hits = self._gate.match(text.encode("utf-8"))
        if not hits:
            return Scope(False, False, frozenset())
        slots = self._scanner_slots
        owners = {self._owners[i - slots] for i in hits if i >= slots}
        only_pairs = all(i >= slots for i in hits) and owners <= {
            None,
            self._pairs,
        }
        return Scope(True, not only_pairs, frozenset(hits))

    def detect_pairs(self, text: str) -> list[Span]:
        """Run only the key-value detector: for strings of a record whose gate
        matched nothing but keys (see :meth:`line_scope`)."""
        if self._pairs is None or _PAIR_HINT.search(text) is None:
            return []
        spans = self._pairs.detect(text)
        return self._finish(text, spans) if spans else []

    def detect(self, text: str) -> list[Span]:
        """Return non-overlapping spans sorted by start, tokens left alone."""
        if not text:
            return []
        data = text.encode("utf-8")
        hits = self._gate.match(data)
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
        return self._finish(text, spans)

    def _finish(self, text: str, spans: list[Span]) -> list[Span]:
        """Drop spans inside tokens and allowed values, then resolve overlaps."""
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
