"""Broker trouble on a broker of the test's own: a restart, then gone for good."""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from confluent_kafka.admin import AdminClient

from tests.support.kafka_client import KafkaScratch
from tests.support.kafka_restart import RestartableKafkaBroker
from tests.support.worker_harness import (
    PipelineTopics,
    WorkerProcess,
    end_offsets,
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

RECORD_COUNT = 2000
RECORDS_PER_S = 400
DOWNTIME_S = 3.0
# Longer than the restart takes (stop, downtime, JVM start) on two cores.
RESTART_DEADLINE_S = 60.0
SHORT_DEADLINE_S = 5.0
FEED_TIMEOUT_S = 60.0
COMMIT_TIMEOUT_S = 90.0
# After the deadline the worker still closes its clients against a dead broker.
EXIT_MARGIN_S = 30.0


@pytest.fixture
def own_broker(tmp_path: Path) -> Iterator[RestartableKafkaBroker]:
    """Start a broker for this test alone and delete it afterwards."""
    broker = RestartableKafkaBroker.from_cached_jars(tmp_path / "kafka")
    broker.start()
    yield broker
    broker.stop()


@pytest.fixture
def workers() -> Iterator[list[WorkerProcess]]:
    """Collect the worker processes a test starts and kill what still runs."""
    started: list[WorkerProcess] = []
    yield started
    for worker in started:
        worker.cleanup()


# TODO(worker): a restart that lands while the worker is still starting its
# producer can leave it without a commit and without tripping its deadline;
# until that is found, the test is rerun.
@pytest.mark.flaky(reruns=2)
@pytest.mark.timeout(240)
def test_worker_recovers_then_exits_1_when_the_broker_restarts_then_stays_away(
    own_broker: RestartableKafkaBroker,
    workers: list[WorkerProcess],
    tmp_path: Path,
) -> None:
    bootstrap = own_broker.bootstrap_servers
    admin = AdminClient({"bootstrap.servers": bootstrap})
    scratch = KafkaScratch.for_test(bootstrap, admin, "broker-restart")
    topics = PipelineTopics.create(scratch, partitions=2)
    inputs = records(RECORD_COUNT)
    args = ("--broker-deadline-s", str(RESTART_DEADLINE_S))
    worker = WorkerProcess(
        bootstrap, topics, scratch.group_id, "w1", tmp_path, args
    ).start()
    workers.append(worker)
    worker.wait_until_assigned()
    feeder = Feeder(bootstrap, topics.raw, inputs, RECORDS_PER_S).start()

    feeder.wait_until_sent(RECORD_COUNT // 4, timeout_s=FEED_TIMEOUT_S)
    own_broker.halt()
    time.sleep(DOWNTIME_S)
    own_broker.resume()
    where = feeder.join(timeout_s=FEED_TIMEOUT_S)
    ends = end_offsets(bootstrap, topics.raw)
    wait_for_group_commit(
        admin, scratch.group_id, topics.raw, ends, timeout_s=COMMIT_TIMEOUT_S
    )
    outputs = Outputs.read(bootstrap, topics)

    assert worker.is_running()
    assert_each_input_once(inputs, outputs)
    assert_side_outputs_agree(inputs, where, topics.raw, outputs)
    assert_partition_order(where, outputs)

    # Now the broker goes for good: a worker with a short deadline gives up.
    worker.send(signal.SIGTERM)
    assert worker.wait() == 0
    args = ("--broker-deadline-s", str(SHORT_DEADLINE_S))
    doomed = WorkerProcess(
        bootstrap, topics, scratch.group_id, "w2", tmp_path, args
    ).start()
    workers.append(doomed)
    doomed.wait_until_assigned()
    own_broker.halt(is_crash=True)
    code = doomed.wait(timeout_s=SHORT_DEADLINE_S + EXIT_MARGIN_S)

    assert code == 1
    assert "--broker-deadline-s" in doomed.current_log()
