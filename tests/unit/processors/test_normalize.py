"""Tests of canonical forms: dates in every supported shape, and per-type values."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from processors.entities import EntityType
from processors.normalize import normalize, parse_date

# English month names, written out here so the test does not depend on a locale.
MONTHS = [
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
]


# --- parse_date: every form ---------------------------------------------------

PARSED = [
    # Year first, any of the three separators or none.
    pytest.param("1961-03-03", date(1961, 3, 3), id="iso"),
    pytest.param("1961/03/04", date(1961, 3, 4), id="ymd-slashes"),
    pytest.param("1961.03.04", date(1961, 3, 4), id="ymd-dots"),
    pytest.param("19610304", date(1961, 3, 4), id="ymd-compact"),
    pytest.param("1961-3-4", date(1961, 3, 4), id="ymd-unpadded"),
    pytest.param("1961-03-04T14:05:09Z", date(1961, 3, 4), id="iso-datetime"),
    pytest.param("1961-03-04 14:05:09", date(1961, 3, 4), id="iso-space-time"),
    pytest.param("  1961-03-04  ", date(1961, 3, 4), id="surrounding-blanks"),
    # Slashes and dashes read month first (US).
    pytest.param("03/04/1961", date(1961, 3, 4), id="us-slashes"),
    pytest.param("03-04-1961", date(1961, 3, 4), id="us-dashes"),
    pytest.param("3/4/1961", date(1961, 3, 4), id="us-unpadded"),
    pytest.param("12/31/1999", date(1999, 12, 31), id="us-year-end"),
    # Two-digit years: 00-29 are 20xx, 30-99 are 19xx.
    pytest.param("03/04/61", date(1961, 3, 4), id="us-yy-1900s"),
    pytest.param("03/04/00", date(2000, 3, 4), id="us-yy-2000"),
    pytest.param("03/04/29", date(2029, 3, 4), id="us-yy-last-2000s"),
    pytest.param("03/04/30", date(1930, 3, 4), id="us-yy-first-1900s"),
    # Dots read day first (European).
    pytest.param("04.03.1961", date(1961, 3, 4), id="eu-dots"),
    pytest.param("31.12.1961", date(1961, 12, 31), id="eu-dots-day-31"),
    pytest.param("4.3.61", date(1961, 3, 4), id="eu-dots-yy"),
    # Day, month name, year.
    pytest.param("4 March 1961", date(1961, 3, 4), id="d-month-y"),
    pytest.param("4th March 1961", date(1961, 3, 4), id="d-ordinal-month-y"),
    pytest.param("04-Mar-1961", date(1961, 3, 4), id="d-mon-y-dashes"),
    pytest.param("04-MAR-1961", date(1961, 3, 4), id="d-mon-y-upper"),
    pytest.param("4 Mar. 1961", date(1961, 3, 4), id="d-mon-dot-y"),
    pytest.param("4 Sept 1961", date(1961, 9, 4), id="d-sept-y"),
    pytest.param("4 March, 1961", date(1961, 3, 4), id="d-month-comma-y"),
    # Month name, day, year.
    pytest.param("March 4, 1961", date(1961, 3, 4), id="month-d-comma-y"),
    pytest.param("Mar 4 1961", date(1961, 3, 4), id="mon-d-y"),
    pytest.param("mar. 4th, 1961", date(1961, 3, 4), id="mon-dot-ordinal"),
    pytest.param("SEPTEMBER 30, 1961", date(1961, 9, 30), id="month-upper"),
    pytest.param("February 29, 2000", date(2000, 2, 29), id="leap-day-2000"),
]


@pytest.mark.parametrize(("text", "expected"), PARSED)
def test_parse_date_reads_calendar_date_when_form_is_supported(
    text: str, expected: date
) -> None:
    assert parse_date(text) == expected


NOT_DATES = [
    pytest.param("1961-02-29", id="feb-29-common-year"),
    pytest.param("1900-02-29", id="feb-29-century"),
    pytest.param("1961-04-31", id="april-31"),
    pytest.param("1961-13-01", id="month-13"),
    pytest.param("1961-00-10", id="month-0"),
    pytest.param("1961-03-00", id="day-0"),
    pytest.param("02/30/1961", id="us-feb-30"),
    pytest.param("13/13/1961", id="no-month-13-either-way"),
    pytest.param("31.04.1961", id="eu-april-31"),
    pytest.param("30 Feb 1961", id="d-mon-feb-30"),
    pytest.param("Feb 30, 1961", id="mon-d-feb-30"),
    pytest.param("Smarch 3, 1961", id="unknown-month"),
    pytest.param("3 Foo 1961", id="unknown-month-day-first"),
    pytest.param("next Tuesday", id="words"),
    pytest.param("", id="empty"),
    pytest.param("12345", id="short-number"),
]


@pytest.mark.parametrize("text", NOT_DATES)
def test_parse_date_returns_none_when_text_is_no_calendar_date(text: str) -> None:
    assert parse_date(text) is None


# --- parse_date: round trips over random dates --------------------------------


def _two_digit(day: date) -> str:
    return f"{day.year % 100:02d}"


RENDERERS: list[tuple[str, Callable[[date], str], bool]] = [
    # (id, render, needs a year in 1930..2029 because the year has two digits)
    ("iso", lambda d: d.isoformat(), False),
    ("ymd-slashes", lambda d: f"{d.year}/{d.month:02d}/{d.day:02d}", False),
    ("ymd-dots", lambda d: f"{d.year}.{d.month:02d}.{d.day:02d}", False),
    ("ymd-compact", lambda d: f"{d.year}{d.month:02d}{d.day:02d}", False),
    ("iso-datetime", lambda d: f"{d.isoformat()}T23:59:59.123Z", False),
    ("us-slashes", lambda d: f"{d.month:02d}/{d.day:02d}/{d.year}", False),
    ("us-dashes", lambda d: f"{d.month:02d}-{d.day:02d}-{d.year}", False),
    ("us-unpadded", lambda d: f"{d.month}/{d.day}/{d.year}", False),
    ("us-yy", lambda d: f"{d.month:02d}/{d.day:02d}/{_two_digit(d)}", True),
    ("eu-dots", lambda d: f"{d.day:02d}.{d.month:02d}.{d.year}", False),
    ("eu-dots-yy", lambda d: f"{d.day}.{d.month}.{_two_digit(d)}", True),
    ("d-month-y", lambda d: f"{d.day} {MONTHS[d.month - 1]} {d.year}", False),
    ("d-mon-y", lambda d: f"{d.day:02d}-{MONTHS[d.month - 1][:3]}-{d.year}", False),
    ("month-d-y", lambda d: f"{MONTHS[d.month - 1]} {d.day}, {d.year}", False),
    ("mon-d-y", lambda d: f"{MONTHS[d.month - 1][:3].upper()} {d.day} {d.year}", False),
]


@pytest.mark.parametrize(
    ("render", "is_two_digit_year"),
    [pytest.param(render, short, id=name) for name, render, short in RENDERERS],
)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_parse_date_round_trips_when_date_is_rendered_in_a_supported_form(
    render: Callable[[date], str], is_two_digit_year: bool, data: st.DataObject
) -> None:
    # Two-digit years name one century only: 1930 to 2029.
    first, last = (1930, 2029) if is_two_digit_year else (1900, 2099)
    day = data.draw(st.dates(date(first, 1, 1), date(last, 12, 31)))

    assert parse_date(render(day)) == day


# --- normalize: per-type canonical forms --------------------------------------

CANONICAL = [
    pytest.param(EntityType.SSN, "123-45-6789", "123456789", id="ssn"),
    pytest.param(EntityType.MRN, "mrn 0012-345", "MRN0012345", id="mrn"),
    pytest.param(EntityType.PHONE, "(217) 555-0143", "+12175550143", id="phone-us"),
    pytest.param(EntityType.PHONE, "+1 217-555-0143", "+12175550143", id="phone-plus"),
    pytest.param(EntityType.PHONE, "217.555.0143 x99", "+12175550143", id="phone-ext"),
    pytest.param(EntityType.FAX, "1 (217) 555-0199", "+12175550199", id="fax"),
    pytest.param(
        EntityType.PHONE, "+44 (0)20 7946 0018", "+442079460018", id="phone-trunk-0"
    ),
    pytest.param(
        EntityType.EMAIL, " Maria@Example.com", "maria@example.com", id="email"
    ),
    pytest.param(EntityType.PERSON, "Garcia, Maria", "maria garcia", id="person-comma"),
    pytest.param(EntityType.PERSON, "Dr. María O'Neil", "maría o'neil", id="person-dr"),
    pytest.param(EntityType.DATE, "March 3, 1961", "1961-03-03", id="date"),
    pytest.param(EntityType.DATE, "sometime  SOON", "sometime soon", id="date-unread"),
    pytest.param(EntityType.ADDRESS, " 12 Elm\tStreet ", "12 elm street", id="text"),
]


@pytest.mark.parametrize(("entity_type", "value", "expected"), CANONICAL)
def test_normalize_returns_canonical_form_when_value_is_spelled_differently(
    entity_type: EntityType, value: str, expected: str
) -> None:
    assert normalize(entity_type, value) == expected


@settings(max_examples=60, deadline=None)
@given(
    value=st.text(max_size=30),
    entity_type=st.sampled_from(list(EntityType)),
)
def test_normalize_is_idempotent_when_applied_twice(
    value: str, entity_type: EntityType
) -> None:
    once = normalize(entity_type, value)

    assert normalize(entity_type, once) == once


def test_parse_date_reads_day_first_when_first_number_cannot_be_a_month() -> None:
    assert parse_date("13/01/1961") == date(1961, 1, 13)
    assert parse_date("01/13/1961") == date(1961, 1, 13)
