"""Assemble a seeded corpus of labelled lines in a chosen mix of formats."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import timedelta
from itertools import accumulate
from random import Random
from typing import Final

from pipeline.synth.event import Event
from pipeline.synth.formats import FORMATS
from pipeline.synth.labels import LabelledLine
from pipeline.synth.lookalikes import start_time

_PULL: Final = 0.1
"""How hard a PHI draw leans toward the target share when the corpus drifts.

Independent draws would wander by the square root of the count; leaning on the
running deficit keeps the share within a few lines of the target while the
positions of PHI lines stay random.
"""

_EVENT_WEIGHTS: Final = {"java": 0.3, "hl7_text": 0.4}
"""Draw weights of formats whose events span many lines (1 for the others).

A Java trace is about seven lines and an HL7 message about five; drawn as
often as the rest they would crowd the corpus with frames and segments.
"""


def check_formats(formats: Sequence[str] | None) -> tuple[str, ...]:
    """Return the formats to draw from: all by default.

    Raises:
        ValueError: a name is not a known format, or the list is empty.
    """
    if formats is None:
        return tuple(FORMATS)
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        known = ", ".join(FORMATS)
        raise ValueError(f"unknown format {', '.join(unknown)}; choose from {known}")
    if not formats:
        raise ValueError("no format given; pass at least one, or none for all")
    return tuple(dict.fromkeys(formats))


def generate(
    seed: int, count: int, phi_ratio: float, formats: Sequence[str] | None = None
) -> Iterator[LabelledLine]:
    """Yield ``count`` labelled lines, the same ones for the same arguments.

    Args:
        seed: seed of the only random source, so a corpus can be rebuilt.
        count: number of lines; multi-line events may be cut at the end.
        phi_ratio: share of lines that carry at least one PHI value, in [0, 1];
            the other lines carry look-alikes only.
        formats: names from ``FORMATS`` to draw events from; None for all.

    Raises:
        ValueError: ``count`` is negative, ``phi_ratio`` is outside [0, 1], or
            a format is unknown.
    """
    if count < 0:
        raise ValueError(f"count must be 0 or more, got {count}")
    if not 0.0 <= phi_ratio <= 1.0:
        raise ValueError(f"phi_ratio must be within [0, 1], got {phi_ratio}")
    names = check_formats(formats)
    return _lines(Random(seed), count, phi_ratio, names)


def _lines(
    rng: Random, count: int, phi_ratio: float, names: tuple[str, ...]
) -> Iterator[LabelledLine]:
    when = start_time(rng)
    cumulative = list(accumulate(_EVENT_WEIGHTS.get(name, 1.0) for name in names))
    emitted = 0
    with_phi = 0
    while emitted < count:
        deficit = phi_ratio * emitted - with_phi
        has_phi = rng.random() < phi_ratio + _PULL * deficit
        name = rng.choices(names, cum_weights=cumulative)[0]
        when += timedelta(milliseconds=rng.randint(1, 5000))
        event = Event(rng, when, has_phi)
        is_labelled = False
        for marked in FORMATS[name](event):
            item = event.marks.resolve(marked, name)
            is_labelled = is_labelled or bool(item.phi)
            # A clean line of an event with PHI (a stack frame, an MSH segment)
            # is dropped when keeping it would pull the share below target.
            if has_phi and not item.phi and phi_ratio * (emitted + 1) - with_phi >= 1:
                continue
            yield item
            emitted += 1
            with_phi += bool(item.phi)
            if emitted == count:
                return
        if has_phi and not is_labelled:
            raise RuntimeError(f"the {name} renderer put no PHI in an event with PHI")
