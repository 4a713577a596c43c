"""Recover from broker trouble: watch progress, back off, rewind a failed batch."""

# Either rewind makes the next consume read exactly the records not yet
# committed: nothing is lost, and aborted outputs stay invisible to
# read_committed readers, so nothing is doubled.

from __future__ import annotations

import logging
import random
import time
from collections.abc import Mapping

from confluent_kafka import Consumer, KafkaError, KafkaException, TopicPartition

from pipeline.worker.errors import (
    BrokerUnavailableError,
    DrainDeadlineError,
    WorkerError,
)
from pipeline.worker.shutdown import StopRequest

logger = logging.getLogger(__name__)

PartitionKey = tuple[str, int]
COMMITTED_TIMEOUT_S = 10.0
DRAIN_RETRY_S = 0.5


class Progress:
    """Whether the worker makes progress, and since when it has not."""

    def __init__(self, deadline_s: float) -> None:
        self.deadline_s = deadline_s
        self._failing_since: float | None = None
        self._last_error = "none"

    @property
    def is_failing(self) -> bool:
        """Return whether the last broker interaction failed."""
        return self._failing_since is not None

    def succeeded(self) -> None:
        """Record that a batch committed or the brokers answered."""
        if self._failing_since is not None:
            logger.info(
                "progress resumed duration_s=%.1f",
                time.monotonic() - self._failing_since,
            )
        self._failing_since = None

    def failed(self, error_name: str) -> None:
        """Record a failure; the deadline runs from the first in a row."""
        if self._failing_since is None:
            logger.warning("progress stalled error=%s", error_name)
            self._failing_since = time.monotonic()
        self._last_error = error_name

    def on_client_error(self, error: KafkaError) -> None:
        """Serve as the clients' ``error_cb``."""
        if error.code() == KafkaError._ALL_BROKERS_DOWN:
            self.failed(error.name())
        else:
            logger.debug("client error error=%s", error.name())

    def check(self) -> None:
        """Raise when no progress was made for the whole deadline.

        Raises:
            BrokerUnavailableError: failing for longer than ``deadline_s``.
        """
        if self._failing_since is None:
            return
        failing_s = time.monotonic() - self._failing_since
        if failing_s > self.deadline_s:
            raise BrokerUnavailableError(
                f"no batch could commit for {failing_s:.0f} s (last error "
                f"{self._last_error}); the brokers are unreachable or refuse "
                "the worker. Check --bootstrap-servers, the network and the "
                "brokers, or raise --broker-deadline-s"
            )


class Backoff:
    """Waits that double from ``first_s`` up to ``max_s``, with jitter."""

    def __init__(self, first_s: float, max_s: float) -> None:
        self._first_s = first_s
        self._max_s = max_s
        self._attempt = 0

    def next_s(self) -> float:
        """Return the next wait; half is random, so workers do not retry in step."""
        ceiling = min(self._max_s, self._first_s * 2.0**self._attempt)
        self._attempt += 1
        # Jitter spreads retries; it needs no cryptographic randomness.
        return ceiling / 2 + random.uniform(0, ceiling / 2)  # noqa: S311

    def reset(self) -> None:
        """Start over after a success."""
        self._attempt = 0


class Deadlines:
    """The two limits on retrying: the broker deadline and the drain deadline."""

    def __init__(self, progress: Progress, stop: StopRequest) -> None:
        self.progress = progress
        self.stop = stop

    def check(self) -> None:
        """Raise when retrying must end.

        Raises:
            BrokerUnavailableError: no progress within the broker deadline.
            DrainDeadlineError: a stop was requested and its deadline passed.
        """
        self.progress.check()
        remaining = self.stop.remaining_s()
        if remaining is not None and remaining < 0:
            raise DrainDeadlineError(
                f"the open batch did not commit within the drain deadline of "
                f"{self.stop.drain_deadline_s:g} s; its records are processed "
                "again by the next owner of their partitions"
            )

    def failed(self, error: KafkaError, backoff: Backoff) -> None:
        """Record a retriable failure, check the deadlines, then back off."""
        logger.debug("retrying error=%s", error.name())
        self.progress.failed(error.name())
        self.check()
        delay_s = backoff.next_s()
        if self.stop.wait(delay_s):
            # A stop cuts waits short, yet retries while draining need spacing.
            time.sleep(min(delay_s, DRAIN_RETRY_S))


def rewind_to_committed(
    consumer: Consumer,
    first_offsets: Mapping[PartitionKey, int],
    deadlines: Deadlines,
    backoff: Backoff,
) -> None:
    """Seek each partition of a batch of unknown outcome to its committed offset.

    The outcome is unknown when the producer failed during the commit and was
    replaced; the replacement settled the transaction, so the broker's
    committed offsets now tell. A partition without one goes back to the
    batch's first offset.

    Raises:
        BrokerUnavailableError, DrainDeadlineError: the offsets could not be
            read before a deadline.
        WorkerError: a seek failed.
    """
    partitions = [TopicPartition(t, p) for t, p in sorted(first_offsets)]
    while True:
        try:
            committed = consumer.committed(partitions, timeout=COMMITTED_TIMEOUT_S)
            break
        except KafkaException as exc:
            deadlines.failed(exc.args[0], backoff)
    offsets = dict(first_offsets)
    for tp in committed:
        if tp.error is None and tp.offset >= 0:
            offsets[(tp.topic, tp.partition)] = tp.offset
    rewind(consumer, offsets)


def rewind(consumer: Consumer, first_offsets: Mapping[PartitionKey, int]) -> None:
    """Seek each partition of an aborted batch back to the batch's first offset.

    That offset is the committed one: the previous batch committed before
    this one was consumed. Partitions no longer assigned are skipped: their
    new owner starts from their committed offset.

    Raises:
        WorkerError: a seek failed; going on could skip records, so the worker
            stops and its successor starts from the committed offsets.
    """
    assigned = {(tp.topic, tp.partition) for tp in consumer.assignment()}
    for (topic, partition), offset in sorted(first_offsets.items()):
        if (topic, partition) not in assigned:
            continue
        try:
            consumer.seek(TopicPartition(topic, partition, offset))
        except KafkaException as exc:
            raise WorkerError(
                f"cannot rewind {topic}/{partition} to offset {offset} "
                f"({exc.args[0].name()}); stopping so that no record is skipped"
            ) from None
    logger.debug("batch rewound count=%d", len(first_offsets))
