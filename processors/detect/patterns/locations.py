"""Pattern detectors for US ZIP codes and street addresses."""

from __future__ import annotations

import re
from collections.abc import Iterable

from processors.detect.base import Pattern
from processors.detect.rx import verbose
from processors.detect.validators import is_glued, keyed
from processors.entities import EntityType

VERSION = "1"

# --- States -----------------------------------------------------------------

# Tables read better as rows than as one word per line.
# fmt: off
STATE_CODES = frozenset((
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID",
    "IL", "IN", "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO",
    "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA",
    "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "PR",
    "VI", "GU", "AS", "MP",
))

_WORDLIKE_CODES = frozenset((
    "AS", "CO", "DE", "HI", "ID", "IN", "LA", "MA", "MD", "ME", "MO", "MS", "OH",
    "OK", "OR", "PA",
))
"""Codes that are also words or common abbreviations ("user ID 12345"): before
a ZIP they count only after a comma or an HL7 ``^``."""

STATE_NAMES = (
    "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado",
    "Connecticut", "Delaware", "Florida", "Georgia", "Hawaii", "Idaho", "Illinois",
    "Indiana", "Iowa", "Kansas", "Kentucky", "Louisiana", "Maine", "Maryland",
    "Massachusetts", "Michigan", "Minnesota", "Mississippi", "Missouri", "Montana",
    "Nebraska", "Nevada", "New Hampshire", "New Jersey", "New Mexico", "New York",
    "North Carolina", "North Dakota", "Ohio", "Oklahoma", "Oregon", "Pennsylvania",
    "Rhode Island", "South Carolina", "South Dakota", "Tennessee", "Texas", "Utah",
    "Vermont", "Virginia", "Washington", "West Virginia", "Wisconsin", "Wyoming",
    "District of Columbia", "Puerto Rico", "Guam",
)

_STREET_WORDS = (
    "Street", "Avenue", "Road", "Boulevard", "Drive", "Lane", "Way", "Court",
    "Place", "Parkway", "Highway", "Terrace", "Circle", "Loop", "Trail", "Square",
    "Plaza", "Alley", "Expressway", "Freeway", "Pike", "Crescent", "Ridge", "Route",
)

_STREET_ABBREVIATIONS = (
    "St", "Ave", "Av", "Rd", "Blvd", "Dr", "Ln", "Ct", "Pl", "Pkwy", "Hwy", "Ter",
    "Cir", "Trl", "Sq", "Plz", "Aly", "Expy", "Fwy", "Rte",
)

_DIRECTIONS = (
    "N", "S", "E", "W", "NE", "NW", "SE", "SW", "North", "South", "East", "West",
)

_TITLE_STOP_WORDS = frozenset((
    "In", "On", "At", "To", "For", "From", "By", "With", "Is", "Are", "Was", "Were",
    "And", "Or", "Not", "No", "If", "Then",
))
"""Words of a sentence, not of an address: "3 Items In Place"."""
# fmt: on


def _title_or_upper(words: Iterable[str]) -> str:
    longest_first = sorted(words, key=len, reverse=True)
    variants = (variant for word in longest_first for variant in (word, word.upper()))
    return "|".join(variants)


_STATE_NAME_WORDS = [name.replace(" ", "[ ]") for name in STATE_NAMES]
_STATE = rf"(?:{'|'.join(sorted(STATE_CODES))}|{_title_or_upper(_STATE_NAME_WORDS)})\b"
_ZIP = r"[0-9]{5}(?:-[0-9]{4})?"  # ZIP or ZIP+4

# --- ZIP --------------------------------------------------------------------

ZIP_AFTER_STATE = verbose(
    rf"""
    (?:^|[^A-Za-z0-9])       # the state is a word of its own
    {_STATE}                 # IL, Illinois, ILLINOIS
    (?:,[ ]?|[ ][ ]?|\^)     # ", ", " ", or HL7's "^"
    ({_ZIP})                 # group 1: the ZIP
    """
)

ZIP_KEYED = keyed(
    r"zip(?:[ _-]?code)?|postal(?:[ _-]?code)?|post[ _-]?code", _ZIP, suffix=False
)

_STATE_BEFORE = re.compile(r"(?P<lead>[,^]?)[ ]*(?P<code>[A-Z]{2})(?:,[ ]?|[ ]+|\^)$")


_LOWEST_ZIP = 501
"""00501, an IRS ZIP in Holtsville, NY; nothing lower was ever assigned."""


def _zip_well_formed(text: str, start: int, end: int) -> bool:
    # A dash and digits right after the ZIP make it part of a longer number.
    if int(text[start : start + 5]) < _LOWEST_ZIP:
        return False
    return not is_glued(text, start, end, joiners="-")


def validate_zip_after_state(text: str, start: int, end: int) -> float | None:
    """Score a ZIP after a state; a word-like code needs a comma before it."""
    if not _zip_well_formed(text, start, end):
        return None
    state = _STATE_BEFORE.search(text, max(0, start - 8), start)
    if state and state["code"] in _WORDLIKE_CODES and not state["lead"]:
        return None
    return 0.9


def validate_zip_keyed(text: str, start: int, end: int) -> float | None:
    """Score a ZIP after a context word such as ``zip`` or ``postal code``."""
    return 1.0 if _zip_well_formed(text, start, end) else None


# --- Street addresses -------------------------------------------------------

_SUFFIX = (
    rf"(?:{_title_or_upper(_STREET_WORDS)})\b"
    rf"|(?:{_title_or_upper(_STREET_ABBREVIATIONS)})\b\.?"
)
_DIRECTION = _title_or_upper(_DIRECTIONS)

_UNIT_WORD = r"(?i:apt|apartment|suite|ste|unit|rm|room|fl|floor|bldg|building)"

_CITY = r"[A-Z][A-Za-z.'-]*(?:[ ][A-Z][A-Za-z.'-]*){0,3}"  # Springfield, St. Louis

TAIL = verbose(
    rf"""
    (?:(?:,[ ]?|[ ]|\^+)                     # ", ", " ", or HL7's "^^"
      {_CITY}                                # the city
      (?:,[ ]?|[ ]|\^)                       # then the state
      {_STATE}
      (?:(?:,[ ]?|[ ][ ]?|\^){_ZIP})?        # and maybe the ZIP
    )?
    """
)
"""The optional ``, City, ST 12345`` after a street or a PO box."""

STREET = verbose(
    rf"""
    \b[0-9]{{1,6}}(?:-[0-9]{{1,5}})?[A-Z]?   # house number: 123, 12-34, 123A
    [ ](?:(?:{_DIRECTION})\.?[ ])?           # maybe a direction: N, North
    (?:(?:[A-Z][A-Za-z'.-]*                  # street name words: Main, MAIN,
      |[0-9]{{1,3}}(?i:st|nd|rd|th))[ ]      #   or ordinals: 34th
    ){{1,5}}
    (?:{_SUFFIX})                            # suffix: Street, St., ST
    (?:[ ](?:{_DIRECTION})\b)?               # maybe a direction: NW
    (?:,?[ ]{_UNIT_WORD}\.?[ ]?\#?[ ]?       # maybe a unit: Apt 4B, Suite 200,
      [A-Za-z0-9-]{{1,6}}\b                  #   Unit 7
      |,?[ ]?\#[ ]?[A-Za-z0-9-]{{1,6}}\b)?   #   or #12
    {TAIL}
    """
)

PO_BOX = verbose(
    rf"""
    \b(?i:p\.?[ ]?o\.?[ ]?box|post[ ]office[ ]box)  # PO Box, P.O. BOX
    [ ]?\#?[ ]?[0-9]{{1,6}}\b                        # its number
    {TAIL}
    """
)

_STOP_WORDS = _TITLE_STOP_WORDS | {
    word.upper() for word in _TITLE_STOP_WORDS if word.upper() not in STATE_CODES
}

_ENDS_WITH_ZIP = re.compile(r"[0-9]{5}(?:-[0-9]{4})?$")
_STATE_TAIL = re.compile(rf"(?:,[ ]?|[ ]|\^){_STATE}$")


def _address_score(value: str) -> float:
    if _ENDS_WITH_ZIP.search(value):
        return 1.0
    return 0.95 if _STATE_TAIL.search(value) else 0.85


def validate_street(text: str, start: int, end: int) -> float | None:
    """Score a street address; reject sentences that happen to fit the shape."""
    value = text[start:end]
    if is_glued(text, start, end, joiners=".-/:"):
        return None
    if _STOP_WORDS.intersection(value.replace(",", " ").split()):
        return None
    return _address_score(value)


def validate_po_box(text: str, start: int, end: int) -> float | None:
    """Score a PO box, with its city, state and ZIP when they follow."""
    if is_glued(text, start, end):
        return None
    return _address_score(text[start:end])


# --- Patterns ---------------------------------------------------------------

PATTERNS: list[Pattern] = [
    Pattern(
        "zip_state",
        VERSION,
        EntityType.ZIP,
        ZIP_AFTER_STATE,
        validate_zip_after_state,
        group=1,
    ),
    Pattern(
        "zip_keyed", VERSION, EntityType.ZIP, ZIP_KEYED, validate_zip_keyed, group=1
    ),
    Pattern("address", VERSION, EntityType.ADDRESS, STREET, validate_street),
    Pattern("po_box", VERSION, EntityType.ADDRESS, PO_BOX, validate_po_box),
]
"""ZIP codes and street addresses, for the registry."""
