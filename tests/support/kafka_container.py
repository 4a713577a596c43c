"""Run the pinned apache/kafka image through testcontainers, where Docker answers.

testcontainers' own Kafka module drives Confluent's images only (it calls their
start scripts), so this runs the Apache image as a plain container, in KRaft mode
with the same test settings as the self-hosted broker.
"""

from __future__ import annotations

import gc
import logging
import warnings
from typing import TYPE_CHECKING

from tests.support.kafka_client import wait_for_broker
from tests.support.kafka_jars import KAFKA_VERSION
from tests.support.kafka_settings import (
    BROKER_HEAP_OPTIONS,
    TEST_BROKER_SETTINGS,
    random_cluster_id,
    to_image_env,
)

if TYPE_CHECKING:
    from testcontainers.core.container import DockerContainer

logger = logging.getLogger(__name__)

KAFKA_IMAGE = f"apache/kafka:{KAFKA_VERSION}"
DOCKER_PING_TIMEOUT_S = 3
# Includes pulling the image on a cold Docker cache.
START_TIMEOUT_S = 180.0

_CLIENT_PORT = 9092
# The broker talks to itself (transaction markers) over this listener, so it must
# advertise an address that resolves inside the container.
_INTERNAL_PORT = 9093
_CONTROLLER_PORT = 9094
_START_SCRIPT = "/phirewall-kafka-start.sh"
_LOG_TAIL_LINES = 60


class ContainerStartError(RuntimeError):
    """The Kafka container did not start; the message ends with its log tail."""


def docker_unavailable_reason(timeout_s: int = DOCKER_PING_TIMEOUT_S) -> str | None:
    """Return why no Docker engine can be used, or None when one answers a ping."""
    try:
        import docker  # type: ignore[import-untyped]
    except ImportError:
        return "the docker Python package is not installed"

    # A failed connection leaves its socket to the garbage collector, which would
    # report it as a ResourceWarning in whatever test runs next.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            client = docker.from_env(timeout=timeout_s)
            try:
                client.ping()
            finally:
                client.close()
        except Exception as exc:  # any failure means "no usable Docker"
            return f"no Docker engine answered a ping ({type(exc).__name__})"
        finally:
            gc.collect()

    return None


class ContainerKafkaBroker:
    """The apache/kafka image, single node, combined broker and controller."""

    def __init__(self, image: str = KAFKA_IMAGE) -> None:
        self._image = image
        self._container: DockerContainer | None = None
        self._bootstrap_servers = ""

    @property
    def bootstrap_servers(self) -> str:
        """Return the address clients connect to; valid once started."""
        if self._container is None:
            raise RuntimeError("the container is not started")
        return self._bootstrap_servers

    def start(self, *, timeout_s: float = START_TIMEOUT_S) -> str:
        """Start the container and wait until the broker answers.

        The broker must advertise the host's mapped port, known only once the
        container runs: the container waits for a start script written then.

        Raises:
            ContainerStartError: the container failed or did not answer in time.
        """
        from testcontainers.core.container import (
            DockerContainer,
        )

        container = DockerContainer(self._image)
        container.with_exposed_ports(_CLIENT_PORT)
        for key, value in self._environment().items():
            container.with_env(key, value)
        container.with_command(
            [
                "sh",
                "-c",
                (
                    f"while [ ! -f {_START_SCRIPT} ]; do sleep 0.1; done; "
                    f"exec sh {_START_SCRIPT}"
                ),
            ]
        )
        self._container = container
        try:
            container.start()
            host = container.get_container_host_ip()
            port = container.get_exposed_port(_CLIENT_PORT)
            self._bootstrap_servers = f"{host}:{port}"
            container.copy_into_container(self._start_script(), _START_SCRIPT)
            wait_for_broker(self._bootstrap_servers, timeout_s=timeout_s)
        except Exception as exc:
            tail = self.log_tail()
            self.stop()
            raise ContainerStartError(
                f"{KAFKA_IMAGE} did not start ({type(exc).__name__}: {exc}); "
                f"last log lines:\n{tail}"
            ) from exc

        return self._bootstrap_servers

    def stop(self) -> None:
        """Remove the container."""
        container, self._container = self._container, None
        if container is not None:
            container.stop()

    def log_tail(self, lines: int = _LOG_TAIL_LINES) -> str:
        """Return the last lines of the container's output."""
        if self._container is None:
            return "(no container)"
        try:
            stdout, stderr = self._container.get_logs()
        except Exception as exc:  # diagnostics only: never mask the real error
            return f"(container log unavailable: {type(exc).__name__})"

        text = (stdout + stderr).decode("utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def _environment(self) -> dict[str, str]:
        env = to_image_env(TEST_BROKER_SETTINGS)
        env.update(
            {
                "CLUSTER_ID": random_cluster_id(),
                "KAFKA_NODE_ID": "1",
                "KAFKA_PROCESS_ROLES": "broker,controller",
                "KAFKA_CONTROLLER_QUORUM_VOTERS": f"1@localhost:{_CONTROLLER_PORT}",
                "KAFKA_LISTENERS": (
                    f"PLAINTEXT://0.0.0.0:{_CLIENT_PORT},"
                    f"INTERNAL://0.0.0.0:{_INTERNAL_PORT},"
                    f"CONTROLLER://0.0.0.0:{_CONTROLLER_PORT}"
                ),
                "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP": (
                    "PLAINTEXT:PLAINTEXT,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT"
                ),
                "KAFKA_INTER_BROKER_LISTENER_NAME": "INTERNAL",
                "KAFKA_CONTROLLER_LISTENER_NAMES": "CONTROLLER",
                "KAFKA_HEAP_OPTS": " ".join(BROKER_HEAP_OPTIONS),
            }
        )
        return env

    def _start_script(self) -> bytes:
        advertised = (
            f"PLAINTEXT://{self._bootstrap_servers},"
            f"INTERNAL://localhost:{_INTERNAL_PORT}"
        )
        script = (
            f"export KAFKA_ADVERTISED_LISTENERS='{advertised}'\n"
            "exec /etc/kafka/docker/run\n"
        )
        return script.encode("utf-8")
