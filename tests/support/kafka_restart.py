"""A self-hosted broker that can stop and start again on its port and data."""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path

from tests.support.kafka_jars import fetch_kafka_jars
from tests.support.kafka_local import (
    START_TIMEOUT_S,
    STOP_TIMEOUT_S,
    LocalKafkaBroker,
    _find_java,
)


class RestartableKafkaBroker(LocalKafkaBroker):
    """A `LocalKafkaBroker` with `halt()` and `resume()` between start and stop.

    The session broker formats fresh storage on every start; a test of broker
    trouble needs one that comes back with the same address, data and
    transaction state.
    """

    @classmethod
    def from_cached_jars(cls, work_dir: Path) -> RestartableKafkaBroker:
        """Return a broker over the cached (or freshly fetched) Kafka jars."""
        return cls(fetch_kafka_jars(), work_dir)

    def halt(self, *, is_crash: bool = False) -> None:
        """Stop the broker process, keeping its port, data and log.

        Args:
            is_crash: SIGKILL instead of a clean SIGTERM shutdown.
        """
        process = self._process
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGKILL if is_crash else signal.SIGTERM)
        try:
            process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def resume(self, *, timeout_s: float = START_TIMEOUT_S) -> None:
        """Start the halted broker again and wait until it answers.

        Raises:
            BrokerStartError: it did not answer within `timeout_s`.
        """
        config = self._work_dir / "server.properties"
        self._launch(_find_java(), config, timeout_s)
