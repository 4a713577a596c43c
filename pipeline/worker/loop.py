"""The worker loop: consume a batch, route it, commit it in one transaction."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from confluent_kafka import Consumer, KafkaException, TopicPartition

from pipeline import topics
from pipeline.settings import INPUT, ROUTES, WorkerSettings
from pipeline.worker import clients
from pipeline.worker.batch import Batch, build_batch, log_quarantined
from pipeline.worker.errors import (
    BrokerUnavailableError,
    DrainDeadlineError,
    MissingTopicsError,
    WorkerError,
)
from pipeline.worker.recovery import (
    Backoff,
    Deadlines,
    Progress,
    rewind,
    rewind_to_committed,
)
from pipeline.worker.routing import LineRedactor, Router
from pipeline.worker.shutdown import StopRequest
from pipeline.worker.stats import WorkerStats
from pipeline.worker.transactions import ProducerFailedError, Transactions

logger = logging.getLogger(__name__)

PROBE_TIMEOUT_S = 2.0
"""Bounds the metadata request that checks an idle worker's brokers."""


class Worker:
    """One worker of the consumer group; ``run`` until stopped or failed.

    Each batch's outputs on every route and its consumed offsets commit in one
    Kafka transaction, so a ``read_committed`` reader sees each input record's
    outputs exactly once, whatever crashes, restarts or rebalances happen.

    No transaction is ever open while the consumer is polled: a batch commits
    or aborts before the next ``consume`` call, the only place rebalance
    callbacks run, so a revocation never meets an open transaction.
    """

    def __init__(
        self,
        settings: WorkerSettings,
        new_redactor: Callable[[], LineRedactor],
        policy_version: str,
        stop: StopRequest,
        stats: WorkerStats | None = None,
    ) -> None:
        self._settings = settings
        self._new_redactor = new_redactor
        self._policy_version = policy_version
        self._router: Router | None = None
        self._topics = {route: settings.topic(route) for route in ROUTES}
        self._stop = stop
        self.stats = stats or WorkerStats()
        self._progress = Progress(settings.broker_deadline_s)
        self._deadlines = Deadlines(self._progress, stop)
        self._backoff = Backoff(settings.retry_backoff_s, settings.retry_backoff_max_s)
        self._txn = Transactions(
            lambda: clients.new_producer(settings, self._progress.on_client_error),
            self._deadlines,
            self._backoff,
            self.stats,
            settings.transactional_id,
            clients.transaction_timeout_s(settings),
        )

    def run(self) -> None:
        """Process batches until a stop is requested, then leave the group.

        On a stop, the batch in progress commits (within the drain deadline)
        or aborts; an aborted batch is redone by the partitions' next owner.

        Raises:
            ConfigError: a topic is missing or mismatched (MissingTopicsError),
                or the redactor cannot be built from the policy (exit 2).
            WorkerError: the worker cannot go on (exit 1); see its subclasses.
        """
        logger.info("worker starting %s", self._settings.describe())
        started = time.monotonic()
        if not self._is_started():
            logger.info("worker stopped before it started")
            return
        consumer = self._start_consumer()
        try:
            while not self._stop.is_requested:
                self._deadlines.check()
                self._step(consumer)
        finally:
            self._close(consumer)
        logger.info(
            "worker stopped duration_s=%.1f count=%d",
            time.monotonic() - started,
            self.stats.snapshot().get("records", 0),
        )

    def _is_started(self) -> bool:
        """Check the topics, build the redactor and start the producer.

        The redactor is built after the topic check, so a missing topic or an
        unreachable broker is reported before seconds of detector compiling.

        Returns:
            False when a stop came first.
        """
        try:
            self._check_topics()
            self._router = Router(
                self._new_redactor(),
                self._policy_version,
                self._settings.max_message_bytes,
            )
            self._start_producer()
        except (BrokerUnavailableError, DrainDeadlineError):
            if not self._stop.is_requested:
                raise
            return False
        return True

    def _check_topics(self) -> None:
        admin = clients.new_admin(self._settings)
        names = [self._settings.topic(role) for role in (INPUT, *ROUTES)]
        states = topics.wait_for_state(
            admin, names, self._settings.broker_deadline_s, self._stop.event
        )
        lines = topics.worker_problems(self._settings, states)
        if lines:
            raise MissingTopicsError(
                "the worker's topics are not ready:\n  "
                + "\n  ".join(lines)
                + "\ncreate them with `phirewall topics --create`, or fix the "
                "topic settings"
            )

    def _start_producer(self) -> None:
        try:
            self._txn.start()
        except ProducerFailedError as exc:
            raise WorkerError(
                f"the transactional producer cannot start ({exc}); check the "
                "transaction settings and the ACLs of its transactional id"
            ) from None

    def _start_consumer(self) -> Consumer:
        consumer = clients.new_consumer(self._settings, self._progress.on_client_error)
        consumer.subscribe(
            [self._settings.topic(INPUT)],
            on_assign=_on_assign,
            on_revoke=_on_revoke,
            on_lost=_on_lost,
        )
        return consumer

    def _step(self, consumer: Consumer) -> None:
        msgs = consumer.consume(
            self._settings.batch_max_records, self._settings.batch_wait_s
        )
        if self._router is None:
            raise RuntimeError("the worker routes only once started")
        batch = build_batch(msgs, self._router, self._topics)
        if batch.is_empty:
            self._idle(consumer)
            return
        self._transact(consumer, batch)

    def _transact(self, consumer: Consumer, batch: Batch) -> None:
        try:
            is_committed = self._txn.run(
                batch.outputs, batch.next_offsets, consumer.consumer_group_metadata()
            )
        except ProducerFailedError as exc:
            # The commit may have gone through: the replacement producer
            # settles the transaction, then the broker's offsets tell.
            self._txn.restart(exc)
            rewind_to_committed(
                consumer, batch.first_offsets, self._deadlines, self._backoff
            )
            return

        if is_committed:
            self.stats.add_batch(batch.tally)
            log_quarantined(batch)
            return

        rewind(consumer, batch.first_offsets)
        self._stop.wait(self._backoff.next_s())

    def _idle(self, consumer: Consumer) -> None:
        """With nothing to do, check that the brokers answer when in doubt."""
        if not self._progress.is_failing:
            return
        try:
            consumer.list_topics(self._settings.topic(INPUT), timeout=PROBE_TIMEOUT_S)
        except KafkaException:
            return
        self._progress.succeeded()

    def _close(self, consumer: Consumer) -> None:
        # close() leaves the group at once, so the partitions move without
        # waiting for the session timeout; no offsets commit here.
        try:
            consumer.close()
        except (KafkaException, RuntimeError) as exc:
            logger.warning("consumer close failed error_type=%s", type(exc).__name__)
        self._txn.close()


def _on_assign(consumer: Consumer, partitions: list[TopicPartition]) -> None:
    if partitions:
        logger.info(
            "partitions assigned topic=%s partition=%s count=%d", *_fields(partitions)
        )


def _on_revoke(consumer: Consumer, partitions: list[TopicPartition]) -> None:
    # Nothing to finish: no transaction is open while the consumer is polled.
    if partitions:
        logger.info(
            "partitions revoked topic=%s partition=%s count=%d", *_fields(partitions)
        )


def _on_lost(consumer: Consumer, partitions: list[TopicPartition]) -> None:
    # Lost, not revoked (the session expired): a batch that read them fails to
    # commit its offsets and is aborted; their new owner redoes it.
    if partitions:
        logger.warning(
            "partitions lost topic=%s partition=%s count=%d", *_fields(partitions)
        )


def _fields(partitions: list[TopicPartition]) -> tuple[str, str, int]:
    numbers = ",".join(str(tp.partition) for tp in sorted(partitions))
    return partitions[0].topic, numbers, len(partitions)
