"""Build the restricted record and the audit event of a redacted line."""

from __future__ import annotations

import base64
from collections import Counter
from collections.abc import Mapping
from typing import Any

from processors.engine import Redaction
from processors.findings import Finding

RESTRICTED_SCHEMA = "phirewall.restricted.v1"
AUDIT_SCHEMA = "phirewall.audit.v1"
QUARANTINE_SCHEMA = "phirewall.quarantine.v1"
MAX_ERROR_CHARS = 500


def _finding(finding: Finding, *, with_value: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "entity_type": finding.entity_type.value,
        "path": finding.path,
        "start": finding.start,
        "end": finding.end,
        "detector": finding.detector,
        "detector_version": finding.detector_version,
        "score": round(finding.score, 3),
        "action": finding.action,
        "token": finding.token,
    }
    if with_value:
        out["value"] = finding.value
        out["replacement"] = finding.replacement
    return out


def restricted_record(
    redaction: Redaction,
    original: bytes,
    source: Mapping[str, Any],
    policy_version: str,
) -> dict[str, Any]:
    """Return the restricted-zone record: the original line and its findings."""
    return {
        "schema": RESTRICTED_SCHEMA,
        "source": dict(source),
        "service": redaction.service,
        "policy_version": policy_version,
        "original": original.decode("utf-8"),
        "findings": [_finding(f, with_value=True) for f in redaction.findings],
    }


def audit_event(
    redaction: Redaction,
    source: Mapping[str, Any],
    policy_version: str,
) -> dict[str, Any]:
    """Return the audit event: findings without their values."""
    counts = Counter(f.entity_type.value for f in redaction.findings)
    return {
        "schema": AUDIT_SCHEMA,
        "source": dict(source),
        "service": redaction.service,
        "policy_version": policy_version,
        "counts": dict(sorted(counts.items())),
        "findings": [_finding(f, with_value=False) for f in redaction.findings],
    }


def quarantine_record(
    original: bytes, reason: str, error: str, source: Mapping[str, Any]
) -> dict[str, Any]:
    """Return a quarantine record: the line whole (base64) and a PHI-free reason."""
    return {
        "schema": QUARANTINE_SCHEMA,
        "source": dict(source),
        "reason": reason,
        "error": error[:MAX_ERROR_CHARS],
        "original_b64": base64.b64encode(original).decode("ascii"),
        "original_bytes": len(original),
    }
