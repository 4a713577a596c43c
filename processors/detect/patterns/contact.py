"""Pattern detectors for email addresses, phone and fax numbers."""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers

from processors.detect.base import Pattern
from processors.detect.rx import verbose
from processors.detect.validators import (
    NEGATIVE_WORDS,
    Cues,
    digits_of,
    is_glued,
    keyed,
)
from processors.entities import EntityType

VERSION = "1"

# --- Email ------------------------------------------------------------------

EMAIL = verbose(
    r"""
    (?i)\b[a-z0-9._%+'-]+      # local part, the common unquoted characters
    @
    (?:[a-z0-9-]+\.)+          # domain labels
    [a-z]{2,24}\b              # top-level domain, letters only
    """
)

_FILE_SUFFIX = re.compile(
    r"png|jpe?g|gif|svg|webp|ico|bmp|tiff?|css|m?js|map|woff2?|ttf|otf|eot"
    r"|html?|json|ya?ml|xml|txt|log|csv|pdf|gz|jar"
)
"""Asset names such as ``icon@2x.png`` end like this; no top-level domain does."""


def validate_email(text: str, start: int, end: int) -> float | None:
    """Score an email address; reject asset names and malformed labels."""
    local, _, domain = text[start:end].rpartition("@")
    labels = domain.lower().split(".")
    if len(local) > 64 or len(domain) > 253 or local[0] == "." or local[-1] == ".":
        return None
    if _FILE_SUFFIX.fullmatch(labels[-1]):
        return None
    if any(not label or label[0] == "-" or label[-1] == "-" for label in labels):
        return None
    return 1.0


# --- Phone and fax ----------------------------------------------------------

_CUES = Cues(
    phone=r"(?:tele|cell|home|work|mobile)?phone|tel|mobile|cell|contact|call|sms"
    r"|ph|pager|called|calling|texted|text|dial|dialed|reach|reached|voicemail"
    r"|callback|whatsapp",
    fax=r"fax|faxed|faxing|facsimile",
    negative=NEGATIVE_WORDS,
)

PHONE_US = verbose(
    r"""
    (?:\+1[ .-]?|\b1[ .-])?            # optional country code
    (?:\([0-9]{3}\)[ ]?               # area code in parentheses
      |\b[0-9]{3}[ .-])                # or followed by a separator
    [0-9]{3}[ .-]                      # exchange (NANP rules: validator)
    [0-9]{4}\b                         # line number
    (?:[ ]?(?i:x|ext\.?|extension)[ ]?[0-9]{1,6}\b)?  # extension
    """
)

PHONE_INTL = verbose(
    r"""
    \+[2-9][0-9]{0,2}                  # country code; +1 is PHONE_US
    (?:[ .-]?\(?[0-9]{1,6}\)?){1,6}    # groups, one separator between
    \b
    """
)

PHONE_E164_US = r"\+1[2-9][0-9]{2}[2-9][0-9]{6}\b"
"""A North American number in compact E.164: +12175550143."""

PHONE_BARE = r"\b1?[2-9][0-9]{2}[2-9][0-9]{6}\b"
"""Ten bare digits: a phone only when a phone or fax word comes shortly before."""

PHONE_KEYED = keyed(
    r"(?:tele|cell|home|work|mobile)?phone|tel|mobile|cell|contact|call|sms|ph"
    r"|fax|facsimile",
    r"\+?1?[2-9][0-9]{2}[2-9][0-9]{6}\b",
)

_SERVICE_CODES = frozenset(f"{digit}11" for digit in range(2, 10))
"""N11 codes (211 ... 911) are never area codes."""


def _phone_cue(text: str, start: int, end: int) -> str | None:
    """Return the nearest context group, or "negative" for a glued candidate."""
    if is_glued(text, start, end):
        return "negative"
    return _CUES.nearest(text, start)


def _us_number_valid(text: str, start: int, end: int) -> bool:
    number = text[start:end].lower()
    for extension_mark in ("x", "e"):
        number = number.partition(extension_mark)[0]
    digits = digits_of(number)
    national = digits[1:] if len(digits) == 11 else digits
    return national[:3] not in _SERVICE_CODES


def _score_us(text: str, start: int, end: int, cue: str | None) -> float:
    if cue == "phone":
        return 1.0
    candidate = text[start:end]
    if candidate[0] not in "+(" and "-" not in candidate and "." not in candidate:
        return 0.6  # spaces only: could be three numbers in a row
    return 0.9


def validate_phone_us(text: str, start: int, end: int) -> float | None:
    """Score a North American number unless its context says fax or not a phone.

    Numbers outside the numbering plan's rules (an area code or exchange
    starting with 0 or 1, an N11 area code) still score 0.7 when written with
    separators: invented and test numbers in logs break those rules, and
    they are written to reach a person all the same.
    """
    cue = _phone_cue(text, start, end)
    if cue in ("fax", "negative"):
        return None
    if not _nanp_shape_valid(text, start, end):
        return OFF_PLAN_SCORE if cue != "fax" else None
    return _score_us(text, start, end, cue)


OFF_PLAN_SCORE = 0.7


def _nanp_shape_valid(text: str, start: int, end: int) -> bool:
    """Return True when area code and exchange follow the numbering plan."""
    if not _us_number_valid(text, start, end):
        return False
    digits = digits_of(text[start:end].lower().partition("x")[0].partition("e")[0])
    national = digits[1:] if len(digits) == 11 else digits
    return national[:1] not in "01" and national[3:4] not in "01"


def validate_fax_us(text: str, start: int, end: int) -> float | None:
    """Score a North American number whose nearest context word is fax."""
    cue = _phone_cue(text, start, end)
    if cue != "fax":
        return None
    return 1.0 if _nanp_shape_valid(text, start, end) else OFF_PLAN_SCORE


def _possible_international(candidate: str) -> bool | None:
    """Return True when the country code exists and its plan has this length,
    False when only the code exists, None when no country has the code."""
    digits = digits_of(candidate)
    for size in (1, 2, 3):  # country codes are prefix-free
        country_code = int(digits[:size])
        if country_code in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
            national = digits[size:]
            # A trunk 0 written after the country code, as in "+44 (0)20 ...".
            trunk = national[:1] == "0"
            return _possible_length(country_code, len(national)) or (
                trunk and _possible_length(country_code, len(national) - 1)
            )
    return None


@lru_cache(maxsize=1024)
def _possible_length(country_code: int, national_length: int) -> bool:
    """Ask phonenumbers (slow, so cached) if a national number can be this long.

    Keyed by country code and length only, so the cache never holds a number.
    """
    stand_in = phonenumbers.PhoneNumber(
        country_code=country_code, national_number=int("5" * national_length)
    )
    return phonenumbers.is_possible_number(stand_in)


def _intl_length_valid(text: str, start: int, end: int) -> bool:
    """E.164 numbers have 8 to 15 digits, country code included."""
    return 8 <= len(digits_of(text[start:end])) <= 15


def validate_phone_intl(text: str, start: int, end: int) -> float | None:
    """Score an international number in E.164 shape, spaced or not."""
    if not _intl_length_valid(text, start, end):
        return None
    cue = _phone_cue(text, start, end)
    fits = _possible_international(text[start:end])
    if cue in ("fax", "negative") or fits is None:
        return None
    if not fits:
        # A "+" and eight or more digits in groups is still a phone number in
        # a log, even when its length does not fit its country's plan.
        return 0.7 if cue == "phone" else 0.6
    return 1.0 if cue == "phone" else 0.9


def validate_fax_intl(text: str, start: int, end: int) -> float | None:
    """Score an international number whose nearest context word is fax."""
    if not _intl_length_valid(text, start, end):
        return None
    cue = _phone_cue(text, start, end)
    fits = _possible_international(text[start:end])
    if cue != "fax" or fits is None:
        return None
    return 1.0 if fits else 0.7


def validate_phone_e164_us(text: str, start: int, end: int) -> float | None:
    """Score a compact +1 number unless its context says fax or not a phone."""
    cue = _phone_cue(text, start, end)
    if cue in ("fax", "negative") or not _us_number_valid(text, start, end):
        return None
    return 1.0 if cue == "phone" else 0.9


def validate_fax_e164_us(text: str, start: int, end: int) -> float | None:
    """Score a compact +1 number whose nearest context word is fax."""
    return validate_fax_us(text, start, end)


def validate_phone_bare(text: str, start: int, end: int) -> float | None:
    """Score ten bare digits whose nearest context word is a phone word."""
    cue = _phone_cue(text, start, end)
    if cue != "phone" or not _us_number_valid(text, start, end):
        return None
    return 0.9


def validate_fax_bare(text: str, start: int, end: int) -> float | None:
    """Score ten bare digits whose nearest context word is a fax word."""
    cue = _phone_cue(text, start, end)
    if cue != "fax" or not _us_number_valid(text, start, end):
        return None
    return 0.9


def validate_phone_keyed(text: str, start: int, end: int) -> float | None:
    """Score bare digits after a phone word; fax words leave them to FAX."""
    if _CUES.nearest(text, start) == "fax" or not _us_number_valid(text, start, end):
        return None
    return 0.95


def validate_fax_keyed(text: str, start: int, end: int) -> float | None:
    """Score bare digits after a fax word."""
    if _CUES.nearest(text, start) != "fax" or not _us_number_valid(text, start, end):
        return None
    return 0.95


PATTERNS: list[Pattern] = [
    Pattern("email", VERSION, EntityType.EMAIL, EMAIL, validate_email),
    Pattern("phone_us", VERSION, EntityType.PHONE, PHONE_US, validate_phone_us),
    Pattern("phone_intl", VERSION, EntityType.PHONE, PHONE_INTL, validate_phone_intl),
    Pattern(
        "phone_keyed", VERSION, EntityType.PHONE, PHONE_KEYED, validate_phone_keyed, 1
    ),
    Pattern("fax_us", VERSION, EntityType.FAX, PHONE_US, validate_fax_us),
    Pattern(
        "phone_e164_us",
        VERSION,
        EntityType.PHONE,
        PHONE_E164_US,
        validate_phone_e164_us,
    ),
    Pattern(
        "fax_e164_us", VERSION, EntityType.FAX, PHONE_E164_US, validate_fax_e164_us
    ),
    Pattern("phone_bare", VERSION, EntityType.PHONE, PHONE_BARE, validate_phone_bare),
    Pattern("fax_bare", VERSION, EntityType.FAX, PHONE_BARE, validate_fax_bare),
    Pattern("fax_intl", VERSION, EntityType.FAX, PHONE_INTL, validate_fax_intl),
    Pattern("fax_keyed", VERSION, EntityType.FAX, PHONE_KEYED, validate_fax_keyed, 1),
]
