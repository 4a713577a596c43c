"""Worker settings: precedence, librdkafka pass-through, secrets, client configs."""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.settings import (
    CONNECTION,
    MASK,
    OPTIONS,
    TOPICS,
    WORKER,
    Secret,
    SettingsError,
    WorkerSettings,
    add_arguments,
    load_settings,
)
from pipeline.worker.clients import admin_config, consumer_config, producer_config

PASSWORD = "canary-sasl-password-5f2e"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser()
    add_arguments(parser, (CONNECTION, TOPICS, WORKER))
    return parser


def _load(
    argv: list[str] | None = None, env: dict[str, str] | None = None
) -> WorkerSettings:
    return load_settings(_parser().parse_args(argv or []), env or {})


def _write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "phirewall.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_settings_use_production_defaults_when_nothing_is_set() -> None:
    settings = _load()

    assert settings.raw_topic == "logs.raw.v1"
    assert settings.sanitized_topic == "logs.sanitized.v1"
    assert settings.restricted_topic == "logs.restricted.v1"
    assert settings.audit_topic == "logs.audit.v1"
    assert settings.quarantine_topic == "logs.quarantine.v1"
    assert settings.broker_deadline_s == 60.0
    assert settings.instance_id == socket.gethostname()
    assert settings.transactional_id == f"phirewall.{socket.gethostname()}"


@pytest.mark.parametrize(
    ("argv", "env", "file_text", "expected"),
    [
        pytest.param([], {}, "", 500, id="default"),
        pytest.param([], {}, "batch_max_records = 7\n", 7, id="file"),
        pytest.param(
            [], {"PHIREWALL_BATCH_MAX_RECORDS": "8"}, "batch_max_records = 7\n", 8,
            id="env-over-file",
        ),
        pytest.param(
            ["--batch-max-records", "9"], {"PHIREWALL_BATCH_MAX_RECORDS": "8"},
            "batch_max_records = 7\n", 9, id="flag-over-env",
        ),
    ],
)  # fmt: skip
def test_settings_take_flag_then_env_then_file_then_default_when_several_set(
    tmp_path: Path,
    argv: list[str],
    env: dict[str, str],
    file_text: str,
    expected: int,
) -> None:
    config = _write(tmp_path, file_text)

    settings = _load([*argv, "--config", config], env)

    assert settings.batch_max_records == expected


def test_settings_read_the_config_file_from_env_when_no_flag(tmp_path: Path) -> None:
    config = _write(tmp_path, 'group_id = "from-file"\n')

    settings = _load([], {"PHIREWALL_CONFIG": config})

    assert settings.group_id == "from-file"


def test_kafka_settings_merge_file_env_and_flags_when_all_given(
    tmp_path: Path,
) -> None:
    config = _write(
        tmp_path,
        '[kafka]\n"sasl.mechanism" = "PLAIN"\n"socket.keepalive.enable" = true\n'
        '"linger.ms" = 5\n',
    )
    env = {
        "PHIREWALL_KAFKA__SASL_MECHANISM": "SCRAM-SHA-512",
        "PHIREWALL_KAFKA__LOG_LEVEL": "3",
    }

    settings = _load(["--config", config, "--kafka", "linger.ms=7"], env)

    assert settings.kafka == {
        "sasl.mechanism": "SCRAM-SHA-512",
        "socket.keepalive.enable": "true",
        "linger.ms": "7",
        "log_level": "3",
    }


@pytest.mark.parametrize(
    "item",
    [
        pytest.param("enable.auto.commit=true", id="auto-commit"),
        pytest.param("isolation.level=read_uncommitted", id="isolation"),
        pytest.param("enable.idempotence=false", id="idempotence"),
        pytest.param("acks=1", id="acks"),
        pytest.param("transactional.id=x", id="transactional-id"),
        pytest.param("group.id=x", id="group-id"),
        pytest.param("no-equals-sign", id="malformed"),
    ],
)
def test_kafka_setting_is_refused_when_it_would_break_exactly_once(item: str) -> None:
    with pytest.raises(SettingsError):
        _load(["--kafka", item])


@pytest.mark.parametrize(
    ("argv", "env", "needle"),
    [
        pytest.param(["--batch-max-records", "0"], {}, "--batch-max-records",
                     id="flag"),
        pytest.param([], {"PHIREWALL_BATCH_WAIT_S": "soon"}, "PHIREWALL_BATCH_WAIT_S",
                     id="env"),
        pytest.param(["--group-id", " "], {}, "--group-id", id="empty"),
    ],
)  # fmt: skip
def test_settings_name_the_source_when_a_value_is_malformed(
    argv: list[str], env: dict[str, str], needle: str
) -> None:
    with pytest.raises(SettingsError, match=needle):
        _load(argv, env)


def test_settings_refuse_the_file_when_it_has_an_unknown_key(tmp_path: Path) -> None:
    config = _write(tmp_path, "bach_max_records = 5\n")

    with pytest.raises(SettingsError, match="bach_max_records"):
        _load(["--config", config])


def test_settings_refuse_the_file_when_it_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="cannot read"):
        _load(["--config", str(tmp_path / "absent.toml")])


def test_settings_refuse_limits_when_outputs_could_not_hold_a_record() -> None:
    with pytest.raises(SettingsError, match="max_message_bytes"):
        _load(["--max-record-bytes", "1000", "--max-message-bytes", "1500"])


def test_settings_refuse_topics_when_two_share_a_name() -> None:
    with pytest.raises(SettingsError, match="differ"):
        _load(["--audit-topic", "logs.raw.v1"])


def test_secrets_never_show_when_settings_are_printed(tmp_path: Path) -> None:
    settings = _load(
        ["--kafka", f"ssl.key.password={PASSWORD}-ssl"],
        {"PHIREWALL_SASL_PASSWORD": PASSWORD},
    )

    printed = [settings.describe(), repr(settings), str(settings)]

    assert all(PASSWORD not in text for text in printed)
    assert f"sasl_password={MASK}" in settings.describe()
    assert f"kafka.ssl.key.password={MASK}" in settings.describe()
    assert repr(Secret(PASSWORD)) == f"Secret({MASK!r})"


def test_sasl_password_is_read_from_a_file_when_the_file_variable_is_set(
    tmp_path: Path,
) -> None:
    secret_file = tmp_path / "sasl"
    secret_file.write_text(PASSWORD + "\n", encoding="utf-8")

    settings = _load([], {"PHIREWALL_SASL_PASSWORD_FILE": str(secret_file)})

    assert settings.sasl_password is not None
    assert settings.sasl_password.reveal() == PASSWORD


def test_client_configs_hold_the_exactly_once_settings_when_built() -> None:
    settings = _load(
        ["--instance-id", "w7", "--kafka", "linger.ms=9"],
        {"PHIREWALL_SASL_PASSWORD": PASSWORD},
    )

    consumer = consumer_config(settings)
    producer = producer_config(settings)

    assert consumer["group.id"] == "phirewall"
    assert consumer["enable.auto.commit"] == "false"
    assert consumer["isolation.level"] == "read_committed"
    assert consumer["partition.assignment.strategy"] == "cooperative-sticky"
    assert producer["transactional.id"] == "phirewall.w7"
    assert producer["enable.idempotence"] == "true"
    assert producer["acks"] == "all"
    assert producer["compression.type"] in ("zstd", "lz4")
    assert producer["linger.ms"] == "9"
    assert producer["sasl.password"] == PASSWORD
    assert admin_config(settings)["bootstrap.servers"] == "localhost:9092"


def test_scoped_kafka_setting_reaches_one_client_when_prefixed() -> None:
    settings = _load(
        ["--kafka", "linger.ms=9", "--kafka", "producer.linger.ms=3"],
        {"PHIREWALL_KAFKA__CONSUMER_SESSION_TIMEOUT_MS": "6000"},
    )

    assert producer_config(settings)["linger.ms"] == "3"
    assert consumer_config(settings)["session.timeout.ms"] == "6000"
    assert "session.timeout.ms" not in producer_config(settings)
    assert "consumer.session.timeout.ms" not in consumer_config(settings)
    with pytest.raises(SettingsError, match="enable.auto.commit"):
        _load(["--kafka", "consumer.enable.auto.commit=true"])


def test_help_names_the_env_variable_and_default_when_an_option_is_listed() -> None:
    text = " ".join(_parser().format_help().split())

    for option in OPTIONS:
        assert f"env {option.env}," in text, option.name
    assert "(env PHIREWALL_BATCH_MAX_RECORDS, default: 500)" in text


def test_run_exits_2_with_the_setting_named_when_a_flag_is_malformed() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PHIREWALL_")}
    env["PHIREWALL_TOKEN_KEY"] = "settings-test-key-0123456789"

    result = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "run", "--batch-wait-s", "-1"],
        capture_output=True,
        env=env,
        timeout=60,
        check=False,
    )

    assert result.returncode == 2
    assert b"--batch-wait-s" in result.stderr
