"""The transactional producer, with librdkafka's rules for each kind of error."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from confluent_kafka import KafkaError, KafkaException, Producer, TopicPartition

from pipeline.worker.errors import FencedError, OutputTooLargeError, WorkerError
from pipeline.worker.recovery import Backoff, Deadlines, PartitionKey
from pipeline.worker.routing import Output
from pipeline.worker.stats import WorkerStats

logger = logging.getLogger(__name__)

# Bounds init_transactions and send_offsets_to_transaction; commit and abort
# get the transaction timeout, which librdkafka's own default would use.
REQUEST_TIMEOUT_S = 10.0
QUEUE_FULL_WAIT_S = 0.1
FENCED_LIMIT = 3
"""Fencings within one broker deadline that mean a duplicate instance id."""

_FENCED_CODES = (KafkaError._FENCED, KafkaError.PRODUCER_FENCED)


class ProducerFailedError(Exception):
    """This producer instance cannot go on; the worker restarts it."""

    def __init__(self, error: KafkaError, call: str) -> None:
        super().__init__(f"{call} failed with {error.name()}")
        self.error = error
        self.call = call


class Transactions:
    """Batches in transactions: begin, produce, send offsets, commit or abort.

    librdkafka marks each error of the transactional API: retriable (call
    again), ``txn_requires_abort`` (abort, then redo the batch) or fatal (this
    producer instance is done). An error with none of these marks counts as
    fatal. A fatal error restarts the producer under the same transactional
    id, unless the producer keeps being fenced: then another live worker has
    the same id. A commit or abort still retrying after a whole transaction
    timeout counts as fatal too: the broker has rolled the transaction back by
    then, and the new producer's ``init_transactions`` settles its state.
    """

    def __init__(
        self,
        new_producer: Callable[[], Producer],
        deadlines: Deadlines,
        backoff: Backoff,
        stats: WorkerStats,
        transactional_id: str,
        txn_timeout_s: float,
    ) -> None:
        self._new_producer = new_producer
        self._txn_timeout_s = txn_timeout_s
        self._deadlines = deadlines
        self._backoff = backoff
        self._stats = stats
        self._transactional_id = transactional_id
        self._producer: Producer | None = None
        self._fenced_at: list[float] = []

    @property
    def producer(self) -> Producer:
        """Return the current producer; ``start`` must have run."""
        if self._producer is None:
            raise RuntimeError("Transactions.start() was not called")
        return self._producer

    def start(self) -> None:
        """Create the producer and fence older instances of its id.

        Raises:
            BrokerUnavailableError: the coordinator did not answer in time.
            ProducerFailedError: the producer failed fatally.
        """
        self._producer = self._new_producer()
        while True:
            try:
                self._producer.init_transactions(REQUEST_TIMEOUT_S)
                break
            except KafkaException as exc:
                error = _error_of(exc)
                if not error.retriable():
                    raise ProducerFailedError(error, "init_transactions") from None
                self._deadlines.failed(error, self._backoff)
        self._deadlines.progress.succeeded()
        self._backoff.reset()

    def restart(self, failure: ProducerFailedError) -> None:
        """Replace a failed producer with a new instance of the same id.

        Raises:
            FencedError: fenced repeatedly: another worker has the same id.
            WorkerError: the new producer failed as well.
        """
        self._check_fencing(failure.error)
        self._stats.add_event("producer_restarts")
        logger.warning(
            "producer restarting error=%s call=%s", failure.error.name(), failure.call
        )
        old, self._producer = self._producer, None
        if old is not None:
            _discard(old)
        try:
            self.start()
        except ProducerFailedError as again:
            raise WorkerError(
                f"the restarted producer failed too ({again}); stopping"
            ) from None

    def run(
        self,
        outputs: Sequence[tuple[str, Output]],
        offsets: Mapping[PartitionKey, int],
        group_metadata: Any,
    ) -> bool:
        """Produce ``outputs`` as (topic, output) and commit them with ``offsets``.

        Returns:
            True when committed; False when the transaction was aborted and
            the batch must be rewound and redone.

        Raises:
            ProducerFailedError: a fatal error; restart the producer, rewind.
            BrokerUnavailableError, DrainDeadlineError: retrying must end.
            OutputTooLargeError: the broker refused an output for its size.
        """
        producer = self.producer
        _call(producer.begin_transaction, "begin_transaction")
        try:
            for topic, output in outputs:
                self._produce(producer, topic, output)
            partitions = [TopicPartition(t, p, o) for (t, p), o in offsets.items()]
            producer.send_offsets_to_transaction(
                partitions, group_metadata, REQUEST_TIMEOUT_S
            )
        except KafkaException as exc:
            error = _error_of(exc)
            if error.fatal():
                raise ProducerFailedError(error, "produce") from None
            self._deadlines.progress.failed(error.name())
            self.abort()
            return False
        return self._commit()

    def abort(self) -> None:
        """Abort the open transaction, retrying while the broker is away.

        Raises:
            ProducerFailedError: the abort failed fatally.
        """
        self._stats.add_event("batches_aborted")
        logger.warning("batch aborted")
        started = time.monotonic()
        while True:
            try:
                self.producer.abort_transaction(self._txn_timeout_s)
                return
            except KafkaException as exc:
                error = _error_of(exc)
                if error.fatal() or not error.retriable():
                    raise ProducerFailedError(error, "abort_transaction") from None
                self._retry(error, "abort_transaction", started)

    def close(self) -> None:
        """Drop the producer; no transaction is open between batches."""
        old, self._producer = self._producer, None
        if old is not None:
            old.flush(REQUEST_TIMEOUT_S)

    def _commit(self) -> bool:
        started = time.monotonic()
        while True:
            try:
                self.producer.commit_transaction(self._txn_timeout_s)
            except KafkaException as exc:
                error = _error_of(exc)
                if error.fatal():
                    raise ProducerFailedError(error, "commit_transaction") from None
                if error.txn_requires_abort():
                    self._deadlines.progress.failed(error.name())
                    self.abort()
                    return False
                if not error.retriable():
                    raise ProducerFailedError(error, "commit_transaction") from None
                self._retry(error, "commit_transaction", started)
                continue
            self._deadlines.progress.succeeded()
            self._backoff.reset()
            return True

    def _retry(self, error: KafkaError, call: str, started: float) -> None:
        """Back off before calling again, or give up on a stuck transaction."""
        if time.monotonic() - started >= self._txn_timeout_s:
            raise ProducerFailedError(error, call)
        self._deadlines.failed(error, self._backoff)

    def _produce(self, producer: Producer, topic: str, output: Output) -> None:
        while True:
            try:
                producer.produce(
                    topic,
                    value=output.value,
                    key=output.key,
                    partition=-1 if output.partition is None else output.partition,
                    headers=list(output.headers) if output.headers else None,
                    timestamp=output.timestamp_ms,
                )
                return
            except BufferError:
                # The local queue is full: let librdkafka send, then retry.
                producer.poll(QUEUE_FULL_WAIT_S)
            except KafkaException as exc:
                if _error_of(exc).code() == KafkaError.MSG_SIZE_TOO_LARGE:
                    raise OutputTooLargeError(
                        f"the {output.route} topic refused a message of "
                        f"{output.size} bytes; align --max-message-bytes with "
                        "the topics' max.message.bytes"
                    ) from None
                raise

    def _check_fencing(self, error: KafkaError) -> None:
        if error.code() not in _FENCED_CODES:
            return
        now = time.monotonic()
        window = self._deadlines.progress.deadline_s
        self._fenced_at = [t for t in self._fenced_at if now - t < window] + [now]
        if len(self._fenced_at) >= FENCED_LIMIT:
            raise FencedError(
                f"fenced {len(self._fenced_at)} times within {window:g} s: another "
                f"live worker uses transactional.id {self._transactional_id}; "
                "give each worker its own --instance-id"
            )


def _call(method: Callable[[], None], name: str) -> None:
    try:
        method()
    except KafkaException as exc:
        raise ProducerFailedError(_error_of(exc), name) from None


def _error_of(exc: KafkaException) -> KafkaError:
    error = exc.args[0] if exc.args else None
    if isinstance(error, KafkaError):
        return error
    return KafkaError(KafkaError._FAIL, str(error))


def _discard(producer: Producer) -> None:
    """Drop a failed producer's queued messages; they belong to no transaction."""
    try:
        producer.purge(in_queue=True, in_flight=True, blocking=False)
    except KafkaException as exc:
        logger.debug("purge failed error=%s", _error_of(exc).name())
