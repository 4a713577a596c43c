"""Synthetic raw records for worker tests: clean, with PHI, and poison.

All PHI is invented: SSNs and MRNs made from the record number, e-mail
addresses on the reserved example.org domain.
"""

from __future__ import annotations

import orjson

from tests.support.worker_harness import InputRecord

MAX_RECORD_BYTES = 4096
MAX_DEPTH = 16
"""The limits the harness passes to workers, which poison records exceed."""

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
    """Return record `n`; its kind cycles with `n`, every tenth is poison."""
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
