"""The redaction engine: one raw line in, its sanitized form and findings out."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import orjson

from processors.decode import DEFAULT_LIMITS, Limits, Record, decode
from processors.detect.fields import (
    CUE_KEYS,
    PERSON_RESOURCES,
    TYPE_SIBLINGS,
    TYPED_VALUE_KEYS,
    FieldRule,
    classify,
    normalize_key,
)
from processors.detect.fields import (
    NEUTRAL as _NEUTRAL_RULE_FROM_FIELDS,
)
from processors.detect.text import Scope, TextDetection
from processors.entities import EntityType
from processors.errors import DetectionError, NestingError, RecordError
from processors.findings import Finding
from processors.operators.registry import OPERATORS
from processors.policy import Policy, load_policy
from processors.spans import Span
from processors.tokens import TOKEN_RE, Tokenizer, TokenKey

_PATIENT_TYPES = (
    EntityType.PERSON,
    EntityType.MRN,
    EntityType.SSN,
    EntityType.MEMBER_ID,
)
_LABEL_RE_TEXT = "<[A-Z][A-Z_]*>"
_MAX_NESTED_JSON_CHARS = 256 << 10
_NEUTRAL_RULE = FieldRule()
_MAX_CONTEXT_KEY_CHARS = 40
_MEMO_ENTRIES = 1 << 16
_MEMO_MAX_CHARS = 256
"""Short field values repeat across log lines (services, messages, paths,
lab names): their detection result is kept, cleared when the table is full.
It holds PHI only in the memory of the process that already holds it."""
_SIMPLE_ESCAPES = (
    ("\\n", "\n"),
    ("\\r", "\r"),
    ("\\t", "\t"),
    ('\\"', '"'),
    ("\\/", "/"),
)
"""JSON escapes undone exactly by replacement before the record-wide gate,
so every string of the record appears in the gated text as it decodes."""
_ID_RULE = FieldRule(entity_type=EntityType.ID)
_SERVICE_KEYS = ("service", "service_name", "serviceName", "app", "application")


@dataclass(frozen=True, slots=True)
class Redaction:
    """The outcome of redacting one line."""

    sanitized: bytes
    findings: tuple[Finding, ...]
    service: str | None = None
    """The record's own source service name, when it names one."""

    @property
    def has_phi(self) -> bool:
        """True when anything was found (the line then has outputs to route)."""
        return bool(self.findings)


@dataclass(slots=True)
class _Site:
    """One string (or number) of a record that holds PHI."""

    path: str
    keys: tuple[str | int, ...]
    value: Any
    spans: list[Span]
    detector_versions: dict[str, str]
    nested: _Document | None = None


@dataclass(slots=True)
class _Document:
    root: Any
    sites: list[_Site]
    is_big_int: bool = False


class Redactor:
    """Detect PHI in log lines and replace it as the policy says.

    Stateless between lines but for memo tables of past results; not
    thread-safe: keep one instance per thread (a worker has one).
    """

    def __init__(
        self,
        policy: Policy,
        key: TokenKey,
        detection: TextDetection,
        versions: dict[str, str],
        is_person_name: Callable[[str], bool],
        limits: Limits = DEFAULT_LIMITS,
    ) -> None:
        self._policy = policy
        self._tokenizer = Tokenizer(key)
        self._detection = detection
        self._versions = versions
        # Values under ambiguous keys ("name") repeat across lines.
        self._is_person_name = lru_cache(maxsize=_MEMO_ENTRIES)(is_person_name)
        self._limits = limits
        self._pairs_only = False
        self._memo: dict[tuple[str, str], tuple[Span, ...]] = {}

    @classmethod
    def from_defaults(
        cls,
        token_key: bytes,
        key_version: int = 1,
        policy: Policy | None = None,
        limits: Limits = DEFAULT_LIMITS,
        cache_dir: Path | None = None,
    ) -> Redactor:
        """Build a redactor with the built-in detectors and a policy.

        Args:
            cache_dir: where compiled pattern databases may be kept between
                processes, so a start skips seconds of compiling.
        """
        from processors.detect.default import build_detection

        policy = policy or load_policy()
        detection, versions, is_person_name = build_detection(policy, cache_dir)
        return cls(
            policy,
            TokenKey(token_key, key_version),
            detection,
            versions,
            is_person_name,
            limits,
        )

    @property
    def policy(self) -> Policy:
        """The policy this redactor applies."""
        return self._policy

    def redact_line(self, line: bytes) -> Redaction:
        """Redact one line (without its line terminator).

        Returns:
            The sanitized line, byte-identical when nothing was found.

        Raises:
            RecordError: the line cannot be processed; route it to quarantine.
                The message holds sizes, offsets and paths, never the text.
        """
        record = decode(line, self._limits)
        try:
            return self._redact(line, record)
        except RecordError:
            raise
        except RecursionError:
            raise NestingError("record nests too deeply to process") from None
        except Exception as exc:
            # Fail closed on any bug, and keep the text out of the message:
            # only the exception's type travels.
            raise DetectionError(
                f"detection failed with {type(exc).__name__}"
            ) from None

    def _redact(self, line: bytes, record: Record) -> Redaction:
        if record.is_json:
            scope = self._scope(record.text)
            if scope is not None and not scope.has_any:
                return Redaction(line, (), _service_of(record.doc))
            doc = _Document(record.doc, [], record.is_big_int)
            self._pairs_only = scope is not None and not scope.needs_text
            self._collect(doc, record.doc, (), "$", "", 0)
            if not doc.sites:
                return Redaction(line, (), _service_of(record.doc))
            findings: list[Finding] = []
            patient = self._patient(doc)
            root = self._render(doc, patient, findings, "")
            sanitized = _dump(root, doc.is_big_int)
            return Redaction(sanitized, tuple(findings), _service_of(record.doc))

        spans = self._detection.detect(record.text)
        if not spans:
            return Redaction(line, ())
        site = _Site("$", (), record.text, spans, self._versions)
        doc = _Document(record.text, [site])
        findings = []
        new_text = self._replace(site, self._patient(doc), findings, "")
        return Redaction(new_text.encode("utf-8"), tuple(findings))

    # -- collect: find every site of PHI, without changing anything ---------

    def _collect(
        self,
        doc: _Document,
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

    def _scope(self, text: str) -> Scope | None:
        """Gate a JSON record once, on its text with simple escapes undone.

        Returns None when the text holds escapes that cannot be undone by
        plain replacement (``\\uXXXX``, an escaped backslash): then every
        string is gated on its own.
        """
        if "\\" in text:
            if "\\u" in text or "\\\\" in text:
                return None
            for escape, char in _SIMPLE_ESCAPES:
                text = text.replace(escape, char)
        return self._detection.line_scope(text)

    def _rule(self, key: str, norm: str, parent: str) -> FieldRule:
        rule = classify(norm, parent, self._policy.identifier_keys)
        if rule is _NEUTRAL_RULE_FROM_FIELDS and "." in key:
            # Flattened keys ("patient.zip") read as their last two parts.
            parts = key.rsplit(".", 2)
            rule = classify(
                normalize_key(parts[-1]),
                normalize_key(parts[-2]),
                self._policy.identifier_keys,
            )
        return rule

    def _collect_scalar(
        self,
        doc: _Document,
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
        entity_type = rule.entity_type
        if rule.is_age:
            stripped = value.strip()
            if stripped.isdigit() and int(stripped) >= 90:
                entity_type = EntityType.AGE
        elif rule.is_ambiguous_name and self._is_person_name(value):
            entity_type = EntityType.PERSON
        if _is_already_redacted(value):
            return
        if entity_type is not None:
            start = len(value) - len(value.lstrip())
            end = len(value.rstrip())
            span = Span(entity_type, start, end, "field_rule", 1.0)
            doc.sites.append(_Site(path, keys, value, [span], _FIELD_VERSIONS))
            return
        nested = self._nested_json(value, path, depth)
        if nested is not None:
            if nested.sites:
                doc.sites.append(_Site(path, keys, value, [], {}, nested))
            return
        key = _last_key(keys)
        if self._pairs_only and normalize_key(key) not in CUE_KEYS:
            # The record-wide gate matched keys only: a string can then hold
            # PHI only as a pair inside it, or through its own key as a cue.
            spans = self._detection.detect_pairs(value)
        else:
            spans = self._detect_keyed(key, value)
        if spans:
            doc.sites.append(_Site(path, keys, value, spans, self._versions))

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
            if len(self._memo) >= _MEMO_ENTRIES:
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
        doc: _Document,
        value: int | float,
        keys: tuple[str | int, ...],
        path: str,
        rule: FieldRule,
    ) -> None:
        entity_type = rule.entity_type
        if rule.is_age and value >= 90:
            entity_type = EntityType.AGE
        if entity_type is None:
            return
        text = str(value)
        span = Span(entity_type, 0, len(text), "field_rule", 1.0)
        doc.sites.append(_Site(path, keys, value, [span], _FIELD_VERSIONS))

    def _nested_json(self, value: str, path: str, depth: int) -> _Document | None:
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
        doc = _Document(inner, [])
        self._collect(doc, inner, (), f"{path}#$", "", depth + 1)
        return doc

    # -- render: build the sanitized copy -----------------------------------

    def _patient(self, doc: _Document) -> str:
        for site in _all_sites(doc):
            for span in site.spans:
                if span.entity_type in _PATIENT_TYPES:
                    text = _as_text(site.value)[span.start : span.end]
                    token = self._tokenizer.token(span.entity_type, text)
                    return f"{span.entity_type}:{token}"
        return ""

    def _render(
        self, doc: _Document, patient: str, findings: list[Finding], prefix: str
    ) -> Any:
        root = doc.root
        copies: dict[int, Any] = {}
        root = _copy_container(root, copies)
        for site in doc.sites:
            if site.nested is not None:
                inner = self._render(site.nested, patient, findings, prefix)
                new_value: Any = _dump(inner, False).decode("utf-8")
            else:
                new_value = self._replace(site, patient, findings, prefix)
                if isinstance(site.value, int | float) and new_value == str(site.value):
                    new_value = site.value
            _assign(root, site.keys, new_value, copies)
        return root

    def _replace(
        self, site: _Site, patient: str, findings: list[Finding], prefix: str
    ) -> str:
        text = _as_text(site.value)
        pieces: list[str] = []
        cursor = 0
        for span in site.spans:
            value = text[span.start : span.end]
            field_path = _field_path(site.path) if self._policy.by_field else ""
            action = self._policy.action_for(span.entity_type, field_path)
            operator = OPERATORS[action.name]
            params = {
                "entity_type": span.entity_type,
                "tokenizer": self._tokenizer,
                "action": action,
                "patient": patient,
            }
            replacement = operator.operate(value, params)
            token = (
                replacement
                if action.name == "tokenize"
                else self._tokenizer.token(span.entity_type, value)
            )
            findings.append(
                Finding(
                    entity_type=span.entity_type,
                    path=prefix + site.path,
                    start=span.start,
                    end=span.end,
                    detector=span.detector,
                    detector_version=site.detector_versions.get(span.detector, "1"),
                    score=span.score,
                    action=action.name,
                    token=token,
                    replacement=replacement,
                    value=value,
                )
            )
            pieces.append(text[cursor : span.start])
            pieces.append(replacement)
            cursor = span.end
        pieces.append(text[cursor:])
        return "".join(pieces)


_INDEX = re.compile(r"\[\d+\]")
_FIELD_VERSIONS = {"field_rule": "1"}
_ALREADY_REDACTED = re.compile(rf"(?:{TOKEN_RE.pattern}|{_LABEL_RE_TEXT})")


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


def _as_text(value: Any) -> str:
    return value if isinstance(value, str) else str(value)


def _field_path(path: str) -> str:
    """Turn ``$.patient.name[0]`` into the policy's ``patient.name`` form."""
    bare = _INDEX.sub("", path.split("#")[-1]).lstrip("$.")
    return ".".join(normalize_key(part) for part in bare.split(".") if part)


def _all_sites(doc: _Document) -> list[_Site]:
    sites: list[_Site] = []
    for site in doc.sites:
        sites.append(site)
        if site.nested is not None:
            sites.extend(_all_sites(site.nested))
    return sites


def _copy_container(node: Any, copies: dict[int, Any]) -> Any:
    if isinstance(node, dict):
        copied: Any = dict(node)
    elif isinstance(node, list):
        copied = list(node)
    else:
        return node
    copies[id(copied)] = copied
    return copied


def _assign(
    root: Any, keys: tuple[str | int, ...], value: Any, copies: dict[int, Any]
) -> None:
    """Set ``value`` at ``keys`` in ``root``, copying containers on the way."""
    if not keys:
        return
    node = root
    for key in keys[:-1]:
        child = node[key]
        if id(child) not in copies:
            child = _copy_container(child, copies)
            node[key] = child
        node = child
    node[keys[-1]] = value


def _dump(root: Any, is_big_int: bool) -> bytes:
    if isinstance(root, str):
        return root.encode("utf-8")
    if is_big_int:
        return json.dumps(root, ensure_ascii=False, separators=(",", ":")).encode()
    return orjson.dumps(root)


def _service_of(doc: Any) -> str | None:
    if not isinstance(doc, dict):
        return None
    for key in _SERVICE_KEYS:
        value = doc.get(key)
        if isinstance(value, str) and 0 < len(value) <= 64:
            return value
    kubernetes = doc.get("kubernetes")
    if isinstance(kubernetes, dict):
        value = kubernetes.get("container_name")
        if isinstance(value, str) and 0 < len(value) <= 64:
            return value
    return None
