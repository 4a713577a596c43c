"""Synthetic raw records for worker tests, and producers that send them."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import orjson
from confluent_kafka import KafkaError, Message, Producer

from tests.support.kafka_client import WaitTimeoutError, wait_until

# Redaction leaves this header alone, so every output names its input.
SEQ_HEADER = "seq"
PRODUCE_FLUSH_TIMEOUT_S = 30.0

MAX_RECORD_BYTES = 4096
MAX_DEPTH = 16
"""The limits the harness passes to workers, which poison records exceed."""

Header = tuple[str, bytes | None]


@dataclass(frozen=True)
class InputRecord:
    """One record for the raw topic; `seq` identifies it in every output."""

    seq: int
    value: bytes | None
    key: bytes | None = None
    headers: tuple[Header, ...] = ()
    phi: tuple[bytes, ...] = ()
    """The PHI values it holds, which no sanitized byte may contain."""
    reason: str | None = None
    """The quarantine reason it must get, or None when it must be sanitized."""

    def wire_headers(self) -> list[tuple[str, str | bytes | None]]:
        """Return the headers to produce: its own, then `seq`."""
        return [*self.headers, (SEQ_HEADER, str(self.seq).encode())]


POISON: tuple[tuple[str, bytes, str], ...] = (
    ("invalid-json", b'{"msg": "unterminated', "decode_error"),
    ("invalid-utf8", b"caf\xe9 au lait \xff\xfe", "decode_error"),
    ("oversize", b"x" * (MAX_RECORD_BYTES + 100), "oversize"),
    ("deep-nesting", b"[" * (MAX_DEPTH + 4) + b"]" * (MAX_DEPTH + 4), "nesting"),
    ("binary", b"\x00\x01\x02\x03binary\x04", "decode_error"),
)


def ssn(n: int) -> str:
    """Return a unique invented SSN for record `n` (below 9000)."""
    return f"{100 + n % 500:03d}-{10 + n % 89:02d}-{1000 + n % 9000:04d}"


def email(n: int) -> str:
    """Return a unique invented e-mail address for record `n`."""
    return f"pat{n}.doe@example.org"


def record(n: int, *, has_poison: bool = True) -> InputRecord:
    """Return record `n`; its kind cycles with `n`, every tenth is poison.

    Its PHI is invented: SSNs and MRNs made from `n`, e-mail addresses on the
    reserved example.org domain.
    """
    tenant = f"tenant-{n % 5}".encode()
    kind = n % 10
    if kind in (4, 5):
        doc = {
            "service": "intake",
            "event": "admit",
            "ssn": ssn(n),
            "mrn": f"MR{n:07d}",
            "patient_email": email(n),
            "seq": n,
        }
        phi = (ssn(n).encode(), f"MR{n:07d}".encode(), email(n).encode())
        return InputRecord(n, orjson.dumps(doc), tenant, phi=phi)
    if kind == 6:
        value = f"patient email {email(n)} checked in".encode()
        key = f"user-{email(n)}".encode()
        return InputRecord(n, value, key, phi=(email(n).encode(),))
    if kind == 7:
        headers = (("x-patient-email", email(n).encode()), ("x-none", None))
        value = b"GET /slots 200 in 12 ms"
        return InputRecord(n, value, tenant, headers, phi=(email(n).encode(),))
    if kind == 9 and has_poison:
        _, value, reason = POISON[(n // 10) % len(POISON)]
        return InputRecord(n, value, tenant, reason=reason)
    doc = {"service": "api", "msg": f"GET /orders/{n} 200", "duration_ms": n % 97}
    return InputRecord(n, orjson.dumps({**doc, "seq": n}), tenant)


def records(
    count: int, *, first: int = 0, has_poison: bool = True
) -> list[InputRecord]:
    """Return records `first` .. `first + count - 1`."""
    return [record(n, has_poison=has_poison) for n in range(first, first + count)]


class RecordProducer:
    """An idempotent producer of input records that notes where each went."""

    def __init__(self, bootstrap_servers: str, topic: str) -> None:
        self._topic = topic
        self._producer = Producer(
            {"bootstrap.servers": bootstrap_servers, "enable.idempotence": True}
        )
        self.where: dict[int, tuple[int, int]] = {}
        self.failures: list[str] = []

    def send(self, records: Iterable[InputRecord]) -> None:
        """Hand `records` to the producer."""
        for record in records:
            self._producer.produce(
                self._topic,
                value=record.value,
                key=record.key,
                headers=record.wire_headers(),
                on_delivery=self._on_delivery(record.seq),
            )
            self._producer.poll(0)

    def flush(self, timeout_s: float = PRODUCE_FLUSH_TIMEOUT_S) -> None:
        """Wait until every record is delivered.

        Raises:
            AssertionError: a record failed or is still undelivered.
        """
        remaining = self._producer.flush(timeout_s)
        assert not self.failures, f"produce failed: {self.failures[:5]}"
        assert remaining == 0, f"{remaining} record(s) not delivered in time"

    def _on_delivery(self, seq: int) -> Callable[[KafkaError | None, Message], None]:
        def delivered(err: KafkaError | None, msg: Message) -> None:
            if err is not None:
                self.failures.append(err.name())
            else:
                self.where[seq] = (msg.partition() or 0, msg.offset() or 0)

        return delivered


def produce_records(
    bootstrap_servers: str, topic: str, records: Iterable[InputRecord]
) -> dict[int, tuple[int, int]]:
    """Produce `records` and return (partition, offset) of each by its seq."""
    producer = RecordProducer(bootstrap_servers, topic)
    producer.send(records)
    producer.flush()
    return producer.where


class Feeder:
    """Produce records from a thread at a steady rate: load while workers run.

    One producer serves the whole feed, so a broker restart only delays it.
    """

    def __init__(
        self,
        bootstrap_servers: str,
        topic: str,
        records: Sequence[InputRecord],
        per_second: float,
    ) -> None:
        self._producer = RecordProducer(bootstrap_servers, topic)
        self._records = records
        self._per_second = per_second
        self._sent = 0
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> Feeder:
        """Start producing."""
        self._thread.start()
        return self

    def wait_until_sent(self, count: int, *, timeout_s: float) -> None:
        """Wait until `count` records were handed to the producer."""
        wait_until(
            lambda: self._sent >= count,
            timeout_s=timeout_s,
            what=f"feeder sending {count} records",
        )

    def join(self, *, timeout_s: float) -> dict[int, tuple[int, int]]:
        """Wait until every record is delivered; return where each went."""
        self._thread.join(timeout_s)
        if self._thread.is_alive():
            raise WaitTimeoutError(f"feeder not done within {timeout_s:g} s")
        self._producer.flush(timeout_s)
        return self._producer.where

    def _run(self) -> None:
        chunk = max(1, int(self._per_second / 10))
        for first in range(0, len(self._records), chunk):
            self._producer.send(self._records[first : first + chunk])
            self._sent += len(self._records[first : first + chunk])
            time.sleep(0.1)
