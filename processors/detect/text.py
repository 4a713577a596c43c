"""All detectors over one string: a one-pass gate, then the detectors, resolved."""

from __future__ import annotations

from collections.abc import Sequence

import re2

from processors.detect.base import TextDetector
from processors.resolve import resolve
from processors.spans import Span
from processors.tokens import token_spans

_SET_MAX_MEM = 64 << 20
"""RE2's default 8 MiB would push the large gate out of its DFA, several
times slower; the gate is built once per process."""


class TextDetection:
    """Find the PHI spans of one string with every detector of a policy.

    A string that matches none of the gate patterns costs one RE2 pass; the
    gate is a superset of what the detectors can report, so skipping them
    then loses nothing.
    """

    def __init__(
        self,
        detectors: Sequence[TextDetector],
        gate_patterns: Sequence[str],
        min_score: float,
        allow: frozenset[str] = frozenset(),
    ) -> None:
        self._detectors = tuple(detectors)
        self._min_score = min_score
        self._allow = allow
        options = re2.Options()
        options.max_mem = _SET_MAX_MEM
        self._gate = re2.Set.SearchSet(options)
        for pattern in gate_patterns:
            self._gate.Add(pattern)
        self._gate.Compile()

    def may_contain(self, text: str) -> bool:
        """Return False only when no detector can find anything in ``text``."""
        return bool(self._gate.Match(text))

    def detect(self, text: str) -> list[Span]:
        """Return non-overlapping spans sorted by start, tokens left alone."""
        if not text or not self.may_contain(text):
            return []
        spans: list[Span] = []
        for detector in self._detectors:
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
