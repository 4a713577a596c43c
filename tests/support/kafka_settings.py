"""Broker settings for a single-node test cluster on a small machine."""

from __future__ import annotations

import base64
import uuid

# Shared by the self-hosted broker and the container, so tests see the same broker
# whichever one runs. Each entry differs from Kafka's default for a reason.
TEST_BROKER_SETTINGS: dict[str, str] = {
    # One node: every internal and default topic has a single replica.
    "default.replication.factor": "1",
    "min.insync.replicas": "1",
    "offsets.topic.replication.factor": "1",
    "transaction.state.log.replication.factor": "1",
    "transaction.state.log.min.isr": "1",
    "share.coordinator.state.topic.replication.factor": "1",
    "share.coordinator.state.topic.min.isr": "1",
    # Tests choose partition counts themselves; one is the predictable default.
    "num.partitions": "1",
    # The first group and the first transaction create these internal topics;
    # fifty partitions each would cost seconds on two cores.
    "offsets.topic.num.partitions": "1",
    "transaction.state.log.num.partitions": "1",
    # A single consumer joins at once instead of waiting for more members.
    "group.initial.rebalance.delay.ms": "0",
    # Tests create their topics, as the shipped deployment does, so a misspelt
    # topic name fails loudly instead of creating a new topic.
    "auto.create.topics.enable": "false",
    # Small machine: fewer threads and a smaller compaction buffer for the heap.
    "num.network.threads": "2",
    "num.io.threads": "2",
    "log.cleaner.dedupe.buffer.size": "33554432",
}

# Small machine: the default heap of a quarter of memory is far more than tests use.
BROKER_HEAP_OPTIONS: tuple[str, ...] = ("-Xms256m", "-Xmx512m")


def to_properties(settings: dict[str, str]) -> str:
    """Render settings as a Java properties file, one `key=value` a line."""
    return "".join(f"{key}={value}\n" for key, value in sorted(settings.items()))


def to_image_env(settings: dict[str, str]) -> dict[str, str]:
    """Render settings as the `KAFKA_*` variables the apache/kafka image reads.

    The image maps `KAFKA_A_B` to `a.b`; setting names holding `_` or `-` would
    need its escapes, and none of ours do.
    """
    env: dict[str, str] = {}
    for key, value in settings.items():
        if "_" in key or "-" in key:
            raise ValueError(f"setting {key!r} needs escaping for the image")
        env["KAFKA_" + key.replace(".", "_").upper()] = value
    return env


def random_cluster_id() -> str:
    """Return a new cluster id: 16 random bytes in unpadded URL-safe base64.

    The storage tool parses a leading ``-`` as an option, so ids starting with
    one are drawn again.
    """
    while True:
        cluster_id = (
            base64.urlsafe_b64encode(uuid.uuid4().bytes).decode("ascii").rstrip("=")
        )
        if not cluster_id.startswith("-"):
            return cluster_id
