"""Helpers over confluent-kafka for tests: broker probes, topics and bounded waits.

Every wait here has a named timeout and fails with a message saying what did not
happen, so a slow or broken broker never hangs a test run.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from confluent_kafka import (
    Consumer,
    ConsumerGroupTopicPartitions,
    KafkaError,
    KafkaException,
    Message,
    TopicPartition,
)

# NewTopic is documented here, but not re-exported for type checkers.
from confluent_kafka.admin import AdminClient, NewTopic  # type: ignore[attr-defined]

logger = logging.getLogger(__name__)

# Bounds of one metadata request while probing a broker that may still be starting.
BROKER_PROBE_TIMEOUT_S = 2.0
BROKER_PROBE_INTERVAL_S = 0.25
TOPIC_READY_TIMEOUT_S = 30.0
TOPIC_DELETE_TIMEOUT_S = 10.0
CONSUME_TIMEOUT_S = 30.0
OFFSETS_TIMEOUT_S = 30.0

_POLL_INTERVAL_S = 0.1
_TOPIC_NAME_UNSAFE = re.compile(r"[^a-zA-Z0-9._-]+")
_TOPIC_SLUG_MAX_CHARS = 100


class WaitTimeoutError(AssertionError):
    """A bounded wait in a test ran past its named timeout."""


def wait_until(
    condition: Callable[[], bool],
    *,
    timeout_s: float,
    what: str,
    interval_s: float = _POLL_INTERVAL_S,
) -> float:
    """Call `condition` until it returns True; return the seconds it took.

    Raises:
        WaitTimeoutError: `condition` stayed False for `timeout_s`; the message
            names `what` was awaited.
    """
    started = time.monotonic()
    deadline = started + timeout_s
    while not condition():
        if time.monotonic() >= deadline:
            raise WaitTimeoutError(f"{what}: not done within {timeout_s:g} s")
        time.sleep(interval_s)

    return time.monotonic() - started


def broker_answers(bootstrap_servers: str) -> bool:
    """Return whether a broker at `bootstrap_servers` answers a metadata request."""
    admin = AdminClient(
        {
            "bootstrap.servers": bootstrap_servers,
            # Refused connections are expected while a broker starts; keep them
            # out of the test output.
            "log_level": 0,
        }
    )
    try:
        metadata = admin.list_topics(timeout=BROKER_PROBE_TIMEOUT_S)
    except KafkaException:
        return False

    return bool(metadata.brokers)


def wait_for_broker(
    bootstrap_servers: str,
    *,
    timeout_s: float,
    is_alive: Callable[[], bool] | None = None,
) -> float:
    """Wait until a broker answers metadata requests; return the seconds it took.

    Raises:
        WaitTimeoutError: no answer within `timeout_s`, or `is_alive` said the
            broker process is gone.
    """

    def ready() -> bool:
        if is_alive is not None and not is_alive():
            raise WaitTimeoutError(f"broker at {bootstrap_servers} exited early")
        return broker_answers(bootstrap_servers)

    return wait_until(
        ready,
        timeout_s=timeout_s,
        what=f"broker at {bootstrap_servers} answering metadata requests",
        interval_s=BROKER_PROBE_INTERVAL_S,
    )


def create_topics(
    admin: AdminClient,
    partitions_by_topic: Mapping[str, int],
    *,
    timeout_s: float = TOPIC_READY_TIMEOUT_S,
) -> None:
    """Create topics and wait until every partition has a leader.

    The broker's default replication factor applies, so the same call works on a
    single test node and on a user's cluster.
    """
    new_topics = [
        NewTopic(name, num_partitions=count, replication_factor=-1)
        for name, count in partitions_by_topic.items()
    ]
    futures = admin.create_topics(new_topics, operation_timeout=timeout_s)
    for future in futures.values():
        future.result(timeout=timeout_s)

    wanted = dict(partitions_by_topic)
    wait_until(
        lambda: _have_leaders(admin, wanted),
        timeout_s=timeout_s,
        what=f"leaders for {len(wanted)} new topic(s)",
    )


def _have_leaders(admin: AdminClient, partitions_by_topic: Mapping[str, int]) -> bool:
    metadata = admin.list_topics(timeout=BROKER_PROBE_TIMEOUT_S)
    for name, count in partitions_by_topic.items():
        topic = metadata.topics.get(name)
        if topic is None or topic.error is not None:
            return False
        if len(topic.partitions) != count:
            return False
        if any(p.leader < 0 for p in topic.partitions.values()):
            return False
    return True


def delete_topics_quietly(admin: AdminClient, topics: Iterable[str]) -> None:
    """Delete topics, logging rather than raising when the broker refuses."""
    names = list(topics)
    if not names:
        return

    futures = admin.delete_topics(names, operation_timeout=TOPIC_DELETE_TIMEOUT_S)
    for name, future in futures.items():
        try:
            future.result(timeout=TOPIC_DELETE_TIMEOUT_S)
        except KafkaException as exc:
            logger.warning("topic %s not deleted: %s", name, exc)


def consume(
    consumer: Consumer,
    *,
    count: int,
    timeout_s: float = CONSUME_TIMEOUT_S,
    until: Callable[[Message], bool] | None = None,
) -> list[Message]:
    """Poll until `count` messages arrived, or until one satisfies `until`.

    Raises:
        WaitTimeoutError: fewer messages arrived within `timeout_s`.
        KafkaException: the consumer reported an error other than end of partition.
    """
    received: list[Message] = []
    deadline = time.monotonic() + timeout_s
    while len(received) < count:
        if time.monotonic() >= deadline:
            raise WaitTimeoutError(
                f"consume: {len(received)} of {count} message(s) within {timeout_s:g} s"
            )

        msg = consumer.poll(_POLL_INTERVAL_S)
        if msg is None:
            continue
        error = msg.error()
        if error is not None:
            if error.code() == KafkaError._PARTITION_EOF:
                continue
            raise KafkaException(error)

        received.append(msg)
        if until is not None and until(msg):
            break

    return received


def committed_offsets(
    admin: AdminClient,
    group_id: str,
    partitions: Iterable[TopicPartition],
    *,
    timeout_s: float = OFFSETS_TIMEOUT_S,
) -> dict[tuple[str, int], int]:
    """Return a group's committed offsets once no transaction holds them pending.

    Raises:
        WaitTimeoutError: the offsets stayed unstable for `timeout_s`.
    """
    request = ConsumerGroupTopicPartitions(group_id, list(partitions))
    result: dict[tuple[str, int], int] = {}

    def read_stable() -> bool:
        futures = admin.list_consumer_group_offsets([request], require_stable=True)
        try:
            answer = futures[group_id].result(timeout=timeout_s)
        except KafkaException as exc:
            if exc.args[0].retriable():
                return False
            raise

        for tp in answer.topic_partitions:
            if tp.error is not None:
                if tp.error.retriable():
                    return False
                raise KafkaException(tp.error)
            result[(tp.topic, tp.partition)] = tp.offset
        return True

    wait_until(
        read_stable,
        timeout_s=timeout_s,
        what=f"stable committed offsets of group {group_id}",
    )
    return result


@dataclass
class KafkaScratch:
    """Fresh, uniquely named topics and consumer group for one test.

    Names start with one prefix per test, so a test never sees another test's
    records, even on a shared cluster; topics created here are deleted by
    `cleanup()`.
    """

    bootstrap_servers: str
    admin: AdminClient
    prefix: str
    created_topics: list[str] = field(default_factory=list)

    @classmethod
    def for_test(
        cls, bootstrap_servers: str, admin: AdminClient, test_name: str
    ) -> KafkaScratch:
        """Make the scratch space of one test, named after it."""
        slug = _TOPIC_NAME_UNSAFE.sub("-", test_name)[:_TOPIC_SLUG_MAX_CHARS]
        prefix = f"phirewall-test.{slug}.{uuid.uuid4().hex[:10]}"
        return cls(bootstrap_servers=bootstrap_servers, admin=admin, prefix=prefix)

    @property
    def group_id(self) -> str:
        """Return the consumer group id reserved for this test."""
        return f"{self.prefix}.group"

    @property
    def transactional_id(self) -> str:
        """Return a transactional id reserved for this test."""
        return f"{self.prefix}.txn"

    def topic_name(self, label: str) -> str:
        """Return this test's topic name for `label`, without creating it."""
        return f"{self.prefix}.{label}"

    def create_topic(self, label: str, *, partitions: int = 1) -> str:
        """Create this test's topic for `label` and return its name."""
        name = self.topic_name(label)
        create_topics(self.admin, {name: partitions})
        self.created_topics.append(name)
        return name

    def config(self, settings: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Return client settings for this broker, with `settings` added."""
        return {"bootstrap.servers": self.bootstrap_servers, **(settings or {})}

    def cleanup(self) -> None:
        """Delete the topics this test created."""
        delete_topics_quietly(self.admin, self.created_topics)
        self.created_topics.clear()
