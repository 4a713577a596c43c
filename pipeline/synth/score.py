"""Score a redactor's output against the labels of a synthetic corpus."""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Final

from pipeline.synth.labels import Label, LabelledLine
from processors.errors import RecordError

RedactFn = Callable[[bytes], bytes]
"""Redact one raw line; raise ``RecordError`` to quarantine it."""

PERSON_GOAL: Final = 0.97
"""Recall goal for names, which have no pattern to anchor on."""
PATTERN_GOAL: Final = 0.995
"""Recall goal for every other entity type."""
LOOKALIKE_GOAL: Final = 0.999
"""Share of look-alikes the sanitized stream must keep, all kinds together."""

_SEPARATED_DIGITS: Final = re.compile(r"[\d\s().+/-]+")
_NAME_SPLIT: Final = re.compile(r"(?:%20|[\s,^+])+")
# Particles and Vietnamese middle names are words of their own: seeing "van"
# or "thi" left in a line does not mean a name leaked.
_PARTICLES: Final = frozenset(
    {"van", "der", "den", "de", "del", "la", "le", "von", "ter", "bin", "ibn"}
    | {"al", "el", "da", "dos", "di", "lo", "thi"}
)
_SHORT: Final = 5
"""Values shorter than this only count when they stand as a whole word."""


@dataclass(frozen=True, slots=True)
class Tally:
    """How many labels were scored, and how many met the bar."""

    total: int
    hits: int

    @property
    def rate(self) -> float:
        """Hits over total; 1.0 when nothing was scored."""
        return self.hits / self.total if self.total else 1.0


@dataclass(frozen=True, slots=True)
class Miss:
    """One PHI value left in a sanitized line, or one look-alike lost."""

    line_no: int
    format: str
    entity_type: str
    value: str


@dataclass(frozen=True, slots=True)
class Report:
    """The score of one run; ``line_no`` in examples counts from 1."""

    lines: int
    quarantined: int
    redact_s: float
    phi: Mapping[str, Tally]
    phi_by_format: Mapping[str, Tally]
    lookalikes: Mapping[str, Tally]
    missed: tuple[Miss, ...]
    lost: tuple[Miss, ...]

    @property
    def lines_per_s(self) -> float:
        """Lines through the redactor per second of redaction time."""
        return self.lines / self.redact_s if self.redact_s else 0.0

    @property
    def lookalikes_kept(self) -> Tally:
        """All look-alike kinds together."""
        tallies = self.lookalikes.values()
        return Tally(sum(t.total for t in tallies), sum(t.hits for t in tallies))

    def shortfalls(self) -> list[str]:
        """Return one sentence per goal missed; empty when all are met."""
        failures = [
            f"{kind} recall {tally.rate:.2%} is below {goal(kind):.1%}"
            for kind, tally in sorted(self.phi.items())
            if tally.rate < goal(kind)
        ]
        kept = self.lookalikes_kept
        if kept.rate < LOOKALIKE_GOAL:
            failures.append(
                f"look-alikes kept {kept.rate:.2%} is below {LOOKALIKE_GOAL:.1%}"
            )
        return failures


def goal(entity_type: str) -> float:
    """Return the recall goal of ``entity_type``."""
    return PERSON_GOAL if entity_type == "PERSON" else PATTERN_GOAL


def _probes(label: Label) -> list[tuple[str, bool]]:
    """Return (text, whole word only) pairs whose survival means a leak."""
    value = label.value
    probes = [(value, len(value) < _SHORT)]
    digits = "".join(char for char in value if char.isdigit())
    if _SEPARATED_DIGITS.fullmatch(value) and len(digits) >= 4 and digits != value:
        probes.append((digits, True))
    if label.entity_type == "PERSON":
        for part in _NAME_SPLIT.split(value):
            part = part.strip(".")
            if len(part) >= 3 and part.lower() not in _PARTICLES and part != value:
                probes.append((part, True))
    return probes


def _count(probe: str, text: str, whole_word: bool) -> int:
    if not whole_word:
        return text.lower().count(probe.lower())
    pattern = rf"(?<!\w){re.escape(probe)}(?!\w)"
    return len(re.findall(pattern, text, re.IGNORECASE))


def is_removed(label: Label, background: str, sanitized: str) -> bool:
    """Return True when no variant of the PHI ``label`` is left in ``sanitized``.

    ``background`` is the original line with every PHI span blanked out.
    """
    return all(
        _count(probe, sanitized, whole) <= _count(probe, background, whole)
        for probe, whole in _probes(label)
    )


def is_kept(label: Label, background: str, sanitized: str) -> bool:
    """Return True when the look-alike ``label`` survived verbatim."""
    return sanitized.count(label.value) >= background.count(label.value)


def _blank_phi(item: LabelledLine) -> str:
    chars = list(item.line)
    for label in item.phi:
        chars[label.start : label.end] = "\0" * (label.end - label.start)
    return "".join(chars)


class _Counts:
    """Mutable tallies while scoring; frozen into a ``Report`` at the end."""

    def __init__(self, max_examples: int) -> None:
        self.total: Counter[str] = Counter()
        self.hits: Counter[str] = Counter()
        self.max_examples = max_examples
        self.missed: list[Miss] = []
        self.lost: list[Miss] = []

    def add(self, key: str, is_hit: bool) -> None:
        self.total[key] += 1
        self.hits[key] += is_hit

    def tallies(self, prefix: str) -> dict[str, Tally]:
        return {
            key.removeprefix(prefix): Tally(count, self.hits[key])
            for key, count in sorted(self.total.items())
            if key.startswith(prefix)
        }

    def example(self, into: list[Miss], miss: Miss) -> None:
        if len(into) < self.max_examples:
            into.append(miss)


def _score(counts: _Counts, line_no: int, item: LabelledLine, out: str | None) -> None:
    background = _blank_phi(item)
    for label in item.phi:
        is_found = out is None or is_removed(label, background, out)
        counts.add(f"phi:{label.entity_type}", is_found)
        counts.add(f"format:{item.format}", is_found)
        if not is_found:
            miss = Miss(line_no, item.format, label.entity_type, label.value)
            counts.example(counts.missed, miss)
    for label in item.lookalikes:
        is_hit = out is not None and is_kept(label, background, out)
        counts.add(f"look:{label.entity_type}", is_hit)
        if not is_hit:
            miss = Miss(line_no, item.format, label.entity_type, label.value)
            counts.example(counts.lost, miss)


def evaluate(
    lines: Iterable[LabelledLine], redact_fn: RedactFn, max_examples: int = 20
) -> Report:
    """Run ``redact_fn`` over every line and score what it left.

    A PHI label counts as found when no variant of its value is left in the
    sanitized line: the value itself (case-insensitive), its digits alone
    when it is digits with separators, and for PERSON each name part of three
    letters or more. An occurrence already present outside the PHI spans of
    the original line (a date inside the event timestamp) is not held against
    the redactor. A look-alike counts as kept when it appears verbatim in the
    sanitized line as often as it did in the original. A record the redactor
    refuses (``RecordError``) is quarantined: its PHI counts as found and its
    look-alikes as lost.

    Args:
        lines: the labelled corpus.
        redact_fn: redacts one UTF-8 line; ``RecordError`` quarantines it.
        max_examples: how many missed PHI and lost look-alikes to keep.
    """
    counts = _Counts(max_examples)
    quarantined = 0
    redact_s = 0.0
    line_no = 0
    for line_no, item in enumerate(lines, start=1):
        raw = item.line.encode()
        started = time.perf_counter()
        try:
            out: bytes | None = redact_fn(raw)
        except RecordError:
            out = None
            quarantined += 1
        redact_s += time.perf_counter() - started
        sanitized = None if out is None else out.decode("utf-8", "replace")
        _score(counts, line_no, item, sanitized)

    return Report(
        lines=line_no,
        quarantined=quarantined,
        redact_s=redact_s,
        phi=counts.tallies("phi:"),
        phi_by_format=counts.tallies("format:"),
        lookalikes=counts.tallies("look:"),
        missed=tuple(counts.missed),
        lost=tuple(counts.lost),
    )
