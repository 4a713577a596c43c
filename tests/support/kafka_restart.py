"""A self-hosted broker that can stop and start again on its port and data."""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path

from tests.support.kafka_client import WaitTimeoutError, wait_for_broker
from tests.support.kafka_jars import fetch_kafka_jars
from tests.support.kafka_local import (
    START_TIMEOUT_S,
    STOP_TIMEOUT_S,
    BrokerStartError,
    LocalKafkaBroker,
    _find_java,
    _parent_death_signal,
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
        command = self._java_command(_find_java(), "kafka.Kafka", str(config))
        with self.log_path.open("ab") as log:
            self._process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self._work_dir,
                preexec_fn=_parent_death_signal(),
            )
        process = self._process
        try:
            wait_for_broker(
                self.bootstrap_servers,
                timeout_s=timeout_s,
                is_alive=lambda: process.poll() is None,
            )
        except WaitTimeoutError as exc:
            raise BrokerStartError(
                f"{exc}; log {self.log_path}, last lines:\n{self.log_tail()}"
            ) from None
