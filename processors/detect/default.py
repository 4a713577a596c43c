"""Assemble the built-in detectors and their gate for a policy."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from processors.detect.custom import CustomPatternDetector, DenyListDetector
from processors.detect.keygate import key_gate_pattern
from processors.detect.keyvalue import KeyValueDetector
from processors.detect.registry import default_scanner
from processors.detect.sql import GATE_PATTERN as SQL_GATE_PATTERN
from processors.detect.sql import SqlInsertDetector
from processors.detect.text import Gated, TextDetection
from processors.policy import Policy

HL7_GATE_PATTERN = r"(?:PID|NK1|IN1|GT1|PV1)\|"

STRUCTURE_GATE_PATTERNS = (
    # A value typed by its sibling, as FHIR writes telecoms and identifiers.
    r"(?i)\"(?:system|type|kind|use|code)\"[ \t]*:[ \t]*\"[^\"]{0,160}"
    r"(?:phone|mobile|home|work|sms|fax|email|ssn|mrn|mr|mbi|npi|dl|memberid"
    r"|url)\"",
    # A FHIR resource about a person, whose id identifies them.
    r"(?i)\"resourceType\"[ \t]*:[ \t]*"
    r"\"(?:patient|person|relatedperson|practitioner)\"",
)
"""A superset of where the engine's sibling rules for JSON apply."""


def build_detection(
    policy: Policy,
    cache_dir: Path | None = None,
) -> tuple[TextDetection, dict[str, str], Callable[[str], bool]]:
    """Return the text detection of ``policy``, detector versions, and the
    whole-value name test used for ambiguous keys such as ``name``."""
    from processors.detect.hl7 import HL7Detector
    from processors.detect.names import (
        GATE_PATTERNS as NAME_GATE_PATTERNS,
    )
    from processors.detect.names import (
        NameDetector,
        looks_like_person_name,
    )

    scanner = default_scanner()
    extra = policy.identifier_keys
    pairs = KeyValueDetector(extra, looks_like_person_name)
    gated = [
        Gated(NameDetector(), NAME_GATE_PATTERNS),
        Gated(HL7Detector(), (HL7_GATE_PATTERN,)),
        Gated(pairs, (key_gate_pattern(extra),)),
        Gated(SqlInsertDetector(extra, looks_like_person_name), (SQL_GATE_PATTERN,)),
        Gated(None, STRUCTURE_GATE_PATTERNS),
    ]
    if policy.detectors:
        custom = CustomPatternDetector(policy.detectors)
        gated.append(Gated(custom, tuple(custom.gate_patterns)))
    if policy.deny:
        deny = DenyListDetector(policy.deny)
        gated.append(Gated(deny, tuple(deny.gate_patterns)))
    versions = {p.name: p.version for p in scanner.patterns}
    versions.update({g.detector.name: g.detector.version for g in gated if g.detector})
    detection = TextDetection(
        scanner, gated, policy.min_score, policy.allow, pairs, cache_dir
    )
    return detection, versions, looks_like_person_name
