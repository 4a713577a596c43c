"""Pattern detectors for numbers that identify a person, an account or a device."""

from __future__ import annotations

from stdnum import iban, imei, luhn
from stdnum.us import rtn

from processors.detect.base import Pattern
from processors.detect.rx import verbose
from processors.detect.validators import (
    ID_VALUE,
    NEGATIVE_WORDS,
    Cues,
    digits_of,
    is_glued,
    keyed,
    value_check,
)
from processors.entities import EntityType

VERSION = "1"

_NUMBER_WORD = r"[\s_-]*(?:id|\#|no\.?|number|num|nbr)"
"""A required "number" after a context word that alone means too little."""


# --- SSN --------------------------------------------------------------------

_SSN_CUES = Cues(
    ssn=r"ssn|ss\#|social[\s_-]*security|soc[\s_-]*sec|itin|taxpayer",
    negative=NEGATIVE_WORDS,
)

SSN_SEPARATED = verbose(
    r"""
    \b[0-9]{3}             # area
    (?:-[0-9]{2}-          # group between dashes
      |[ ][0-9]{2}[ ]      # or between single spaces
      |[.][0-9]{2}[.])     # or between dots
    [0-9]{4}\b             # serial
    """
)

SSN_KEYED = keyed(r"ssn|ss\#|social[\s_-]*security|soc[\s_-]*sec", r"[0-9]{9}\b")


def _ssn_parts_valid(digits: str) -> bool:
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    return area not in ("000", "666") and group != "00" and serial != "0000"


def validate_ssn(text: str, start: int, end: int) -> float | None:
    """Score a separated SSN; area 9xx (never issued, ITIN) needs context.

    So do dots: more dotted numbers are versions and addresses than SSNs.
    """
    value = text[start:end]
    digits = digits_of(value)
    if is_glued(text, start, end) or not _ssn_parts_valid(digits):
        return None
    cue = _SSN_CUES.nearest(text, start)
    if cue == "negative":
        return None
    if cue == "ssn":
        return 0.9 if digits[0] == "9" else 1.0
    if digits[0] == "9" or "." in value:
        return None
    return 0.85 if "-" in value else 0.6


def validate_ssn_keyed(text: str, start: int, end: int) -> float | None:
    """Score nine bare digits that follow an SSN context word."""
    digits = text[start:end]
    if not _ssn_parts_valid(digits):
        return None
    return 0.8 if digits[0] == "9" else 1.0


# --- MRN and member ids -----------------------------------------------------

MRN_KEYED = keyed(
    r"mrn|mr\#|medical[\s_-]*record|med[\s_-]*rec(?:ord)?"
    r"|chart[\s_-]*(?:\#|no\.?|number|num|nbr)",
    ID_VALUE,
)

MEMBER_KEYED = keyed(
    r"(?:member(?:ship)?|subscriber|insurance|health[\s_-]*plan|beneficiary"
    r"|medicaid|insured)"
    + _NUMBER_WORD
    + r"|(?:policy|group)[\s_-]*(?:\#|no\.?|number|num|nbr)",
    ID_VALUE,
    suffix=False,
)


# --- MBI --------------------------------------------------------------------

_MBI_LETTER = "[AC-HJKMNP-RT-Y]"  # A-Z without S, L, O, I, B, Z
_MBI_ALNUM = "[0-9AC-HJKMNP-RT-Y]"

MBI = verbose(
    rf"""
    \b[1-9]                        # 1: a digit, never 0
    {_MBI_LETTER}{_MBI_ALNUM}[0-9] # 2-4: letter, letter or digit, digit
    -?                             # optional dash, as on the card
    {_MBI_LETTER}{_MBI_ALNUM}[0-9] # 5-7: letter, letter or digit, digit
    -?
    {_MBI_LETTER}{{2}}[0-9]{{2}}\b # 8-11: two letters, two digits
    """
)

_MBI_CUES = Cues(mbi=r"mbi|medicare|beneficiary|hicn|cms", negative=NEGATIVE_WORDS)


def validate_mbi(text: str, start: int, end: int) -> float | None:
    """Score a Medicare Beneficiary Identifier; its dashes come in pairs."""
    dashes = text.count("-", start, end)
    if dashes == 1 or is_glued(text, start, end):
        return None
    cue = _MBI_CUES.nearest(text, start)
    if cue == "negative":
        return None
    return 1.0 if cue == "mbi" else 0.9


# --- Payment cards, bank accounts -------------------------------------------

CREDIT_CARD = verbose(
    r"""
    \b(?:
      [2-6][0-9]{12,18}                      # unbroken digits
      |[2-6][0-9]{3}(?:-[0-9]{4}){3}         # 4-4-4-4 with dashes
      |[2-6][0-9]{3}(?:[ ][0-9]{4}){3}       # 4-4-4-4 with spaces
      |3[0-9]{3}[ -][0-9]{6}[ -][0-9]{4,5}   # Amex 4-6-5, Diners 4-6-4
    )\b
    """
)

CREDIT_CARD_19 = verbose(
    r"""
    \b(?:
      [2-6][0-9]{3}(?:-[0-9]{4}){3}-[0-9]{3}       # 4-4-4-4-3 with dashes
      |[2-6][0-9]{3}(?:[ ][0-9]{4}){3}[ ][0-9]{3}  # 4-4-4-4-3 with spaces
    )\b
    """
)
"""Apart from CREDIT_CARD, so a 16-digit card followed by a CVV is still found."""

_CARD_RANGES: tuple[tuple[str, str, tuple[int, ...]], ...] = (
    ("4", "4", (13, 16, 19)),  # Visa
    ("51", "55", (16,)),  # Mastercard
    ("2221", "2720", (16,)),  # Mastercard 2-series
    ("2200", "2204", (16,)),  # Mir
    ("34", "34", (15,)),  # American Express
    ("37", "37", (15,)),
    ("300", "305", (14, 16, 17, 18, 19)),  # Diners Club
    ("36", "36", (14, 16, 17, 18, 19)),
    ("38", "39", (16, 17, 18, 19)),
    ("3528", "3589", (16, 17, 18, 19)),  # JCB
    ("6011", "6011", (16, 17, 18, 19)),  # Discover
    ("644", "649", (16, 17, 18, 19)),
    ("65", "65", (16, 17, 18, 19)),
    ("62", "62", (16, 17, 18, 19)),  # UnionPay
    ("50", "50", tuple(range(13, 20))),  # Maestro
    ("56", "58", tuple(range(13, 20))),
    ("63", "63", tuple(range(13, 20))),
    ("67", "67", tuple(range(13, 20))),
)
"""Issuer prefix ranges (inclusive, compared on the prefix length) and lengths."""

_CARD_CUES = Cues(
    card=r"card|cc|credit|debit|visa|mastercard|amex|discover|pan|payment",
    negative=NEGATIVE_WORDS,
)


def _card_issuer_known(digits: str) -> bool:
    return any(
        low <= digits[: len(low)] <= high and len(digits) in lengths
        for low, high, lengths in _CARD_RANGES
    )


def validate_card(text: str, start: int, end: int) -> float | None:
    """Score a card number: known issuer prefix and length, Luhn check digit."""
    digits = digits_of(text[start:end])
    if is_glued(text, start, end) or not _card_issuer_known(digits):
        return None
    if not luhn.is_valid(digits):
        return None
    cue = _CARD_CUES.nearest(text, start)
    if cue == "negative":
        return None
    if cue == "card" or len(digits) != end - start:
        return 1.0
    return 0.8


_ACCOUNT_CUES = Cues(
    routing=r"routing|aba",
    cloud=r"aws|arn|iam|cloud|gcp|azure|tenant|org|organization|project|service",
)

ACCOUNT_KEYED = keyed(
    r"(?:bank[\s_-]*)?account|acct|a/c|routing|aba",
    r"[0-9][0-9-]{4,20}[0-9]\b",
)


def validate_account(text: str, start: int, end: int) -> float | None:
    """Score a bank account or routing number after its context word."""
    digits = digits_of(text[start:end])
    if not 6 <= len(digits) <= 17 or is_glued(text, start, end):
        return None
    cues = _ACCOUNT_CUES.found(text, start)
    if "cloud" in cues:
        return None
    if "routing" in cues and len(digits) == 9:
        return 1.0 if rtn.is_valid(digits) else 0.6
    return 0.9


IBAN = verbose(
    r"""
    \b[A-Z]{2}[0-9]{2}           # country and check digits
    (?:[ ]?[A-Z0-9]{4}){2,7}     # groups of four, spaced or not
    (?:[ ]?[A-Z0-9]{1,3})?\b     # a short last group
    """
)


def validate_iban(text: str, start: int, end: int) -> float | None:
    """Score an IBAN: country format and ISO 7064 check digits."""
    if is_glued(text, start, end):
        return None
    return 1.0 if iban.is_valid(text[start:end]) else None


# --- Licenses and certificates ----------------------------------------------

LICENSE_KEYED = keyed(
    r"licen[cs]e|lic|dl|d/l|certificate[\s_-]*(?:\#|no\.?|number|num)",
    ID_VALUE,
)


NPI_KEYED = keyed(r"npi", r"[0-9]{10}\b")


def validate_npi(text: str, start: int, end: int) -> float | None:
    """Score a National Provider Identifier: Luhn over the 80840 prefix."""
    return 1.0 if luhn.is_valid("80840" + text[start:end]) else 0.6


DEA_KEYED = keyed(r"dea", r"[A-Za-z]{2}[0-9]{7}\b")


def validate_dea(text: str, start: int, end: int) -> float | None:
    """Score a DEA registration number by its check digit."""
    digits = [int(char) for char in text[start + 2 : end]]
    odd = digits[0] + digits[2] + digits[4]
    even = digits[1] + digits[3] + digits[5]
    return 1.0 if (odd + 2 * even) % 10 == digits[6] else 0.6


# --- Vehicles ---------------------------------------------------------------

VIN = r"\b[A-HJ-NPR-Z0-9]{17}\b"  # 17 characters, never I, O or Q

_VIN_CHARS = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"
_VIN_VALUES = "012345678912345678123457923456789"  # of the character above each
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
_VIN_CUES = Cues(vin=r"vin|vehicle|chassis", negative=NEGATIVE_WORDS)


def vin_check_digit(vin: str) -> str:
    """Return the check digit a 17-character VIN must carry in position 9."""
    total = sum(
        int(_VIN_VALUES[_VIN_CHARS.index(char)]) * weight
        for char, weight in zip(vin, _VIN_WEIGHTS, strict=True)
    )
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def validate_vin(text: str, start: int, end: int) -> float | None:
    """Score a VIN: letters and digits, check digit, or context without one."""
    vin = text[start:end]
    if vin.isdigit() or vin.isalpha() or is_glued(text, start, end):
        return None
    cue = _VIN_CUES.nearest(text, start)
    if cue == "negative":
        return None
    if vin[8] == vin_check_digit(vin):
        return 1.0
    # Outside North America the check digit is optional.
    return 0.7 if cue == "vin" else None


PLATE_KEYED = keyed(
    r"licen[cs]e[\s_-]*plate|plate|vehicle[\s_-]*tag"
    r"|tag[\s_-]*(?:\#|no\.?|number|num)",
    r"[A-Za-z0-9]{1,4}[ -]?[A-Za-z0-9]{1,5}\b",
)


# --- Devices ----------------------------------------------------------------

IMEI = verbose(
    r"""
    \b(?:[0-9]{15}                           # unbroken
      |[0-9]{2}-[0-9]{6}-[0-9]{6}-[0-9])\b   # as printed: 2-6-6-1
    """
)

_IMEI_CUES = Cues(
    device=r"imei|device|handset|phone|mobile|equipment", negative=NEGATIVE_WORDS
)
_IMEI_BODIES = frozenset(
    {0, 1, 10, 30, 33, 35, 44, 45, 49, 50, 51, 52, 53, 54, 86, 91, 98, 99}
)
"""Reporting bodies that allocate IMEI prefixes; others need context."""


def validate_imei(text: str, start: int, end: int) -> float | None:
    """Score an IMEI: Luhn check digit, a known allocator unless in context."""
    digits = digits_of(text[start:end])
    if is_glued(text, start, end) or not imei.is_valid(digits):
        return None
    cue = _IMEI_CUES.nearest(text, start)
    if cue == "negative":
        return None
    if cue == "device":
        return 1.0
    return 0.6 if int(digits[:2]) in _IMEI_BODIES else None


MAC = verbose(
    r"""
    (?i)\b(?:
      [0-9a-f]{2}(?::[0-9a-f]{2}){5}         # aa:bb:cc:dd:ee:ff
      |[0-9a-f]{2}(?:-[0-9a-f]{2}){5}        # aa-bb-cc-dd-ee-ff
      |[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4} # aabb.ccdd.eeff (Cisco)
    )\b
    """
)

_MAC_CUES = Cues(mac=r"mac|hwaddr|ether|bssid|wifi", negative=NEGATIVE_WORDS)


def validate_mac(text: str, start: int, end: int) -> float | None:
    """Score a MAC address; all-zero and broadcast addresses are no device."""
    hex_digits = "".join(char for char in text[start:end].lower() if char.isalnum())
    if hex_digits in ("000000000000", "ffffffffffff"):
        return None
    if is_glued(text, start, end, joiners=":-."):
        return None
    cue = _MAC_CUES.nearest(text, start)
    if cue == "negative" or (hex_digits.isdigit() and cue != "mac"):
        return None
    return 1.0 if cue == "mac" else 0.9


SERIAL_KEYED = keyed(
    r"serial(?:[\s_-]*(?:\#|no\.?|number|num))?|s/n|sn[:\#=]|udi|esn|meid"
    r"|device[\s_-]*(?:id|serial|identifier)",
    r"[A-Za-z0-9(][A-Za-z0-9()/.+-]{3,78}[A-Za-z0-9)]",
    suffix=False,
)


validate_keyed_id = value_check(min_length=5, min_digits=3, score=0.9)
validate_license = value_check(min_length=5, min_digits=4, score=0.85)
validate_plate = value_check(min_length=2, min_digits=1, score=0.8)
validate_serial = value_check(min_length=5, min_digits=2, score=0.85)

PATTERNS: list[Pattern] = [
    Pattern("ssn", VERSION, EntityType.SSN, SSN_SEPARATED, validate_ssn),
    Pattern("ssn_keyed", VERSION, EntityType.SSN, SSN_KEYED, validate_ssn_keyed, 1),
    Pattern("mrn", VERSION, EntityType.MRN, MRN_KEYED, validate_keyed_id, 1),
    Pattern(
        "member_id", VERSION, EntityType.MEMBER_ID, MEMBER_KEYED, validate_keyed_id, 1
    ),
    Pattern("mbi", VERSION, EntityType.MBI, MBI, validate_mbi),
    Pattern("credit_card", VERSION, EntityType.CREDIT_CARD, CREDIT_CARD, validate_card),
    Pattern(
        "credit_card_19", VERSION, EntityType.CREDIT_CARD, CREDIT_CARD_19, validate_card
    ),
    Pattern("account", VERSION, EntityType.ACCOUNT, ACCOUNT_KEYED, validate_account, 1),
    Pattern("iban", VERSION, EntityType.ACCOUNT, IBAN, validate_iban),
    Pattern("license", VERSION, EntityType.LICENSE, LICENSE_KEYED, validate_license, 1),
    Pattern("npi", VERSION, EntityType.LICENSE, NPI_KEYED, validate_npi, 1),
    Pattern("dea", VERSION, EntityType.LICENSE, DEA_KEYED, validate_dea, 1),
    Pattern("vin", VERSION, EntityType.VIN, VIN, validate_vin),
    Pattern("plate", VERSION, EntityType.PLATE, PLATE_KEYED, validate_plate, 1),
    Pattern("imei", VERSION, EntityType.DEVICE_ID, IMEI, validate_imei),
    Pattern("mac", VERSION, EntityType.DEVICE_ID, MAC, validate_mac),
    Pattern("serial", VERSION, EntityType.DEVICE_ID, SERIAL_KEYED, validate_serial, 1),
]
