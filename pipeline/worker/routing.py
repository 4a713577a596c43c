"""Turn one consumed message into its outputs, one message per route it reaches."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import orjson
from confluent_kafka import TIMESTAMP_NOT_AVAILABLE, Message

from pipeline.worker.errors import OutputTooLargeError
from processors.engine import Redaction
from processors.errors import RecordError
from processors.outputs import audit_event, quarantine_record, restricted_record

logger = logging.getLogger(__name__)

SANITIZED = "sanitized"
RESTRICTED = "restricted"
AUDIT = "audit"
QUARANTINE = "quarantine"

UNEXPECTED_REASON = "record_error"
"""Quarantine reason of a failure that is not a ``RecordError``: a bug."""
OVERSIZE_REASON = "oversize"
ERROR_MAX_CHARS = 500
"""The quarantine schema's limit on the error text."""
MESSAGE_OVERHEAD_BYTES = 1024
"""Room for the record framing the producer adds around key, value, headers."""

Header = tuple[str, bytes | None]


class LineRedactor(Protocol):
    """What routing needs of the engine."""

    def redact_line(self, line: bytes) -> Redaction:
        """Redact one line, or raise ``RecordError``."""


@dataclass(frozen=True, slots=True)
class Output:
    """One message to produce: its route and what goes on the wire."""

    route: str
    value: bytes | None
    key: bytes | None = None
    headers: tuple[Header, ...] | None = None
    partition: int | None = None
    """The target partition, or None for the producer's partitioner."""
    timestamp_ms: int = 0
    """The input's timestamp, so outputs age with the event; 0 for now."""

    @property
    def size(self) -> int:
        """Return the bytes of key, value and headers."""
        size = len(self.value or b"") + len(self.key or b"")
        for name, value in self.headers or ():
            size += len(name) + len(value or b"")
        return size


@dataclass(frozen=True, slots=True)
class Routed:
    """The outputs of one message, and what the counters need to know."""

    outputs: tuple[Output, ...]
    has_phi: bool = False
    quarantine_reason: str | None = None
    """Why the message went to quarantine, or None when it was sanitized."""


@dataclass(frozen=True, slots=True)
class _Part:
    name: str
    header: str | None
    original: bytes
    redaction: Redaction


class Router:
    """Route messages through one redactor; stateless between messages.

    The value, the key and every header value are redacted alike. A message
    whose parts all redact goes to sanitized, in the input's partition, with
    its (tokenized) key and headers; each part with findings adds a restricted
    record and an audit event, keyed by the input's coordinates. Any failure
    sends the message whole to quarantine instead: nothing of it reaches
    sanitized.
    """

    def __init__(
        self, redactor: LineRedactor, policy_version: str, max_message_bytes: int
    ) -> None:
        self._redactor = redactor
        self._policy_version = policy_version
        self._max_output_bytes = max_message_bytes - MESSAGE_OVERHEAD_BYTES

    def route(self, msg: Message) -> Routed:
        """Return the outputs of ``msg`` (a message without an error).

        Raises:
            OutputTooLargeError: even the quarantine record is too large, so
                no output can hold the message: a configuration error.
        """
        parts: list[_Part] = []
        for name, header, original in _parts_of(msg):
            try:
                redaction = self._redactor.redact_line(original)
            except RecordError as exc:
                return self._quarantine(msg, name, header, exc.reason, str(exc))
            except Exception as exc:  # fail closed on any bug in the engine
                return self._unexpected(msg, name, header, exc)
            parts.append(_Part(name, header, original, redaction))

        try:
            outputs = self._outputs(msg, parts)
        except Exception as exc:  # fail closed on any bug building outputs
            return self._unexpected(msg, "value", None, exc)

        for output in outputs:
            if output.size > self._max_output_bytes:
                error = (
                    f"{output.route} output would have {output.size} bytes, limit "
                    f"is max_message_bytes={self._max_output_bytes}"
                )
                return self._quarantine(msg, "value", None, OVERSIZE_REASON, error)

        has_phi = any(part.redaction.has_phi for part in parts)
        return Routed(outputs, has_phi=has_phi)

    def _outputs(self, msg: Message, parts: Sequence[_Part]) -> tuple[Output, ...]:
        by_name = {part.name: part for part in parts if part.header is None}
        headers = [part for part in parts if part.header is not None]
        sanitized = Output(
            SANITIZED,
            value=_sanitized(by_name.get("value")),
            key=_sanitized(by_name.get("key")),
            headers=_sanitized_headers(msg, headers),
            partition=msg.partition(),
            timestamp_ms=_timestamp_ms(msg),
        )
        outputs = [sanitized]
        coordinates = _coordinates(msg)
        for part in parts:
            if not part.redaction.has_phi:
                continue
            source = _source(msg, part.name, part.header)
            restricted = restricted_record(
                part.redaction, part.original, source, self._policy_version
            )
            audit = audit_event(part.redaction, source, self._policy_version)
            for route, record in ((RESTRICTED, restricted), (AUDIT, audit)):
                outputs.append(
                    Output(
                        route,
                        orjson.dumps(record),
                        coordinates,
                        timestamp_ms=_timestamp_ms(msg),
                    )
                )
        return tuple(outputs)

    def _unexpected(
        self, msg: Message, part: str, header: str | None, exc: Exception
    ) -> Routed:
        # The exception's text may quote the record: only its type is logged.
        logger.error(
            "redaction failed unexpectedly topic=%s partition=%s offset=%s "
            "error_type=%s",
            msg.topic(),
            msg.partition(),
            msg.offset(),
            type(exc).__name__,
        )
        error = f"unexpected {type(exc).__name__} while redacting the {part}"
        return self._quarantine(msg, part, header, UNEXPECTED_REASON, error)

    def _quarantine(
        self, msg: Message, part: str, header: str | None, reason: str, error: str
    ) -> Routed:
        source = _source(msg, part, header)
        record = quarantine_record(
            msg.value() or b"", reason, error[:ERROR_MAX_CHARS], source
        )
        headers = _headers_of(msg)
        # The quarantine zone is restricted: the message stays whole, with its
        # raw key (so partitioning follows the input's) and raw headers.
        output = Output(
            QUARANTINE,
            orjson.dumps(record),
            key=msg.key(),
            headers=tuple(headers) if headers is not None else None,
            timestamp_ms=_timestamp_ms(msg),
        )
        if output.size > self._max_output_bytes:
            raise OutputTooLargeError(
                f"the quarantine record of {_coordinates(msg).decode()} would have "
                f"{output.size} bytes, more than max_message_bytes allows "
                f"({self._max_output_bytes}); raise --max-message-bytes and the "
                "max.message.bytes of the output topics"
            )
        return Routed((output,), quarantine_reason=reason)


def _parts_of(msg: Message) -> list[tuple[str, str | None, bytes]]:
    """Return (part, header name, bytes) of every part that has bytes."""
    parts: list[tuple[str, str | None, bytes]] = []
    value = msg.value()
    if value is not None:
        parts.append(("value", None, value))
    key = msg.key()
    if key is not None:
        parts.append(("key", None, key))
    for name, header_value in _headers_of(msg) or ():
        if header_value is not None:
            parts.append(("header", name, header_value))
    return parts


def _headers_of(msg: Message) -> list[Header] | None:
    """Return the headers as (name, bytes) pairs; a consumer gives bytes."""
    headers = msg.headers()
    if headers is None:
        return None
    pairs = headers.items() if isinstance(headers, dict) else headers
    return [
        (name, value.encode("utf-8") if isinstance(value, str) else value)
        for name, value in pairs
    ]


def _sanitized(part: _Part | None) -> bytes | None:
    return part.redaction.sanitized if part is not None else None


def _sanitized_headers(
    msg: Message, redacted: Sequence[_Part]
) -> tuple[Header, ...] | None:
    headers = _headers_of(msg)
    if headers is None:
        return None
    replacements = iter(part.redaction.sanitized for part in redacted)
    # Headers repeat names and may be null, so they pair up by position.
    return tuple(
        (name, next(replacements) if value is not None else None)
        for name, value in headers
    )


def _timestamp_ms(msg: Message) -> int:
    kind, timestamp_ms = msg.timestamp()
    return timestamp_ms if kind != TIMESTAMP_NOT_AVAILABLE and timestamp_ms > 0 else 0


def _coordinates(msg: Message) -> bytes:
    """Return ``topic/partition/offset``: the key of restricted and audit records."""
    return f"{msg.topic()}/{msg.partition()}/{msg.offset()}".encode()


def _source(msg: Message, part: str, header: str | None) -> dict[str, Any]:
    source: dict[str, Any] = {
        "topic": msg.topic(),
        "partition": msg.partition(),
        "offset": msg.offset(),
        "part": part,
    }
    if header is not None:
        source["header"] = header
    return source
