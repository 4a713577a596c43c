"""Prove the test broker is a real Kafka: topics, produce and consume, transactions.

If these pass, the harness runs a broker with working transactions and consumer
groups, which the pipeline's exactly-once guarantee rests on.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from confluent_kafka import Consumer, Message, Producer, TopicPartition
from confluent_kafka.admin import AdminClient

from tests.support.kafka_client import (
    KafkaScratch,
    committed_offsets,
    consume,
)

pytestmark = pytest.mark.integration

# Ordinary produce; transactions wait for markers and group coordination.
FLUSH_TIMEOUT_S = 15.0
TRANSACTION_TIMEOUT_S = 30.0

INPUT_COUNT = 10
COMMITTED_COUNT = 6
END_MARKER = b"end-of-test"


def _flush(producer: Producer) -> None:
    remaining = producer.flush(FLUSH_TIMEOUT_S)
    assert remaining == 0, f"{remaining} message(s) not delivered in time"


def _reader(scratch: KafkaScratch, topic: str, isolation_level: str) -> Consumer:
    # Assigned, not subscribed: readers never join or commit for the test's group.
    consumer = Consumer(
        scratch.config(
            {
                "group.id": f"{scratch.group_id}.reader",
                "enable.auto.commit": False,
                "isolation.level": isolation_level,
            }
        )
    )
    consumer.assign([TopicPartition(topic, 0, 0)])
    return consumer


@pytest.fixture
def consumers() -> Iterator[list[Consumer]]:
    """Collect consumers a test opens and close them after it."""
    opened: list[Consumer] = []
    yield opened
    for consumer in opened:
        consumer.close()


def test_admin_client_creates_topics_with_requested_partitions_when_asked(
    kafka_scratch: KafkaScratch, kafka_admin: AdminClient
) -> None:
    single = kafka_scratch.create_topic("single", partitions=1)
    triple = kafka_scratch.create_topic("triple", partitions=3)

    topics = kafka_admin.list_topics(timeout=10).topics

    assert len(topics[single].partitions) == 1
    assert len(topics[triple].partitions) == 3
    assert kafka_scratch.topic_name("never-created") not in topics


def test_consumer_receives_messages_in_order_when_produced_to_one_partition(
    kafka_scratch: KafkaScratch, consumers: list[Consumer]
) -> None:
    topic = kafka_scratch.create_topic("plain")
    producer = Producer(kafka_scratch.config())
    sent = [(f"key-{i}".encode(), f"value-{i}".encode()) for i in range(20)]
    for key, value in sent:
        producer.produce(topic, key=key, value=value, headers=[("seq", key)])
    _flush(producer)
    consumer = Consumer(
        kafka_scratch.config(
            {"group.id": kafka_scratch.group_id, "auto.offset.reset": "earliest"}
        )
    )
    consumers.append(consumer)
    consumer.subscribe([topic])

    received = consume(consumer, count=len(sent))

    assert [(m.key(), m.value()) for m in received] == sent
    assert [m.headers() for m in received] == [[("seq", k)] for k, _ in sent]
    assert [m.offset() for m in received] == list(range(len(sent)))


@dataclass(frozen=True)
class TransactionOutcome:
    """What one consume-transform-produce run wrote and committed."""

    input_topic: str
    output_topic: str
    committed_values: list[bytes]
    aborted_values: list[bytes]


def _run_committed_then_aborted_transaction(
    scratch: KafkaScratch, consumers: list[Consumer]
) -> TransactionOutcome:
    """Consume input in a group, then write output in two transactions.

    The first transaction commits the output of the first `COMMITTED_COUNT`
    inputs with their offsets; the second writes the rest and their offsets, then
    aborts. A third commits an end marker, so readers know where to stop.
    """
    input_topic = scratch.create_topic("input")
    output_topic = scratch.create_topic("output")
    seed = Producer(scratch.config())
    for i in range(INPUT_COUNT):
        seed.produce(input_topic, value=f"record-{i}".encode())
    _flush(seed)

    consumer = Consumer(
        scratch.config(
            {
                "group.id": scratch.group_id,
                "auto.offset.reset": "earliest",
                "enable.auto.commit": False,
                "isolation.level": "read_committed",
            }
        )
    )
    consumers.append(consumer)
    consumer.subscribe([input_topic])
    inputs = consume(consumer, count=INPUT_COUNT)

    producer = Producer(scratch.config({"transactional.id": scratch.transactional_id}))
    producer.init_transactions(TRANSACTION_TIMEOUT_S)
    committed = _transform_in_transaction(
        producer, consumer, inputs[:COMMITTED_COUNT], output_topic
    )
    producer.commit_transaction(TRANSACTION_TIMEOUT_S)

    aborted = _transform_in_transaction(
        producer, consumer, inputs[COMMITTED_COUNT:], output_topic
    )
    producer.abort_transaction(TRANSACTION_TIMEOUT_S)

    producer.begin_transaction()
    producer.produce(output_topic, value=END_MARKER)
    producer.commit_transaction(TRANSACTION_TIMEOUT_S)
    return TransactionOutcome(input_topic, output_topic, committed, aborted)


def _transform_in_transaction(
    producer: Producer, consumer: Consumer, inputs: list[Message], topic: str
) -> list[bytes]:
    producer.begin_transaction()
    values = []
    for msg in inputs:
        value = b"out:" + (msg.value() or b"")
        producer.produce(topic, value=value)
        values.append(value)

    last = inputs[-1]
    topic_in, partition, offset = last.topic(), last.partition(), last.offset()
    assert topic_in is not None
    assert partition is not None
    assert offset is not None
    next_offsets = [TopicPartition(topic_in, partition, offset + 1)]
    producer.send_offsets_to_transaction(
        next_offsets, consumer.consumer_group_metadata(), TRANSACTION_TIMEOUT_S
    )
    return values


def _values_up_to_end_marker(consumer: Consumer) -> list[bytes]:
    received = consume(
        consumer, count=INPUT_COUNT + 1, until=lambda m: m.value() == END_MARKER
    )
    assert received[-1].value() == END_MARKER, "end marker not reached"
    return [m.value() or b"" for m in received[:-1]]


def test_read_committed_consumer_sees_committed_batch_when_next_one_aborts(
    kafka_scratch: KafkaScratch, consumers: list[Consumer]
) -> None:
    outcome = _run_committed_then_aborted_transaction(kafka_scratch, consumers)
    reader = _reader(kafka_scratch, outcome.output_topic, "read_committed")
    consumers.append(reader)

    seen = _values_up_to_end_marker(reader)

    assert seen == outcome.committed_values
    assert not set(seen) & set(outcome.aborted_values)


def test_read_uncommitted_consumer_sees_aborted_batch_when_transaction_aborts(
    kafka_scratch: KafkaScratch, consumers: list[Consumer]
) -> None:
    # The aborted records must reach the log, or the read_committed test above
    # would pass without the broker filtering anything.
    outcome = _run_committed_then_aborted_transaction(kafka_scratch, consumers)
    reader = _reader(kafka_scratch, outcome.output_topic, "read_uncommitted")
    consumers.append(reader)

    seen = _values_up_to_end_marker(reader)

    assert seen == outcome.committed_values + outcome.aborted_values


def test_group_offsets_equal_offsets_sent_when_transaction_commits_then_aborts(
    kafka_scratch: KafkaScratch,
    kafka_admin: AdminClient,
    consumers: list[Consumer],
) -> None:
    outcome = _run_committed_then_aborted_transaction(kafka_scratch, consumers)
    partition = TopicPartition(outcome.input_topic, 0)

    offsets = committed_offsets(kafka_admin, kafka_scratch.group_id, [partition])

    assert offsets == {(outcome.input_topic, 0): COMMITTED_COUNT}
