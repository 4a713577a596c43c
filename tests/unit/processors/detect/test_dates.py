"""Tests of the date and age pattern detectors, on synthetic log text only."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from processors.detect.patterns import dates
from processors.detect.scanner import PatternScanner
from processors.entities import EntityType

SCANNER = PatternScanner(dates.PATTERNS)


def found(text: str, entity_type: EntityType) -> set[str]:
    """Return the distinct values of ``entity_type`` the date patterns find."""
    return {
        text[span.start : span.end]
        for span in SCANNER.scan(text)
        if span.entity_type is entity_type
    }


def offsets(text: str, entity_type: EntityType) -> set[tuple[int, int]]:
    """Return the distinct offsets of ``entity_type`` the date patterns find."""
    return {
        (span.start, span.end)
        for span in SCANNER.scan(text)
        if span.entity_type is entity_type
    }


def scores(text: str) -> set[float]:
    """Return the scores of the DATE spans found in ``text``."""
    return {
        span.score for span in SCANNER.scan(text) if span.entity_type is EntityType.DATE
    }


# --- Dates found ------------------------------------------------------------

DATE_POSITIVES = [
    pytest.param("dob 1961-03-03", "1961-03-03", id="iso"),
    pytest.param("DOB: 3/3/1961", "3/3/1961", id="us-short"),
    pytest.param("dob 03/03/61", "03/03/61", id="us-two-digit-year"),
    pytest.param("dob=03-03-1961", "03-03-1961", id="us-dashes"),
    pytest.param("born 3-Mar-1961.", "3-Mar-1961", id="day-mon-year-dashes"),
    pytest.param("DOB 03-MAR-1961|", "03-MAR-1961", id="oracle-upper"),
    pytest.param("DOB 03-MAR-61", "03-MAR-61", id="oracle-two-digit-year"),
    pytest.param("born 3 Mar 1961 in", "3 Mar 1961", id="day-mon-year"),
    pytest.param("born March 3, 1961", "March 3, 1961", id="month-day-comma-year"),
    pytest.param("seen Mar 3 1961 ok", "Mar 3 1961", id="mon-day-year"),
    pytest.param("on the 3rd March 1961", "3rd March 1961", id="ordinal"),
    pytest.param("dob: 3rd of March, 1961", "3rd of March, 1961", id="ordinal-of"),
    pytest.param("geb. 03.03.1961", "03.03.1961", id="european-dots"),
    pytest.param("dob 31/12/1961", "31/12/1961", id="day-first-slashes"),
    pytest.param("dob 1961/03/03", "1961/03/03", id="ymd-slashes"),
    pytest.param("Sept. 3, 1961", "Sept. 3, 1961", id="abbreviation-with-dot"),
    pytest.param('{"birthDate":"1961-03-03"}', "1961-03-03", id="json-value"),
    pytest.param("dob 02/29/2024", "02/29/2024", id="leap-day"),
    pytest.param("dob=19610303", "19610303", id="compact-after-key"),
    pytest.param("PID admit 20261203172241", "20261203172241", id="hl7-timestamp"),
    pytest.param("date: 20240301", "20240301", id="compact-date-key"),
]


@pytest.mark.parametrize(("text", "expected"), DATE_POSITIVES)
def test_date_is_found_when_format_is_supported(text: str, expected: str) -> None:
    assert found(text, EntityType.DATE) == {expected}


DATE_TIME_POSITIVES = [
    pytest.param("admitted 2026-12-03T17:22:41Z", "2026-12-03T17:22:41Z", id="iso-t"),
    pytest.param(
        '{"admitted_at":"2026-12-03T17:22:41.123+01:00"}',
        "2026-12-03T17:22:41.123+01:00",
        id="json-key",
    ),
    pytest.param(
        '{"dischargeDateTime":"2026-12-03 17:22:41"}',
        "2026-12-03 17:22:41",
        id="camel-key",
    ),
    pytest.param("appointment 12/20/2026 9:00 AM", "12/20/2026 9:00 AM", id="us-pm"),
    pytest.param("visit 2026-12-20 09:00", "2026-12-20 09:00", id="space"),
    pytest.param("dob 1961-03-03T00:00:00", "1961-03-03T00:00:00", id="dob-midnight"),
    pytest.param(
        "patient died 03-Dec-2026 17:22 UTC", "03-Dec-2026 17:22 UTC", id="death"
    ),
]


@pytest.mark.parametrize(("text", "expected"), DATE_TIME_POSITIVES)
def test_date_covers_whole_datetime_when_person_cue_precedes(
    text: str, expected: str
) -> None:
    assert found(text, EntityType.DATE) == {expected}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("dob 1961-03-03", {1.0}, id="person-cue"),
        pytest.param("note 1961-03-03", {0.7}, id="no-cue"),
        pytest.param("build 2024-03-03, dob 1961-03-03", {1.0}, id="nearest-wins"),
    ],
)
def test_date_score_follows_context_when_cue_precedes(
    text: str, expected: set[float]
) -> None:
    assert scores(text) == expected


def test_dates_are_all_found_when_listed_with_commas() -> None:
    text = "visits 03/03/2024, 04/04/2024, 05/05/2024 and 6 Jun 2024"
    assert found(text, EntityType.DATE) == {
        "03/03/2024",
        "04/04/2024",
        "05/05/2024",
        "6 Jun 2024",
    }


def test_dates_are_both_found_when_written_as_range() -> None:
    text = "admitted 03/03/2024-03/05/2024"
    assert found(text, EntityType.DATE) == {"03/03/2024", "03/05/2024"}


MONTH_YEAR_POSITIVES = [
    pytest.param("dob March 1961", "March 1961", id="month-year"),
    pytest.param("born Mar 1961 in", "Mar 1961", id="mon-year"),
    pytest.param("DOB: Mar. 1961", "Mar. 1961", id="mon-dot-year"),
    pytest.param("dob: March, 1961", "March, 1961", id="month-comma-year"),
    pytest.param("admitted MAR-1961", "MAR-1961", id="mon-dash-year"),
    pytest.param("DOB: 03/1961", "03/1961", id="numeric-slash"),
    pytest.param("dob 3/1961", "3/1961", id="numeric-slash-unpadded"),
    pytest.param('{"dob":"1961-03"}', "1961-03", id="iso-year-month"),
    pytest.param("seen 2024-03-03, visit April 2024", "April 2024", id="nearest-cue"),
    pytest.param("discharged in May 2024.", "May 2024", id="may-capitalized"),
    pytest.param(
        "admitted 2026-12-03, then Mar 2027", "Mar 2027", id="after-full-date"
    ),
]


@pytest.mark.parametrize(("text", "expected"), MONTH_YEAR_POSITIVES)
def test_date_is_found_when_only_month_and_year(text: str, expected: str) -> None:
    assert expected in found(text, EntityType.DATE)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("dob 3 March 1961", "3 March 1961", id="day-before"),
        pytest.param("dob: 3rd of March, 1961", "3rd of March, 1961", id="ordinal"),
        pytest.param("dob 03/03/1961", "03/03/1961", id="day-month-year"),
        pytest.param("dob 1961-03-03", "1961-03-03", id="iso"),
    ],
)
def test_month_and_year_are_not_split_off_when_date_has_a_day(
    text: str, expected: str
) -> None:
    assert found(text, EntityType.DATE) == {expected}


# --- Dates not found --------------------------------------------------------

TIMESTAMPS = [
    pytest.param("2026-12-03T17:22:41Z GET /", id="iso-t-line-start"),
    pytest.param("2026-12-03 17:22:41,123 INFO worker", id="python-logging"),
    pytest.param('{"ts":"2026-12-03T17:22:41.123Z","level":"info"}', id="json-ts"),
    pytest.param("level=info at 12/03/2026 17:22 ok", id="us-datetime"),
    pytest.param('10.0.0.1 - - [03/Dec/2026:17:22:41 +0000] "GET /"', id="apache"),
    pytest.param("Dec  3 17:22:41 host sshd[1]: ok", id="syslog"),
    pytest.param("2026/12/03 17:22:41 [error] 7#7: upstream", id="nginx"),
    pytest.param("Date: Tue, 03 Dec 2026 17:22:41 GMT", id="http-date"),
    pytest.param("Wed Dec  3 17:22:41 2026", id="ctime"),
    pytest.param("[2026-12-03 17:22:41] patient admitted", id="bracket-line-start"),
    pytest.param("admitted [2026-12-03 17:22:41]", id="after-bracket"),
    pytest.param('admitted {"ts":"2026-12-03T17:22:41Z"}', id="event-time-key"),
    pytest.param("03.12.2026 17:22:41 job done", id="european-datetime"),
    pytest.param("12/3/2026 5:22:41 PM service up", id="windows-datetime"),
]


@pytest.mark.parametrize("text", TIMESTAMPS)
def test_date_is_not_found_when_value_is_event_timestamp(text: str) -> None:
    assert found(text, EntityType.DATE) == set()


DATE_NEGATIVES = [
    pytest.param("dx E11.9 and S72.001A", id="icd10"),
    pytest.param("release 2024.03.1 of v1.10.3", id="versions"),
    pytest.param("v1.2.2024 rolled out", id="version-glued"),
    pytest.param("build 2024-03-03 ok", id="build-cue"),
    pytest.param("copyright 03/03/2024", id="copyright-cue"),
    pytest.param("cert expires Mar 3 2027", id="expiry-cue"),
    pytest.param("deployed 2024-03-03", id="deploy-cue"),
    pytest.param("build_date=20261203", id="compact-build"),
    pytest.param("windows 20240301", id="compact-no-cue"),
    pytest.param("update 20240301", id="compact-inside-word"),
    pytest.param("took 1961ms in 2024", id="durations-years"),
    pytest.param("born in 1961", id="year-only"),
    pytest.param("dob 1961-02-30", id="no-such-day"),
    pytest.param("dob 13/13/1961", id="no-such-month"),
    pytest.param("dob 02/29/2023", id="not-leap-year"),
    pytest.param("DOB 1899-01-01", id="year-too-early"),
    pytest.param("host-2024-03-03.example.com", id="hostname"),
    pytest.param("f47ac10b-58cc-4372-a567-0e02b2c3d479", id="uuid"),
    pytest.param("/archive/2024/03/03/post", id="url-path"),
    pytest.param("rotated app-1961-03-03.log", id="file-name"),
    pytest.param("id=12019610303 seq", id="digits-inside-number"),
    pytest.param("note March 2024", id="month-year-no-cue"),
    pytest.param("release March 2024", id="month-year-release"),
    pytest.param("born 1961, released March 2024", id="month-year-nearer-release"),
    pytest.param("copyright 03/2024 Acme", id="month-year-copyright"),
    pytest.param("visit via v2024.03", id="month-year-version-dots"),
    pytest.param("build 2024-03 of the app", id="month-year-build"),
    pytest.param("visit log app-2024-03.log", id="month-year-file-name"),
    pytest.param("visits_2024-03.csv", id="month-year-file-underscore"),
    pytest.param("visit dx M03.1961 and E11.9", id="month-year-icd"),
    pytest.param("admitted 2024-03 17:22", id="month-year-then-time"),
    pytest.param('admitted {"ts":"2024-03"}', id="month-year-event-key"),
    pytest.param("the visit may 2024 fail", id="month-year-verb-may"),
    pytest.param("dob 13/1961", id="month-year-no-such-month"),
    pytest.param("born 1961-62", id="month-year-year-range"),
    pytest.param("dob 1899-03", id="month-year-too-early"),
    pytest.param("visit 1.03/2024", id="month-year-after-decimal"),
]


@pytest.mark.parametrize("text", DATE_NEGATIVES)
def test_date_is_not_found_when_text_only_looks_like_one(text: str) -> None:
    assert found(text, EntityType.DATE) == set()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("2000-02-29", True, id="leap-century"),
        pytest.param("1900-02-29", False, id="not-leap-century"),
        pytest.param("02/29/00", True, id="two-digit-year-either-century"),
        pytest.param("2101-01-01", False, id="past-2100"),
        pytest.param("31 Apr 1961", False, id="april-31"),
        pytest.param("19610303", True, id="compact"),
    ],
)
def test_calendar_check_matches_calendar_when_value_is_edge_case(
    value: str, expected: bool
) -> None:
    assert dates.is_calendar_date(value) is expected


# --- Date properties --------------------------------------------------------

ORDINALS = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd", 31: "st"}

RENDERINGS: dict[str, Callable[[date], str]] = {
    "iso": lambda d: d.isoformat(),
    "ymd-slashes": lambda d: d.strftime("%Y/%m/%d"),
    "us": lambda d: f"{d.month}/{d.day}/{d.year}",
    "us-padded": lambda d: d.strftime("%m/%d/%Y"),
    "us-two-digit-year": lambda d: d.strftime("%m/%d/%y"),
    "us-dashes": lambda d: d.strftime("%m-%d-%Y"),
    "european": lambda d: d.strftime("%d.%m.%Y"),
    "day-mon-year-dashes": lambda d: f"{d.day}-{d.strftime('%b')}-{d.year}",
    "oracle": lambda d: d.strftime("%d-%b-%Y").upper(),
    "day-mon-year": lambda d: f"{d.day} {d.strftime('%b')} {d.year}",
    "month-day-year": lambda d: f"{d.strftime('%B')} {d.day}, {d.year}",
    "mon-day-year": lambda d: f"{d.strftime('%b')} {d.day} {d.year}",
    "ordinal": lambda d: f"{d.day}{ORDINALS.get(d.day, 'th')} {d:%B} {d.year}",
}

PREFIXES = ["", "dob ", "DOB: ", '{"dob":"', "patient born on ", "note=", "seen "]
SUFFIXES = ["", " ok", '"}', ", next", ". Done", " | INFO", ";"]

CALENDAR = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


@given(
    day=CALENDAR,
    rendering=st.sampled_from(sorted(RENDERINGS)),
    prefix=st.sampled_from(PREFIXES),
    suffix=st.sampled_from(SUFFIXES),
)
def test_date_is_found_at_exact_offsets_when_rendered_in_log_text(
    day: date, rendering: str, prefix: str, suffix: str
) -> None:
    value = RENDERINGS[rendering](day)
    text = f"{prefix}{value}{suffix}"

    assert offsets(text, EntityType.DATE) == {(len(prefix), len(prefix) + len(value))}


@given(day=CALENDAR, key=st.sampled_from(["dob=", '"birth_date":"', "DOB|"]))
def test_compact_date_is_found_at_exact_offsets_when_after_key(
    day: date, key: str
) -> None:
    text = f"{key}{day:%Y%m%d} next"

    assert offsets(text, EntityType.DATE) == {(len(key), len(key) + 8)}


TIMESTAMP_RENDERINGS: dict[str, Callable[[datetime], str]] = {
    "iso-z": lambda t: t.strftime("%Y-%m-%dT%H:%M:%SZ"),
    "iso-millis": lambda t: t.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
    "iso-offset": lambda t: t.strftime("%Y-%m-%dT%H:%M:%S+00:00"),
    "python-logging": lambda t: t.strftime("%Y-%m-%d %H:%M:%S,%f")[:-3],
    "bracketed": lambda t: t.strftime("[%Y-%m-%d %H:%M:%S]"),
    "slashes": lambda t: t.strftime("%Y/%m/%d %H:%M:%S"),
}

MESSAGE_WORDS = ["INFO", "patient", "admitted", "dob", "visit", "ok", "user=ab", "-"]


@given(
    moment=st.builds(datetime.combine, CALENDAR, st.times()),
    rendering=st.sampled_from(sorted(TIMESTAMP_RENDERINGS)),
    words=st.lists(st.sampled_from(MESSAGE_WORDS), max_size=8),
)
def test_timestamp_is_never_flagged_when_at_line_start(
    moment: datetime, rendering: str, words: list[str]
) -> None:
    text = f"{TIMESTAMP_RENDERINGS[rendering](moment)} {' '.join(words)}"

    assert found(text, EntityType.DATE) == set()


def test_date_time_span_ends_at_zone_when_offset_follows() -> None:
    moment = datetime(2026, 12, 3, 17, 22, 41, 5000, tzinfo=UTC)
    value = moment.strftime("%Y-%m-%dT%H:%M:%S.%f+05:30")
    text = f"discharged {value} home"

    assert offsets(text, EntityType.DATE) == {(11, 11 + len(value))}


# --- Ages -------------------------------------------------------------------

AGE_POSITIVES = [
    pytest.param("age 92", "92", id="age-space"),
    pytest.param("Age: 92", "92", id="age-colon"),
    pytest.param("age=101", "101", id="age-equals"),
    pytest.param('{"age": 97}', "97", id="json"),
    pytest.param("aged 95", "95", id="aged"),
    pytest.param("at the age of 91", "91", id="age-of"),
    pytest.param("patientAge=95", "95", id="camel-key"),
    pytest.param("age 92.5 years", "92.5", id="decimal"),
    pytest.param("Age 92Y", "92", id="hl7-unit"),
    pytest.param("92 y/o female", "92", id="y-slash-o"),
    pytest.param("92yo", "92", id="yo"),
    pytest.param("a 92-year-old man", "92", id="hyphenated"),
    pytest.param("92 years old", "92", id="spelled-out"),
    pytest.param("92 yrs old", "92", id="yrs-old"),
    pytest.param("92 years of age", "92", id="years-of-age"),
]


@pytest.mark.parametrize(("text", "expected"), AGE_POSITIVES)
def test_age_is_found_when_over_89_with_age_cue(text: str, expected: str) -> None:
    assert found(text, EntityType.AGE) == {expected}


AGE_NEGATIVES = [
    pytest.param("age 89", id="age-89"),
    pytest.param("status 404", id="http-status"),
    pytest.param("took 95ms", id="duration"),
    pytest.param("retried 99 times", id="count"),
    pytest.param("Cache-Control: max-age=120", id="max-age"),
    pytest.param("cache age 120", id="cache-age"),
    pytest.param("age 95 days", id="infant-days"),
    pytest.param("usage=95%", id="usage"),
    pytest.param("page=100", id="page"),
    pytest.param("storage 99", id="storage"),
    pytest.param("age 920", id="too-many-digits"),
    pytest.param("92 yoga classes", id="unit-inside-word"),
    pytest.param("v1.92 years old", id="version-then-unit"),
]


@pytest.mark.parametrize("text", AGE_NEGATIVES)
def test_age_is_not_found_when_not_an_age_over_89(text: str) -> None:
    assert found(text, EntityType.AGE) == set()


AGE_RENDERINGS = [
    "age {}",
    "age: {}",
    "age={}",
    "aged {}",
    "{} y/o",
    "{}yo",
    "{}-year-old",
    "{} years old",
]


@given(age=st.integers(0, 89), rendering=st.sampled_from(AGE_RENDERINGS))
def test_age_is_never_flagged_when_89_or_under(age: int, rendering: str) -> None:
    assert found(f"patient {rendering.format(age)} seen", EntityType.AGE) == set()


@given(age=st.integers(90, 120), rendering=st.sampled_from(AGE_RENDERINGS))
def test_age_is_always_flagged_when_over_89(age: int, rendering: str) -> None:
    prefix = "patient "
    text = f"{prefix}{rendering.format(age)} seen"
    start = len(prefix) + rendering.index("{}")

    assert offsets(text, EntityType.AGE) == {(start, start + len(str(age)))}


# --- Known gaps -------------------------------------------------------------


@pytest.mark.xfail(strict=True, reason="a cue serves the first datetime after it")
def test_dates_are_both_found_when_two_datetimes_share_one_cue() -> None:
    text = "admitted 2026-12-03T08:00 and 2026-12-04T09:00"
    assert found(text, EntityType.DATE) == {"2026-12-03T08:00", "2026-12-04T09:00"}


@pytest.mark.xfail(strict=True, reason="a cue serves the first month-year after it")
def test_months_are_both_found_when_two_month_years_share_one_cue() -> None:
    text = "visits March 2024 and April 2024"
    assert found(text, EntityType.DATE) == {"March 2024", "April 2024"}


@pytest.mark.xfail(strict=True, reason="ctime puts the time before the year")
def test_date_is_found_when_ctime_follows_person_cue() -> None:
    text = "born Wed Dec  3 17:22:41 1961"
    assert found(text, EntityType.DATE) == {"Dec  3 17:22:41 1961"}


@pytest.mark.parametrize("word", sorted(dates.PERSON_WORDS))
def test_prefilter_hint_matches_when_word_is_person_cue(word: str) -> None:
    assert re.search(dates.PERSON_HINT, word) is not None
