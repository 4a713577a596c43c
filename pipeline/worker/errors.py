"""Errors that stop the worker; each maps to an exit code of ``phirewall run``.

They extend the tree in ``processors.errors``::

    PhirewallError
    ├── ConfigError
    │   └── MissingTopicsError     topics absent or mismatched: exit 2
    └── WorkerError                the worker cannot go on: exit 1
        ├── BrokerUnavailableError no batch could commit within the deadline
        ├── FencedError            a newer instance took the transactional id
        ├── OutputTooLargeError    an output exceeds every configured limit
        └── DrainDeadlineError     the open batch did not commit before the
                                   drain deadline
"""

from __future__ import annotations

from processors.errors import ConfigError, PhirewallError


class MissingTopicsError(ConfigError):
    """Topics the worker needs are absent or do not match its settings."""


class WorkerError(PhirewallError):
    """The worker stops; nothing committed is lost and nothing is duplicated."""


class BrokerUnavailableError(WorkerError):
    """No batch could commit (broker unreachable) for ``broker_deadline_s``."""


class FencedError(WorkerError):
    """Another producer took this worker's transactional id (zombie fencing)."""


class OutputTooLargeError(WorkerError):
    """Even the quarantine record of a message exceeds ``max_message_bytes``."""


class DrainDeadlineError(WorkerError):
    """The open batch did not commit before ``drain_deadline_s`` ran out."""
