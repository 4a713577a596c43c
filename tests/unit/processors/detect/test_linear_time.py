"""Tests that scanning time grows linearly with the input, on adversarial text."""

from __future__ import annotations

import math
import random
import time

import pytest

from processors.detect.registry import default_scanner
from processors.detect.scanner import PatternScanner
from processors.entities import EntityType

SIZE = 100_000
"""Characters of the smaller input; the larger one has GROWTH times as many."""

GROWTH = 4

MAX_RATIO = 8.0
"""Linear time gives a ratio near GROWTH, quadratic near GROWTH squared.

Generous, so a loaded two-core machine does not make the test flaky.
"""

MIN_MEASURED_S = 0.02
"""Repeat fast scans until the smaller input takes this long, above timer noise."""


def _mixed(size: int) -> str:
    rng = random.Random(1729)
    return "".join(rng.choice("0123456789-. :/@x+()#=") for _ in range(size))


UNITS = [
    pytest.param("1", id="digits"),
    pytest.param("4", id="card-prefix-digits"),
    pytest.param("-", id="dashes"),
    pytest.param("1-", id="digit-dash"),
    pytest.param("123-", id="group-dash"),
    pytest.param("a@", id="at-signs"),
    pytest.param("a@a.", id="at-dot"),
    pytest.param("1.1.1.1.", id="dotted-quads"),
    pytest.param("ff:", id="hex-colons"),
    pytest.param("a::", id="double-colons"),
    pytest.param(" ", id="spaces"),
    pytest.param("mrn: ", id="context-words"),
    pytest.param("ssn 1 ", id="context-and-digit"),
    pytest.param("?name=", id="query-names"),
    pytest.param("/patients/1", id="patient-paths"),
    pytest.param("(217) 555-0143 ", id="phones"),
    pytest.param("4111 1111 1111 1111 ", id="cards"),
    pytest.param("+44 ", id="international-prefixes"),
    pytest.param("A1B2", id="upper-alnum"),
    pytest.param("deadbeef", id="hex"),
    pytest.param("é1-", id="non-ascii"),
]


def _repeat(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def _cpu_seconds(scanner: PatternScanner, text: str, rounds: int) -> float:
    """Return the best CPU time of three runs of ``rounds`` scans."""
    best = math.inf
    for _ in range(3):
        started = time.process_time()
        for _ in range(rounds):
            scanner.scan(text)
        best = min(best, time.process_time() - started)
    return best


def _assert_linear(small: str, large: str) -> None:
    scanner = default_scanner()
    scanner.scan(small[:1000])  # warm the DFA caches

    once = _cpu_seconds(scanner, small, 1)
    rounds = max(1, math.ceil(MIN_MEASURED_S / max(once, 1e-6)))
    small_s = _cpu_seconds(scanner, small, rounds)
    large_s = _cpu_seconds(scanner, large, rounds)

    assert large_s / small_s < MAX_RATIO


@pytest.mark.parametrize("unit", UNITS)
def test_scan_time_grows_linearly_when_input_repeats_a_unit(unit: str) -> None:
    _assert_linear(_repeat(unit, SIZE), _repeat(unit, SIZE * GROWTH))


def test_scan_time_grows_linearly_when_input_is_random_punctuated_digits() -> None:
    _assert_linear(_mixed(SIZE), _mixed(SIZE * GROWTH))


@pytest.mark.parametrize("unit", UNITS)
def test_value_found_when_it_follows_adversarial_input(unit: str) -> None:
    text = _repeat(unit, SIZE) + " ssn 123-45-6789 "
    start = text.index("123-45-6789")

    spans = [
        span
        for span in default_scanner().scan(text)
        if span.entity_type is EntityType.SSN
    ]

    assert (spans[-1].start, spans[-1].end) == (start, start + len("123-45-6789"))
