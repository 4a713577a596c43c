"""Settings of the worker and the topic admin: flags, environment, a TOML file."""

from __future__ import annotations

import argparse
import re
import socket
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from processors.errors import ConfigError

ENV_PREFIX = "PHIREWALL_"
KAFKA_ENV_PREFIX = "PHIREWALL_KAFKA__"
CONFIG_ENV = "PHIREWALL_CONFIG"
# Names of variables, not secrets.
SASL_PASSWORD_ENV = "PHIREWALL_SASL_PASSWORD"  # noqa: S105
SASL_PASSWORD_FILE_ENV = "PHIREWALL_SASL_PASSWORD_FILE"  # noqa: S105
MASK = "**********"

INPUT = "raw"
ROUTES = ("sanitized", "restricted", "audit", "quarantine")
TOPIC_ROLES = (INPUT, *ROUTES)

CONNECTION = "connection"
TOPICS = "topics"
WORKER = "worker"

_DAY_MS = 24 * 3600 * 1000
_MIB = 1 << 20

# librdkafka settings the worker owns: changing them would break exactly-once.
_RESERVED_KAFKA = {
    "bootstrap.servers": "set --bootstrap-servers instead",
    "group.id": "set --group-id instead",
    "transactional.id": "it is <group-id>.<instance-id>; set --instance-id",
    "enable.auto.commit": "offsets commit inside each batch's transaction",
    "enable.idempotence": "transactions need the idempotent producer",
    "acks": "transactions need acks=all",
    "isolation.level": "the worker reads committed input only",
}
_KAFKA_KEY = re.compile(r"[a-z][a-z0-9_.]*")
_SENSITIVE_KAFKA_KEY = re.compile(r"password|secret|passphrase|pem|key|oauthbearer")
# A kafka setting prefixed with one of these applies to that client only.
KAFKA_SCOPES = ("producer", "consumer", "admin")
# The few librdkafka settings spelt with an underscore, which the environment
# form cannot tell from a dot.
_UNDERSCORED_KAFKA = {"log.level": "log_level"}


class SettingsError(ConfigError):
    """A setting is malformed or unsafe; the message says how to fix it."""


@dataclass(frozen=True, slots=True)
class Secret:
    """A secret string that never shows in ``repr``, ``str`` or a log line."""

    value: str = field(repr=False)

    def reveal(self) -> str:
        """Return the secret itself, for the client that needs it."""
        return self.value

    def __str__(self) -> str:
        return MASK

    def __repr__(self) -> str:
        return f"Secret({MASK!r})"


@dataclass(frozen=True, slots=True)
class Option:
    """One setting: its flag, environment variable, TOML key and default."""

    group: str
    name: str
    default: Any
    metavar: str
    help: str
    shown_default: str | None = None
    """What ``--help`` says the default is, when ``default`` is computed."""

    @property
    def flag(self) -> str:
        """Return the command-line flag, such as ``--batch-max-records``."""
        return "--" + self.name.replace("_", "-")

    @property
    def env(self) -> str:
        """Return the environment variable, such as ``PHIREWALL_GROUP_ID``."""
        return ENV_PREFIX + self.name.upper()

    def parse(self, raw: str) -> Any:
        """Return ``raw`` as this option's type: that of its default, or text."""
        if isinstance(self.default, int | float):
            number = type(self.default)(raw)
            if not number > 0:
                raise ValueError("expected a number above 0")
            return number
        if not raw.strip():
            raise ValueError("expected a non-empty string")
        return raw.strip()


_RETENTION_DAYS = {
    # Long enough to reprocess after an outage over a weekend; it holds PHI.
    "raw": 3,
    "sanitized": 7,
    # PHI in clear: kept no longer than a review needs (minimum necessary).
    "restricted": 30,
    # Long enough for the analytics and an export to long-term audit storage.
    "audit": 365,
    "quarantine": 30,
}

_O = Option
OPTIONS: tuple[Option, ...] = (
    _O(CONNECTION, "bootstrap_servers", "localhost:9092", "HOSTS",
       "Kafka brokers, host:port[,host:port]"),
    *(_O(TOPICS, f"{role}_topic", f"logs.{role}.v1", "NAME", f"the {role} topic")
      for role in TOPIC_ROLES),
    _O(TOPICS, "partitions", 6, "N",
       "partitions of each topic `topics --create` makes; sanitized always "
       "gets the raw topic's count"),
    _O(TOPICS, "replication_factor", 3, "N", "replicas of each topic"),
    _O(TOPICS, "min_insync_replicas", 2, "N", "min.insync.replicas of each topic"),
    *(_O(TOPICS, f"{role}_retention_ms", days * _DAY_MS, "MS",
         f"retention.ms of the {role} topic")
      for role, days in _RETENTION_DAYS.items()),
    _O(TOPICS, "max_message_bytes", 8 * _MIB, "BYTES",
       "largest output message (topic max.message.bytes, producer "
       "message.max.bytes); a record with a larger output goes to quarantine"),
    _O(WORKER, "group_id", "phirewall", "ID", "consumer group of the workers"),
    _O(WORKER, "instance_id", None, "NAME",
       "this worker's name, stable across restarts and unique in the group; "
       "the transactional id is <group-id>.<instance-id>", "the host name"),
    _O(WORKER, "batch_max_records", 500, "N", "records per batch and transaction"),
    _O(WORKER, "batch_wait_s", 0.5, "SECONDS", "longest wait to fill a batch"),
    _O(CONNECTION, "broker_deadline_s", 60.0, "SECONDS",
       "exit 1 when the brokers cannot be reached, or no batch can commit, "
       "for this long"),
    _O(WORKER, "drain_deadline_s", 20.0, "SECONDS",
       "on SIGTERM or SIGINT, time to commit the open batch and leave"),
    _O(WORKER, "retry_backoff_s", 0.5, "SECONDS",
       "first wait before a failed batch is retried; it doubles"),
    _O(WORKER, "retry_backoff_max_s", 10.0, "SECONDS",
       "longest wait between retries"),
    _O(WORKER, "max_record_bytes", _MIB, "BYTES", "longer records are quarantined"),
    _O(WORKER, "max_depth", 64, "N", "JSON nested deeper is quarantined"),
    _O(WORKER, "policy", None, "PATH", "policy file (TOML)", "built-in"),
)  # fmt: skip

_FILE_ONLY_KEYS = ("sasl_password", "kafka")
KafkaSettings = Mapping[str, "str | Secret"]


@dataclass(frozen=True, slots=True)
class WorkerSettings:
    """Every setting of ``phirewall run`` and ``phirewall topics``."""

    bootstrap_servers: str
    raw_topic: str
    sanitized_topic: str
    restricted_topic: str
    audit_topic: str
    quarantine_topic: str
    partitions: int
    replication_factor: int
    min_insync_replicas: int
    raw_retention_ms: int
    sanitized_retention_ms: int
    restricted_retention_ms: int
    audit_retention_ms: int
    quarantine_retention_ms: int
    max_message_bytes: int
    group_id: str
    instance_id: str
    batch_max_records: int
    batch_wait_s: float
    broker_deadline_s: float
    drain_deadline_s: float
    retry_backoff_s: float
    retry_backoff_max_s: float
    max_record_bytes: int
    max_depth: int
    policy: str | None
    kafka: KafkaSettings = field(default_factory=dict)
    sasl_password: Secret | None = None

    @property
    def transactional_id(self) -> str:
        """Return the producer's transactional id, stable across restarts."""
        return f"{self.group_id}.{self.instance_id}"

    def topic(self, role: str) -> str:
        """Return the topic name of ``role`` (``raw`` or a route)."""
        name: str = getattr(self, f"{role}_topic")
        return name

    def retention_ms(self, role: str) -> int:
        """Return the retention of the topic of ``role``."""
        value: int = getattr(self, f"{role}_retention_ms")
        return value

    def describe(self) -> str:
        """Return every setting as ``name=value``, secrets masked."""
        parts = [f"{o.name}={getattr(self, o.name)}" for o in OPTIONS]
        parts.append(f"sasl_password={MASK if self.sasl_password else None}")
        parts += [f"kafka.{k}={v}" for k, v in sorted(self.kafka.items())]
        return " ".join(parts)


def add_arguments(parser: argparse.ArgumentParser, groups: Sequence[str]) -> None:
    """Add the options of ``groups`` and ``--config``/``--kafka`` to ``parser``."""
    parser.add_argument(
        "--config",
        metavar="PATH",
        help=f"TOML file of settings: the option names as keys, a [kafka] table "
        f"(env {CONFIG_ENV}, default: none)",
    )
    parser.add_argument(
        "--kafka",
        action="append",
        metavar="KEY=VALUE",
        help="any librdkafka setting, repeatable; prefix it with producer., "
        "consumer. or admin. for one client only; also env "
        f"{KAFKA_ENV_PREFIX}<KEY, dots as underscores> and the file's [kafka] "
        "table. The SASL password comes from "
        f"{SASL_PASSWORD_ENV} or {SASL_PASSWORD_FILE_ENV}",
    )
    for option in OPTIONS:
        if option.group not in groups:
            continue
        shown = option.shown_default or option.default
        parser.add_argument(
            option.flag,
            dest=option.name,
            metavar=option.metavar,
            help=f"{option.help} (env {option.env}, default: {shown})",
        )


def load_settings(args: argparse.Namespace, env: Mapping[str, str]) -> WorkerSettings:
    """Resolve every setting: flag, then environment, then file, then default.

    Raises:
        SettingsError: a value is malformed, the file is unreadable or has an
            unknown key, or a librdkafka setting would break exactly-once.
    """
    path = getattr(args, "config", None) or env.get(CONFIG_ENV)
    file_values = _read_file(Path(path)) if path else {}
    values = {o.name: _resolve(o, args, env, file_values) for o in OPTIONS}
    if values["instance_id"] is None:
        values["instance_id"] = socket.gethostname()
    kafka = _kafka_settings(file_values, env, getattr(args, "kafka", None) or [])
    settings = WorkerSettings(
        **values, kafka=kafka, sasl_password=_sasl_password(env, file_values)
    )
    _validate(settings)
    return settings


def _resolve(
    option: Option,
    args: argparse.Namespace,
    env: Mapping[str, str],
    file_values: Mapping[str, Any],
) -> Any:
    candidates = (
        (getattr(args, option.name, None), option.flag),
        (env.get(option.env), option.env),
        (file_values.get(option.name), f"{option.name} in the config file"),
    )
    for raw, origin in candidates:
        if raw is None:
            continue
        try:
            return option.parse(str(raw))
        except ValueError as exc:
            reason = str(exc) if str(exc).startswith("expected") else "bad value"
            raise SettingsError(f"{origin}: {reason}, got {str(raw)!r}") from None
    return option.default


def _read_file(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SettingsError(
            f"cannot read the config file {path} ({exc.strerror}); fix "
            f"--config or {CONFIG_ENV}"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"config file {path} is not valid TOML: {exc}") from None
    known = {o.name for o in OPTIONS} | set(_FILE_ONLY_KEYS)
    unknown = sorted(set(data) - known)
    if unknown:
        raise SettingsError(
            f"config file {path} has unknown keys {unknown}; the keys are the "
            "option names with underscores, e.g. batch_max_records"
        )
    return data


def _kafka_settings(
    file_values: Mapping[str, Any], env: Mapping[str, str], flags: Sequence[str]
) -> dict[str, str | Secret]:
    merged: dict[str, str] = {}
    table = file_values.get("kafka", {})
    if not isinstance(table, dict):
        raise SettingsError("kafka in the config file must be a table: [kafka]")
    for key, value in table.items():
        merged[key] = _kafka_value(value)
    for name, value in env.items():
        if name.startswith(KAFKA_ENV_PREFIX):
            key = name[len(KAFKA_ENV_PREFIX) :].lower().replace("_", ".")
            merged[_UNDERSCORED_KAFKA.get(key, key)] = value
    for item in flags:
        key, sep, value = item.partition("=")
        if not sep:
            raise SettingsError(f"--kafka takes KEY=VALUE, got {len(item)} chars")
        merged[key.strip()] = value
    return {key: _checked_kafka(key, value) for key, value in merged.items()}


def unscoped(key: str) -> tuple[str | None, str]:
    """Split ``producer.linger.ms`` into its client and setting; no client: None."""
    scope, _, rest = key.partition(".")
    return (scope, rest) if scope in KAFKA_SCOPES and rest else (None, key)


def _kafka_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    raise SettingsError(
        f"[kafka] values are strings, numbers or booleans, got {type(value).__name__}"
    )


def _checked_kafka(key: str, value: str) -> str | Secret:
    if not _KAFKA_KEY.fullmatch(key):
        raise SettingsError(f"{key!r} is not a librdkafka setting name")
    bare = unscoped(key)[1]
    if bare in _RESERVED_KAFKA:
        raise SettingsError(
            f"kafka setting {bare} is not settable: {_RESERVED_KAFKA[bare]}"
        )
    return Secret(value) if _SENSITIVE_KAFKA_KEY.search(key) else value


def _sasl_password(
    env: Mapping[str, str], file_values: Mapping[str, Any]
) -> Secret | None:
    if env.get(SASL_PASSWORD_ENV):
        return Secret(env[SASL_PASSWORD_ENV])
    if env.get(SASL_PASSWORD_FILE_ENV):
        path = Path(env[SASL_PASSWORD_FILE_ENV])
        try:
            return Secret(path.read_text(encoding="utf-8").strip())
        except OSError as exc:
            raise SettingsError(
                f"cannot read {SASL_PASSWORD_FILE_ENV} ({exc.strerror}); point "
                "it at a readable file holding the password"
            ) from None
    value = file_values.get("sasl_password")
    return Secret(str(value)) if value is not None else None


def _validate(settings: WorkerSettings) -> None:
    if settings.retry_backoff_max_s < settings.retry_backoff_s:
        raise SettingsError(
            "retry_backoff_max_s must be at least retry_backoff_s; raise "
            "--retry-backoff-max-s"
        )
    if settings.max_message_bytes < 2 * settings.max_record_bytes:
        raise SettingsError(
            f"max_message_bytes={settings.max_message_bytes} must be at least "
            f"twice max_record_bytes={settings.max_record_bytes}: tokens, base64 "
            "and findings make outputs larger than their input"
        )
    names = [settings.topic(role) for role in TOPIC_ROLES]
    if len(set(names)) != len(names):
        raise SettingsError(f"topic names must differ, got {names}")
