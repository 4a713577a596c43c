"""Identifiers named by the words around them: "for patient P1776", SQL keys."""

from __future__ import annotations

import re

from processors.detect.base import Pattern, Validator
from processors.detect.rx import verbose
from processors.detect.validators import digits_of, is_glued, keyed
from processors.entities import EntityType

VERSION = "1"

REF_VALUE = (
    r"[A-Za-z0-9]"  # starts with a letter or digit
    r"[A-Za-z0-9_-]{2,30}"  # underscores and dashes inside: pt_x1y2, ACCT-123
    r"[A-Za-z0-9]\b"  # ends on a letter or digit
)
"""A record reference: mixed letters and digits, as systems mint them."""

PATIENT_REF = keyed(r"patient|pt|pat", REF_VALUE, suffix=True)
MEMBER_REF = keyed(r"member|subscriber|enrollee|beneficiary", REF_VALUE)
ACCOUNT_REF = keyed(r"account|acct|visit|encounter|claim", REF_VALUE)

PID_REF = keyed(r"pid", REF_VALUE, suffix=False)

MIN_REF_DIGITS = 3
MIN_PID_DIGITS = 7
"""Process ids stay below seven digits on Linux (pid_max 4194304)."""

_PREFIXED_REF = re.compile(r"[A-Za-z]{1,4}[_-][A-Za-z0-9]{5,}")
"""Minted ids such as ``pt_yflqsuqypk``: a short prefix, then a random part."""


def _looks_minted(value: str) -> bool:
    return len(digits_of(value)) >= MIN_REF_DIGITS or bool(
        _PREFIXED_REF.fullmatch(value)
    )


def validate_ref(text: str, start: int, end: int) -> float | None:
    """Accept a reference that looks minted and is not part of a longer token.

    Words ("patient portal"), short counts ("patient 12") and segments of
    UUIDs or hostnames are refused.
    """
    value = text[start:end]
    if not _looks_minted(value) or is_glued(text, start, end):
        return None
    if value.isdigit() and len(value) < 4:
        return None
    return 0.8


def validate_pid(text: str, start: int, end: int) -> float | None:
    """Accept a ``pid`` that is a patient id rather than a process id."""
    value = text[start:end]
    if value.isdigit() and len(value) < MIN_PID_DIGITS:
        return None
    return validate_ref(text, start, end)


SQL_DUPLICATE = verbose(
    r"""
    (?i:duplicate[ ]entry)[ ]'       # MySQL: Duplicate entry '...'
    ([^'\n]{1,64})                   # 1: the value that collided
    '[ ](?i:for[ ]key)[ ]'[^'\n]{0,40}
    """
)
"""The value of a unique key that failed; the key name says what it is."""


def _duplicate_of(*words: str) -> Validator:
    def validate(text: str, start: int, end: int) -> float | None:
        tail = text[end : end + 64].lower()
        key = tail.partition("for key")[2][:48]
        return 1.0 if any(word in key for word in words) else None

    return validate


PROFILE_URL = verbose(
    r"""
    \bhttps?://[A-Za-z0-9.-]{1,253}   # scheme and host
    (?::[0-9]{1,5})?                  # port
    /(?:[A-Za-z0-9._-]{1,64}/){0,3}   # leading path segments
    (?:~|@|u/|users?/|profiles?/|people/|in/)  # a personal page marker
    [A-Za-z0-9._%-]{2,64}             # the person's handle
    /?
    """
)
"""A personal web page: Safe Harbor counts web URLs of a person."""


def validate_profile_url(text: str, start: int, end: int) -> float | None:
    """Accept a personal page URL that ends at a delimiter."""
    after = text[end : end + 1]
    if after and (after.isalnum() or after in "_%"):
        return None
    return 0.9


SERIAL_PREFIXED = r"\b(?:SN|S/N)[-:#]\s?([A-Z0-9][A-Z0-9-]{4,30}[A-Z0-9])\b"
"""Serial numbers written with their prefix: SN-FC2657448X, S/N:12345."""


def validate_serial_prefixed(text: str, start: int, end: int) -> float | None:
    """Accept a prefixed serial that carries digits."""
    return 0.9 if len(digits_of(text[start:end])) >= 3 else None


PATTERNS: list[Pattern] = [
    Pattern("patient_ref", VERSION, EntityType.MRN, PATIENT_REF, validate_ref, 1),
    Pattern("pid_ref", VERSION, EntityType.MRN, PID_REF, validate_pid, 1),
    Pattern("member_ref", VERSION, EntityType.MEMBER_ID, MEMBER_REF, validate_ref, 1),
    Pattern("account_ref", VERSION, EntityType.ACCOUNT, ACCOUNT_REF, validate_ref, 1),
    Pattern(
        "sql_duplicate_mrn",
        VERSION,
        EntityType.MRN,
        SQL_DUPLICATE,
        _duplicate_of("mrn", "patient", "chart", "record"),
        1,
    ),
    Pattern(
        "sql_duplicate_ssn",
        VERSION,
        EntityType.SSN,
        SQL_DUPLICATE,
        _duplicate_of("ssn", "social"),
        1,
    ),
    Pattern(
        "sql_duplicate_id",
        VERSION,
        EntityType.ID,
        SQL_DUPLICATE,
        _duplicate_of(
            "email", "phone", "member", "name", "dob", "birth", "license", "account"
        ),
        1,
    ),
    Pattern("profile_url", VERSION, EntityType.URL, PROFILE_URL, validate_profile_url),
    Pattern(
        "serial_prefixed",
        VERSION,
        EntityType.DEVICE_ID,
        SERIAL_PREFIXED,
        validate_serial_prefixed,
        1,
    ),
]
