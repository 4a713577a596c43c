"""`phirewall run` end to end on a real broker: routes, schemas, order, poison."""

from __future__ import annotations

import base64
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from confluent_kafka.admin import AdminClient

from tests.support.kafka_client import KafkaScratch
from tests.support.worker_harness import (
    PipelineTopics,
    WorkerProcess,
    end_offsets,
    wait_for_group_commit,
)
from tests.support.worker_inputs import POISON, produce_records, records
from tests.support.worker_outputs import (
    Outputs,
    assert_clean_records_unchanged,
    assert_each_input_once,
    assert_key_placement,
    assert_no_phi_in_sanitized,
    assert_partition_order,
    assert_quarantine_holds_originals,
    assert_side_outputs_agree,
)

pytestmark = pytest.mark.integration

RECORD_COUNT = 600
COMMIT_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 30.0


@pytest.fixture
def workers(tmp_path: Path) -> Iterator[list[WorkerProcess]]:
    """Collect the worker processes a test starts and kill what still runs."""
    started: list[WorkerProcess] = []
    yield started
    for worker in started:
        worker.cleanup()


def _worker(
    scratch: KafkaScratch, topics: PipelineTopics, log_dir: Path, name: str
) -> WorkerProcess:
    return WorkerProcess(
        scratch.bootstrap_servers, topics, scratch.group_id, name, log_dir
    )


@pytest.mark.timeout(120)
def test_worker_routes_every_input_once_when_lines_mix_clean_phi_and_poison(
    kafka_scratch: KafkaScratch,
    kafka_admin: AdminClient,
    workers: list[WorkerProcess],
    tmp_path: Path,
) -> None:
    topics = PipelineTopics.create(kafka_scratch, partitions=3)
    inputs = records(RECORD_COUNT)
    where = produce_records(kafka_scratch.bootstrap_servers, topics.raw, inputs)
    worker = _worker(kafka_scratch, topics, tmp_path, "w1").start()
    workers.append(worker)

    ends = end_offsets(kafka_scratch.bootstrap_servers, topics.raw)
    wait_for_group_commit(
        kafka_admin, kafka_scratch.group_id, topics.raw, ends,
        timeout_s=COMMIT_TIMEOUT_S,
    )  # fmt: skip
    worker.send(signal.SIGTERM)
    assert worker.wait(timeout_s=STOP_TIMEOUT_S) == 0
    outputs = Outputs.read(kafka_scratch.bootstrap_servers, topics)

    assert_each_input_once(inputs, outputs)
    assert_clean_records_unchanged(inputs, outputs)
    assert_quarantine_holds_originals(inputs, outputs)
    assert_side_outputs_agree(inputs, where, topics.raw, outputs)
    assert_no_phi_in_sanitized(inputs, outputs)
    assert_partition_order(where, outputs)
    assert_key_placement(outputs)
    log = worker.log_text().encode()
    assert not [value for r in inputs for value in r.phi if value in log]


@pytest.mark.timeout(90)
def test_worker_quarantines_poison_and_goes_on_when_each_kind_arrives(
    kafka_scratch: KafkaScratch,
    kafka_admin: AdminClient,
    workers: list[WorkerProcess],
    tmp_path: Path,
) -> None:
    topics = PipelineTopics.create(kafka_scratch, partitions=1)
    worker = _worker(kafka_scratch, topics, tmp_path, "w1").start()
    workers.append(worker)
    worker.wait_until_assigned()
    # Poison first, then clean records: the worker must get past the poison.
    inputs = [r for r in records(100) if r.reason] + records(50, first=1000)
    where = produce_records(kafka_scratch.bootstrap_servers, topics.raw, inputs)

    ends = end_offsets(kafka_scratch.bootstrap_servers, topics.raw)
    wait_for_group_commit(
        kafka_admin, kafka_scratch.group_id, topics.raw, ends,
        timeout_s=COMMIT_TIMEOUT_S,
    )  # fmt: skip
    outputs = Outputs.read(kafka_scratch.bootstrap_servers, topics)

    assert {r.reason for r in inputs if r.reason} == {p[2] for p in POISON}
    assert_each_input_once(inputs, outputs)
    assert_quarantine_holds_originals(inputs, outputs)
    log = worker.log_text()
    for record in inputs:
        if record.reason:
            partition, offset = where[record.seq]
            line = (
                f"record quarantined topic={topics.raw} partition={partition} "
                f"offset={offset} reason={record.reason}"
            )
            assert line in log
            assert base64.b64encode(record.value or b"").decode() not in log
    assert "ERROR" not in log
    assert worker.is_running()
