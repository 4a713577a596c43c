"""The worker's topics: what the settings ask for, what the cluster has, creation."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from confluent_kafka import KafkaError, KafkaException
from confluent_kafka.admin import (  # type: ignore[attr-defined]
    AdminClient,
    ConfigResource,
    NewTopic,
    ResourceType,
)

from pipeline.settings import INPUT, ROUTES, TOPIC_ROLES, WorkerSettings
from pipeline.worker.errors import BrokerUnavailableError

logger = logging.getLogger(__name__)

REQUEST_TIMEOUT_S = 10.0
_RETRY_INTERVAL_S = 1.0


@dataclass(frozen=True, slots=True)
class TopicSpec:
    """A topic as the settings want it."""

    role: str
    name: str
    partitions: int
    replication_factor: int
    config: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class TopicState:
    """A topic as the cluster has it."""

    name: str
    partitions: int
    replication_factor: int
    config: Mapping[str, str]


def plan(settings: WorkerSettings, raw_partitions: int | None) -> list[TopicSpec]:
    """Return the wanted topics; sanitized mirrors the raw topic's partitions.

    Args:
        raw_partitions: the partitions of the raw topic when it exists already.
    """
    specs = []
    for role in TOPIC_ROLES:
        config = {
            "cleanup.policy": "delete",
            "retention.ms": str(settings.retention_ms(role)),
            "min.insync.replicas": str(settings.min_insync_replicas),
        }
        if role in ROUTES:
            config["max.message.bytes"] = str(settings.max_message_bytes)
        partitions = settings.partitions
        if role in (INPUT, "sanitized") and raw_partitions is not None:
            partitions = raw_partitions
        specs.append(
            TopicSpec(
                role,
                settings.topic(role),
                partitions,
                settings.replication_factor,
                config,
            )
        )
    return specs


def fetch_state(
    admin: AdminClient, names: Sequence[str], timeout_s: float = REQUEST_TIMEOUT_S
) -> dict[str, TopicState]:
    """Return the state of those of ``names`` that exist.

    Raises:
        KafkaException: the cluster did not answer within ``timeout_s``.
    """
    metadata = admin.list_topics(timeout=timeout_s)
    present = [n for n in names if n in metadata.topics]
    if not present:
        return {}
    resources = [ConfigResource(ResourceType.TOPIC, name) for name in present]
    configs = admin.describe_configs(resources, request_timeout=timeout_s)
    states = {}
    for resource, future in configs.items():
        entries = future.result(timeout=timeout_s)
        topic = metadata.topics[resource.name]
        replicas = [len(p.replicas) for p in topic.partitions.values()]
        states[resource.name] = TopicState(
            resource.name,
            len(topic.partitions),
            min(replicas, default=0),
            {key: str(entry.value) for key, entry in entries.items()},
        )
    return states


def wait_for_state(
    admin: AdminClient,
    names: Sequence[str],
    deadline_s: float,
    stop: threading.Event | None = None,
) -> dict[str, TopicState]:
    """Return ``fetch_state``, retrying while the cluster does not answer.

    Raises:
        BrokerUnavailableError: no answer within ``deadline_s``.
    """
    deadline = time.monotonic() + deadline_s
    while True:
        timeout_s = min(REQUEST_TIMEOUT_S, max(deadline - time.monotonic(), 0.5))
        try:
            return fetch_state(admin, names, timeout_s)
        except KafkaException as exc:
            error = exc.args[0] if exc.args else None
            last = error.name() if isinstance(error, KafkaError) else "unknown"
        is_stopping = stop is not None and stop.is_set()
        if is_stopping or time.monotonic() + _RETRY_INTERVAL_S > deadline:
            raise BrokerUnavailableError(
                f"the brokers did not answer within {deadline_s:g} s (last error "
                f"{last}); check --bootstrap-servers and the network, or raise "
                "--broker-deadline-s"
            )
        time.sleep(_RETRY_INTERVAL_S)


def wait_for_topics(
    admin: AdminClient,
    names: Sequence[str],
    created: Sequence[str],
    timeout_s: float,
) -> dict[str, TopicState]:
    """Return the state of ``names`` once the ``created`` topics show in it.

    Raises:
        KafkaException: the cluster did not answer.
    """
    started = time.monotonic()
    while True:
        states = fetch_state(admin, names)
        is_visible = all(name in states for name in created)
        if is_visible or time.monotonic() - started > timeout_s:
            return states
        time.sleep(_RETRY_INTERVAL_S / 4)


def problems(specs: Sequence[TopicSpec], states: Mapping[str, TopicState]) -> list[str]:
    """Return how the cluster's topics differ from ``specs``, one line each."""
    lines = []
    for spec in specs:
        state = states.get(spec.name)
        if state is None:
            lines.append(f"{spec.name} ({spec.role}): missing")
            continue
        if state.partitions != spec.partitions:
            lines.append(
                f"{spec.name} ({spec.role}): {state.partitions} partitions, "
                f"expected {spec.partitions}"
            )
        if state.replication_factor != spec.replication_factor:
            lines.append(
                f"{spec.name} ({spec.role}): replication factor "
                f"{state.replication_factor}, expected {spec.replication_factor}"
            )
        for key, wanted in sorted(spec.config.items()):
            actual = state.config.get(key)
            if actual != wanted:
                lines.append(
                    f"{spec.name} ({spec.role}): {key}={actual}, expected {wanted}"
                )
    return lines


def worker_problems(
    settings: WorkerSettings, states: Mapping[str, TopicState]
) -> list[str]:
    """Return what stops the worker: missing topics, or a sanitized topic whose
    partitions differ from the raw topic's (each sanitized partition mirrors one
    raw partition, which keeps order and key placement)."""
    lines = [
        f"{settings.topic(role)} ({role}): missing"
        for role in TOPIC_ROLES
        if settings.topic(role) not in states
    ]
    raw = states.get(settings.topic(INPUT))
    sanitized = states.get(settings.topic("sanitized"))
    if raw and sanitized and raw.partitions != sanitized.partitions:
        lines.append(
            f"{sanitized.name} (sanitized): {sanitized.partitions} partitions, "
            f"expected the raw topic's {raw.partitions}"
        )
    return lines


def create_missing(
    admin: AdminClient,
    specs: Sequence[TopicSpec],
    states: Mapping[str, TopicState],
    timeout_s: float = REQUEST_TIMEOUT_S,
) -> list[str]:
    """Create the topics of ``specs`` that do not exist; return their names.

    Raises:
        KafkaException: the cluster refused a topic (other than its existing).
    """
    missing = [spec for spec in specs if spec.name not in states]
    if not missing:
        return []
    new_topics = [
        NewTopic(
            spec.name,
            num_partitions=spec.partitions,
            replication_factor=spec.replication_factor,
            config=dict(spec.config),
        )
        for spec in missing
    ]
    futures = admin.create_topics(new_topics, operation_timeout=timeout_s)
    created = []
    for name, future in futures.items():
        try:
            future.result(timeout=timeout_s)
        except KafkaException as exc:
            if exc.args[0].code() != KafkaError.TOPIC_ALREADY_EXISTS:
                raise
            continue
        created.append(name)
    return created
