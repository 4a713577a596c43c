"""Score the redaction engine on labelled synthetic logs: PHI recall, look-alikes."""

# Run from the repository root: python -m benchmarks.evaluate --help. How a
# label is scored is told in pipeline.synth.score.evaluate.

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import zip_longest
from pathlib import Path
from typing import Any, Final, Protocol

import orjson

from pipeline.cli_support import cache_dir
from pipeline.synth import FORMATS, Label, LabelledLine, generate
from pipeline.synth.score import (
    LOOKALIKE_GOAL,
    PATTERN_GOAL,
    PERSON_GOAL,
    Miss,
    RedactFn,
    Report,
    Tally,
    evaluate,
    goal,
)

__all__ = ["RedactFn", "Report", "engine_redact_fn", "evaluate", "main", "read_corpus"]

BENCHMARK_TOKEN_KEY: Final = b"phirewall-benchmark-key-not-a-secret-0123456789"
"""A fixed key so benchmark tokens are stable; it protects nothing."""


def _labels(rows: Sequence[Mapping[str, Any]]) -> tuple[Label, ...]:
    return tuple(
        Label(row["entity_type"], row["value"], row["start"], row["end"])
        for row in rows
    )


def read_corpus(lines_path: Path, labels_path: Path) -> Iterator[LabelledLine]:
    """Read lines and their labels as ``phirewall generate`` writes them.

    Raises:
        ValueError: the files disagree: counts, line numbers or offsets.
    """
    # Only "\n" ends a line: a "\r" inside an HL7 line is content.
    with (
        lines_path.open(encoding="utf-8", newline="\n") as lines,
        labels_path.open("rb") as labels,
    ):
        pairs = zip_longest(lines, labels)
        for line_no, (text, row_bytes) in enumerate(pairs, start=1):
            if text is None or row_bytes is None:
                raise ValueError("the corpus and the labels have different line counts")
            row = orjson.loads(row_bytes)
            if row["line_no"] != line_no:
                raise ValueError(f"labels row {line_no} is for line {row['line_no']}")
            line = text.removesuffix("\n")
            item = LabelledLine(
                line, row["format"], _labels(row["phi"]), _labels(row["lookalikes"])
            )
            for label in item.phi + item.lookalikes:
                if line[label.start : label.end] != label.value:
                    raise ValueError(
                        f"line {line_no}: a {label.entity_type} label is off"
                    )
            yield item


class _Redaction(Protocol):
    sanitized: bytes


class _Redactor(Protocol):
    def redact_line(self, line: bytes) -> _Redaction: ...


def engine_redact_fn() -> RedactFn:
    """Return the engine's redaction of one line, with the benchmark key.

    Raises:
        ImportError: ``processors.engine`` is not there yet.
    """
    engine = importlib.import_module("processors.engine")
    redactor: _Redactor = engine.Redactor.from_defaults(
        token_key=BENCHMARK_TOKEN_KEY, cache_dir=cache_dir()
    )

    def redact(line: bytes) -> bytes:
        return redactor.redact_line(line).sanitized

    return redact


def format_report(report: Report) -> str:
    """Render the report as aligned tables for a terminal."""
    rows = ["entity_type        labels    found    recall     goal  met"]
    for kind, tally in report.phi.items():
        met = "yes" if tally.rate >= goal(kind) else "NO"
        rows.append(
            f"{kind:<16} {tally.total:>8} {tally.hits:>8} {tally.rate:>9.2%} "
            f"{goal(kind):>8.1%}  {met}"
        )
    rows += ["", "format             labels    found    recall"]
    rows += [
        f"{name:<16} {t.total:>8} {t.hits:>8} {t.rate:>9.2%}"
        for name, t in report.phi_by_format.items()
    ]
    rows += ["", "look-alike         labels     kept      rate"]
    rows += [
        f"{kind:<16} {t.total:>8} {t.hits:>8} {t.rate:>9.2%}"
        for kind, t in report.lookalikes.items()
    ]
    kept = report.lookalikes_kept
    rows += [
        "",
        f"look-alikes kept: {kept.rate:.2%} ({kept.hits}/{kept.total}), "
        f"goal {LOOKALIKE_GOAL:.1%}",
        f"lines: {report.lines}, quarantined: {report.quarantined}, "
        f"redact: {report.lines_per_s:,.0f} lines/s",
    ]
    for title, examples in (("missed PHI", report.missed), ("lost", report.lost)):
        rows += [
            f"{title}: line {m.line_no} {m.format} {m.entity_type} {m.value!r}"
            for m in examples
        ]
    return "\n".join(rows) + "\n"


def report_json(report: Report) -> dict[str, Any]:
    """Return the report as a JSON-ready dict, goals included."""

    def tallies(table: Mapping[str, Tally]) -> dict[str, Any]:
        return {
            k: {"total": t.total, "hits": t.hits, "rate": t.rate}
            for k, t in table.items()
        }

    kept = report.lookalikes_kept
    return {
        "lines": report.lines,
        "quarantined": report.quarantined,
        "lines_per_s": report.lines_per_s,
        "phi": tallies(report.phi),
        "phi_by_format": tallies(report.phi_by_format),
        "lookalikes": tallies(report.lookalikes),
        "lookalikes_kept": {"total": kept.total, "hits": kept.hits, "rate": kept.rate},
        "goals": {
            "person": PERSON_GOAL,
            "pattern": PATTERN_GOAL,
            "lookalike": LOOKALIKE_GOAL,
        },
        "shortfalls": report.shortfalls(),
        "missed": [_miss(m) for m in report.missed],
        "lost": [_miss(m) for m in report.lost],
    }


def _miss(miss: Miss) -> dict[str, Any]:
    return {
        "line_no": miss.line_no,
        "format": miss.format,
        "entity_type": miss.entity_type,
        "value": miss.value,
    }


def build_parser() -> argparse.ArgumentParser:
    """Build the command-line parser."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.evaluate",
        description="Score the redaction engine on labelled synthetic logs.",
    )
    parser.add_argument("--seed", type=int, default=1, help="default: %(default)s")
    parser.add_argument("--count", type=int, default=5000, help="default: %(default)s")
    parser.add_argument(
        "--phi-ratio", type=float, default=0.5, help="default: %(default)s"
    )
    parser.add_argument(
        "--format",
        dest="formats",
        action="append",
        choices=tuple(FORMATS),
        metavar="FORMAT",
        help="repeatable; default: all",
    )
    parser.add_argument("--input", type=Path, help="score this corpus instead")
    parser.add_argument("--labels", type=Path, help="labels of --input (JSON Lines)")
    parser.add_argument("--json", action="store_true", help="print JSON, not tables")
    parser.add_argument(
        "--check", action="store_true", help="exit 1 when a goal is missed"
    )
    parser.add_argument(
        "--examples",
        type=int,
        default=10,
        help="missed values to list (synthetic PHI); default: %(default)s",
    )
    return parser


def _corpus(args: argparse.Namespace) -> Iterable[LabelledLine]:
    if args.input is not None:
        return read_corpus(args.input, args.labels)
    return generate(args.seed, args.count, args.phi_ratio, args.formats)


def main(argv: Sequence[str] | None = None, redact_fn: RedactFn | None = None) -> int:
    """Run the evaluation; return 0, 1 when ``--check`` fails, 2 on bad usage."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if (args.input is None) != (args.labels is None):
        parser.error("--input and --labels go together")

    if redact_fn is None:
        try:
            redact_fn = engine_redact_fn()
        except ImportError as exc:
            sys.stderr.write(f"cannot load the redaction engine: {exc}\n")
            return 2
    try:
        report = evaluate(_corpus(args), redact_fn, max_examples=args.examples)
    except (ValueError, OSError) as exc:
        sys.stderr.write(f"cannot read the corpus: {exc}\n")
        return 2
    if args.json:
        sys.stdout.write(orjson.dumps(report_json(report)).decode() + "\n")
    else:
        sys.stdout.write(format_report(report))
    shortfalls = report.shortfalls()
    for text in shortfalls:
        sys.stderr.write(f"goal missed: {text}\n")
    return 1 if args.check and shortfalls else 0


if __name__ == "__main__":
    sys.exit(main())
