"""``phirewall generate``: write seeded synthetic logs and their PHI labels."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

import orjson

from pipeline.cli_support import EXIT_USAGE, env_default
from pipeline.synth import FORMATS, LabelledLine, check_formats, generate

logger = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_FAILURE = 1

_PROGRESS_EVERY = 50_000


def _non_negative(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return value


def _ratio(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"must be within [0, 1], got {value}")
    return value


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``generate`` and its options."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "generate",
        help="write synthetic healthcare logs with labelled PHI",
        description="Write seeded synthetic log lines to stdout, one per line, "
        "and optionally their PHI and look-alike labels as JSON Lines. "
        "Every value is invented.",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=env_default("PHIREWALL_SEED", "1"),
        help="seed; the same seed writes the same lines "
        "(env PHIREWALL_SEED, default: %(default)s)",
    )
    parser.add_argument(
        "--count",
        type=_non_negative,
        default=env_default("PHIREWALL_COUNT", "1000"),
        help="number of lines (env PHIREWALL_COUNT, default: %(default)s)",
    )
    parser.add_argument(
        "--phi-ratio",
        type=_ratio,
        default=env_default("PHIREWALL_PHI_RATIO", "0.1"),
        help="share of lines carrying PHI, in [0, 1] "
        "(env PHIREWALL_PHI_RATIO, default: %(default)s)",
    )
    parser.add_argument(
        "--format",
        dest="formats",
        action="append",
        choices=tuple(FORMATS),
        metavar="FORMAT",
        help="a format to include, repeatable: "
        f"{', '.join(FORMATS)} (env PHIREWALL_FORMAT, comma-separated; "
        "default: all)",
    )
    parser.add_argument(
        "--labels",
        type=Path,
        default=env_default("PHIREWALL_LABELS"),
        metavar="PATH",
        help="also write labels as JSON Lines to PATH "
        "(env PHIREWALL_LABELS, default: none)",
    )
    return parser


def label_row(line_no: int, item: LabelledLine) -> dict[str, Any]:
    """Return the labels row of one line; ``line_no`` counts from 1.

    orjson writes each ``Label`` as ``{entity_type, value, start, end}``.
    """
    return {
        "line_no": line_no,
        "format": item.format,
        "phi": item.phi,
        "lookalikes": item.lookalikes,
    }


def _formats(args: argparse.Namespace) -> list[str] | None:
    if args.formats:
        return list(args.formats)
    from_env = env_default("PHIREWALL_FORMAT") or ""
    return [name.strip() for name in from_env.split(",") if name.strip()] or None


def _write(
    items: Iterable[LabelledLine], out: IO[str], labels: IO[bytes] | None, count: int
) -> None:
    show_progress = sys.stderr.isatty() and count >= _PROGRESS_EVERY
    for line_no, item in enumerate(items, start=1):
        out.write(item.line)
        out.write("\n")
        if labels is not None:
            labels.write(orjson.dumps(label_row(line_no, item)) + b"\n")
        if show_progress and line_no % _PROGRESS_EVERY == 0:
            sys.stderr.write(f"\rgenerated {line_no}/{count} lines")
    if show_progress:
        sys.stderr.write("\n")


def run(args: argparse.Namespace) -> int:
    """Write the lines to stdout and the labels to ``--labels``."""
    try:
        formats = check_formats(_formats(args))
    except ValueError as exc:
        sys.stderr.write(f"phirewall generate: {exc}\n")
        return EXIT_USAGE
    items = generate(args.seed, args.count, args.phi_ratio, formats)

    try:
        if args.labels is None:
            _write(items, sys.stdout, None, args.count)
        else:
            with args.labels.open("wb") as labels:
                _write(items, sys.stdout, labels, args.count)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader (head, less) stopped early: not a failure of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        sys.stderr.write(f"phirewall generate: cannot write the output: {reason}\n")
        return EXIT_FAILURE
    return EXIT_OK
