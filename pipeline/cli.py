"""The ``phirewall`` command line: one sub-command per module in ``commands``."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version

logger = logging.getLogger(__name__)

COMMANDS = ("redact", "generate", "run", "topics")
"""Sub-command modules under ``pipeline.commands``, in ``--help`` order.

Each module defines ``add_parser(subparsers) -> argparse.ArgumentParser``
and ``run(args: argparse.Namespace) -> int``.
"""

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2


def _version() -> str:
    try:
        return version("phirewall")
    except PackageNotFoundError:
        return "0+unknown"


def build_parser() -> argparse.ArgumentParser:
    """Build the top-level parser with every sub-command registered."""
    parser = argparse.ArgumentParser(
        prog="phirewall",
        description="Redact PHI from application logs, on Kafka or in files.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    parser.add_argument(
        "--log-level",
        default=os.environ.get("PHIREWALL_LOG_LEVEL", "WARNING"),
        help="level of phirewall's own logs on stderr "
        "(env PHIREWALL_LOG_LEVEL, default: %(default)s)",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        module = importlib.import_module(f"pipeline.commands.{name}")
        sub = module.add_parser(subparsers)
        sub.set_defaults(handler=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(), stream=sys.stderr, format="%(message)s"
    )
    if getattr(args, "handler", None) is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    code: int = args.handler(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
