"""Walk a decoded record and collect every string that holds PHI, unchanged."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import orjson

from processors.decode import Limits
from processors.detect.fields import (
    CUE_KEYS,
    MIN_PHI_AGE,
    PERSON_RESOURCES,
    TYPE_SIBLINGS,
    TYPED_VALUE_KEYS,
    FieldRule,
    classify,
    normalize_key,
    value_entity,
)
from processors.detect.fields import (
    NEUTRAL as _NEUTRAL_RULE_FROM_FIELDS,
)
from processors.detect.text import TextDetection
from processors.entities import EntityType
from processors.errors import NestingError
from processors.spans import Span
from processors.tokens import TOKEN_RE

_LABEL_RE_TEXT = "<[A-Z][A-Z_]*>"
_MAX_NESTED_JSON_CHARS = 256 << 10
_NEUTRAL_RULE = FieldRule()
_ID_RULE = FieldRule(entity_type=EntityType.ID)
_MAX_CONTEXT_KEY_CHARS = 40
MEMO_ENTRIES = 1 << 16
_MEMO_MAX_CHARS = 256
"""Short field values repeat across log lines (services, messages, paths,
lab names): their detection result is kept, cleared when the table is full.
It holds PHI only in the memory of the process that already holds it."""
_FIELD_VERSIONS = {"field_rule": "1"}

_ALREADY_REDACTED = re.compile(rf"(?:{TOKEN_RE.pattern}|{_LABEL_RE_TEXT})")


@dataclass(slots=True)
class Site:
    """One string (or number) of a record that holds PHI."""

    path: str
    keys: tuple[str | int, ...]
    value: Any
    spans: list[Span]
    detector_versions: dict[str, str]
    nested: Document | None = None


@dataclass(slots=True)
class Document:
    root: Any
    sites: list[Site]
    is_big_int: bool = False


class Collector:
    """Find the sites of PHI in a record: field rules first, then detection."""

    def __init__(
        self,
        detection: TextDetection,
        versions: dict[str, str],
        is_person_name: Callable[[str], bool],
        extra_keys: tuple[str, ...],
        limits: Limits,
    ) -> None:
        self._detection = detection
        self._versions = versions
        # Values under ambiguous keys ("name") repeat across lines.
        self._is_person_name = lru_cache(maxsize=MEMO_ENTRIES)(is_person_name)
        self._extra_keys = extra_keys
        self._limits = limits
        self._pairs_only = False
        self._memo: dict[tuple[str, str], tuple[Span, ...]] = {}

    def collect(self, doc: Document, is_pairs_only: bool) -> None:
        """Add the sites of ``doc.root`` to ``doc.sites``.

        Args:
            is_pairs_only: the record-wide gate matched keys only, so strings
                need the key-value detector only (unless their key is a cue).
        """
        self._pairs_only = is_pairs_only
        self._collect(doc, doc.root, (), "$", "", 0)

    def _collect(
        self,
        doc: Document,
        node: Any,
        keys: tuple[str | int, ...],
        path: str,
        parent: str,
        depth: int,
        list_rule: FieldRule = _NEUTRAL_RULE,
    ) -> None:
        if depth > self._limits.max_depth:
            raise NestingError(
                f"record nests deeper than max_depth={self._limits.max_depth}"
            )
        if isinstance(node, dict):
            typed = _typed_value_rule(node)
            for key, value in node.items():
                norm = normalize_key(key)
                child_path = f"{path}.{key}"
                child_keys = (*keys, key)
                rule = self._rule(key, norm, parent)
                if typed is not None and norm == typed[0]:
                    rule = typed[1]
                if isinstance(value, dict):
                    self._collect(doc, value, child_keys, child_path, norm, depth + 1)
                elif isinstance(value, list):
                    self._collect(
                        doc, value, child_keys, child_path, norm, depth + 1, rule
                    )
                else:
                    self._collect_scalar(
                        doc, value, child_keys, child_path, rule, depth
                    )
        elif isinstance(node, list):
            for index, value in enumerate(node):
                child_path = f"{path}[{index}]"
                child_keys = (*keys, index)
                if isinstance(value, dict | list):
                    self._collect(
                        doc, value, child_keys, child_path, parent, depth + 1, list_rule
                    )
                else:
                    self._collect_scalar(
                        doc, value, child_keys, child_path, list_rule, depth
                    )

    def _rule(self, key: str, norm: str, parent: str) -> FieldRule:
        rule = classify(norm, parent, self._extra_keys)
        if rule is _NEUTRAL_RULE_FROM_FIELDS and "." in key:
            # Flattened keys ("patient.zip") read as their last two parts.
            parts = key.rsplit(".", 2)
            rule = classify(
                normalize_key(parts[-1]),
                normalize_key(parts[-2]),
                self._extra_keys,
            )
        return rule

    def _collect_scalar(
        self,
        doc: Document,
        value: Any,
        keys: tuple[str | int, ...],
        path: str,
        rule: FieldRule,
        depth: int,
    ) -> None:
        if value is None or isinstance(value, bool) or rule.is_never:
            return
        if isinstance(value, int | float):
            self._collect_number(doc, value, keys, path, rule)
            return
        if not isinstance(value, str) or not value.strip():
            return
        if _is_already_redacted(value):
            return
        entity_type = self._whole_value_type(value, rule)
        if entity_type is not None:
            start = len(value) - len(value.lstrip())
            end = len(value.rstrip())
            span = Span(entity_type, start, end, "field_rule", 1.0)
            doc.sites.append(Site(path, keys, value, [span], _FIELD_VERSIONS))
            return
        nested = self._nested_json(value, path, depth)
        if nested is not None:
            if nested.sites:
                doc.sites.append(Site(path, keys, value, [], {}, nested))
            return
        key = _last_key(keys)
        if self._pairs_only and normalize_key(key) not in CUE_KEYS:
            # The record-wide gate matched keys only: a string can then hold
            # PHI only as a pair inside it, or through its own key as a cue.
            spans = self._detection.detect_pairs(value)
        else:
            spans = self._detect_keyed(key, value)
        if spans:
            doc.sites.append(Site(path, keys, value, spans, self._versions))

    def _whole_value_type(self, value: str, rule: FieldRule) -> EntityType | None:
        """Return the entity type of the whole string, when its rule makes one."""
        return value_entity(rule, value, self._is_person_name)

    def _detect_keyed(self, key: str, value: str) -> list[Span]:
        """Detect in ``value`` with its key before it as context.

        ``{"pid": "pt_x1y2"}`` then reads as ``pid: pt_x1y2``, as the same
        pair would in a text log; spans are clipped to the value.
        """
        memo_key = (key, value)
        cached = self._memo.get(memo_key)
        if cached is not None:
            return list(cached)
        spans = self._detect_keyed_uncached(key, value)
        if len(value) <= _MEMO_MAX_CHARS:
            if len(self._memo) >= MEMO_ENTRIES:
                self._memo.clear()
            self._memo[memo_key] = tuple(spans)
        return spans

    def _detect_keyed_uncached(self, key: str, value: str) -> list[Span]:
        if not key or len(key) > _MAX_CONTEXT_KEY_CHARS:
            return self._detection.detect(value)
        prefix = f"{key}: "
        shift = len(prefix)
        spans = []
        for span in self._detection.detect(prefix + value):
            if span.end <= shift:
                continue
            start = max(span.start, shift) - shift
            spans.append(
                Span(
                    span.entity_type, start, span.end - shift, span.detector, span.score
                )
            )
        return spans

    def _collect_number(
        self,
        doc: Document,
        value: int | float,
        keys: tuple[str | int, ...],
        path: str,
        rule: FieldRule,
    ) -> None:
        entity_type = rule.entity_type
        if rule.is_age and value >= MIN_PHI_AGE:
            entity_type = EntityType.AGE
        if entity_type is None:
            return
        text = str(value)
        span = Span(entity_type, 0, len(text), "field_rule", 1.0)
        doc.sites.append(Site(path, keys, value, [span], _FIELD_VERSIONS))

    def _nested_json(self, value: str, path: str, depth: int) -> Document | None:
        stripped = value.strip()
        if (
            len(stripped) < 2
            or len(stripped) > _MAX_NESTED_JSON_CHARS
            or (stripped[0], stripped[-1]) not in (("{", "}"), ("[", "]"))
        ):
            return None
        try:
            inner = orjson.loads(stripped)
        except orjson.JSONDecodeError:
            return None
        doc = Document(inner, [])
        self._collect(doc, inner, (), f"{path}#$", "", depth + 1)
        return doc


def _typed_value_rule(node: dict[str, Any]) -> tuple[str, FieldRule] | None:
    """Return a key of ``node`` that a sibling types, and its rule.

    FHIR and similar payloads say what a value is beside it: the ``value``
    of ``{"system": "phone", "value": ...}``, the ``id`` of a Patient.
    """
    resource = node.get("resourceType")
    if isinstance(resource, str) and resource.lower() in PERSON_RESOURCES:
        return "id", _ID_RULE
    if "value" not in node:
        return None
    for sibling in TYPE_SIBLINGS:
        label = node.get(sibling)
        if isinstance(label, str) and 0 < len(label) <= 200:
            entity_type = _typed_entity(label)
            if entity_type is not None:
                return "value", FieldRule(entity_type=entity_type)
    return None


def _typed_entity(label: str) -> EntityType | None:
    last = normalize_key(re.split(r"[/:#]", label.rstrip("/"))[-1])
    entity_type = TYPED_VALUE_KEYS.get(last)
    if entity_type is None:
        for name, candidate in TYPED_VALUE_KEYS.items():
            if len(name) >= 3 and last.endswith(name):
                return candidate
    return entity_type


def _last_key(keys: tuple[str | int, ...]) -> str:
    for key in reversed(keys):
        if isinstance(key, str):
            return key
    return ""


def _is_already_redacted(value: str) -> bool:
    return _ALREADY_REDACTED.fullmatch(value.strip()) is not None
