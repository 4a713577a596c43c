"""End-to-end worker throughput and latency on a real broker, against a pass-through."""

# Run from the repository root: python -m benchmarks.pipeline --help. One broker
# serves every scenario; each gets fresh topics and a fresh consumer group. N
# records are loaded into the raw topic first, then the workers start as
# processes, and a read_committed consumer counts sanitized and quarantine
# outputs until all N are visible. The clock starts when the first worker is
# assigned partitions, so Python start and the detectors' build are left out.
# Latency is each output's receipt time minus its input's produce timestamp
# (the worker keeps it): with a backlog loaded up front it is mostly the time
# a record waited in the backlog, so compare it between rows, not with an SLO.

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, TextIO

from confluent_kafka import (
    OFFSET_BEGINNING,
    Consumer,
    KafkaError,
    Producer,
    TopicPartition,
)
from confluent_kafka.admin import AdminClient

from pipeline.settings import INPUT, ROUTES
from pipeline.synth import generate
from tests.support.kafka_broker import RunningBroker, start_test_broker
from tests.support.kafka_client import create_topics

MIXES: Final = (("10% PHI", 0.1), ("100% PHI", 1.0))
KINDS: Final = ("pass-through", "phirewall")
PARTITIONS = 6
"""Partitions of every topic, as `phirewall topics --create` makes them."""
TOKEN_KEY = "benchmark-token-key-0123456789abcdef"  # noqa: S105 - not a secret
SEED = 7
DEFAULT_COUNT = 20_000
QUICK_COUNT = 2_000
# Worker start (imports, detector build) plus the slowest drain we expect.
SCENARIO_TIMEOUT_S = 300.0
WORKER_EXIT_TIMEOUT_S = 30.0
POLL_S = 0.05
LOAD_FLUSH_TIMEOUT_S = 60.0
ASSIGNED_LINE = "partitions assigned"
_STOPPED_COUNT = re.compile(r"worker stopped duration_s=\S+ count=(\d+)")


class BenchmarkError(RuntimeError):
    """A scenario could not finish; the message says which and why."""


@dataclass(frozen=True, slots=True)
class Scenario:
    """One row of the table: a mix, a worker kind and a worker count."""

    mix: str
    phi_ratio: float
    kind: str
    workers: int

    @property
    def slug(self) -> str:
        """Return a name fit for topics, groups and files."""
        ratio = round(self.phi_ratio * 100)
        return f"{self.kind}-{ratio}phi-{self.workers}w".replace("-", "_")


@dataclass(slots=True)
class Result:
    """What one scenario measured."""

    scenario: Scenario
    records: int
    seconds: float
    latencies_ms: list[float] = field(repr=False)
    per_worker: list[int]

    @property
    def records_per_s(self) -> float:
        """Records per second, from first assignment to last output seen."""
        return self.records / self.seconds if self.seconds else 0.0

    def percentile_ms(self, share: float) -> float:
        """Return the nearest-rank percentile of the latencies."""
        ordered = sorted(self.latencies_ms)
        if not ordered:
            return 0.0
        rank = max(int(round(share * len(ordered))) - 1, 0)
        return ordered[min(rank, len(ordered) - 1)]


@dataclass
class WorkerProcess:
    """One worker subprocess, its stderr in a file."""

    command: list[str]
    log_path: Path
    process: subprocess.Popen[bytes] | None = None

    def start(self, env: dict[str, str]) -> None:
        """Start the process."""
        with self.log_path.open("wb") as log:
            # The command is this interpreter and our own modules.
            self.process = subprocess.Popen(  # noqa: S603
                self.command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                env=env,
            )

    def log_text(self) -> str:
        """Return what the worker logged so far."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def exit_code(self) -> int | None:
        """Return the exit code, or None while it runs."""
        return None if self.process is None else self.process.poll()

    def stop(self) -> None:
        """Ask the worker to drain and leave; kill it if it does not."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=WORKER_EXIT_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def records_done(self) -> int:
        """Return the count the worker logged on a clean stop, or -1."""
        match = _STOPPED_COUNT.search(self.log_text())
        return int(match.group(1)) if match else -1


def scenarios(workers: Sequence[int]) -> list[Scenario]:
    """Return every row: each mix, each worker kind, each worker count."""
    return [
        Scenario(mix, ratio, kind, count)
        for mix, ratio in MIXES
        for count in workers
        for kind in KINDS
    ]


def topic_names(scenario: Scenario) -> dict[str, str]:
    """Return the topic of each role, fresh for the scenario."""
    suffix = f"{scenario.slug}.{int(time.time() * 1000)}"
    return {role: f"bench.{role}.{suffix}" for role in (INPUT, *ROUTES)}


def corpus(phi_ratio: float, count: int) -> list[bytes]:
    """Return the synthetic lines of one mix."""
    return [item.line.encode() for item in generate(SEED, count, phi_ratio)]


def load(bootstrap_servers: str, topic: str, lines: Sequence[bytes]) -> None:
    """Produce ``lines`` round-robin over the raw topic's partitions."""
    producer = Producer(
        {
            "bootstrap.servers": bootstrap_servers,
            "acks": "all",
            "linger.ms": 20,
            "compression.type": "zstd",
        }
    )
    for index, line in enumerate(lines):
        while True:
            try:
                producer.produce(topic, value=line, partition=index % PARTITIONS)
                break
            except BufferError:
                producer.poll(0.1)
    left = producer.flush(LOAD_FLUSH_TIMEOUT_S)
    if left:
        raise BenchmarkError(f"{left} records not loaded into {topic}")


def worker_command(
    scenario: Scenario, bootstrap_servers: str, topics: dict[str, str], index: int
) -> list[str]:
    """Return the command line of one worker of ``scenario``."""
    if scenario.kind == "phirewall":
        program = ["-m", "pipeline.cli", "--log-level", "INFO", "run"]
    else:
        program = ["-m", "benchmarks.passthrough", "--log-level", "INFO"]
    topic_args = [
        arg for role in (INPUT, *ROUTES) for arg in (f"--{role}-topic", topics[role])
    ]
    return [
        sys.executable, *program,
        "--bootstrap-servers", bootstrap_servers,
        "--group-id", f"bench.{scenario.slug}.{int(time.time())}",
        "--instance-id", f"w{index}",
        *topic_args,
    ]  # fmt: skip


def worker_env() -> dict[str, str]:
    """Return the workers' environment: defaults for all but the token key."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PHIREWALL_")}
    env["PHIREWALL_TOKEN_KEY"] = TOKEN_KEY
    return env


def output_reader(bootstrap_servers: str, topics: Sequence[str]) -> Consumer:
    """Return a read_committed consumer at the start of every output partition."""
    consumer = Consumer(
        {
            "bootstrap.servers": bootstrap_servers,
            "group.id": "bench.reader",
            "enable.auto.commit": False,
            "isolation.level": "read_committed",
        }
    )
    consumer.assign(
        [
            TopicPartition(topic, partition, OFFSET_BEGINNING)
            for topic in topics
            for partition in range(PARTITIONS)
        ]
    )
    return consumer


def run_scenario(
    scenario: Scenario, bootstrap_servers: str, lines: Sequence[bytes], work_dir: Path
) -> Result:
    """Load the lines, run the workers until every output is visible."""
    topics = topic_names(scenario)
    admin = AdminClient({"bootstrap.servers": bootstrap_servers})
    create_topics(admin, {name: PARTITIONS for name in topics.values()})
    load(bootstrap_servers, topics[INPUT], lines)

    reader = output_reader(
        bootstrap_servers, [topics["sanitized"], topics["quarantine"]]
    )
    workers = [
        WorkerProcess(
            worker_command(scenario, bootstrap_servers, topics, index),
            work_dir / f"{scenario.slug}-w{index}.log",
        )
        for index in range(scenario.workers)
    ]
    env = worker_env()
    for worker in workers:
        worker.start(env)
    try:
        started, finished, latencies = _drain(reader, workers, len(lines), scenario)
    finally:
        for worker in workers:
            worker.stop()
        reader.close()
    return Result(
        scenario,
        len(latencies),
        finished - started,
        latencies,
        [worker.records_done() for worker in workers],
    )


def _drain(
    reader: Consumer, workers: Sequence[WorkerProcess], count: int, scenario: Scenario
) -> tuple[float, float, list[float]]:
    """Read outputs until ``count`` arrived; return start, end and latencies."""
    deadline = time.monotonic() + SCENARIO_TIMEOUT_S
    started: float | None = None
    finished = 0.0
    latencies: list[float] = []
    while len(latencies) < count:
        if time.monotonic() > deadline:
            raise BenchmarkError(
                f"{scenario.slug}: {len(latencies)} of {count} outputs within "
                f"{SCENARIO_TIMEOUT_S:g} s"
            )
        _check_alive(workers, scenario)
        if started is None and any(ASSIGNED_LINE in w.log_text() for w in workers):
            started = time.time()
        msgs = reader.consume(1000, POLL_S)
        received = time.time()
        for msg in msgs:
            error = msg.error()
            if error is not None and error.code() != KafkaError._PARTITION_EOF:
                raise BenchmarkError(f"{scenario.slug}: reader error {error.name()}")
            if error is None:
                latencies.append(received * 1000 - msg.timestamp()[1])
                finished = received
    if started is None:
        raise BenchmarkError(f"{scenario.slug}: outputs came before any assignment")
    return started, finished, latencies


def _check_alive(workers: Sequence[WorkerProcess], scenario: Scenario) -> None:
    for worker in workers:
        code = worker.exit_code()
        if code is not None:
            raise BenchmarkError(
                f"{scenario.slug}: a worker exited with {code}; see {worker.log_path}"
            )


def table(results: Sequence[Result]) -> str:
    """Return the results as a text table, each row against its pass-through."""
    floors = {
        (r.scenario.mix, r.scenario.workers): r.records_per_s
        for r in results
        if r.scenario.kind == "pass-through"
    }
    rows = [
        f"{'scenario':<24} {'workers':>7} {'records':>8} {'seconds':>8}"
        f" {'records/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>6}  per worker"
    ]
    for result in results:
        s = result.scenario
        floor = floors.get((s.mix, s.workers), 0.0)
        ratio = result.records_per_s / floor if floor else 0.0
        split = "/".join(str(n) for n in result.per_worker)
        rows.append(
            f"{s.kind + ' ' + s.mix:<24} {s.workers:>7} {result.records:>8}"
            f" {result.seconds:>8.2f} {result.records_per_s:>10,.0f}"
            f" {result.percentile_ms(0.50):>8,.0f}"
            f" {result.percentile_ms(0.99):>8,.0f} {ratio:>6.3f}  {split}"
        )
    rows.append(
        "ratio: records/s over the pass-through's with as many workers; "
        "seconds: first assignment to last output visible"
    )
    return "\n".join(rows) + "\n"


def run(count: int, workers: Sequence[int], out: TextIO) -> list[Result]:
    """Start a broker, run every scenario on it, stop it; return the results."""
    work_dir = Path(tempfile.mkdtemp(prefix="phirewall-bench-"))
    broker: RunningBroker = start_test_broker(work_dir / "broker")
    out.write(f"{broker.describe()}\nworker logs in {work_dir}\n")
    results: list[Result] = []
    try:
        lines_by_ratio = {ratio: corpus(ratio, count) for _, ratio in MIXES}
        for scenario in scenarios(workers):
            lines = lines_by_ratio[scenario.phi_ratio]
            result = run_scenario(scenario, broker.bootstrap_servers, lines, work_dir)
            out.write(
                f"  {scenario.slug}: {result.records_per_s:,.0f} records/s "
                f"in {result.seconds:.1f} s\n"
            )
            out.flush()
            results.append(result)
    finally:
        broker.stop()
    return results


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print the table; return 0, or 1 on a failure."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.pipeline",
        description="End-to-end records/s and latency of `phirewall run` workers "
        "against a pass-through worker, on one self-started broker.",
    )
    parser.add_argument(
        "--count",
        type=int,
        default=None,
        help=f"records per scenario (default: {DEFAULT_COUNT}; "
        f"{QUICK_COUNT} with --quick)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="fewer records, one worker only"
    )
    args = parser.parse_args(argv)
    count = args.count or (QUICK_COUNT if args.quick else DEFAULT_COUNT)
    workers = (1,) if args.quick else (1, 2)

    try:
        results = run(count, workers, sys.stderr)
    except BenchmarkError as exc:
        print(f"benchmarks.pipeline: {exc}", file=sys.stderr)
        return 1
    sys.stdout.write(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
