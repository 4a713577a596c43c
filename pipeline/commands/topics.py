"""``phirewall topics``: check or create the topics the worker needs."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from confluent_kafka import KafkaException

from pipeline import topics
from pipeline.cli_support import exit_config_error
from pipeline.settings import (
    CONNECTION,
    INPUT,
    TOPICS,
    WorkerSettings,
    add_arguments,
    load_settings,
)
from pipeline.worker import clients
from pipeline.worker.errors import WorkerError
from processors.errors import ConfigError

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_MISMATCH = 2
CREATED_VISIBLE_TIMEOUT_S = 30.0


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``topics`` and its options."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "topics",
        help="check or create the raw, sanitized, restricted, audit and "
        "quarantine topics",
        description=(
            "Compare the cluster's topics with the settings (partitions, "
            "replication factor, retention.ms, cleanup.policy, "
            "min.insync.replicas, max.message.bytes), or create the missing "
            "ones; existing topics are never changed. One line per topic goes "
            "to stdout, each difference to stderr. Exit 0 when every topic "
            "matches, 1 when the brokers cannot be reached, 2 when a topic is "
            "missing or differs."
        ),
    )
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--check", action="store_true", help="report only")
    action.add_argument("--create", action="store_true", help="create missing")
    add_arguments(parser, (CONNECTION, TOPICS))
    return parser


def run(args: argparse.Namespace) -> int:
    """Check or create the topics; return the exit code."""
    try:
        settings = load_settings(args, os.environ)
    except ConfigError as exc:
        return exit_config_error(exc)

    try:
        specs, states, created = _reconcile(settings, is_create=args.create)
    except (WorkerError, KafkaException) as exc:
        print(f"phirewall topics: {_describe(exc)}", file=sys.stderr)
        return EXIT_FAILURE

    lines = topics.problems(specs, states)
    for spec in specs:
        status = _status(spec, states, created, lines)
        print(f"{spec.name}\t{spec.role}\t{status}")
    for line in lines:
        print(f"phirewall topics: {line}", file=sys.stderr)
    return EXIT_MISMATCH if lines else EXIT_OK


def _reconcile(
    settings: WorkerSettings, is_create: bool
) -> tuple[list[topics.TopicSpec], dict[str, topics.TopicState], list[str]]:
    admin = clients.new_admin(settings)
    names = [spec.name for spec in topics.plan(settings, None)]
    states = topics.wait_for_state(admin, names, settings.broker_deadline_s)
    raw = states.get(settings.topic(INPUT))
    specs = topics.plan(settings, raw.partitions if raw else None)
    created: list[str] = []
    if is_create:
        created = topics.create_missing(admin, specs, states)
        states = topics.wait_for_topics(
            admin, names, created, CREATED_VISIBLE_TIMEOUT_S
        )
    return specs, states, created


def _status(
    spec: topics.TopicSpec,
    states: dict[str, topics.TopicState],
    created: list[str],
    lines: list[str],
) -> str:
    if spec.name not in states:
        return "missing"
    if any(line.startswith(f"{spec.name} ") for line in lines):
        return "differs"
    return "created" if spec.name in created else "ok"


def _describe(exc: Exception) -> str:
    if isinstance(exc, KafkaException) and exc.args:
        return f"Kafka error {exc.args[0].name()}: {exc.args[0].str()}"
    return str(exc)
