"""Run `phirewall run` workers as processes on a test broker; read what they wrote."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from confluent_kafka import (
    Consumer,
    ConsumerGroupTopicPartitions,
    KafkaError,
    KafkaException,
    Message,
    TopicPartition,
)
from confluent_kafka.admin import AdminClient

from tests.support.kafka_client import KafkaScratch, WaitTimeoutError, wait_until
from tests.support.worker_inputs import SEQ_HEADER

TOKEN_KEY = "worker-integration-key-0123456789abcdef"
# Python start, the detection engine's build and the first group join.
WORKER_READY_TIMEOUT_S = 60.0
WORKER_EXIT_TIMEOUT_S = 30.0
READ_TIMEOUT_S = 60.0
OFFSETS_REQUEST_TIMEOUT_S = 10.0
# A pending transaction holds the group's offsets, or the coordinator is still
# loading them (first use, broker restart): a later read finds them.
_NOT_YET = (
    KafkaError.UNSTABLE_OFFSET_COMMIT,
    KafkaError.COORDINATOR_LOAD_IN_PROGRESS,
    KafkaError.COORDINATOR_NOT_AVAILABLE,
    KafkaError.NOT_COORDINATOR,
    KafkaError._TIMED_OUT,
    KafkaError._TRANSPORT,
)
# Tests shorten the group and transaction timeouts so a killed worker's
# partitions move on within seconds instead of the production minute.
FAST_FAILOVER_ARGS = (
    "--kafka", "consumer.session.timeout.ms=6000",
    "--kafka", "consumer.heartbeat.interval.ms=500",
    "--kafka", "producer.transaction.timeout.ms=10000",
)  # fmt: skip


@dataclass(frozen=True)
class PipelineTopics:
    """The five topics of one test."""

    raw: str
    sanitized: str
    restricted: str
    audit: str
    quarantine: str

    @classmethod
    def create(cls, scratch: KafkaScratch, partitions: int) -> PipelineTopics:
        """Create fresh topics; sanitized mirrors raw's partitions."""
        names = {}
        for role in ("raw", "sanitized", "restricted", "audit", "quarantine"):
            count = partitions if role in ("raw", "sanitized") else 1
            names[role] = scratch.create_topic(role, partitions=count)
        return cls(**names)

    def args(self) -> list[str]:
        """Return the worker flags naming these topics."""
        return [
            "--raw-topic", self.raw,
            "--sanitized-topic", self.sanitized,
            "--restricted-topic", self.restricted,
            "--audit-topic", self.audit,
            "--quarantine-topic", self.quarantine,
        ]  # fmt: skip


def worker_env() -> dict[str, str]:
    """Return the environment of a worker: no inherited PHIREWALL_ settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PHIREWALL_")}
    env["PHIREWALL_TOKEN_KEY"] = TOKEN_KEY
    return env


@dataclass
class WorkerProcess:
    """One `python -m pipeline.cli run` process; its stderr goes to a file."""

    bootstrap_servers: str
    topics: PipelineTopics
    group_id: str
    instance_id: str
    log_dir: Path
    extra_args: Sequence[str] = ()
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    starts: int = 0

    @property
    def log_path(self) -> Path:
        """Return the file holding the worker's stderr (all its starts)."""
        return self.log_dir / f"worker-{self.instance_id}.log"

    def command(self) -> list[str]:
        """Return the worker's command line."""
        return [
            sys.executable, "-m", "pipeline.cli", "--log-level", "DEBUG", "run",
            "--bootstrap-servers", self.bootstrap_servers,
            "--group-id", self.group_id,
            "--instance-id", self.instance_id,
            "--batch-wait-s", "0.2",
            "--batch-max-records", "200",
            "--max-record-bytes", "4096",
            "--max-depth", "16",
            *self.topics.args(),
            *self.extra_args,
        ]  # fmt: skip

    def start(self) -> WorkerProcess:
        """Start the process; the log file keeps earlier starts' lines."""
        self.starts += 1
        with self.log_path.open("ab") as log:
            log.write(f"--- start {self.starts}\n".encode())
            log.flush()
            self.process = subprocess.Popen(
                self.command(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                env=worker_env(),
            )
        return self

    def log_text(self) -> str:
        """Return everything the worker logged so far."""
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    def current_log(self) -> str:
        """Return what the current start of the worker logged."""
        return self.log_text().split(f"--- start {self.starts}\n")[-1]

    def wait_until_logged(self, text: str, *, timeout_s: float, what: str) -> None:
        """Wait until the current start logged `text`.

        Raises:
            WaitTimeoutError: not within `timeout_s`, or the worker exited.
        """

        def logged() -> bool:
            if text in self.current_log():
                return True
            if not self.is_running():
                raise WaitTimeoutError(
                    f"{what}: worker {self.instance_id} exited with "
                    f"{self.returncode()}; log:\n{self.current_log()[-3000:]}"
                )
            return False

        wait_until(logged, timeout_s=timeout_s, what=what, interval_s=0.2)

    def wait_until_assigned(self, *, timeout_s: float = WORKER_READY_TIMEOUT_S) -> None:
        """Wait until the worker got partitions."""
        self.wait_until_logged(
            "partitions assigned",
            timeout_s=timeout_s,
            what=f"worker {self.instance_id} assigned partitions",
        )

    def is_running(self) -> bool:
        """Return whether the process is alive."""
        return self.process is not None and self.process.poll() is None

    def returncode(self) -> int | None:
        """Return the exit code, or None while it runs."""
        return None if self.process is None else self.process.poll()

    def send(self, signum: int) -> None:
        """Send a signal to the process."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signum)

    def kill(self) -> None:
        """Kill the process at once (SIGKILL) and reap it."""
        self.send(signal.SIGKILL)
        self.wait(timeout_s=WORKER_EXIT_TIMEOUT_S)

    def wait(self, *, timeout_s: float = WORKER_EXIT_TIMEOUT_S) -> int:
        """Wait for the process to exit and return its code.

        Raises:
            WaitTimeoutError: it still runs after `timeout_s`.
        """
        if self.process is None:
            raise RuntimeError("the worker was never started")
        try:
            return self.process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            raise WaitTimeoutError(
                f"worker {self.instance_id} still running after {timeout_s:g} s"
            ) from None

    def cleanup(self) -> None:
        """Kill the process if it still runs."""
        if self.is_running():
            self.kill()


def read_committed(
    bootstrap_servers: str,
    topic: str,
    *,
    is_committed_only: bool = True,
    timeout_s: float = READ_TIMEOUT_S,
) -> list[Message]:
    """Return every committed message of `topic`, partition by partition in order.

    Args:
        is_committed_only: False to read aborted and open transactions too.

    Raises:
        WaitTimeoutError: the end of some partition was not reached in time.
    """
    consumer = Consumer(
        {
            "bootstrap.servers": bootstrap_servers,
            "group.id": f"{topic}.reader",
            "enable.auto.commit": False,
            "isolation.level": _isolation(is_committed_only),
            "enable.partition.eof": True,
        }
    )
    try:
        metadata = consumer.list_topics(topic, timeout=10)
        partitions = sorted(metadata.topics[topic].partitions)
        consumer.assign([TopicPartition(topic, p, 0) for p in partitions])
        return _read_to_end(consumer, set(partitions), timeout_s, topic)
    finally:
        consumer.close()


def _read_to_end(
    consumer: Consumer, partitions: set[int], timeout_s: float, topic: str
) -> list[Message]:
    messages: list[Message] = []
    at_end: set[int] = set()
    deadline = time.monotonic() + timeout_s
    while at_end != partitions:
        if time.monotonic() > deadline:
            raise WaitTimeoutError(
                f"read {topic}: end of partitions {sorted(partitions - at_end)} "
                f"not reached within {timeout_s:g} s"
            )
        msg = consumer.poll(0.2)
        if msg is None:
            continue
        error = msg.error()
        if error is not None:
            if error.code() != KafkaError._PARTITION_EOF:
                raise KafkaException(error)
            at_end.add(msg.partition() or 0)
            continue
        at_end.discard(msg.partition() or 0)
        messages.append(msg)
    return messages


def _isolation(is_committed_only: bool) -> str:
    return "read_committed" if is_committed_only else "read_uncommitted"


def has_open_transaction(bootstrap_servers: str, topic: str) -> bool:
    """Return whether a transaction holds back some partition of `topic`.

    A read_committed client sees the last stable offset as the end; it lags
    the real end while a transaction is open.
    """
    ends = {
        is_committed_only: end_offsets(
            bootstrap_servers, topic, is_committed_only=is_committed_only
        )
        for is_committed_only in (True, False)
    }
    return ends[True] != ends[False]


def freeze_mid_transaction(
    worker: WorkerProcess, bootstrap_servers: str, topic: str, *, timeout_s: float
) -> None:
    """Stop the worker (SIGSTOP) at a moment its transaction is open on `topic`.

    A stopped process commits nothing, so the transaction is still open when
    the test then kills or resumes the worker.
    """

    def frozen_in_transaction() -> bool:
        worker.send(signal.SIGSTOP)
        if has_open_transaction(bootstrap_servers, topic):
            return True
        worker.send(signal.SIGCONT)
        return False

    wait_until(
        frozen_in_transaction,
        timeout_s=timeout_s,
        what=f"worker {worker.instance_id} stopped inside a transaction",
        interval_s=0.02,
    )


def end_offsets(
    bootstrap_servers: str, topic: str, *, is_committed_only: bool = False
) -> dict[int, int]:
    """Return the end of each partition of `topic`: the high watermark, or the
    last stable offset for `is_committed_only`."""
    consumer = Consumer(
        {
            "bootstrap.servers": bootstrap_servers,
            "group.id": f"{topic}.offsets",
            "isolation.level": _isolation(is_committed_only),
        }
    )
    try:
        metadata = consumer.list_topics(topic, timeout=10)
        return {
            p: consumer.get_watermark_offsets(
                TopicPartition(topic, p), timeout=10, cached=False
            )[1]
            for p in metadata.topics[topic].partitions
        }
    finally:
        consumer.close()


def wait_for_group_commit(
    admin: AdminClient,
    group_id: str,
    topic: str,
    ends: dict[int, int],
    *,
    timeout_s: float,
) -> float:
    """Wait until the group committed offsets up to `ends`; return the seconds.

    Offsets held by an open transaction read as unstable; that is waited out.
    """
    request = ConsumerGroupTopicPartitions(
        group_id, [TopicPartition(topic, p) for p in ends]
    )

    def caught_up() -> bool:
        futures = admin.list_consumer_group_offsets([request], require_stable=True)
        try:
            answer = futures[group_id].result(timeout=OFFSETS_REQUEST_TIMEOUT_S)
        except KafkaException as exc:
            if exc.args[0].code() in _NOT_YET or exc.args[0].retriable():
                return False
            raise
        committed = {}
        for tp in answer.topic_partitions:
            if tp.error is not None:
                if tp.error.code() in _NOT_YET or tp.error.retriable():
                    return False
                raise KafkaException(tp.error)
            committed[tp.partition] = tp.offset
        return all(committed.get(p, -1) >= end for p, end in ends.items())

    return wait_until(
        caught_up,
        timeout_s=timeout_s,
        what=f"group {group_id} committing {topic} to its end",
        interval_s=0.5,
    )


def seq_of(msg: Message) -> int:
    """Return the seq header of an output message."""
    headers = dict(msg.headers() or [])
    return int(headers[SEQ_HEADER] or b"-1")
