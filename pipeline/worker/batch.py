"""One batch: the messages of one consume call, routed, with their offsets."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from confluent_kafka import KafkaError, Message

from pipeline.worker.errors import MissingTopicsError, WorkerError
from pipeline.worker.recovery import PartitionKey
from pipeline.worker.routing import RESTRICTED, Output, Router
from pipeline.worker.stats import BatchTally

logger = logging.getLogger(__name__)

_MISSING_TOPIC_CODES = (KafkaError.UNKNOWN_TOPIC_OR_PART, KafkaError._UNKNOWN_TOPIC)


@dataclass(frozen=True, slots=True)
class Quarantined:
    """Where a quarantined record was, and why; logged once its batch commits."""

    topic: str
    partition: int
    offset: int
    reason: str


@dataclass(slots=True)
class Batch:
    """Routed outputs of a batch, as (topic, output), and its offsets."""

    outputs: list[tuple[str, Output]] = field(default_factory=list)
    first_offsets: dict[PartitionKey, int] = field(default_factory=dict)
    next_offsets: dict[PartitionKey, int] = field(default_factory=dict)
    tally: BatchTally = field(default_factory=BatchTally)
    quarantined: list[Quarantined] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        """Return whether the batch read no record."""
        return not self.next_offsets


def build_batch(
    msgs: Sequence[Message], router: Router, topics: Mapping[str, str]
) -> Batch:
    """Route every message of one consume call.

    Args:
        topics: the topic of each route.

    Raises:
        MissingTopicsError: the raw topic disappeared.
        WorkerError: the consumer failed fatally.
        OutputTooLargeError: from routing, a configuration error.
    """
    batch = Batch()
    for msg in msgs:
        error = msg.error()
        if error is not None:
            _consumer_error(msg, error)
            continue
        topic, partition, offset = _coordinates(msg)
        batch.first_offsets.setdefault((topic, partition), offset)
        batch.next_offsets[(topic, partition)] = offset + 1

        routed = router.route(msg)
        batch.outputs.extend((topics[o.route], o) for o in routed.outputs)
        _count(batch, routed.quarantine_reason, routed.has_phi, routed.outputs)
        if routed.quarantine_reason is not None:
            quarantined = Quarantined(
                topic, partition, offset, routed.quarantine_reason
            )
            batch.quarantined.append(quarantined)
    return batch


def log_quarantined(batch: Batch) -> None:
    """Log each quarantined record of a committed batch: coordinates and reason."""
    for item in batch.quarantined:
        logger.warning(
            "record quarantined topic=%s partition=%d offset=%d reason=%s",
            item.topic,
            item.partition,
            item.offset,
            item.reason,
        )


def _count(
    batch: Batch, reason: str | None, has_phi: bool, outputs: Sequence[Output]
) -> None:
    tally = batch.tally
    tally.records += 1
    if reason is not None:
        tally.quarantined[reason] += 1
        return
    tally.sanitized += 1
    restricted = sum(1 for o in outputs if o.route == RESTRICTED)
    tally.restricted += restricted
    tally.audit += restricted
    tally.with_phi += int(has_phi)


def _coordinates(msg: Message) -> tuple[str, int, int]:
    topic, partition, offset = msg.topic(), msg.partition(), msg.offset()
    if topic is None or partition is None or offset is None:
        raise WorkerError("the consumer returned a message without coordinates")
    return topic, partition, offset


def _consumer_error(msg: Message, error: KafkaError) -> None:
    if error.code() in _MISSING_TOPIC_CODES:
        raise MissingTopicsError(
            f"topic {msg.topic()} does not exist ({error.name()}); create it "
            "with `phirewall topics --create`"
        )
    if error.fatal():
        raise WorkerError(f"the consumer failed fatally ({error.name()})")
    if error.code() != KafkaError._PARTITION_EOF:
        logger.warning(
            "consumer error topic=%s partition=%s error=%s",
            msg.topic(),
            msg.partition(),
            error.name(),
        )
