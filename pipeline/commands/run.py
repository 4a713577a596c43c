"""``phirewall run``: the Kafka worker, until SIGTERM or SIGINT."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from typing import Any

from confluent_kafka import KafkaException

from pipeline.cli_support import cache_dir, exit_config_error
from pipeline.secrets import KEY_ENV, KEY_FILE_ENV, KEY_VERSION_ENV, load_token_key
from pipeline.settings import CONNECTION, TOPICS, WORKER, add_arguments, load_settings
from pipeline.worker.errors import WorkerError
from pipeline.worker.loop import Worker
from pipeline.worker.shutdown import StopRequest
from processors.decode import Limits
from processors.engine import Redactor
from processors.errors import ConfigError
from processors.policy import load_policy

logger = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_FAILURE = 1


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``run`` and its options."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "run",
        help="redact the raw topic into the sanitized, restricted, audit and "
        "quarantine topics",
        description=(
            "Consume the raw topic as one worker of a consumer group and commit "
            "each batch's outputs and offsets in one Kafka transaction. The "
            f"token key comes from {KEY_ENV} or {KEY_FILE_ENV} (version: "
            f"{KEY_VERSION_ENV}). Exit 0 after SIGTERM or SIGINT, 1 when the "
            "worker cannot go on, 2 on bad settings or missing topics."
        ),
    )
    add_arguments(parser, (CONNECTION, TOPICS, WORKER))
    return parser


def run(args: argparse.Namespace) -> int:
    """Run the worker until stopped; return the exit code."""
    try:
        settings = load_settings(args, os.environ)
        key = load_token_key(os.environ)
        policy = load_policy(settings.policy)
    except ConfigError as exc:
        return exit_config_error(exc)

    limits = Limits(settings.max_record_bytes, settings.max_depth)
    stop = StopRequest(settings.drain_deadline_s)
    stop.install()
    worker = Worker(
        settings,
        lambda: Redactor.from_defaults(
            key.secret, key.version, policy, limits, cache_dir()
        ),
        policy.version,
        stop,
    )
    try:
        worker.run()
    except ConfigError as exc:
        return exit_config_error(exc)
    except WorkerError as exc:
        print(f"phirewall run: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except KafkaException as exc:
        name = exc.args[0].name() if exc.args else "unknown"
        print(f"phirewall run: unexpected Kafka error {name}", file=sys.stderr)
        return EXIT_FAILURE
    return EXIT_OK
