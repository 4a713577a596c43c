"""`phirewall topics` and the worker's start-up checks of its topics and brokers."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.kafka_client import KafkaScratch
from tests.support.worker_harness import PipelineTopics, WorkerProcess, worker_env

pytestmark = pytest.mark.integration

COMMAND_TIMEOUT_S = 60.0
DEADLINE_S = 3.0
# Process start and the engine's build come on top of the deadline.
EXIT_MARGIN_S = 20.0
SINGLE_NODE = ("--replication-factor", "1", "--min-insync-replicas", "1")


def _topics_command(
    scratch: KafkaScratch, topics: PipelineTopics, *args: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable, "-m", "pipeline.cli", "topics", *args,
            "--bootstrap-servers", scratch.bootstrap_servers, "--partitions", "2",
            *SINGLE_NODE, *topics.args(),
        ],
        capture_output=True,
        text=True,
        env=worker_env(),
        timeout=COMMAND_TIMEOUT_S,
        check=False,
    )  # fmt: skip


def _names(scratch: KafkaScratch) -> PipelineTopics:
    roles = ("raw", "sanitized", "restricted", "audit", "quarantine")
    return PipelineTopics(*(scratch.topic_name(role) for role in roles))


def test_topics_command_creates_then_checks_clean_when_topics_were_missing(
    kafka_scratch: KafkaScratch,
) -> None:
    topics = _names(kafka_scratch)

    before = _topics_command(kafka_scratch, topics, "--check")
    created = _topics_command(kafka_scratch, topics, "--create")
    kafka_scratch.created_topics.extend(topics.args()[1::2])
    after = _topics_command(kafka_scratch, topics, "--check")
    drift = _topics_command(
        kafka_scratch, topics, "--check", "--audit-retention-ms", "60000"
    )

    assert before.returncode == 2
    assert f"{topics.audit} (audit): missing" in before.stderr
    assert created.returncode == 0, created.stderr
    assert created.stdout.count("\tcreated") == 5
    assert after.returncode == 0, after.stderr
    assert after.stdout.count("\tok") == 5
    assert drift.returncode == 2
    assert "retention.ms=31536000000, expected 60000" in drift.stderr


def test_worker_exits_2_naming_the_topic_when_a_topic_is_missing(
    kafka_scratch: KafkaScratch, tmp_path: Path
) -> None:
    topics = PipelineTopics.create(kafka_scratch, partitions=1)
    missing = PipelineTopics(
        topics.raw, topics.sanitized, topics.restricted, topics.audit,
        kafka_scratch.topic_name("never-created"),
    )  # fmt: skip
    worker = WorkerProcess(
        kafka_scratch.bootstrap_servers, missing, kafka_scratch.group_id, "w1",
        tmp_path,
    ).start()  # fmt: skip

    code = worker.wait(timeout_s=COMMAND_TIMEOUT_S)

    assert code == 2
    assert f"{missing.quarantine} (quarantine): missing" in worker.log_text()
    assert "phirewall topics --create" in worker.log_text()


def test_worker_exits_2_when_sanitized_partitions_differ_from_raw(
    kafka_scratch: KafkaScratch, tmp_path: Path
) -> None:
    raw = kafka_scratch.create_topic("raw", partitions=3)
    others = [kafka_scratch.create_topic(r) for r in ("s", "r", "a", "q")]
    topics = PipelineTopics(raw, *others)
    worker = WorkerProcess(
        kafka_scratch.bootstrap_servers, topics, kafka_scratch.group_id, "w1",
        tmp_path,
    ).start()  # fmt: skip

    code = worker.wait(timeout_s=COMMAND_TIMEOUT_S)

    assert code == 2
    assert "expected the raw topic's 3" in worker.log_text()


def test_worker_exits_1_within_its_deadline_when_no_broker_answers(
    tmp_path: Path,
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    topics = PipelineTopics("r", "s", "re", "a", "q")
    worker = WorkerProcess(
        f"127.0.0.1:{closed_port}", topics, "g", "w1", tmp_path,
        ("--broker-deadline-s", str(DEADLINE_S)),
    )  # fmt: skip

    started = time.monotonic()
    code = worker.start().wait(timeout_s=DEADLINE_S + EXIT_MARGIN_S)

    assert code == 1
    assert time.monotonic() - started < DEADLINE_S + EXIT_MARGIN_S
    assert "did not answer within 3 s" in worker.log_text()
