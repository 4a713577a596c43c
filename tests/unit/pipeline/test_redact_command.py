"""``phirewall redact`` as a user runs it: a process reading files or stdin."""

from __future__ import annotations

import os
import select
import subprocess
import sys
from pathlib import Path

import jsonschema
import orjson
import pytest

import schemas

KEY_ENV = {"PHIREWALL_TOKEN_KEY": "cli-test-key-0123456789abcdef"}
STREAM_TIMEOUT_S = 20.0


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PHIREWALL_")}
    env.update(extra)
    return env


def _redact(
    args: list[str], stdin: bytes, env: dict[str, str]
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "redact", *args],
        input=stdin,
        capture_output=True,
        env=env,
        timeout=60,
        check=False,
    )


def test_redact_exits_2_with_clear_message_when_no_token_key() -> None:
    result = _redact([], b"ssn 123-45-6789\n", _env())
    assert result.returncode == 2
    assert b"PHIREWALL_TOKEN_KEY" in result.stderr
    assert result.stdout == b""


def test_redact_writes_one_line_per_input_line_in_order_when_mixed_input(
    tmp_path: Path,
) -> None:
    lines = [
        b'{"msg":"ok","status":200}',
        b"ssn 123-45-6789 for ana.ruiz@example.com",
        b"\xff\xfe not utf-8",
        b"",
        b"plain line without phi",
    ]
    restricted = tmp_path / "restricted.jsonl"
    audit = tmp_path / "audit.jsonl"
    quarantine = tmp_path / "quarantine.jsonl"
    result = _redact(
        [
            "--restricted",
            str(restricted),
            "--audit",
            str(audit),
            "--quarantine",
            str(quarantine),
        ],
        b"\n".join(lines) + b"\n",
        _env(**KEY_ENV),
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout.split(b"\n")
    assert len(out) == len(lines) + 1
    assert out[0] == lines[0]
    assert b"123-45-6789" not in out[1]
    assert b"example.com" not in out[1]
    assert out[2] == b"<QUARANTINED:decode_error>"
    assert out[3] == b""
    assert out[4] == lines[4]

    (restricted_row,) = [orjson.loads(x) for x in restricted.read_bytes().splitlines()]
    (audit_row,) = [orjson.loads(x) for x in audit.read_bytes().splitlines()]
    (quarantine_row,) = [orjson.loads(x) for x in quarantine.read_bytes().splitlines()]
    jsonschema.validate(restricted_row, schemas.load("restricted.v1"))
    jsonschema.validate(audit_row, schemas.load("audit.v1"))
    jsonschema.validate(quarantine_row, schemas.load("quarantine.v1"))
    assert restricted_row["source"] == {"file": "<stdin>", "line": 2}
    assert b"123-45-6789" not in audit.read_bytes()
    assert quarantine_row["source"]["line"] == 3


def test_redact_streams_each_line_before_input_ends() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", "redact"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(**KEY_ENV),
    )
    assert process.stdin is not None
    assert process.stdout is not None
    try:
        process.stdin.write(b"call 217-555-0143 now\n")
        process.stdin.flush()
        ready, _, _ = select.select([process.stdout], [], [], STREAM_TIMEOUT_S)
        assert ready, "no output while stdin is still open"
        line = process.stdout.readline()
        assert line.startswith(b"call <PHONE:k1:")
        assert line.endswith(b"> now\n")
    finally:
        process.stdin.close()
        process.wait(timeout=STREAM_TIMEOUT_S)
        process.stdout.close()
        if process.stderr is not None:
            process.stderr.close()
    assert process.returncode == 0


def test_redact_reads_files_in_order_when_given_several(tmp_path: Path) -> None:
    first = tmp_path / "a.log"
    second = tmp_path / "b.log"
    first.write_bytes(b"one ana.ruiz@example.com\n")
    second.write_bytes(b"two\nthree")
    result = _redact([str(first), str(second)], b"", _env(**KEY_ENV))
    assert result.returncode == 0, result.stderr
    out = result.stdout.split(b"\n")
    assert out[0].startswith(b"one <EMAIL:")
    assert out[1:] == [b"two", b"three"]


@pytest.mark.parametrize("flag", ["--help"])
def test_redact_help_names_every_environment_variable(flag: str) -> None:
    result = _redact([flag], b"", _env())
    assert result.returncode == 0
    for name in (
        b"PHIREWALL_RESTRICTED_PATH",
        b"PHIREWALL_AUDIT_PATH",
        b"PHIREWALL_QUARANTINE_PATH",
        b"PHIREWALL_POLICY",
        b"PHIREWALL_MAX_RECORD_BYTES",
        b"PHIREWALL_TOKEN_KEY",
    ):
        assert name in result.stdout.replace(b"\n", b" ").replace(b"  ", b" ")
