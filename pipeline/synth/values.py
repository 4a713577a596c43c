"""Factories of synthetic PHI values: names, dates, ages, contacts, addresses."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from random import Random
from typing import Final

from pipeline.synth.names import ORIGINS, TITLES, VIETNAMESE_MIDDLE

_ORIGIN_NAMES: Final = tuple(ORIGINS)

NAME_STYLES: Final = (
    "given_family",
    "given_middle_family",
    "given_initial_family",
    "family_comma_given",
    "upper",
    "lower",
    "family_given",
)

DATE_STYLES: Final = (
    "iso",
    "us",
    "us_padded",
    "day_mon_year",
    "month_day_year",
    "mon_day_year",
    "day_month_year",
    "hl7",
    "dotted",
)

MONTHS: Final = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
"""English month names, spelled out here because ``strftime`` follows the locale."""


@dataclass(frozen=True, slots=True)
class Name:
    """A synthetic person's name, rendered per format by ``name_text``."""

    given: str
    family: str
    middle: str | None
    title: str
    origin: str


def person(rng: Random) -> Name:
    """Make a name of a random origin, sometimes hyphenated or with a middle."""
    origin = rng.choice(_ORIGIN_NAMES)
    givens, families = ORIGINS[origin]
    family = rng.choice(families)
    other = rng.choice(families)
    is_plain = " " not in family + other and "'" not in family + other
    if is_plain and other != family and rng.random() < 0.1:
        family = f"{family}-{other}"

    middle: str | None = None
    if origin == "vietnamese" and rng.random() < 0.6:
        middle = rng.choice(VIETNAMESE_MIDDLE)
    elif rng.random() < 0.3:
        middle = rng.choice(givens)
    return Name(rng.choice(givens), family, middle, rng.choice(TITLES), origin)


def name_text(name: Name, style: str) -> str:
    """Render ``name`` the way one source system writes it (no title)."""
    middle = name.middle or ""
    if style == "given_middle_family" and middle:
        return f"{name.given} {middle} {name.family}"
    if style == "given_initial_family" and middle:
        return f"{name.given} {middle[0]}. {name.family}"
    if style == "family_comma_given":
        return f"{name.family}, {name.given}"
    if style == "upper":
        return f"{name.given} {name.family}".upper()
    if style == "lower":
        return f"{name.given} {name.family}".lower()
    if style == "family_given":
        return " ".join(part for part in (name.family, middle, name.given) if part)
    return f"{name.given} {name.family}"


def ascii_fold(text: str) -> str:
    """Drop accents and anything but letters, for e-mail local parts."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if char.isascii() and char.isalpha())


def birth_date(rng: Random, today: date, is_old: bool) -> date:
    """Make a date of birth; ``is_old`` makes the person 90 or older."""
    years = rng.randint(90, 104) if is_old else rng.randint(1, 88)
    anniversary = today.replace(year=today.year - years, day=min(today.day, 28))
    return anniversary - timedelta(days=rng.randint(1, 360))


def age_on(born: date, today: date) -> int:
    """Return the age in whole years on ``today``."""
    had_birthday = (today.month, today.day) >= (born.month, born.day)
    return today.year - born.year - (0 if had_birthday else 1)


def date_text(day: date, style: str) -> str:
    """Render ``day`` in one of ``DATE_STYLES``."""
    month = MONTHS[day.month - 1]
    if style == "us":
        return f"{day.month}/{day.day}/{day.year}"
    if style == "us_padded":
        return day.strftime("%m/%d/%Y")
    if style == "day_mon_year":
        return f"{day.day:02d}-{month[:3].upper()}-{day.year}"
    if style == "month_day_year":
        return f"{month} {day.day}, {day.year}"
    if style == "mon_day_year":
        return f"{month[:3]} {day.day}, {day.year}"
    if style == "day_month_year":
        return f"{day.day} {month} {day.year}"
    if style == "hl7":
        return day.strftime("%Y%m%d")
    if style == "dotted":
        return day.strftime("%d.%m.%Y")
    return day.isoformat()


_US_AREAS: Final = (617, 312, 415, 713, 206, 404, 305, 602, 503, 720, 919, 612, 212)

# (country code, national number groups) of numbers reserved for fiction or
# documentation where a country has such a range; the last group is filled in.
_INTERNATIONAL: Final = (
    ("44", ("20", "7946", "0")),
    ("61", ("491", "570", "1")),
    ("33", ("1", "99", "00", "")),
    ("49", ("30", "2", "")),
    ("91", ("98", "")),
    ("52", ("55", "")),
    ("234", ("803", "")),
)


@dataclass(frozen=True, slots=True)
class Phone:
    """A phone number: country code and national digits in groups."""

    country: str
    groups: tuple[str, ...]


def phone(rng: Random) -> Phone:
    """Make a US number (often 555-01xx) or an international one."""
    if rng.random() < 0.8:
        area = str(rng.choice(_US_AREAS))
        if rng.random() < 0.6:
            return Phone("1", (area, "555", f"01{rng.randint(0, 99):02d}"))
        exchange = rng.randint(201, 998)
        if exchange == 555 or exchange % 100 == 0:
            exchange = 312
        return Phone("1", (area, str(exchange), f"{rng.randint(0, 9999):04d}"))

    country, prefix = rng.choice(_INTERNATIONAL)
    groups = list(prefix)
    width = 10 - sum(len(group) for group in groups)
    groups[-1] += "".join(str(rng.randint(0, 9)) for _ in range(width))
    return Phone(country, tuple(groups))


def phone_text(number: Phone, rng: Random) -> str:
    """Render ``number`` in a national or international format."""
    digits = "".join(number.groups)
    if number.country != "1":
        if rng.random() < 0.5:
            return f"+{number.country}{digits}"
        return f"+{number.country} " + " ".join(number.groups)

    area, exchange, line = number.groups
    return rng.choice(
        (
            f"({area}) {exchange}-{line}",
            f"{area}-{exchange}-{line}",
            f"{area}.{exchange}.{line}",
            f"{area}{exchange}{line}",
            f"+1 {area}-{exchange}-{line}",
            f"+1{digits}",
            f"1-{area}-{exchange}-{line}",
        )
    )


_DOMAINS: Final = (
    "example.com",
    "example.org",
    "example.net",
    "mail.example.com",
    "clinic.test",
    "patients.test",
)


def email(name: Name, rng: Random, born: date) -> str:
    """Make an e-mail address on a reserved domain from ``name``."""
    given = ascii_fold(name.given).lower() or "pt"
    family = ascii_fold(name.family).lower() or "anon"
    local = rng.choice(
        (
            f"{given}.{family}",
            f"{given[0]}{family}",
            f"{family}.{given[0]}{born.year % 100:02d}",
            f"{given}_{family[0]}",
            f"{given}{family}{rng.randint(1, 999)}",
            f"{given}.{family}+portal",
        )
    )
    return f"{local}@{rng.choice(_DOMAINS)}"


_STREETS: Final = (
    "Oak Ridge",
    "Maple",
    "Elm",
    "Cedar Hollow",
    "Lakeview",
    "Peachtree",
    "Willow Creek",
    "Martin Luther King Jr",
    "Calle del Sol",
    "Washington",
    "Birchwood",
    "Harbor View",
    "Old Mill",
    "Sycamore",
    "Prairie Wind",
    "Chestnut",
    "Magnolia",
    "Juniper",
    "Riverbend",
)
_SUFFIXES: Final = ("St", "Street", "Ave", "Avenue", "Rd", "Blvd", "Dr", "Ln", "Ct")
_UNITS: Final = ("Apt {n}B", "Unit {n}", "#{n}", "Suite {n}", "Apt {n}")
_CITIES: Final = (
    ("Springfield", "IL"),
    ("Riverside", "CA"),
    ("Fairview", "TN"),
    ("Greenville", "SC"),
    ("Madison", "WI"),
    ("Salem", "OR"),
    ("Franklin", "MA"),
    ("Clinton", "IA"),
    ("Georgetown", "TX"),
    ("Arlington", "VA"),
    ("Dayton", "OH"),
    ("Hialeah", "FL"),
)


@dataclass(frozen=True, slots=True)
class Address:
    """A synthetic street address in one US city."""

    street: str
    unit: str | None
    city: str
    state: str
    zip_code: str


def address(rng: Random) -> Address:
    """Make a street address, sometimes with a unit or a ZIP+4."""
    if rng.random() < 0.1:
        street = f"PO Box {rng.randint(10, 9999)}"
    else:
        number = rng.randint(1, 9999)
        street = f"{number} {rng.choice(_STREETS)} {rng.choice(_SUFFIXES)}"
    unit = None
    if rng.random() < 0.3:
        unit = rng.choice(_UNITS).format(n=rng.randint(1, 40))
    city, state = rng.choice(_CITIES)
    return Address(street, unit, city, state, zip_code(rng))


def address_text(place: Address) -> str:
    """Render ``place`` on one line: street, unit, city, state and ZIP."""
    unit = f" {place.unit}" if place.unit else ""
    return f"{place.street}{unit}, {place.city}, {place.state} {place.zip_code}"


def zip_code(rng: Random) -> str:
    """Make a five-digit ZIP code, sometimes a ZIP+4."""
    five = f"{rng.randint(1001, 99950):05d}"
    return f"{five}-{rng.randint(1, 9999):04d}" if rng.random() < 0.2 else five


def ip_address(rng: Random) -> str:
    """Make an address in a documentation range: IPv4 or IPv6."""
    if rng.random() < 0.8:
        net = rng.choice(("192.0.2", "198.51.100", "203.0.113"))
        return f"{net}.{rng.randint(1, 254)}"
    groups = [f"{rng.randint(1, 0xFFFF):x}" for _ in range(6)]
    if rng.random() < 0.5:
        return "2001:db8:" + ":".join(groups[:2]) + "::" + ":".join(groups[4:])
    return "2001:db8:" + ":".join(groups)
