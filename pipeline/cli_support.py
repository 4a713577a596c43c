"""Helpers shared by the sub-commands: env defaults and error exits."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from processors.errors import ConfigError

EXIT_USAGE = 2


def env_default(name: str, default: str | None = None) -> str | None:
    """Return the environment variable ``name``, or ``default``."""
    return os.environ.get(name, default)


def exit_config_error(exc: ConfigError) -> int:
    """Print a configuration error for a human and return exit code 2."""
    print(f"phirewall: configuration error: {exc}", file=sys.stderr)
    return EXIT_USAGE


def cache_dir() -> Path:
    """Return where compiled pattern databases are kept between runs.

    ``PHIREWALL_CACHE_DIR``, else ``$XDG_CACHE_HOME/phirewall``, else
    ``~/.cache/phirewall``.
    """
    explicit = os.environ.get("PHIREWALL_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "phirewall"
