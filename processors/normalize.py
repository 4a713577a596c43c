"""Canonical forms of PHI values, so that one value written two ways is one token."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import phonenumbers

from processors.entities import EntityType

_NON_ALNUM = re.compile(r"[^0-9A-Za-z]+")
_SPACES = re.compile(r"\s+")
_NON_DIGIT = re.compile(r"\D+")
_EXTENSION = re.compile(r"(?i)\s*(?:ext\.?|x|#)\s*\d+\s*$")
_TITLES = frozenset(
    {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "madam", "rev"}
)
_NAME_PUNCT = re.compile(r"[^\w\s'-]+")
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_YMD = re.compile(r"(\d{4})[-/.]?(\d{1,2})[-/.]?(\d{1,2})")
_MDY = re.compile(r"(\d{1,2})([-/.])(\d{1,2})[-/.](\d{4}|\d{2})(?!\d)")
_D_MON_Y = re.compile(
    r"(\d{1,2})(?:st|nd|rd|th)?(?:[\s/-]+of)?[\s/-]+([a-z]{3,9})\.?[\s,/-]+"
    r"(\d{4}|\d{2})(?!\d)"
)
_MON_D_Y = re.compile(r"([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")


def _alnum_upper(value: str) -> str:
    return _NON_ALNUM.sub("", value).upper()


def _text(value: str) -> str:
    return _SPACES.sub(" ", value).strip().casefold()


def _email(value: str) -> str:
    return value.strip().casefold()


def _phone(value: str) -> str:
    main = _EXTENSION.split(value, maxsplit=1)[0]
    digits = _NON_DIGIT.sub("", main)
    if "(0)" not in main:
        if main.lstrip().startswith("+"):
            return f"+{digits}"
        if len(digits) == 10:
            return f"+1{digits}"
        if len(digits) == 11 and digits.startswith("1"):
            return f"+{digits}"
    # Rare shapes (trunk prefixes, local numbers) go through the full parser,
    # which costs about ten times the digit path above.
    try:
        number = phonenumbers.parse(value, "US")
    except phonenumbers.NumberParseException:
        return _alnum_upper(value)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _person(value: str) -> str:
    text = _NAME_PUNCT.sub(" ", value.replace(".", " "))
    if "," in value:
        last, _, first = value.partition(",")
        text = _NAME_PUNCT.sub(" ", f"{first} {last}".replace(".", " "))
    words = [w for w in text.casefold().split() if w not in _TITLES]
    return " ".join(words)


def _make_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _two_digit_year(year: int) -> int:
    # Two-digit years in dates of birth and service: 00-29 read as 20xx.
    return 2000 + year if year < 30 else 1900 + year


def parse_date(value: str) -> date | None:
    """Return the calendar date ``value`` names, or None when no form fits.

    Slashed and dashed numeric dates read month first (US), dotted ones day
    first (European), as logs written in those conventions do.
    """
    text = value.strip().lower()
    match = _YMD.fullmatch(text[:10]) or _YMD.fullmatch(text)
    if match:
        return _make_date(*(int(g) for g in match.groups()))
    match = _MDY.match(text)
    if match:
        first, sep, second, year_text = match.groups()
        year = int(year_text)
        if len(year_text) == 2:
            year = _two_digit_year(year)
        # Month first (US) unless dotted or the first number cannot be a month.
        if sep == "." or int(first) > 12:
            return _make_date(year, int(second), int(first))
        return _make_date(year, int(first), int(second))
    match = _D_MON_Y.match(text)
    if match and match.group(2) in _MONTHS:
        day, month, year_text = match.groups()
        year = int(year_text)
        if len(year_text) == 2:
            year = _two_digit_year(year)
        return _make_date(year, _MONTHS[month], int(day))
    match = _MON_D_Y.match(text)
    if match and match.group(1) in _MONTHS:
        month_name, day_text, year_only = match.groups()
        return _make_date(int(year_only), _MONTHS[month_name], int(day_text))
    return None


def _date(value: str) -> str:
    parsed = parse_date(value)
    return parsed.isoformat() if parsed else _text(value)


_BY_TYPE: dict[EntityType, Callable[[str], str]] = {
    EntityType.SSN: _alnum_upper,
    EntityType.CREDIT_CARD: _alnum_upper,
    EntityType.ACCOUNT: _alnum_upper,
    EntityType.MBI: _alnum_upper,
    EntityType.MEMBER_ID: _alnum_upper,
    EntityType.MRN: _alnum_upper,
    EntityType.VIN: _alnum_upper,
    EntityType.PLATE: _alnum_upper,
    EntityType.DEVICE_ID: _alnum_upper,
    EntityType.LICENSE: _alnum_upper,
    EntityType.ID: _alnum_upper,
    EntityType.PHONE: _phone,
    EntityType.FAX: _phone,
    EntityType.EMAIL: _email,
    EntityType.PERSON: _person,
    EntityType.DATE: _date,
}


def normalize(entity_type: EntityType, value: str) -> str:
    """Return the canonical form of ``value`` for its entity type."""
    return _BY_TYPE.get(entity_type, _text)(value)
