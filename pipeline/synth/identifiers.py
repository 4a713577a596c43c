"""Factories of synthetic identifiers, with valid check digits where they have one."""

from __future__ import annotations

import string
from random import Random
from typing import Final

_DIGITS: Final = string.digits
_UPPER: Final = string.ascii_uppercase
_ALNUM: Final = _UPPER + _DIGITS


def _digits(rng: Random, count: int) -> str:
    return f"{rng.randrange(10**count):0{count}d}"


def _letters(rng: Random, count: int, alphabet: str = _UPPER) -> str:
    return "".join(rng.choice(alphabet) for _ in range(count))


def luhn_check_digit(payload: str) -> str:
    """Return the Luhn digit that makes ``payload`` + digit valid."""
    total = 0
    for position, char in enumerate(reversed(payload)):
        value = int(char) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


def is_luhn_valid(number: str) -> bool:
    """Return True when the digits of ``number`` pass the Luhn check."""
    digits = "".join(char for char in number if char.isdigit())
    return len(digits) > 1 and luhn_check_digit(digits[:-1]) == digits[-1]


def ssn(rng: Random) -> str:
    """Make an invented SSN outside areas 000, 666 and 900-999, dashed or not."""
    area = rng.randint(1, 898)
    area += area >= 666
    group = rng.randint(1, 99)
    serial = rng.randint(1, 9999)
    sep = rng.choices(("-", "", " "), weights=(8, 1, 1))[0]
    return f"{area:03d}{sep}{group:02d}{sep}{serial:04d}"


def mrn(rng: Random) -> str:
    """Make a medical record number in one of the common house styles."""
    style = rng.randrange(4)
    if style == 0:
        return f"{rng.randint(1, 9999999):08d}"
    if style == 1:
        return _digits(rng, 7)
    if style == 2:
        return rng.choice("EMH") + _digits(rng, 7)
    return f"{_letters(rng, 2)}{_digits(rng, 6)}"


def member_id(rng: Random) -> str:
    """Make a health plan member id: a payer prefix and digits."""
    prefix = rng.choice(("XEH", "W", "ZGP", "JQU", "M", "HPN"))
    return prefix + _digits(rng, rng.choice((8, 9, 10)))


# Positions of a Medicare Beneficiary Identifier: C numeric 1-9, N numeric,
# A a letter but S L O I B Z, X either a letter of A or a digit.
_MBI_LETTERS: Final = "".join(c for c in _UPPER if c not in "SLOIBZ")
_MBI_SHAPE: Final = "CAXNAXNAANN"


def mbi(rng: Random) -> str:
    """Make a Medicare Beneficiary Identifier in valid positional format."""
    alphabets = {
        "C": "123456789",
        "N": _DIGITS,
        "A": _MBI_LETTERS,
        "X": _MBI_LETTERS + _DIGITS,
    }
    value = "".join(rng.choice(alphabets[kind]) for kind in _MBI_SHAPE)
    if rng.random() < 0.3:
        return f"{value[:4]}-{value[4:7]}-{value[7:]}"
    return value


def account(rng: Random) -> str:
    """Make a patient account or visit number."""
    style = rng.randrange(3)
    if style == 0:
        return _digits(rng, 10)
    if style == 1:
        return f"ACCT-{_digits(rng, 8)}"
    return f"V{_digits(rng, 9)}"


# Issuer prefixes and lengths of well-known payment test card ranges.
_CARD_PREFIXES: Final = (("4", 16), ("51", 16), ("55", 16), ("37", 15), ("6011", 16))


def credit_card(rng: Random) -> str:
    """Make a Luhn-valid card number, grouped the way people type them."""
    prefix, length = rng.choice(_CARD_PREFIXES)
    payload = prefix + _digits(rng, length - len(prefix) - 1)
    number = payload + luhn_check_digit(payload)
    sep = rng.choice(("", " ", "-"))
    if length == 15:
        return sep.join((number[:4], number[4:10], number[10:]))
    return sep.join(number[i : i + 4] for i in range(0, 16, 4))


def drivers_license(rng: Random) -> str:
    """Make a driver's license number in one of a few state formats."""
    style = rng.randrange(4)
    if style == 0:
        return rng.choice(_UPPER) + _digits(rng, 7)
    if style == 1:
        return _digits(rng, 9)
    if style == 2:
        body = _digits(rng, 11)
        return f"{rng.choice(_UPPER)}{body[:3]}-{body[3:7]}-{body[7:]}"
    return rng.choice(_UPPER) + _digits(rng, 12)


_VIN_CHARS: Final = "".join(c for c in _ALNUM if c not in "IOQ")
_VIN_WEIGHTS: Final = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
_VIN_VALUES: Final = dict(
    zip(
        "ABCDEFGHJKLMNPRSTUVWXYZ",
        (1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 7, 9, 2, 3, 4, 5, 6, 7, 8, 9),
        strict=True,
    )
)


def vin_check_digit(vin: str) -> str:
    """Return the check digit (position 9) that ``vin`` should carry."""
    total = 0
    for char, weight in zip(vin, _VIN_WEIGHTS, strict=True):
        total += (int(char) if char.isdigit() else _VIN_VALUES[char]) * weight
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def vin(rng: Random) -> str:
    """Make a 17-character VIN with a valid check digit."""
    draft = _letters(rng, 17, _VIN_CHARS)
    return draft[:8] + vin_check_digit(draft) + draft[9:]


def plate(rng: Random) -> str:
    """Make a license plate in one of a few state formats."""
    style = rng.randrange(3)
    if style == 0:
        return f"{rng.randint(1, 9)}{_letters(rng, 3)}{_digits(rng, 3)}"
    if style == 1:
        return f"{_letters(rng, 3)}-{_digits(rng, 4)}"
    return f"{_letters(rng, 3)} {_digits(rng, 4)}"


def device_id(rng: Random) -> str:
    """Make a device identifier: an IMEI, a MAC address or a serial number."""
    style = rng.randrange(3)
    if style == 0:
        payload = "35" + _digits(rng, 12)
        return payload + luhn_check_digit(payload)
    if style == 1:
        octets = [rng.randint(0, 255) for _ in range(6)]
        octets[0] &= 0xFC
        sep = rng.choice((":", "-"))
        return sep.join(f"{octet:02X}" for octet in octets)
    return f"SN-{_letters(rng, 2)}{_digits(rng, 6)}{_letters(rng, 2, _ALNUM)}"


def patient_id(rng: Random) -> str:
    """Make an application-level patient id (the policy treats it as PHI)."""
    style = rng.randrange(3)
    if style == 0:
        return f"P{_digits(rng, 8)}"
    if style == 1:
        return f"pt_{_letters(rng, 10, string.ascii_lowercase + _DIGITS)}"
    return f"{rng.randint(100000, 9999999)}"


def personal_url(rng: Random, handle: str) -> str:
    """Make a personal web address on a reserved domain."""
    host = rng.choice(("example.net", "example.org", "social.example.com"))
    if rng.random() < 0.5:
        return f"https://{host}/~{handle}"
    return f"https://{host}/u/{handle}{rng.randint(1, 99)}"
