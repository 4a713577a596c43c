"""The exceptions of phirewall.

Every error carries coordinates (a field path, an entity type, a size, a
count), never the text of a record, so it is safe to log and to route::

    PhirewallError
    ├── RecordError            a record that cannot be processed: quarantine it
    │   ├── DecodeError        not valid UTF-8, JSON, or a binary payload
    │   ├── OversizeError      longer than the configured limit
    │   ├── NestingError       nested deeper than the configured limit
    │   └── DetectionError     a detector or operator failed on the record
    └── ConfigError            bad settings, policy or secret: stop the process
        ├── PolicyError        the policy file is invalid
        └── TokenKeyError      the token key is missing or unusable

The worker adds its own errors under these (``pipeline/worker/errors.py``):
``MissingTopicsError`` is a ``ConfigError``; ``WorkerError`` and its subtree
cover a broker out of reach past its deadline and a fenced instance.
"""

from __future__ import annotations


class PhirewallError(Exception):
    """Root of every error phirewall raises on purpose."""


class RecordError(PhirewallError):
    """One record cannot be processed; callers route it to quarantine.

    Attributes:
        reason: a short machine-readable reason, also the metric label.
    """

    reason = "record_error"


class DecodeError(RecordError):
    """The record is not valid UTF-8 or not valid in its declared format."""

    reason = "decode_error"


class OversizeError(RecordError):
    """The record is longer than ``max_record_bytes``."""

    reason = "oversize"


class NestingError(RecordError):
    """The record nests deeper than ``max_depth``."""

    reason = "nesting"


class DetectionError(RecordError):
    """Detection or an operator failed on a record that decoded fine."""

    reason = "detection_error"


class ConfigError(PhirewallError):
    """Settings, policy or secrets are unusable; the process must stop."""


class PolicyError(ConfigError):
    """The policy file is invalid."""


class TokenKeyError(ConfigError):
    """The token key is missing, too short, or unreadable."""
