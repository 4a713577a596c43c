"""Workers of one group share the partitions and cover for a killed member."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from confluent_kafka.admin import AdminClient

from tests.support.kafka_client import KafkaScratch, wait_until
from tests.support.worker_harness import (
    FAST_FAILOVER_ARGS,
    PipelineTopics,
    WorkerProcess,
    end_offsets,
    freeze_mid_transaction,
    wait_for_group_commit,
)
from tests.support.worker_inputs import Feeder, records
from tests.support.worker_outputs import (
    Outputs,
    assert_each_input_once,
    assert_no_phi_in_sanitized,
    assert_partition_order,
    assert_side_outputs_agree,
)

pytestmark = pytest.mark.integration

PARTITIONS = 6
RECORD_COUNT = 4000
RECORDS_PER_S = 1000
FEED_TIMEOUT_S = 30.0
# The killed member's session (6 s) and open transaction (10 s) must expire
# before its partitions move on.
COMMIT_TIMEOUT_S = 90.0
SHARE_TIMEOUT_S = 60.0
FREEZE_TIMEOUT_S = 20.0


@pytest.fixture
def workers() -> Iterator[list[WorkerProcess]]:
    """Collect the worker processes a test starts and kill what still runs."""
    started: list[WorkerProcess] = []
    yield started
    for worker in started:
        worker.cleanup()


def _assigned(worker: WorkerProcess) -> set[int]:
    """Return the partitions a worker holds, replaying its assign/revoke log."""
    held: set[int] = set()
    for line in worker.current_log().splitlines():
        for verb in ("assigned", "revoked", "lost"):
            if line.startswith(f"partitions {verb} "):
                field = line.split("partition=")[1].split()[0]
                numbers = {int(n) for n in field.split(",")}
                held = held | numbers if verb == "assigned" else held - numbers
    return held


@pytest.mark.timeout(180)
def test_group_outputs_each_record_once_when_one_of_three_workers_is_killed(
    kafka_scratch: KafkaScratch,
    kafka_admin: AdminClient,
    workers: list[WorkerProcess],
    tmp_path: Path,
) -> None:
    topics = PipelineTopics.create(kafka_scratch, partitions=PARTITIONS)
    inputs = records(RECORD_COUNT)
    for name in ("w1", "w2", "w3"):
        workers.append(
            WorkerProcess(
                kafka_scratch.bootstrap_servers, topics, kafka_scratch.group_id,
                name, tmp_path, FAST_FAILOVER_ARGS,
            ).start()
        )  # fmt: skip
    survivors = [workers[0], workers[2]]
    feeder = Feeder(
        kafka_scratch.bootstrap_servers, topics.raw, inputs, RECORDS_PER_S
    ).start()

    def shared() -> bool:
        held = [_assigned(w) for w in workers]
        return all(held) and sum(len(h) for h in held) == PARTITIONS

    wait_until(shared, timeout_s=SHARE_TIMEOUT_S, what="three workers sharing")
    feeder.wait_until_sent(RECORD_COUNT // 3, timeout_s=FEED_TIMEOUT_S)
    freeze_mid_transaction(
        workers[1], kafka_scratch.bootstrap_servers, topics.sanitized,
        timeout_s=FREEZE_TIMEOUT_S,
    )  # fmt: skip
    workers[1].kill()

    where = feeder.join(timeout_s=FEED_TIMEOUT_S)
    ends = end_offsets(kafka_scratch.bootstrap_servers, topics.raw)
    wait_for_group_commit(
        kafka_admin, kafka_scratch.group_id, topics.raw, ends,
        timeout_s=COMMIT_TIMEOUT_S,
    )  # fmt: skip
    outputs = Outputs.read(kafka_scratch.bootstrap_servers, topics)

    assert set().union(*(_assigned(w) for w in survivors)) == set(range(PARTITIONS))
    assert all(w.is_running() for w in survivors)
    assert_each_input_once(inputs, outputs)
    assert_side_outputs_agree(inputs, where, topics.raw, outputs)
    assert_partition_order(where, outputs)
    assert_no_phi_in_sanitized(inputs, outputs)


@pytest.mark.timeout(180)
def test_group_fences_a_zombie_when_a_stalled_worker_wakes_after_failover(
    kafka_scratch: KafkaScratch,
    kafka_admin: AdminClient,
    workers: list[WorkerProcess],
    tmp_path: Path,
) -> None:
    topics = PipelineTopics.create(kafka_scratch, partitions=4)
    inputs = records(RECORD_COUNT)
    for name in ("w1", "w2"):
        workers.append(
            WorkerProcess(
                kafka_scratch.bootstrap_servers, topics, kafka_scratch.group_id,
                name, tmp_path, FAST_FAILOVER_ARGS,
            ).start()
        )  # fmt: skip
    zombie, survivor = workers
    for worker in workers:
        worker.wait_until_assigned()
    feeder = Feeder(
        kafka_scratch.bootstrap_servers, topics.raw, inputs, RECORDS_PER_S
    ).start()

    feeder.wait_until_sent(RECORD_COUNT // 4, timeout_s=FEED_TIMEOUT_S)
    # A stall past the session timeout (a GC pause, a frozen VM): the group
    # gives the zombie's partitions to the survivor while its transaction is
    # still open.
    freeze_mid_transaction(
        zombie, kafka_scratch.bootstrap_servers, topics.sanitized,
        timeout_s=FREEZE_TIMEOUT_S,
    )  # fmt: skip
    wait_until(
        lambda: _assigned(survivor) == set(range(4)),
        timeout_s=SHARE_TIMEOUT_S,
        what="survivor taking over every partition",
    )
    zombie.send(signal.SIGCONT)

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
