"""Run a single-node KRaft Apache Kafka broker from its jars, for tests.

The broker binds to 127.0.0.1 on free ports, keeps its data in a fresh folder and
writes its log to `broker.log` in the work folder, which outlives the broker so a
failure can show the log's tail.
"""

from __future__ import annotations

import ctypes
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from tests.support.kafka_client import WaitTimeoutError, wait_for_broker
from tests.support.kafka_settings import (
    BROKER_HEAP_OPTIONS,
    TEST_BROKER_SETTINGS,
    random_cluster_id,
    to_properties,
)

logger = logging.getLogger(__name__)

HOST = "127.0.0.1"
# JVM start, storage recovery and controller election; about 6 s on two cores.
START_TIMEOUT_S = 90.0
FORMAT_TIMEOUT_S = 60.0
# A clean shutdown of one node takes a few seconds; then the broker is killed.
STOP_TIMEOUT_S = 20.0
# The storage tool runs for a second: skipping the optimizing compiler and the
# concurrent collector shortens its start, which matters on two busy cores.
_TOOL_JVM_OPTIONS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")
# Another process may take a free port between our probe and the broker's bind.
_START_ATTEMPTS = 3
_LOG_TAIL_LINES = 60

# prctl(2) option: the signal the kernel sends a process when its parent dies.
_PR_SET_PDEATHSIG = 1

_LOG4J2_PROPERTIES = """\
rootLogger.level = INFO
rootLogger.appenderRef.console.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
"""


class BrokerStartError(RuntimeError):
    """The self-hosted broker did not start; the message ends with its log tail."""


class LocalKafkaBroker:
    """One Kafka process in combined broker and controller mode."""

    def __init__(
        self,
        classpath: Sequence[Path],
        work_dir: Path,
        *,
        java: str | None = None,
    ) -> None:
        self._classpath = os.pathsep.join(str(jar) for jar in classpath)
        self._work_dir = work_dir
        self._java = java
        self._process: subprocess.Popen[bytes] | None = None
        self._port = 0

    @property
    def bootstrap_servers(self) -> str:
        """Return the address clients connect to; valid once started."""
        if self._process is None:
            raise RuntimeError("the broker is not started")
        return f"{HOST}:{self._port}"

    @property
    def log_path(self) -> Path:
        """Return the file the broker writes its log to."""
        return self._work_dir / "broker.log"

    @property
    def data_dir(self) -> Path:
        """Return the folder holding the broker's metadata and topic data."""
        return self._work_dir / "data"

    def is_running(self) -> bool:
        """Return whether the broker process is alive."""
        return self._process is not None and self._process.poll() is None

    def start(self, *, timeout_s: float = START_TIMEOUT_S) -> str:
        """Format fresh storage, start the broker and wait until it answers.

        Returns:
            The bootstrap servers string.

        Raises:
            BrokerStartError: Java is missing, or the broker failed or did not
                answer within `timeout_s`.
        """
        java = self._java or _find_java()
        self._work_dir.mkdir(parents=True, exist_ok=True)
        for attempt in range(1, _START_ATTEMPTS + 1):
            try:
                return self._start_once(java, timeout_s)
            except BrokerStartError:
                self.stop()
                if attempt == _START_ATTEMPTS or not self._lost_port_race():
                    raise
                logger.warning("broker port taken, retrying (attempt %d)", attempt)

        raise AssertionError("unreachable: the last attempt returns or raises")

    def stop(self) -> None:
        """Stop the broker (SIGTERM, then SIGKILL) and delete its data."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                logger.warning("broker ignored SIGTERM, killing it")
                process.kill()
                process.wait()

        shutil.rmtree(self.data_dir, ignore_errors=True)

    def log_tail(self, lines: int = _LOG_TAIL_LINES) -> str:
        """Return the last lines of the broker log, or a note when there is none."""
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return f"(no broker log at {self.log_path})"

        return "\n".join(text.splitlines()[-lines:])

    def _start_once(self, java: str, timeout_s: float) -> str:
        broker_port, controller_port = _free_ports(2)
        self._port = broker_port
        shutil.rmtree(self.data_dir, ignore_errors=True)
        config = self._write_config(broker_port, controller_port)
        self._format_storage(java, config)

        self._launch(java, config, timeout_s)
        return self.bootstrap_servers

    def _launch(self, java: str, config: Path, timeout_s: float) -> None:
        """Start the broker process on ``config`` and wait until it answers.

        Raises:
            BrokerStartError: it did not answer within ``timeout_s``.
        """
        command = self._java_command(java, "kafka.Kafka", str(config))
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

    def _write_config(self, broker_port: int, controller_port: int) -> Path:
        settings = dict(TEST_BROKER_SETTINGS)
        settings.update(
            {
                "process.roles": "broker,controller",
                "node.id": "1",
                "controller.quorum.voters": f"1@{HOST}:{controller_port}",
                "listeners": (
                    f"PLAINTEXT://{HOST}:{broker_port},"
                    f"CONTROLLER://{HOST}:{controller_port}"
                ),
                "advertised.listeners": f"PLAINTEXT://{HOST}:{broker_port}",
                "listener.security.protocol.map": (
                    "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"
                ),
                "controller.listener.names": "CONTROLLER",
                "inter.broker.listener.name": "PLAINTEXT",
                "log.dirs": str(self.data_dir),
            }
        )
        config = self._work_dir / "server.properties"
        config.write_text(to_properties(settings), encoding="utf-8")
        (self._work_dir / "log4j2.properties").write_text(
            _LOG4J2_PROPERTIES, encoding="utf-8"
        )
        return config

    def _format_storage(self, java: str, config: Path) -> None:
        command = self._java_command(
            java,
            # The storage tool of the Kafka 4.x jars, as bin/kafka-storage.sh runs.
            "kafka.tools.StorageTool",
            "format",
            "--cluster-id",
            random_cluster_id(),
            "--config",
            str(config),
            jvm_options=_TOOL_JVM_OPTIONS,
        )
        with self.log_path.open("ab") as log:
            try:
                result = subprocess.run(
                    command,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    cwd=self._work_dir,
                    timeout=FORMAT_TIMEOUT_S,
                    check=False,
                )
            except subprocess.TimeoutExpired:
                raise BrokerStartError(
                    f"storage format did not finish within {FORMAT_TIMEOUT_S:g} s"
                ) from None

        if result.returncode != 0:
            raise BrokerStartError(
                f"storage format failed (exit {result.returncode}); log "
                f"{self.log_path}, last lines:\n{self.log_tail()}"
            )

    def _java_command(
        self,
        java: str,
        main_class: str,
        *args: str,
        jvm_options: Sequence[str] = (),
    ) -> list[str]:
        """Return the argv that runs `main_class` of the Kafka jars."""
        log4j_config = self._work_dir / "log4j2.properties"
        return [
            java,
            *BROKER_HEAP_OPTIONS,
            "-Djava.awt.headless=true",
            f"-Dlog4j2.configurationFile={log4j_config}",
            *jvm_options,
            "-cp",
            self._classpath,
            main_class,
            *args,
        ]

    def _lost_port_race(self) -> bool:
        return "Address already in use" in self.log_tail()


def _parent_death_signal() -> Callable[[], None] | None:
    """Return a pre-exec hook that makes the broker stop when its parent dies.

    A test run killed without cleanup (SIGKILL, a CI time limit) would otherwise
    leave the broker running. The hook only calls prctl(2) through a libc loaded
    before the fork, which is safe between fork and exec.
    """
    if not sys.platform.startswith("linux"):
        return None

    libc = ctypes.CDLL(None, use_errno=True)

    def set_parent_death_signal() -> None:
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)

    return set_parent_death_signal


def _find_java() -> str:
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").is_file():
        return str(Path(java_home) / "bin" / "java")

    java = shutil.which("java")
    if java is None:
        raise BrokerStartError(
            "java is not on PATH and JAVA_HOME is unset; Kafka 4 needs Java 17 or "
            "newer (Debian: apt-get install default-jre-headless)"
        )
    return java


def _free_ports(count: int) -> list[int]:
    sockets = [socket.socket(socket.AF_INET, socket.SOCK_STREAM) for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind((HOST, 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()
