"""A worker killed or stopped mid-stream under load, then restarted: exactly once."""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from confluent_kafka.admin import AdminClient

from tests.support.kafka_client import KafkaScratch
from tests.support.worker_harness import (
    FAST_FAILOVER_ARGS,
    PipelineTopics,
    WorkerProcess,
    end_offsets,
    freeze_mid_transaction,
    read_committed,
    seq_of,
    wait_for_group_commit,
)
from tests.support.worker_inputs import Feeder, InputRecord, records
from tests.support.worker_outputs import (
    Outputs,
    assert_each_input_once,
    assert_partition_order,
    assert_side_outputs_agree,
)

pytestmark = pytest.mark.integration

RECORD_COUNT = 3000
RECORDS_PER_S = 1000
FEED_TIMEOUT_S = 30.0
COMMIT_TIMEOUT_S = 60.0
FREEZE_TIMEOUT_S = 20.0
DRAIN_DEADLINE_S = 10.0
# A drained worker exits well within its deadline; the margin absorbs process
# teardown on a busy machine.
EXIT_MARGIN_S = 5.0


@pytest.fixture
def workers() -> Iterator[list[WorkerProcess]]:
    """Collect the worker processes a test starts and kill what still runs."""
    started: list[WorkerProcess] = []
    yield started
    for worker in started:
        worker.cleanup()


def _check_outputs(
    scratch: KafkaScratch,
    admin: AdminClient,
    topics: PipelineTopics,
    feeder: Feeder,
    inputs: Sequence[InputRecord],
) -> None:
    where = feeder.join(timeout_s=FEED_TIMEOUT_S)
    ends = end_offsets(scratch.bootstrap_servers, topics.raw)
    wait_for_group_commit(
        admin, scratch.group_id, topics.raw, ends, timeout_s=COMMIT_TIMEOUT_S
    )
    outputs = Outputs.read(scratch.bootstrap_servers, topics)
    assert_each_input_once(inputs, outputs)
    assert_side_outputs_agree(inputs, where, topics.raw, outputs)
    assert_partition_order(where, outputs)


@pytest.mark.timeout(150)
def test_worker_outputs_each_record_once_when_killed_mid_stream_and_restarted(
    kafka_scratch: KafkaScratch,
    kafka_admin: AdminClient,
    workers: list[WorkerProcess],
    tmp_path: Path,
) -> None:
    topics = PipelineTopics.create(kafka_scratch, partitions=3)
    inputs = records(RECORD_COUNT)
    worker = WorkerProcess(
        kafka_scratch.bootstrap_servers, topics, kafka_scratch.group_id, "w1",
        tmp_path, FAST_FAILOVER_ARGS,
    ).start()  # fmt: skip
    workers.append(worker)
    worker.wait_until_assigned()
    feeder = Feeder(
        kafka_scratch.bootstrap_servers, topics.raw, inputs, RECORDS_PER_S
    ).start()

    feeder.wait_until_sent(RECORD_COUNT // 3, timeout_s=FEED_TIMEOUT_S)
    freeze_mid_transaction(
        worker, kafka_scratch.bootstrap_servers, topics.sanitized,
        timeout_s=FREEZE_TIMEOUT_S,
    )  # fmt: skip
    worker.kill()
    # The same instance id: its transactional id fences the killed process
    # and aborts the transaction it left open.
    worker.start()
    worker.wait_until_assigned()

    _check_outputs(kafka_scratch, kafka_admin, topics, feeder, inputs)
    # The killed transaction's outputs are in the log, aborted, unseen above.
    everything = read_committed(
        kafka_scratch.bootstrap_servers, topics.sanitized, is_committed_only=False
    )
    assert len({seq_of(m) for m in everything}) < len(everything)


@pytest.mark.timeout(150)
def test_worker_drains_and_exits_0_when_terminated_mid_stream(
    kafka_scratch: KafkaScratch,
    kafka_admin: AdminClient,
    workers: list[WorkerProcess],
    tmp_path: Path,
) -> None:
    topics = PipelineTopics.create(kafka_scratch, partitions=3)
    inputs = records(RECORD_COUNT)
    args = (*FAST_FAILOVER_ARGS, "--drain-deadline-s", str(DRAIN_DEADLINE_S))
    worker = WorkerProcess(
        kafka_scratch.bootstrap_servers, topics, kafka_scratch.group_id, "w1",
        tmp_path, args,
    ).start()  # fmt: skip
    workers.append(worker)
    worker.wait_until_assigned()
    feeder = Feeder(
        kafka_scratch.bootstrap_servers, topics.raw, inputs, RECORDS_PER_S
    ).start()

    feeder.wait_until_sent(RECORD_COUNT // 3, timeout_s=FEED_TIMEOUT_S)
    stopped_at = time.monotonic()
    worker.send(signal.SIGTERM)
    code = worker.wait(timeout_s=DRAIN_DEADLINE_S + EXIT_MARGIN_S)
    drain_s = time.monotonic() - stopped_at

    assert code == 0
    assert drain_s < DRAIN_DEADLINE_S + EXIT_MARGIN_S
    assert "worker stopped" in worker.current_log()
    worker.start()
    worker.wait_until_assigned()
    _check_outputs(kafka_scratch, kafka_admin, topics, feeder, inputs)
