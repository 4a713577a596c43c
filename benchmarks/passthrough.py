"""A worker that copies each record unchanged: the floor for ``benchmarks.pipeline``."""

# Run from the repository root: python -m benchmarks.passthrough --help. It is
# the real worker loop (same clients, batches and transactions, same flags and
# environment) with a redactor that finds nothing, so each record goes to the
# sanitized topic as it came, in its input partition, with its timestamp.

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from pipeline.settings import CONNECTION, TOPICS, WORKER, add_arguments, load_settings
from pipeline.worker.loop import Worker
from pipeline.worker.shutdown import StopRequest
from processors.engine import Redaction
from processors.errors import ConfigError

POLICY_VERSION = "passthrough"


class IdentityRedactor:
    """Return every line as it is, with no findings."""

    def redact_line(self, line: bytes) -> Redaction:
        """Return ``line`` unchanged."""
        return Redaction(sanitized=line, findings=())


def main(argv: Sequence[str] | None = None) -> int:
    """Run the pass-through worker until SIGTERM or SIGINT; return the exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.passthrough",
        description="The worker loop with a redactor that changes nothing.",
    )
    parser.add_argument("--log-level", default="INFO", help="default: %(default)s")
    add_arguments(parser, (CONNECTION, TOPICS, WORKER))
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(), stream=sys.stderr, format="%(message)s"
    )
    try:
        settings = load_settings(args, os.environ)
    except ConfigError as exc:
        print(f"passthrough: {exc}", file=sys.stderr)
        return 2

    stop = StopRequest(settings.drain_deadline_s)
    stop.install()
    Worker(settings, IdentityRedactor, POLICY_VERSION, stop).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
