"""The worker's Kafka clients: production settings and constructors."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from confluent_kafka import Consumer, KafkaError, Producer
from confluent_kafka.admin import AdminClient

from pipeline.settings import Secret, WorkerSettings, unscoped

# librdkafka's own log lines name brokers, topics and errors, never payloads.
librdkafka_logger = logging.getLogger("pipeline.worker.librdkafka")

ErrorCallback = Callable[[KafkaError], None]

CONSUMER_DEFAULTS: dict[str, str] = {
    # Offsets commit only inside each batch's transaction.
    "enable.auto.commit": "false",
    # Input from transactional shippers counts only once committed.
    "isolation.level": "read_committed",
    # A new group starts at the oldest retained record, so nothing is skipped.
    "auto.offset.reset": "earliest",
    # A rebalance moves only the partitions that change owner; the rest keep
    # flowing.
    "partition.assignment.strategy": "cooperative-sticky",
}

PRODUCER_DEFAULTS: dict[str, str] = {
    # Transactions need both; spelt out so the intent is visible.
    "enable.idempotence": "true",
    "acks": "all",
    # Log lines compress several-fold; zstd has the best ratio for its CPU.
    "compression.type": "zstd",
    # commit_transaction sends whatever waits at once; until then, longer
    # batches compress better and cost fewer requests.
    "linger.ms": "50",
    # A crashed worker's open transaction holds back read_committed readers of
    # its partitions until it expires (unless the same instance restarts and
    # fences it first); a batch commits in well under a second.
    "transaction.timeout.ms": "30000",
}


def admin_config(settings: WorkerSettings) -> dict[str, Any]:
    """Return the librdkafka settings of an admin client."""
    return _config(settings, "admin", {}, {"client.id": _client_id(settings)})


def consumer_config(settings: WorkerSettings) -> dict[str, Any]:
    """Return the librdkafka settings of the worker's consumer."""
    fixed = {"group.id": settings.group_id, "client.id": _client_id(settings)}
    return _config(settings, "consumer", CONSUMER_DEFAULTS, fixed)


def producer_config(settings: WorkerSettings) -> dict[str, Any]:
    """Return the librdkafka settings of the transactional producer."""
    fixed = {
        "transactional.id": settings.transactional_id,
        "client.id": _client_id(settings),
        "message.max.bytes": str(settings.max_message_bytes),
    }
    return _config(settings, "producer", PRODUCER_DEFAULTS, fixed)


def transaction_timeout_s(settings: WorkerSettings) -> float:
    """Return the producer's ``transaction.timeout.ms`` in seconds."""
    return float(producer_config(settings)["transaction.timeout.ms"]) / 1000


def new_admin(settings: WorkerSettings) -> AdminClient:
    """Return an admin client; it connects on first use."""
    config = admin_config(settings)
    config["logger"] = librdkafka_logger
    return AdminClient(config)


def new_consumer(settings: WorkerSettings, on_error: ErrorCallback) -> Consumer:
    """Return the worker's consumer, not yet subscribed."""
    config = consumer_config(settings)
    config.update({"logger": librdkafka_logger, "error_cb": on_error})
    return Consumer(config)


def new_producer(settings: WorkerSettings, on_error: ErrorCallback) -> Producer:
    """Return the transactional producer; ``init_transactions`` is still due."""
    config = producer_config(settings)
    config.update({"logger": librdkafka_logger, "error_cb": on_error})
    return Producer(config)


def _client_id(settings: WorkerSettings) -> str:
    return f"phirewall-{settings.instance_id}"


def _config(
    settings: WorkerSettings,
    client: str,
    defaults: Mapping[str, str],
    fixed: Mapping[str, str],
) -> dict[str, Any]:
    config: dict[str, Any] = {"bootstrap.servers": settings.bootstrap_servers}
    config.update(defaults)
    # Unscoped settings first, so a client's own setting wins over them.
    scoped = [(unscoped(key), value) for key, value in settings.kafka.items()]
    scoped.sort(key=lambda item: item[0][0] is not None)
    for (scope, key), value in scoped:
        if scope in (None, client):
            config[key] = value.reveal() if isinstance(value, Secret) else value
    if settings.sasl_password is not None:
        config["sasl.password"] = settings.sasl_password.reveal()
    config.update(fixed)
    return config
