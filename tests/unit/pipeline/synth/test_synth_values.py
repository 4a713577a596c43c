"""Synthetic PHI values are well formed, valid where checked, and never real."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from datetime import date
from random import Random

import pytest
from stdnum import imei, luhn

from pipeline.synth import Label, generate, identifiers, values
from pipeline.synth.names import ORIGINS

_DOC_NETWORKS = [
    ipaddress.ip_network(net)
    for net in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")
]
_MBI = re.compile(
    r"[1-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9][0-9]"
    r"-?[AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9][0-9]"
    r"-?[AC-HJKMNP-RT-Y]{2}[0-9]{2}"
)
_RESERVED_DOMAINS = (".example.com", ".example.org", ".example.net", ".test")


def _labels(entity_type: str, count: int = 1500) -> Iterator[Label]:
    for item in generate(21, count, 1.0):
        yield from (label for label in item.phi if label.entity_type == entity_type)


def _rngs() -> Iterator[Random]:
    return (Random(seed) for seed in range(300))


def test_name_lists_hold_hundreds_of_names_when_counted_across_origins() -> None:
    given = {name for names, _ in ORIGINS.values() for name in names}
    family = {name for _, names in ORIGINS.values() for name in names}

    assert len(ORIGINS) >= 15
    assert len(given) >= 200
    assert len(family) >= 200


def test_ssn_avoids_unissued_areas_when_generated() -> None:
    for rng in _rngs():
        digits = identifiers.ssn(rng).replace("-", "").replace(" ", "")
        area, group, serial = int(digits[:3]), int(digits[3:5]), int(digits[5:])
        assert len(digits) == 9
        assert area not in (0, 666)
        assert area < 900
        assert group > 0
        assert serial > 0


def test_card_and_imei_pass_luhn_when_checked_by_python_stdnum() -> None:
    for rng in _rngs():
        card = re.sub(r"[ -]", "", identifiers.credit_card(rng))
        assert luhn.is_valid(card)
        assert identifiers.is_luhn_valid(card)
    imeis = [
        device
        for device in (identifiers.device_id(rng) for rng in _rngs())
        if device.isdigit()
    ]
    assert imeis
    assert all(imei.is_valid(device) for device in imeis)


def test_vin_check_digit_matches_known_example_when_computed() -> None:
    assert identifiers.vin_check_digit("1M8GDM9AXKP042788") == "X"


def test_vin_is_valid_when_generated() -> None:
    for rng in _rngs():
        vin = identifiers.vin(rng)
        assert len(vin) == 17
        assert not set(vin) & set("IOQ")
        assert identifiers.vin_check_digit(vin) == vin[8]


def test_mbi_follows_positional_format_when_generated() -> None:
    for rng in _rngs():
        assert _MBI.fullmatch(identifiers.mbi(rng))


def test_ip_address_is_in_documentation_ranges_when_labelled() -> None:
    found = list(_labels("IP_ADDRESS"))

    assert found
    for label in found:
        address = ipaddress.ip_address(label.value)
        assert any(address in net for net in _DOC_NETWORKS)


def test_email_uses_reserved_domains_when_labelled() -> None:
    found = list(_labels("EMAIL"))

    assert found
    for label in found:
        domain = label.value.replace("%40", "@").rsplit("@", 1)[1]
        assert ("." + domain).endswith(_RESERVED_DOMAINS), domain


def test_age_is_ninety_or_more_when_labelled() -> None:
    found = list(_labels("AGE", 3000))

    assert found
    assert all(90 <= int(label.value) <= 110 for label in found)


def test_us_phone_uses_fiction_range_often_when_generated() -> None:
    numbers = [values.phone(rng) for rng in _rngs()]
    us = [number for number in numbers if number.country == "1"]

    fiction = [n for n in us if n.groups[1] == "555" and n.groups[2].startswith("01")]
    assert len(fiction) > len(us) / 3
    assert any(number.country != "1" for number in numbers)


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("iso", "1961-03-03"),
        ("us", "3/3/1961"),
        ("us_padded", "03/03/1961"),
        ("day_mon_year", "03-MAR-1961"),
        ("month_day_year", "March 3, 1961"),
        ("mon_day_year", "Mar 3, 1961"),
        ("day_month_year", "3 March 1961"),
        ("hl7", "19610303"),
        ("dotted", "03.03.1961"),
    ],
    ids=lambda value: str(value),
)
def test_date_text_renders_style_when_given_a_date(style: str, expected: str) -> None:
    assert values.date_text(date(1961, 3, 3), style) == expected


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("given_family", "Siobhan O'Brien"),
        ("given_middle_family", "Siobhan Aoife O'Brien"),
        ("given_initial_family", "Siobhan A. O'Brien"),
        ("family_comma_given", "O'Brien, Siobhan"),
        ("upper", "SIOBHAN O'BRIEN"),
        ("lower", "siobhan o'brien"),
        ("family_given", "O'Brien Aoife Siobhan"),
    ],
    ids=lambda value: str(value),
)
def test_name_text_renders_style_when_given_a_name(style: str, expected: str) -> None:
    name = values.Name("Siobhan", "O'Brien", "Aoife", "Ms.", "irish")

    assert values.name_text(name, style) == expected


def test_birth_date_gives_age_over_89_when_person_is_old() -> None:
    today = date(2024, 3, 14)
    for rng in _rngs():
        born = values.birth_date(rng, today, is_old=True)
        assert values.age_on(born, today) >= 90
