"""Run every pattern detector over a string in linear time, behind one prefilter."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Protocol

import re2

from processors.detect.base import Pattern
from processors.errors import ConfigError
from processors.spans import Span


class _Match(Protocol):
    def span(self, group: int = 0) -> tuple[int, int]: ...


class _Regex(Protocol):
    def finditer(self, text: str | bytes) -> Iterator[_Match]: ...


class _Set(Protocol):
    def Add(self, pattern: str) -> int: ...  # noqa: N802 - RE2's own names
    def Compile(self) -> None: ...  # noqa: N802
    def Match(self, text: str | bytes) -> list[int] | None: ...  # noqa: N802


_GroupSpans = Sequence[tuple[int, int]]
"""The (start, end) of each group of one match; (-1, -1) for a group unused."""

_RawMatch = Callable[[bytes, int, int], _GroupSpans]


def _raw_match(compiled: object) -> _RawMatch | None:
    """Return RE2's own unanchored match call, under the Python wrapper.

    The wrapper costs about as much as the match itself on a log line. It is
    internal to google-re2, so look it up and fall back to ``finditer`` when a
    release no longer has it.
    """
    anchor = getattr(getattr(re2, "_Anchor", None), "UNANCHORED", None)
    match = getattr(getattr(compiled, "_regexp", None), "Match", None)
    if anchor is None or match is None:
        return None
    return partial(match, anchor)


@dataclass(frozen=True, slots=True)
class _Entry:
    """One distinct regex and the patterns that share it."""

    regex: _Regex
    raw_match: _RawMatch | None
    patterns: tuple[Pattern, ...]
    groups: int
    """The highest group any of the patterns reads."""

    def group_spans(self, subject: str | bytes) -> Iterator[_GroupSpans]:
        """Yield the group spans of each match, left to right, not overlapping."""
        if self.raw_match is None or isinstance(subject, str):
            for match in self.regex.finditer(subject):
                yield [match.span(group) for group in range(self.groups + 1)]
            return

        position, end = 0, len(subject)
        while position <= end:
            spans = self.raw_match(subject, position, end)
            match_start, match_end = spans[0]
            if match_start < 0:
                return
            yield spans
            # Step over an empty match, as finditer does.
            position = match_end + 1 if match_end == match_start else match_end


class PatternScanner:
    """Find the candidates of many patterns, then validate only those.

    Every distinct regex goes into one RE2 set, so a string with no candidate
    for any pattern costs a single linear pass. Patterns whose regex hit run
    their own ``finditer`` and validator; patterns with the same regex share
    both the set slot and the ``finditer``.
    """

    def __init__(self, patterns: Sequence[Pattern]) -> None:
        """Compile the patterns.

        Raises:
            ConfigError: two patterns share a name, or a regex is not valid RE2.
        """
        self._patterns = tuple(patterns)
        by_regex: dict[str, list[Pattern]] = {}
        names: set[str] = set()
        for pattern in self._patterns:
            if pattern.name in names:
                raise ConfigError(f"two patterns are named {pattern.name!r}")
            names.add(pattern.name)
            by_regex.setdefault(pattern.regex, []).append(pattern)

        self._entries: list[_Entry] = []
        self._set: _Set | None = None
        if by_regex:
            self._set = self._compile(by_regex)

    def _compile(self, by_regex: dict[str, list[Pattern]]) -> _Set:
        prefilter: _Set = re2.Set.SearchSet()
        for regex, sharing in by_regex.items():
            names = ", ".join(pattern.name for pattern in sharing)
            try:
                index = prefilter.Add(regex)
                compiled: _Regex = re2.compile(regex)
            except re2.error as exc:
                raise ConfigError(f"pattern {names} is not valid RE2: {exc}") from exc
            assert index == len(self._entries)  # noqa: S101 - RE2 numbers in order
            groups = max(pattern.group for pattern in sharing)
            entry = _Entry(compiled, _raw_match(compiled), tuple(sharing), groups)
            self._entries.append(entry)

        try:
            prefilter.Compile()
        except re2.error as exc:
            raise ConfigError(
                f"the {len(by_regex)} distinct pattern regexes exceed RE2's memory "
                "budget for one set; drop or simplify patterns"
            ) from exc
        return prefilter

    @property
    def patterns(self) -> tuple[Pattern, ...]:
        """The patterns this scanner runs, in the order given."""
        return self._patterns

    @property
    def regexes(self) -> tuple[str, ...]:
        """The distinct candidate regexes, in the order of their set indexes.

        A caller that runs its own RE2 set over these (in this order, first)
        passes the hit indexes to :meth:`scan_hits` and saves this scanner's
        own pass.
        """
        return tuple(entry.patterns[0].regex for entry in self._entries)

    def has_candidates(self, text: str) -> bool:
        """Return True when any pattern has a candidate in ``text``."""
        return self._set is not None and bool(self._set.Match(text))

    def scan(self, text: str) -> list[Span]:
        """Return the validated spans of every pattern, overlaps included.

        Offsets are indexes into ``text`` (characters, not UTF-8 bytes).
        Exceptions from a validator propagate: the caller quarantines.

        Raises:
            UnicodeEncodeError: ``text`` holds a lone surrogate, which has no
                UTF-8 form for RE2 to scan.
        """
        if self._set is None:
            return []
        data = text.encode("utf-8")
        hits = self._set.Match(data)
        if not hits:
            return []
        return self.scan_hits(text, data, hits)

    def scan_hits(self, text: str, data: bytes, hits: Iterable[int]) -> list[Span]:
        """Return the validated spans of the regexes at ``hits`` only.

        Args:
            text: the string to scan.
            data: ``text`` encoded as UTF-8.
            hits: indexes into :attr:`regexes` that a set matched in ``text``.
        """
        # ASCII text has the same offsets in bytes and characters; otherwise
        # RE2's wrapper converts its byte offsets.
        subject: str | bytes = data if len(data) == len(text) else text
        spans: list[Span] = []
        for index in sorted(hits):
            entry = self._entries[index]
            for group_spans in entry.group_spans(subject):
                for pattern in entry.patterns:
                    start, end = group_spans[pattern.group]
                    span = _validated(pattern, text, start, end)
                    if span is not None:
                        spans.append(span)
        return spans


def _validated(pattern: Pattern, text: str, start: int, end: int) -> Span | None:
    if start >= end:
        return None
    score = pattern.validate(text, start, end)
    if score is None or score <= 0:
        return None
    return Span(pattern.entity_type, start, end, pattern.name, score)
