"""Helpers shared by the sub-commands: env defaults and error exits."""

from __future__ import annotations

import os
import sys

from processors.errors import ConfigError

EXIT_USAGE = 2


def env_default(name: str, default: str | None = None) -> str | None:
    """Return the environment variable ``name``, or ``default``."""
    return os.environ.get(name, default)


def exit_config_error(exc: ConfigError) -> int:
    """Print a configuration error for a human and return exit code 2."""
    print(f"phirewall: configuration error: {exc}", file=sys.stderr)
    return EXIT_USAGE
