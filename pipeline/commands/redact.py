"""``phirewall redact``: redact log files or stdin, one output line per input line."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack
from typing import IO, Any

import orjson

from pipeline.cli_support import cache_dir, env_default, exit_config_error
from pipeline.secrets import load_token_key
from processors.decode import Limits
from processors.engine import Redactor
from processors.errors import ConfigError, RecordError
from processors.outputs import audit_event, quarantine_record, restricted_record
from processors.policy import load_policy

logger = logging.getLogger(__name__)

READ_CHUNK_BYTES = 1 << 16
PROGRESS_EVERY_S = 1.0
QUARANTINE_LINE = b"<QUARANTINED:%s>"


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``redact`` and its options."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "redact",
        help="redact PHI from log files or stdin",
        description=(
            "Write one sanitized line per input line, in order, to stdout. "
            "The token key comes from PHIREWALL_TOKEN_KEY or "
            "PHIREWALL_TOKEN_KEY_FILE."
        ),
    )
    parser.add_argument("files", nargs="*", metavar="FILE", help="default: stdin")
    parser.add_argument(
        "--restricted",
        default=env_default("PHIREWALL_RESTRICTED_PATH"),
        metavar="PATH",
        help="write restricted records (originals with findings) as JSON Lines "
        "(env PHIREWALL_RESTRICTED_PATH, default: none)",
    )
    parser.add_argument(
        "--audit",
        default=env_default("PHIREWALL_AUDIT_PATH"),
        metavar="PATH",
        help="write audit events as JSON Lines "
        "(env PHIREWALL_AUDIT_PATH, default: none)",
    )
    parser.add_argument(
        "--quarantine",
        default=env_default("PHIREWALL_QUARANTINE_PATH"),
        metavar="PATH",
        help="write lines that cannot be processed, whole, as JSON Lines; stdout "
        "gets a <QUARANTINED:reason> line in their place "
        "(env PHIREWALL_QUARANTINE_PATH, default: none)",
    )
    parser.add_argument(
        "--policy",
        default=env_default("PHIREWALL_POLICY"),
        metavar="PATH",
        help="policy file (TOML) (env PHIREWALL_POLICY, default: built-in)",
    )
    parser.add_argument(
        "--max-record-bytes",
        type=int,
        default=int(env_default("PHIREWALL_MAX_RECORD_BYTES", str(1 << 20)) or 0),
        help="longer lines are quarantined "
        "(env PHIREWALL_MAX_RECORD_BYTES, default: %(default)s)",
    )
    parser.add_argument(
        "--max-depth",
        type=int,
        default=int(env_default("PHIREWALL_MAX_DEPTH", "64") or 0),
        help="JSON nested deeper is quarantined "
        "(env PHIREWALL_MAX_DEPTH, default: %(default)s)",
    )
    return parser


def _chunks(stream: IO[bytes]) -> Iterator[bytes]:
    """Yield what the stream has now, up to a chunk: bulk when plentiful, live
    when a line at a time arrives (``os.read`` does not wait to fill)."""
    try:
        fd = stream.fileno()
    except (OSError, ValueError, AttributeError):
        fd = -1
    while True:
        chunk = (
            os.read(fd, READ_CHUNK_BYTES) if fd >= 0 else stream.read(READ_CHUNK_BYTES)
        )
        if not chunk:
            return
        yield chunk


def _lines(stream: IO[bytes]) -> Iterator[list[bytes]]:
    """Yield batches of complete lines, each with its terminator."""
    pending = b""
    for chunk in _chunks(stream):
        data = pending + chunk
        cut = data.rfind(b"\n") + 1
        pending = data[cut:]
        if cut:
            yield data[:cut].splitlines(keepends=True)
    if pending:
        yield [pending]


class _Run:
    """One redaction run: counters and the optional output files."""

    def __init__(self, redactor: Redactor, stdout: IO[bytes]) -> None:
        self.redactor = redactor
        self.stdout = stdout
        self.restricted: IO[bytes] | None = None
        self.audit: IO[bytes] | None = None
        self.quarantine: IO[bytes] | None = None
        self.lines = 0
        self.with_phi = 0
        self.quarantined = 0

    def batch(self, lines: list[bytes], source_name: str) -> None:
        out: list[bytes] = []
        restricted: list[bytes] = []
        audit: list[bytes] = []
        quarantine: list[bytes] = []
        version = self.redactor.policy.version
        for raw in lines:
            self.lines += 1
            body = raw.rstrip(b"\r\n")
            ending = raw[len(body) :]
            source = {"file": source_name, "line": self.lines}
            try:
                result = self.redactor.redact_line(body)
            except RecordError as exc:
                self.quarantined += 1
                logger.warning(
                    "line quarantined",
                    extra={"line": self.lines, "reason": exc.reason},
                )
                out.append(QUARANTINE_LINE % exc.reason.encode() + ending)
                record = quarantine_record(body, exc.reason, str(exc), source)
                quarantine.append(orjson.dumps(record) + b"\n")
                continue
            out.append(result.sanitized + ending)
            if result.has_phi:
                self.with_phi += 1
                restricted.append(
                    orjson.dumps(restricted_record(result, body, source, version))
                    + b"\n"
                )
                audit.append(orjson.dumps(audit_event(result, source, version)) + b"\n")
        self.stdout.write(b"".join(out))
        self.stdout.flush()
        for stream, rows in (
            (self.restricted, restricted),
            (self.audit, audit),
            (self.quarantine, quarantine),
        ):
            if stream is not None and rows:
                stream.write(b"".join(rows))
                stream.flush()


def run(args: argparse.Namespace) -> int:
    """Redact the inputs; exit 0, 1 on an I/O failure, 2 on bad configuration."""
    try:
        key = load_token_key(os.environ)
        policy = load_policy(args.policy)
        limits = Limits(args.max_record_bytes, args.max_depth)
        redactor = Redactor.from_defaults(
            key.secret, key.version, policy, limits, cache_dir()
        )
    except ConfigError as exc:
        return exit_config_error(exc)

    run_state = _Run(redactor, sys.stdout.buffer)
    show_progress = sys.stderr.isatty()
    last_progress = time.monotonic()
    try:
        with ExitStack() as stack:
            for attr in ("restricted", "audit", "quarantine"):
                path = getattr(args, attr)
                if path:
                    setattr(run_state, attr, stack.enter_context(open(path, "ab")))
            sources = args.files or ["-"]
            for name in sources:
                stream = (
                    sys.stdin.buffer
                    if name == "-"
                    else stack.enter_context(open(name, "rb"))
                )
                for batch in _lines(stream):
                    run_state.batch(batch, "<stdin>" if name == "-" else name)
                    if (
                        show_progress
                        and time.monotonic() - last_progress > PROGRESS_EVERY_S
                    ):
                        last_progress = time.monotonic()
                        sys.stderr.write(f"\r{run_state.lines} lines redacted")
    except BrokenPipeError:
        return 0
    except OSError as exc:
        print(f"phirewall redact: {exc.strerror}: {exc.filename}", file=sys.stderr)
        return 1
    if show_progress:
        sys.stderr.write("\n")
    print(
        f"phirewall redact: {run_state.lines} lines, {run_state.with_phi} with PHI, "
        f"{run_state.quarantined} quarantined",
        file=sys.stderr,
    )
    return 0
