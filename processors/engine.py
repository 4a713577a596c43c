"""The redaction engine: one raw line in, its sanitized form and findings out."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from processors.decode import DEFAULT_LIMITS, Limits, Record, decode
from processors.detect.fields import (
    FieldRule,
    normalize_key,
)
from processors.detect.text import Scope, TextDetection
from processors.entities import EntityType
from processors.errors import DetectionError, NestingError, RecordError
from processors.findings import Finding
from processors.operators.registry import OPERATORS
from processors.policy import Policy, load_policy
from processors.tokens import TOKEN_RE, Tokenizer, TokenKey
from processors.walk import Collector, Document, Site

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
        self._limits = limits
        self._collector = Collector(
            detection, versions, is_person_name, policy.identifier_keys, limits
        )

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
            doc = Document(record.doc, [], record.is_big_int)
            self._collector.collect(doc, scope is not None and not scope.needs_text)
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
        site = Site("$", (), record.text, spans, self._versions)
        doc = Document(record.text, [site])
        findings = []
        new_text = self._replace(site, self._patient(doc), findings, "")
        return Redaction(new_text.encode("utf-8"), tuple(findings))

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

    # -- render: build the sanitized copy -----------------------------------

    def _patient(self, doc: Document) -> str:
        for site in _all_sites(doc):
            for span in site.spans:
                if span.entity_type in _PATIENT_TYPES:
                    text = _as_text(site.value)[span.start : span.end]
                    token = self._tokenizer.token(span.entity_type, text)
                    return f"{span.entity_type}:{token}"
        return ""

    def _render(
        self, doc: Document, patient: str, findings: list[Finding], prefix: str
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
        self, site: Site, patient: str, findings: list[Finding], prefix: str
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


def _as_text(value: Any) -> str:
    return value if isinstance(value, str) else str(value)


def _field_path(path: str) -> str:
    """Turn ``$.patient.name[0]`` into the policy's ``patient.name`` form."""
    bare = _INDEX.sub("", path.split("#")[-1]).lstrip("$.")
    return ".".join(normalize_key(part) for part in bare.split(".") if part)


def _all_sites(doc: Document) -> list[Site]:
    sites: list[Site] = []
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
