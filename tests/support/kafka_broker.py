"""Find or start the Kafka broker that integration tests and benchmarks run against.

Tried in this order:

1. the cluster named by `PHIREWALL_TEST_BOOTSTRAP_SERVERS` (a user's own cluster;
   when it does not answer, that is an error, not a reason to try the others);
2. the pinned apache/kafka image through testcontainers, where a Docker engine
   answers a ping;
3. a broker started from the pinned release's jars, which Maven resolves from
   Maven Central into a cache kept between runs.

As a program, `python -m tests.support.kafka_broker` fetches the jars, prints the
pinned version, or runs the self-hosted broker in the foreground.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import signal
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import FrameType

from tests.support.kafka_client import WaitTimeoutError, wait_for_broker
from tests.support.kafka_container import (
    KAFKA_IMAGE,
    ContainerKafkaBroker,
    ContainerStartError,
    docker_unavailable_reason,
)
from tests.support.kafka_jars import (
    KAFKA_VERSION,
    JarFetchError,
    fetch_kafka_jars,
    jar_version,
    jars_dir,
)
from tests.support.kafka_local import BrokerStartError, LocalKafkaBroker

logger = logging.getLogger(__name__)

BOOTSTRAP_ENV = "PHIREWALL_TEST_BOOTSTRAP_SERVERS"
# A user's running cluster answers at once; this only absorbs a slow first connect.
EXTERNAL_BROKER_TIMEOUT_S = 30.0

_VERSION_LINE = re.compile(r"Kafka version: (\S+)")


class NoBrokerError(RuntimeError):
    """No Kafka broker could be found or started; the message lists each try."""


@dataclass(frozen=True)
class RunningBroker:
    """A broker the tests can use, and how to stop it and read its log."""

    bootstrap_servers: str
    source: str
    version: str
    startup_s: float
    stop: Callable[[], None] = field(repr=False)
    log_tail: Callable[[], str] = field(repr=False)
    log_path: Path | None = None
    # Options tried before this one and not used, each with the reason.
    passed_over: tuple[str, ...] = ()

    def describe(self) -> str:
        """Return lines naming the broker and why it was chosen, for test logs."""
        where = f", log {self.log_path}" if self.log_path else ""
        lines = [
            f"Apache Kafka {self.version} from {self.source} at "
            f"{self.bootstrap_servers}, ready in {self.startup_s:.1f} s{where}",
            *(f"  passed over: {reason}" for reason in self.passed_over),
        ]
        return "\n".join(lines)


def is_ci() -> bool:
    """Return whether the `CI` environment variable says this is a CI run."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def start_test_broker(work_dir: Path) -> RunningBroker:
    """Return a running broker, found or started in the documented order.

    Args:
        work_dir: an empty folder for a self-hosted broker's config, data and log.

    Raises:
        NoBrokerError: nothing worked; the message says what was tried and how
            to provide a broker.
    """
    external = os.environ.get(BOOTSTRAP_ENV, "").strip()
    if external:
        return _use_external(external)

    tried = [f"{BOOTSTRAP_ENV}: not set"]
    reason = docker_unavailable_reason()
    if reason is not None:
        tried.append(f"testcontainers with {KAFKA_IMAGE}: skipped, {reason}")
    else:
        try:
            return replace(_start_container(), passed_over=tuple(tried))
        except ContainerStartError as exc:
            tried.append(f"testcontainers with {KAFKA_IMAGE}: {exc}")

    try:
        return replace(start_local_broker(work_dir), passed_over=tuple(tried))
    except (JarFetchError, BrokerStartError) as exc:
        tried.append(f"self-hosted Kafka {KAFKA_VERSION} from Maven Central: {exc}")

    raise NoBrokerError(
        "no Kafka broker for the integration tests. Tried:\n"
        + "\n".join(f"- {line}" for line in tried)
        + f"\nTo fix: set {BOOTSTRAP_ENV}=host:port, start a Docker engine, or "
        "install Java 17+ and Maven (make install does not install them)."
    )


def start_local_broker(work_dir: Path) -> RunningBroker:
    """Start the self-hosted broker from the cached (or freshly fetched) jars.

    Raises:
        JarFetchError: the jars are not cached and Maven could not fetch them.
        BrokerStartError: the broker did not start.
    """
    started = time.monotonic()
    classpath = fetch_kafka_jars()
    broker = LocalKafkaBroker(classpath, work_dir)
    bootstrap_servers = broker.start()
    version = _version_in(broker.log_tail(lines=10_000)) or jar_version(classpath)
    return RunningBroker(
        bootstrap_servers=bootstrap_servers,
        source=f"jars of org.apache.kafka:kafka_2.13 in {jars_dir()}",
        version=version,
        startup_s=time.monotonic() - started,
        stop=broker.stop,
        log_tail=broker.log_tail,
        log_path=broker.log_path,
    )


def _start_container() -> RunningBroker:
    started = time.monotonic()
    broker = ContainerKafkaBroker()
    bootstrap_servers = broker.start()
    return RunningBroker(
        bootstrap_servers=bootstrap_servers,
        source=f"testcontainers with {KAFKA_IMAGE}",
        version=_version_in(broker.log_tail(lines=10_000)) or KAFKA_VERSION,
        startup_s=time.monotonic() - started,
        stop=broker.stop,
        log_tail=broker.log_tail,
    )


def _use_external(bootstrap_servers: str) -> RunningBroker:
    started = time.monotonic()
    try:
        wait_for_broker(bootstrap_servers, timeout_s=EXTERNAL_BROKER_TIMEOUT_S)
    except WaitTimeoutError as exc:
        raise NoBrokerError(
            f"{BOOTSTRAP_ENV}={bootstrap_servers} names a broker that does not "
            f"answer ({exc}); start it, or unset {BOOTSTRAP_ENV} to let the tests "
            "start their own broker"
        ) from None

    return RunningBroker(
        bootstrap_servers=bootstrap_servers,
        source=f"{BOOTSTRAP_ENV}",
        # The client protocol does not report a broker's release.
        version="(version not reported)",
        startup_s=time.monotonic() - started,
        stop=lambda: None,
        log_tail=lambda: "(the broker's log is not visible to the tests)",
    )


def _version_in(log_text: str) -> str | None:
    match = _VERSION_LINE.search(log_text)
    return match.group(1) if match else None


def _run_in_foreground() -> int:
    work_dir = Path(tempfile.mkdtemp(prefix="phirewall-kafka-"))
    try:
        broker = start_local_broker(work_dir)
    except (JarFetchError, BrokerStartError) as exc:
        logger.error("broker did not start: %s", exc)
        return 1

    def request_stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    # SIGINT too: a shell starts background jobs with SIGINT ignored.
    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    logger.info("%s", broker.describe())
    logger.info("press Ctrl-C to stop it")
    sys.stdout.write(broker.bootstrap_servers + "\n")
    sys.stdout.flush()
    try:
        while True:
            time.sleep(1.0)
    except KeyboardInterrupt:
        logger.info("stopping the broker")
    finally:
        broker.stop()

    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the command line: `fetch`, `version` or `run`."""
    parser = argparse.ArgumentParser(
        prog="python -m tests.support.kafka_broker",
        description="The Kafka broker of phirewall's tests.",
    )
    parser.add_argument(
        "command",
        choices=("fetch", "version", "run"),
        help="fetch: resolve the jars into the cache; version: print the pinned "
        "Kafka version and the cached jars' version; run: start the self-hosted "
        "broker in the foreground and print its bootstrap servers",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s"
    )

    if args.command == "run":
        return _run_in_foreground()

    try:
        classpath = fetch_kafka_jars()
    except JarFetchError as exc:
        logger.error("%s", exc)
        return 1

    if args.command == "fetch":
        size_mb = sum(jar.stat().st_size for jar in classpath) / 1e6
        logger.info("%d jars, %.0f MB, in %s", len(classpath), size_mb, jars_dir())
        return 0

    sys.stdout.write(
        f"Apache Kafka {jar_version(classpath)} (pinned {KAFKA_VERSION}; "
        f"Docker image {KAFKA_IMAGE} where a Docker engine answers)\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
