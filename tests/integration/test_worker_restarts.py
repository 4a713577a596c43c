"""A worker stopped, then killed, mid-stream under load: each record once."""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
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
from tests.support.worker_inputs import Feeder, records
from tests.support.worker_outputs import (
    Outputs,
    assert_each_input_once,
    assert_partition_order,
    assert_side_outputs_agree,
)

pytestmark = pytest.mark.integration

RECORD_COUNT = 4500
RECORDS_PER_S = 1000
FEED_TIMEOUT_S = 30.0
FREEZE_TIMEOUT_S = 20.0
COMMIT_TIMEOUT_S = 60.0
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


@pytest.mark.timeout(180)
# TODO(worker-tests): the kill must land inside an open transaction, which a
# fast worker sometimes has already committed; rerun until the test can hold
# a transaction open on purpose.
@pytest.mark.flaky(reruns=2)
def test_worker_outputs_each_record_once_when_stopped_then_killed_mid_stream(
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

    # SIGTERM under load: the open batch commits, the worker leaves, exit 0.
    feeder.wait_until_sent(RECORD_COUNT // 4, timeout_s=FEED_TIMEOUT_S)
    stopped_at = time.monotonic()
    worker.send(signal.SIGTERM)
    code = worker.wait(timeout_s=DRAIN_DEADLINE_S + EXIT_MARGIN_S)
    drain_s = time.monotonic() - stopped_at
    assert code == 0
    assert drain_s < DRAIN_DEADLINE_S + EXIT_MARGIN_S
    assert "worker stopped" in worker.current_log()

    # SIGKILL inside a transaction; the restart has the same instance id, so
    # its transactional id fences the dead process and aborts what it left.
    worker.start()
    worker.wait_until_assigned()
    feeder.wait_until_sent(RECORD_COUNT * 2 // 3, timeout_s=FEED_TIMEOUT_S)
    freeze_mid_transaction(
        worker, kafka_scratch.bootstrap_servers, topics.sanitized,
        timeout_s=FREEZE_TIMEOUT_S,
    )  # fmt: skip
    worker.kill()
    worker.start()

    where = feeder.join(timeout_s=FEED_TIMEOUT_S)
    ends = end_offsets(kafka_scratch.bootstrap_servers, topics.raw)
    wait_for_group_commit(
        kafka_admin, kafka_scratch.group_id, topics.raw, ends,
        timeout_s=COMMIT_TIMEOUT_S,
    )  # fmt: skip
    outputs = Outputs.read(kafka_scratch.bootstrap_servers, topics)

    assert_each_input_once(inputs, outputs)
    assert_side_outputs_agree(inputs, where, topics.raw, outputs)
    assert_partition_order(where, outputs)
    # The killed transaction's outputs are in the log, aborted, unseen above.
    everything = read_committed(
        kafka_scratch.bootstrap_servers, topics.sanitized, is_committed_only=False
    )
    assert len({seq_of(m) for m in everything}) < len(everything)
