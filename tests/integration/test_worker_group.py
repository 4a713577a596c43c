"""Workers of one group share the partitions, fence a zombie, cover for the dead."""

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
RECORD_COUNT = 6000
RECORDS_PER_S = 1000
FEED_TIMEOUT_S = 60.0
FREEZE_TIMEOUT_S = 20.0
# Three processes compile their detectors at once on two cores.
SHARE_TIMEOUT_S = 90.0
# A dead member's session (6 s) and open transaction (10 s) must expire before
# its partitions move on.
COMMIT_TIMEOUT_S = 90.0


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


def _wait_until_held_by(holders: list[WorkerProcess], what: str) -> None:
    def covered() -> bool:
        held = [_assigned(w) for w in holders]
        return all(held) and set().union(*held) == set(range(PARTITIONS))

    wait_until(covered, timeout_s=SHARE_TIMEOUT_S, what=what)


@pytest.mark.timeout(240)
def test_group_outputs_each_record_once_when_a_worker_stalls_and_one_dies(
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
    w1, zombie, doomed = workers
    _wait_until_held_by(workers, "three workers sharing the partitions")
    feeder = Feeder(
        kafka_scratch.bootstrap_servers, topics.raw, inputs, RECORDS_PER_S
    ).start()

    # A stall past the session timeout (a GC pause, a frozen VM) inside a
    # transaction: the group moves the zombie's partitions on. When it wakes,
    # its late offset commit carries a stale generation and is refused.
    feeder.wait_until_sent(RECORD_COUNT // 5, timeout_s=FEED_TIMEOUT_S)
    freeze_mid_transaction(
        zombie, kafka_scratch.bootstrap_servers, topics.sanitized,
        timeout_s=FREEZE_TIMEOUT_S,
    )  # fmt: skip
    _wait_until_held_by([w1, doomed], "the zombie's partitions moving on")
    zombie.send(signal.SIGCONT)

    # A worker killed inside a transaction: the others take its partitions
    # once its session and its transaction expire.
    feeder.wait_until_sent(RECORD_COUNT // 2, timeout_s=FEED_TIMEOUT_S)
    freeze_mid_transaction(
        doomed, kafka_scratch.bootstrap_servers, topics.sanitized,
        timeout_s=FREEZE_TIMEOUT_S,
    )  # fmt: skip
    doomed.kill()

    where = feeder.join(timeout_s=FEED_TIMEOUT_S)
    ends = end_offsets(kafka_scratch.bootstrap_servers, topics.raw)
    wait_for_group_commit(
        kafka_admin, kafka_scratch.group_id, topics.raw, ends,
        timeout_s=COMMIT_TIMEOUT_S,
    )  # fmt: skip
    outputs = Outputs.read(kafka_scratch.bootstrap_servers, topics)

    assert w1.is_running()
    assert zombie.is_running()
    _wait_until_held_by([w1, zombie], "the survivors holding every partition")
    assert_each_input_once(inputs, outputs)
    assert_side_outputs_agree(inputs, where, topics.raw, outputs)
    assert_partition_order(where, outputs)
    assert_no_phi_in_sanitized(inputs, outputs)
