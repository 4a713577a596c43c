"""Assemble the built-in detectors and their gate for a policy."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from processors.detect.custom import CustomPatternDetector, DenyListDetector
from processors.detect.fields import PERSON_RESOURCES, TYPE_SIBLINGS, TYPED_VALUE_KEYS
from processors.detect.keygate import any_spelling, key_gate_pattern
from processors.detect.keyvalue import KeyValueDetector
from processors.detect.registry import default_scanner
from processors.detect.sql import GATE_PATTERN as SQL_GATE_PATTERN
from processors.detect.sql import SqlInsertDetector
from processors.detect.text import Gated, TextDetection
from processors.policy import Policy


def _structure_gate_patterns() -> tuple[str, ...]:
    """A superset of where the walk's sibling rules for JSON apply, written
    from the same lexicon: a typed ``value`` (FHIR telecoms, identifiers)
    and the ``id`` of a FHIR resource about a person."""
    siblings = "|".join(TYPE_SIBLINGS)
    # A label's last part is compared normalized, so any separator may
    # stand between its letters.
    labels = "|".join(any_spelling(label) for label in sorted(TYPED_VALUE_KEYS))
    resources = "|".join(sorted(PERSON_RESOURCES))
    return (
        rf'(?i)"(?:{siblings})"[ \t]*:[ \t]*"[^"]{{0,160}}(?:{labels})"',
        rf'(?i)"resourceType"[ \t]*:[ \t]*"(?:{resources})"',
    )


STRUCTURE_GATE_PATTERNS = _structure_gate_patterns()


def build_detection(
    policy: Policy,
    cache_dir: Path | None = None,
) -> tuple[TextDetection, dict[str, str], Callable[[str], bool]]:
    """Return the text detection of ``policy``, detector versions, and the
    whole-value name test used for ambiguous keys such as ``name``."""
    from processors.detect.hl7 import GATE_PATTERN as HL7_GATE_PATTERN
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
