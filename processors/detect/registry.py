"""The default pattern detectors, gathered in one place, and their scanner."""

from __future__ import annotations

from functools import cache

from processors.detect.base import Pattern
from processors.detect.patterns import (
    contact,
    dates,
    identifiers,
    locations,
    network,
    phrases,
)
from processors.detect.scanner import PatternScanner


def default_patterns() -> list[Pattern]:
    """Return a fresh list of every built-in pattern detector, family by family."""
    return [
        *identifiers.PATTERNS,
        *contact.PATTERNS,
        *network.PATTERNS,
        *dates.PATTERNS,
        *locations.PATTERNS,
        *phrases.PATTERNS,
    ]


@cache
def default_scanner() -> PatternScanner:
    """Return the scanner of the built-in patterns, compiled once per process."""
    return PatternScanner(default_patterns())
