"""Unit tests of the test broker's launcher: the order of tries, names, settings."""

from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest
from confluent_kafka.admin import AdminClient

from tests.support import kafka_broker, kafka_client, kafka_jars
from tests.support.kafka_client import KafkaScratch, WaitTimeoutError, wait_until
from tests.support.kafka_container import (
    ContainerStartError,
    docker_unavailable_reason,
)
from tests.support.kafka_settings import (
    TEST_BROKER_SETTINGS,
    to_image_env,
    to_properties,
)

_LEGAL_TOPIC = re.compile(r"^[a-zA-Z0-9._-]{1,249}$")


def _closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("true", True, id="true"),
        pytest.param("1", True, id="one"),
        pytest.param("", False, id="empty"),
        pytest.param("false", False, id="false"),
        pytest.param("0", False, id="zero"),
    ],
)
def test_is_ci_reads_ci_variable_when_set(
    monkeypatch: pytest.MonkeyPatch, value: str, expected: bool
) -> None:
    monkeypatch.setenv("CI", value)

    assert kafka_broker.is_ci() is expected


def test_is_ci_false_when_ci_variable_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)

    assert kafka_broker.is_ci() is False


def test_start_test_broker_lists_every_try_when_nothing_works(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def no_jars() -> list[Path]:
        raise kafka_jars.JarFetchError("Maven (mvn) is not on PATH")

    monkeypatch.delenv(kafka_broker.BOOTSTRAP_ENV, raising=False)
    monkeypatch.setattr(kafka_broker, "docker_unavailable_reason", lambda: "no ping")
    monkeypatch.setattr(kafka_broker, "fetch_kafka_jars", no_jars)

    with pytest.raises(kafka_broker.NoBrokerError) as raised:
        kafka_broker.start_test_broker(tmp_path)

    message = str(raised.value)
    assert f"{kafka_broker.BOOTSTRAP_ENV}: not set" in message
    assert "apache/kafka:" in message
    assert "no ping" in message
    assert "Maven (mvn) is not on PATH" in message


def test_start_test_broker_fails_without_fallback_when_named_broker_is_silent(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def must_not_try_docker() -> str | None:
        raise AssertionError("Docker tried although a broker was named")

    silent = f"127.0.0.1:{_closed_port()}"
    monkeypatch.setenv(kafka_broker.BOOTSTRAP_ENV, silent)
    monkeypatch.setattr(kafka_broker, "EXTERNAL_BROKER_TIMEOUT_S", 0.5)
    monkeypatch.setattr(kafka_client, "BROKER_PROBE_TIMEOUT_S", 0.2)
    monkeypatch.setattr(kafka_broker, "docker_unavailable_reason", must_not_try_docker)

    with pytest.raises(kafka_broker.NoBrokerError, match=re.escape(silent)):
        kafka_broker.start_test_broker(tmp_path)


def test_start_test_broker_falls_back_to_jars_when_container_fails(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def container_fails() -> kafka_broker.RunningBroker:
        raise ContainerStartError("image pull refused")

    local = kafka_broker.RunningBroker(
        bootstrap_servers="127.0.0.1:1",
        source="jars",
        version="4.1.1",
        startup_s=0.0,
        stop=lambda: None,
        log_tail=lambda: "",
    )
    monkeypatch.delenv(kafka_broker.BOOTSTRAP_ENV, raising=False)
    monkeypatch.setattr(kafka_broker, "docker_unavailable_reason", lambda: None)
    monkeypatch.setattr(kafka_broker, "_start_container", container_fails)
    monkeypatch.setattr(kafka_broker, "start_local_broker", lambda work_dir: local)

    broker = kafka_broker.start_test_broker(tmp_path)

    assert broker.source == "jars"
    assert any("image pull refused" in line for line in broker.passed_over)
    assert "image pull refused" in broker.describe()


def test_docker_unavailable_reason_says_why_when_engine_does_not_answer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DOCKER_HOST", f"tcp://127.0.0.1:{_closed_port()}")

    reason = docker_unavailable_reason(timeout_s=1)

    assert reason is not None
    assert "no Docker engine answered" in reason


def test_wait_until_names_what_was_awaited_when_condition_stays_false() -> None:
    with pytest.raises(
        WaitTimeoutError, match=re.escape("the moon: not done within 0.05 s")
    ):
        wait_until(lambda: False, timeout_s=0.05, what="the moon", interval_s=0.01)


def test_scratch_names_differ_when_made_twice_for_one_test() -> None:
    admin = AdminClient({"bootstrap.servers": "127.0.0.1:9"})
    name = "test_x[case with spaces/and:colons]" + "y" * 300

    first = KafkaScratch.for_test("127.0.0.1:9", admin, name)
    second = KafkaScratch.for_test("127.0.0.1:9", admin, name)

    assert first.topic_name("input") != second.topic_name("input")
    assert first.group_id != second.group_id
    for topic in (first.topic_name("input"), first.group_id, first.transactional_id):
        assert _LEGAL_TOPIC.match(topic), topic


def test_image_env_maps_setting_names_when_they_hold_only_dots() -> None:
    env = to_image_env({"transaction.state.log.min.isr": "1"})

    assert env == {"KAFKA_TRANSACTION_STATE_LOG_MIN_ISR": "1"}


def test_image_env_rejects_setting_when_name_needs_escaping() -> None:
    with pytest.raises(ValueError, match="needs escaping"):
        to_image_env({"some_setting": "1"})


def test_test_settings_render_single_replica_when_written_as_properties() -> None:
    lines = to_properties(TEST_BROKER_SETTINGS).splitlines()

    assert "offsets.topic.replication.factor=1" in lines
    assert "transaction.state.log.replication.factor=1" in lines
    assert "transaction.state.log.min.isr=1" in lines
    assert "group.initial.rebalance.delay.ms=0" in lines


def test_cached_classpath_is_none_when_fetch_never_completed(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PHIREWALL_CACHE_DIR", str(tmp_path))
    libs = kafka_jars.jars_dir()
    libs.mkdir(parents=True)
    (libs / f"kafka_2.13-{kafka_jars.KAFKA_VERSION}.jar").write_bytes(b"")

    assert kafka_jars.cached_classpath() is None


def test_fetch_kafka_jars_says_how_to_fix_when_maven_missing_and_cache_empty(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PHIREWALL_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr("shutil.which", lambda name: None)

    with pytest.raises(kafka_jars.JarFetchError, match="install Maven"):
        kafka_jars.fetch_kafka_jars()
