"""Single-core throughput of the redactor against a parse-and-serialize baseline."""

# Run from the repository root: python -m benchmarks.throughput --help. Both
# functions run in this process on the same lines, best of --repeat runs, on
# a realistic mix (10% of lines with PHI) and on lines that all carry PHI.

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

import orjson

from benchmarks.evaluate import RedactFn, engine_redact_fn
from pipeline.synth import generate
from processors.errors import RecordError

MIXES: Final = (("10% PHI", 0.1), ("100% PHI", 1.0))


@dataclass(frozen=True, slots=True)
class Speed:
    """The best time of one function over one set of lines."""

    lines: int
    total_bytes: int
    seconds: float
    quarantined: int = 0

    @property
    def lines_per_s(self) -> float:
        """Lines per second."""
        return self.lines / self.seconds if self.seconds else 0.0

    @property
    def mb_per_s(self) -> float:
        """Megabytes (10**6 bytes) of input per second."""
        return self.total_bytes / self.seconds / 1e6 if self.seconds else 0.0


def baseline(line: bytes) -> bytes:
    """Parse and serialize a JSON line, copy any other line.

    This is what any JSON-aware hop costs, the floor the redactor is held to.
    """
    if line[:1] == b"{":
        return orjson.dumps(orjson.loads(line))
    return memoryview(line).tobytes()


def measure(
    lines: Sequence[bytes], fn: Callable[[bytes], object], repeat: int
) -> Speed:
    """Time ``fn`` over all ``lines``; keep the best of ``repeat`` runs."""
    best = float("inf")
    quarantined = 0
    for _ in range(max(repeat, 1)):
        gc.collect()
        quarantined = 0
        started = time.perf_counter()
        for line in lines:
            try:
                fn(line)
            except RecordError:
                quarantined += 1
        best = min(best, time.perf_counter() - started)
    return Speed(len(lines), sum(len(line) for line in lines), best, quarantined)


def corpus(seed: int, count: int, phi_ratio: float) -> list[bytes]:
    """Return the generated lines as the bytes a consumer would receive."""
    return [item.line.encode() for item in generate(seed, count, phi_ratio)]


def _pin_to_one_core() -> None:
    # Native code (regex engines, JSON) may not spread work across cores, but
    # pinning makes the number comparable from one machine load to another.
    if hasattr(os, "sched_setaffinity"):
        cores = sorted(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cores[0]})


def _row(label: str, base: Speed, redact: Speed) -> str:
    ratio = redact.lines_per_s / base.lines_per_s if base.lines_per_s else 0.0
    return (
        f"{label:<9} {base.lines:>7} {base.total_bytes / 1e6:>7.2f}"
        f" {base.lines_per_s:>13,.0f} {base.mb_per_s:>8.1f}"
        f" {redact.lines_per_s:>13,.0f} {redact.mb_per_s:>8.1f}"
        f" {ratio:>7.3f} {redact.quarantined:>6}"
    )


def run(seed: int, count: int, repeat: int, redact_fn: RedactFn) -> str:
    """Measure both mixes and return the table."""
    rows = [
        "                          baseline             redactor",
        "mix         lines      MB        lines/s     MB/s       lines/s"
        "     MB/s   ratio  quar.",
    ]
    for label, phi_ratio in MIXES:
        lines = corpus(seed, count, phi_ratio)
        base = measure(lines, baseline, repeat)
        redact = measure(lines, redact_fn, repeat)
        rows.append(_row(label, base, redact))
    rows.append("ratio: redactor lines/s over baseline lines/s; quar.: quarantined")
    return "\n".join(rows) + "\n"


def main(argv: Sequence[str] | None = None, redact_fn: RedactFn | None = None) -> int:
    """Run the benchmark; return 0, or 2 when the engine cannot load."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.throughput",
        description="Single-core redaction throughput against a JSON baseline.",
    )
    parser.add_argument("--count", type=int, default=20000, help="default: %(default)s")
    parser.add_argument("--seed", type=int, default=1, help="default: %(default)s")
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs, best kept; default: %(default)s"
    )
    args = parser.parse_args(argv)

    if redact_fn is None:
        try:
            redact_fn = engine_redact_fn()
        except ImportError as exc:
            sys.stderr.write(f"cannot load the redaction engine: {exc}\n")
            return 2
    _pin_to_one_core()
    sys.stdout.write(run(args.seed, args.count, args.repeat, redact_fn))
    return 0


if __name__ == "__main__":
    sys.exit(main())
