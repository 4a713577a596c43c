"""Pattern detectors for dates tied to a person, and for ages over 89."""

from __future__ import annotations

import re
from datetime import date

from processors.detect.base import Pattern, Validator
from processors.detect.rx import verbose
from processors.detect.validators import CONTEXT_WIDTH, Cues, is_glued
from processors.entities import EntityType

VERSION = "1"

# --- Shapes -----------------------------------------------------------------

_YEAR = r"(?:19|20|21)[0-9][0-9]"  # four digits; the validator bounds the range
_NUM = r"[0-3]?[0-9]"  # a day, or a month where both come as numbers
_ORDINAL = r"(?i:st|nd|rd|th)?"

_MONTH = verbose(
    r"""
    (?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?
      |aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?
      |dec(?:ember)?)
    """
)

DATE = verbose(
    rf"""
    (?:{_YEAR}-[01]?[0-9]-{_NUM}                   # ISO: 1961-03-03
      |{_YEAR}/[01]?[0-9]/{_NUM}                   # 1961/03/03
      |{_NUM}/{_NUM}/(?:{_YEAR}|[0-9][0-9])        # 3/3/1961, 03/03/61
      |{_NUM}-{_NUM}-{_YEAR}                       # 03-03-1961
      |{_NUM}\.{_NUM}\.{_YEAR}                     # 03.03.1961
      |{_NUM}-{_MONTH}-(?:{_YEAR}|[0-9][0-9])      # 3-Mar-1961, 03-MAR-61
      |{_NUM}/{_MONTH}/{_YEAR}                     # 03/Dec/2026 (Apache)
      |{_NUM}{_ORDINAL}(?i:[ ]of)?[ ][ ]?          # 3, 3rd, 3rd of
        {_MONTH}\.?,?[ ][ ]?{_YEAR}                #   March 1961
      |{_MONTH}\.?[ ][ ]?{_NUM}{_ORDINAL}          # Mar 3, March 3rd
        ,?[ ][ ]?{_YEAR}                           #   , 1961
    )
    """
)
"""Every date shape with a day, a month and a year; year-only is no PHI."""

MONTH_YEAR = verbose(
    rf"""
    (?:{_MONTH}\.?(?:,?[ ][ ]?|-){_YEAR}         # March 1961, Mar. 1961, Mar-1961
      |[01]?[0-9]/{_YEAR}                         # 03/1961, 3/1961
      |{_YEAR}-[01][0-9]                          # 1961-03
    )
    """
)
"""A month and a year without a day: a date only right after a person cue."""

_OUTSIDE_NUMBER = r"[^0-9A-Za-z_./\n-]"  # touches no token, unlike 2024-03-03
_NUMBER_ENDS = r"(?:$|[^0-9A-Za-z_./-]|[./-](?:$|[^0-9A-Za-z_]))"  # or a period

TIME = verbose(
    r"""
    (?:[Tt]|[ ][ ]?|,[ ]?|:)           # ISO T, one or two spaces, comma, Apache colon
    [0-9][0-9]?:[0-9][0-9]             # hours and minutes
    (?::[0-9][0-9](?:[.,][0-9]+)?)?    # seconds and their fraction
    (?:[ ]?[AaPp][Mm])?                # twelve-hour clock
    (?:[ ]?(?:Z|[+-][0-9][0-9]:?[0-9][0-9]|UTC|GMT))?  # zone
    """
)
"""The time of day that turns a date into a timestamp."""

_NOT_HOUR = r"[0-9](?:$|[^0-9:]|[0-9](?:$|[^:]))"  # 1-2 digits, then no colon

NO_TIME = verbose(
    rf"""
    (?:$                                    # the text ends
      |[^0-9A-Za-z_ ,:]                     # punctuation that starts no time
      |:(?:$|[^0-9]|{_NOT_HOUR})            # a colon, then no hour
      |[ ,](?:[ ](?:$|[^0-9]|{_NOT_HOUR})   # two separators, then no hour
        |$|[^ 0-9]|{_NOT_HOUR})             # one separator, then no hour
    )
    """
)
"""What may follow a plain date: anything but the start of a TIME.

RE2 has no lookahead, so this consumes the few characters that prove no time
follows; a log line whose only date is its timestamp then misses the
prefilter entirely. What it consumes may be the start of a next date, which
the ``date_listed`` pattern finds instead.
"""

PERSON_HINT = verbose(
    r"""
    (?i:born|birth|dob|d\.o\.b|admi[st]|discharg|death|died|deceased|visit
      |appointment|appt|scheduled|surg|procedure|service[ _-]?date|dos
      |encounter)
    """
)
"""A superset of the person cues, cheap enough for the prefilter."""

_LIST_SEPARATOR = r"(?:,[ ]?|[ ][ ]?)"  # between two dates of a list

# --- Context ---------------------------------------------------------------

# Word tables read better as rows than as one word per line.
# fmt: off
PERSON_WORDS = frozenset((
    "born", "birth", "births", "birthday", "birthdate", "dob", "admit", "admits",
    "admitted", "admitting", "admission", "admissions", "discharge", "discharges",
    "discharged", "discharging", "death", "died", "deceased", "visit", "visits",
    "visited", "appointment", "appointments", "appt", "appts", "scheduled",
    "surgery", "surgeries", "surgical", "procedure", "procedures", "dos",
    "encounter", "encounters", "servicedate",
))

_NEGATIVE_WORDS = frozenset((
    "build", "builds", "built", "release", "released", "releases", "version", "ver",
    "expire", "expires", "expired", "expiry", "expiration", "cert", "certs",
    "certificate", "copyright", "deploy", "deployed", "deployment", "compiled",
    "commit", "committed",
))

_EVENT_KEYS = frozenset((
    "ts", "timestamp", "asctime", "logtime", "log_time", "logged_at", "eventtime",
    "event_time",
))
"""Keys of a log event's own time: their value is never a person's date."""
# fmt: on

_CUE_PAIRS = {
    ("service", "date"): "person",
    ("valid", "until"): "negative",
    ("not", "after"): "negative",
    ("not", "before"): "negative",
}

_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
"""A word, with camelCase keys split: ``admitDate`` is ``admit``, ``Date``."""

_DAY_BEFORE = re.compile(r"[0-9](?:st|nd|rd|th)?(?:[ ]of)?,?[ ][ ]?\Z", re.IGNORECASE)
"""The day of a full date, which the ``date`` pattern finds whole."""

_NOT_KEY = re.compile(r"[^\w@]+")
_TIME_AFTER = re.compile(TIME)  # RE2 syntax here is also valid stdlib syntax


def _words_before(text: str, start: int) -> list[str]:
    window = text[max(0, start - CONTEXT_WIDTH) : start]
    return [word.lower() for word in _WORD.findall(window.replace("D.O.B", "DOB"))]


def _nearest_cue(text: str, start: int) -> str | None:
    """Return "person" or "negative" for the cue word nearest before ``start``."""
    words = _words_before(text, start)
    for index in range(len(words) - 1, -1, -1):
        pair = _CUE_PAIRS.get((words[index - 1], words[index])) if index else None
        if pair:
            return pair
        if words[index] in PERSON_WORDS:
            return "person"
        if words[index] in _NEGATIVE_WORDS:
            return "negative"
    return None


def _is_event_time(text: str, start: int) -> bool:
    """Return True when the value follows a key such as ``"ts":`` or ``timestamp=``."""
    head = text[max(0, start - CONTEXT_WIDTH) : start].rstrip("\"' ")
    if not head.endswith((":", "=")):
        return False
    key = _NOT_KEY.split(head[:-1].rstrip("\"' "))[-1]
    return key.lstrip("@").lower() in _EVENT_KEYS


def _at_line_start(text: str, start: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    return start - line_start <= 1 or text[start - 1] == "["


# --- Calendar ---------------------------------------------------------------

_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun")
        + ("jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}
_TOKEN = re.compile(r"[0-9]+|[A-Za-z]+")
_DATE_PREFIX = re.compile(DATE)


_FIRST_YEAR, _LAST_YEAR = 1900, 2100
"""Four-digit years outside this range are no plausible date of a person."""


def _years(token: str) -> tuple[int, ...]:
    if len(token) == 2:  # either century will do for a two-digit year
        return (1900 + int(token), 2000 + int(token))
    year = int(token)
    return (year,) if _FIRST_YEAR <= year <= _LAST_YEAR else ()


def _exists(years: tuple[int, ...], month: int, day: int) -> bool:
    for year in years:
        try:
            date(year, month, day)
        except ValueError:
            continue
        return True
    return False


def is_calendar_date(value: str) -> bool:
    """Return True when a value matched by ``DATE`` names a day that exists.

    Numeric dates with the year last are read month first, then day first.
    """
    numbers: list[str] = []
    month = 0
    for token in _TOKEN.findall(value):
        if token.isdigit():
            numbers.append(token)
        elif len(token) >= 3 and token[:3].lower() in _MONTHS:
            month = _MONTHS[token[:3].lower()]
    if month:
        return _exists(_years(numbers[-1]), month, int(numbers[0]))
    if len(numbers) == 1:  # compact: 19610303
        digits = numbers[0]
        return _exists(_years(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    first, second, last = numbers
    if len(first) == 4:
        return _exists(_years(first), int(second), int(last))
    years = _years(last)
    return _exists(years, int(first), int(second)) or _exists(
        years, int(second), int(first)
    )


def _joiners(value: str) -> str:
    return "." + "".join(sep for sep in "-/" if sep in value)


# --- Validators -------------------------------------------------------------


def validate_date(text: str, start: int, end: int) -> float | None:
    """Score a date without a time: higher near a person cue."""
    value = text[start:end]
    if is_glued(text, start, end, _joiners(value)) or not is_calendar_date(value):
        return None
    if _TIME_AFTER.match(text, end) or _is_event_time(text, start):
        return None
    cue = _nearest_cue(text, start)
    if cue == "negative":
        return None
    return 1.0 if cue == "person" else 0.7


def validate_datetime(text: str, start: int, end: int) -> float | None:
    """Score a date with its time: a DATE only near a person cue.

    Without one, or at the start of a line or bracket, or as the value of an
    event-time key such as ``ts``, it is the log's own timestamp.
    """
    if is_glued(text, start, end, ".") or _at_line_start(text, start):
        return None
    date_part = _DATE_PREFIX.match(text, start, end)
    if date_part is None or not is_calendar_date(date_part.group()):
        return None
    if _is_event_time(text, start):
        return None
    return 1.0 if _nearest_cue(text, start) == "person" else None


def validate_compact(text: str, start: int, end: int) -> float | None:
    """Score a compact date such as ``19610303``: only in context."""
    if is_glued(text, start, end) or not is_calendar_date(text[start : start + 8]):
        return None
    cue = _nearest_cue(text, start)
    if cue == "negative":
        return None
    if cue == "person":
        return 1.0
    return 0.85 if "date" in _words_before(text, start) else None


def _is_month_year(value: str) -> bool:
    """Return True when a value matched by ``MONTH_YEAR`` has a real month."""
    first, last = _TOKEN.findall(value)
    if first.isalpha():
        return bool(_years(last))
    month, year = (last, first) if len(first) == 4 else (first, last)
    return 1 <= int(month) <= 12 and bool(_years(year))


def validate_month_year(text: str, start: int, end: int) -> float | None:
    """Score a month and year without a day: a DATE only near a person cue.

    Lowercase ``may`` is the verb far more often than the month.
    """
    value = text[start:end]
    if value.startswith("may") or is_glued(text, start, end, _joiners(value)):
        return None
    if not _is_month_year(value):
        return None
    if _DAY_BEFORE.search(text, max(0, start - 12), start):
        return None
    if _TIME_AFTER.match(text, end) or _is_event_time(text, start):
        return None
    return 0.9 if _nearest_cue(text, start) == "person" else None


# --- Ages -------------------------------------------------------------------

_AGE = r"(?:9[0-9]|1[01][0-9]|12[0-5])(?:\.[0-9])?"  # 90 to 125, maybe a tenth

_AGE_UNIT = verbose(
    r"""
    [ -]?                                   # "92 y/o", "92-year-old", "92yo"
    (?i:y/o|y\.o\.?|yo                      # abbreviated
      |(?:years?|yrs?)[ -](?:old|of[ ]age)) # spelled out
    """
)

AGE_KEYED = verbose(
    rf"""
    (?:(?:^|[^A-Za-z])(?i:a)             # "age" as a word, or after "_"
      |[a-z]A)                           #   or ending a camelCase key: patientAge
    (?i:ge(?:d|[ _-]?(?:in[ _-]?)?(?:years|yrs))?)  # age, aged, age_in_years
    [^A-Za-z0-9\n]{{0,6}}                # '": "', "=", ": "
    (?:(?i:of|is)[ ])?                   # "age of 92"
    ({_AGE})                             # group 1: the age
    """
)

AGE_WITH_UNIT = rf"\b({_AGE}){_AGE_UNIT}"

_AGE_UNIT_AFTER = re.compile(_AGE_UNIT + r"(?![A-Za-z0-9])")
_YEARS_AFTER = re.compile(
    r"[ -]?(?:y|yo|y/o|y\.o\.?|yrs?|years?)(?![A-Za-z0-9])", re.IGNORECASE
)
_OTHER_UNIT_AFTER = re.compile(
    r"[ -]?(?:ms|s|secs?|seconds?|mins?|minutes?|h|hrs?|hours?|d|days?|w|wks?"
    r"|weeks?|mos?|months?|%)(?![A-Za-z0-9])",
    re.IGNORECASE,
)
_AGE_CUES = Cues(
    negative=r"max-age|s-maxage|cache|cached|cdn|ttl|http|header|headers|cookie"
)


def validate_age(text: str, start: int, end: int) -> float | None:
    """Score an age over 89 after an age word; an age in days is no such age.

    ``90+`` is the generalized form Safe Harbor allows, so it stays.
    """
    if _OTHER_UNIT_AFTER.match(text, end) or text[end : end + 1] == "+":
        return None
    if is_glued(text, start, end) and not _YEARS_AFTER.match(text, end):
        return None
    return None if _AGE_CUES.nearest(text, start) == "negative" else 1.0


def validate_age_with_unit(text: str, start: int, end: int) -> float | None:
    """Score an age over 89 written with its unit, such as ``92 y/o``."""
    if _AGE_UNIT_AFTER.match(text, end) is None:
        return None
    return None if start > 0 and text[start - 1] in ".-/" else 1.0


# --- Patterns ---------------------------------------------------------------


def _date(name: str, regex: str, validate: Validator) -> Pattern:
    return Pattern(name, VERSION, EntityType.DATE, regex, validate, group=1)


def _age(name: str, regex: str, validate: Validator) -> Pattern:
    return Pattern(name, VERSION, EntityType.AGE, regex, validate, group=1)


PATTERNS: list[Pattern] = [
    _date("date", rf"({DATE}){NO_TIME}", validate_date),
    _date("date_listed", rf"{DATE}{_LIST_SEPARATOR}({DATE}){NO_TIME}", validate_date),
    _date("date_time", rf"{PERSON_HINT}[^\n]*?({DATE}{TIME})", validate_datetime),
    _date(
        "date_month_year",
        verbose(
            rf"""
            {PERSON_HINT}[^\n]*?{_OUTSIDE_NUMBER}  # a cue earlier on the line
            ({MONTH_YEAR})                          # March 1961, 1961-03
            {_NUMBER_ENDS}                          # not the head of a full date
            """
        ),
        validate_month_year,
    ),
    _date(
        "date_compact",
        verbose(
            rf"""
            (?:{PERSON_HINT}|(?i:date))[^\n]*?  # a cue earlier on the line
            ({_YEAR}[0-9]{{4}}                      # 19610303
              (?:[Tt]?[0-9]{{4}}(?:[0-9]{{2}})?  # HL7 or ISO basic time
                (?:Z|[+-][0-9]{{4}})?)?)         # and its zone
            """
        ),
        validate_compact,
    ),
    _age("age_keyed", AGE_KEYED, validate_age),
    _age("age_unit", AGE_WITH_UNIT, validate_age_with_unit),
]
"""Dates and ages, for the registry."""
