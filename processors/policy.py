"""The policy: which action applies to each entity type and field.

A policy is a TOML file; ``data/default_policy.toml`` is the documented
default. Every error names the setting and says how to fix it.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from processors.entities import EntityType
from processors.errors import PolicyError

ACTIONS = frozenset({"tokenize", "mask", "redact", "generalize", "date_shift", "keep"})


@dataclass(frozen=True, slots=True)
class Action:
    """What to do with one span, and the operator's parameters."""

    name: str = "tokenize"
    keep_last: int = 4
    max_shift_days: int = 365


@dataclass(frozen=True, slots=True)
class CustomDetector:
    """A regular expression the policy adds, with its entity type."""

    name: str
    entity_type: EntityType
    pattern: str


@dataclass(frozen=True, slots=True)
class Policy:
    """Actions per entity type and field path, and the lists that adjust them."""

    version: str = "default"
    min_score: float = 0.5
    default: Action = Action()
    by_entity: Mapping[EntityType, Action] = field(default_factory=dict)
    by_field: Mapping[str, Action] = field(default_factory=dict)
    """Keyed by a dotted path of normalized keys, e.g. ``patient.dob``."""
    identifier_keys: tuple[str, ...] = ()
    """Normalized keys whose values are identifiers (entity type ID)."""
    allow: frozenset[str] = frozenset()
    """Values never redacted (compared after stripping)."""
    deny: Mapping[str, EntityType] = field(default_factory=dict)
    """Values always redacted wherever they appear, with their entity type."""
    detectors: tuple[CustomDetector, ...] = ()

    def action_for(self, entity_type: EntityType, path: str = "") -> Action:
        """Return the action for a span of ``entity_type`` at ``path``."""
        if path and self.by_field:
            action = self.by_field.get(path)
            if action is not None:
                return action
        return self.by_entity.get(entity_type, self.default)


def _action(raw: Any, where: str) -> Action:
    if isinstance(raw, str):
        raw = {"action": raw}
    if not isinstance(raw, dict):
        raise PolicyError(f"{where}: expected a table or an action name")
    name = raw.get("action", "tokenize")
    if name not in ACTIONS:
        raise PolicyError(
            f"{where}: unknown action {name!r}; use one of {sorted(ACTIONS)}"
        )
    keep_last = raw.get("keep_last", 4)
    max_shift_days = raw.get("max_shift_days", 365)
    if not _is_int(keep_last) or keep_last < 0:
        raise PolicyError(f"{where}.keep_last: expected an integer >= 0")
    if not _is_int(max_shift_days) or max_shift_days < 1:
        raise PolicyError(f"{where}.max_shift_days: expected an integer >= 1")
    return Action(name, keep_last, max_shift_days)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _table(data: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise PolicyError(f"{name}: expected a table, e.g. [{name}]")
    return value


def _list(data: Mapping[str, Any], name: str, where: str) -> list[Any]:
    value = data.get(name, [])
    if not isinstance(value, list):
        raise PolicyError(f"{where}.{name}: expected an array")
    return value


def _entity(name: Any, where: str) -> EntityType:
    try:
        return EntityType(name)
    except ValueError:
        raise PolicyError(
            f"{where}: unknown entity type; use one of {[e.value for e in EntityType]}"
        ) from None


def _normalize_path(path: str) -> str:
    return ".".join(re.sub(r"[^0-9a-z]+", "", p.lower()) for p in path.split("."))


def parse_policy(data: Mapping[str, Any]) -> Policy:
    """Build a policy from a parsed TOML document.

    Raises:
        PolicyError: a setting is unknown or has the wrong type.
    """
    known = {
        "version",
        "min_score",
        "default",
        "entities",
        "fields",
        "identifiers",
        "allow",
        "deny",
        "detectors",
    }
    unknown = sorted(set(data) - known)
    if unknown:
        raise PolicyError(f"unknown policy settings {unknown}; known: {sorted(known)}")
    min_score = data.get("min_score", 0.5)
    if (
        isinstance(min_score, bool)
        or not isinstance(min_score, int | float)
        or not 0 <= min_score <= 1
    ):
        raise PolicyError("min_score: expected a number between 0 and 1")
    entities = {
        _entity(name, f"entities.{name}"): _action(raw, f"entities.{name}")
        for name, raw in _table(data, "entities").items()
    }
    fields = {
        _normalize_path(path): _action(raw, f"fields.{path!r}")
        for path, raw in _table(data, "fields").items()
    }
    identifiers = tuple(
        re.sub(r"[^0-9a-z]+", "", str(k).lower())
        for k in _list(_table(data, "identifiers"), "keys", "identifiers")
    )
    allow = frozenset(
        str(v).strip() for v in _list(_table(data, "allow"), "values", "allow")
    )
    deny = {
        str(item.get("value", "")).strip(): _entity(
            item.get("entity_type", "ID"), "deny.entity_type"
        )
        for item in _list(_table(data, "deny"), "values", "deny")
        if isinstance(item, dict) and str(item.get("value", "")).strip()
    }
    detectors = tuple(
        _custom_detector(raw, i) for i, raw in enumerate(_list(data, "detectors", ""))
    )
    return Policy(
        version=str(data.get("version", "custom")),
        min_score=float(min_score),
        default=_action(data.get("default", "tokenize"), "default"),
        by_entity=entities,
        by_field=fields,
        identifier_keys=identifiers,
        allow=allow,
        deny=deny,
        detectors=detectors,
    )


def _custom_detector(raw: Any, index: int) -> CustomDetector:
    where = f"detectors[{index}]"
    if not isinstance(raw, dict) or "pattern" not in raw:
        raise PolicyError(f"{where}: expected a table with name, entity_type, pattern")
    pattern = str(raw["pattern"])
    try:
        import re2

        re2.compile(pattern)
    except Exception:
        raise PolicyError(
            f"{where}.pattern: not a valid RE2 expression (no lookaround or "
            "backreferences; patterns must run in linear time)"
        ) from None
    return CustomDetector(
        name=str(raw.get("name", f"custom_{index}")),
        entity_type=_entity(raw.get("entity_type", "ID"), f"{where}.entity_type"),
        pattern=pattern,
    )


def load_policy(path: str | Path | None = None) -> Policy:
    """Load a policy file, or the shipped default when ``path`` is None.

    Raises:
        PolicyError: the file is missing, not TOML, or invalid.
    """
    try:
        if path is None:
            text = (
                resources.files("processors") / "data" / "default_policy.toml"
            ).read_text("utf-8")
        else:
            text = Path(path).read_text("utf-8")
    except OSError as exc:
        raise PolicyError(
            f"cannot read the policy file: {exc.strerror}; check --policy"
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"the policy file is not valid TOML: {exc}") from None
    return parse_policy(data)
