"""PHI in HL7 v2 segments (PID, NK1, IN1, GT1, PV1), found by field position."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

from processors.entities import EntityType
from processors.spans import Span

E = EntityType

# Components of the HL7 data types we read, 1-based; the others (type codes,
# assigning authorities, countries, states) are not PHI.
_ID: Final = {1: E.MRN}
_NAME: Final = {1: E.PERSON, 2: E.PERSON, 3: E.PERSON, 4: E.PERSON}
_DOCTOR: Final = {2: E.PERSON, 3: E.PERSON, 4: E.PERSON, 5: E.PERSON}
_ADDRESS: Final = {
    1: E.ADDRESS,
    2: E.ADDRESS,
    3: E.ADDRESS,
    5: E.ZIP,
    8: E.ADDRESS,
    9: E.ADDRESS,
}
_PHONE: Final = {
    1: E.PHONE,
    4: E.EMAIL,
    6: E.PHONE,
    7: E.PHONE,
    8: E.PHONE,
    12: E.PHONE,
}
_DATE: Final = {1: E.DATE}


def _first(entity_type: EntityType) -> dict[int, EntityType]:
    return {1: entity_type}


FIELDS: Final[dict[str, dict[int, dict[int, EntityType]]]] = {
    "PID": {
        2: _ID,  # patient ID (external)
        3: _ID,  # patient identifier list
        4: _first(E.ID),  # alternate patient ID
        5: _NAME,  # patient name
        6: _NAME,  # mother's maiden name
        7: _DATE,  # date of birth
        9: _NAME,  # patient alias
        11: _ADDRESS,
        13: _PHONE,  # home
        14: _PHONE,  # business
        18: _first(E.ACCOUNT),
        19: _first(E.SSN),
        20: _first(E.LICENSE),  # driver's license number; state and expiry kept
        21: _first(E.ID),  # mother's identifier
        29: _DATE,  # date of death
    },
    "NK1": {2: _NAME, 4: _ADDRESS, 5: _PHONE, 6: _PHONE},
    "IN1": {
        16: _NAME,  # insured's name
        18: _DATE,  # insured's date of birth
        19: _ADDRESS,  # insured's address
        36: _first(E.MEMBER_ID),  # policy number
        49: _first(E.MEMBER_ID),  # insured's ID number
    },
    "GT1": {3: _NAME, 5: _ADDRESS, 6: _PHONE, 7: _PHONE, 8: _DATE, 12: _first(E.SSN)},
    "PV1": {
        7: _DOCTOR,  # attending
        8: _DOCTOR,  # referring
        9: _DOCTOR,  # consulting
        17: _DOCTOR,  # admitting
        19: _first(E.ACCOUNT),  # visit number
        44: _DATE,  # admit date/time
        45: _DATE,  # discharge date/time
    },
}
"""Segment -> field number -> component number -> entity type."""

_SEGMENT: Final = re.compile(
    r"""
    (?:(?<![A-Za-z0-9|^~&])|(?<=\\[rn]))  # not inside a word or field; or after \r
    (MSH|PID|NK1|IN1|GT1|PV1)
    (?=[^A-Za-z0-9\s])                 # then the field separator
    """,
    re.VERBOSE,
)
"""A segment name and the separator after it."""

_SEGMENT_END: Final = re.compile(r"[\r\n]|\\{1,2}[rn]|(?<![|\"])\"(?!\")")
"""Carriage return or newline, as a character or JSON-escaped, or a closing quote."""


@dataclass(frozen=True, slots=True)
class Separators:
    """The delimiters an MSH segment declares."""

    field: str = "|"
    component: str = "^"
    repetition: str = "~"
    subcomponent: str = "&"

    @classmethod
    def declared(cls, text: str, start: int) -> Separators:
        """Read MSH-1 and MSH-2 of the MSH segment at ``start``, else the defaults."""
        field = text[start + 3 : start + 4]
        stop = text.find(field, start + 4, start + 12)
        # A JSON-escaped log doubles the escape character of MSH-2.
        encoding = text[start + 4 : stop].replace("\\\\", "\\") if stop > 0 else ""
        chars = field + encoding[:2] + encoding[3:4]
        is_valid = (
            len(encoding) >= 2
            and len(set(chars)) == len(chars)
            and not any(char.isalnum() or char.isspace() for char in chars)
        )
        if not is_valid:
            return cls()
        return cls(field, encoding[0], encoding[1], encoding[3:4] or "&")


def _pieces(text: str, start: int, end: int, sep: str) -> Iterator[tuple[int, int]]:
    """Yield the bounds of the pieces of ``text[start:end]`` split on ``sep``."""
    while True:
        cut = text.find(sep, start, end)
        if cut == -1:
            yield start, end
            return
        yield start, cut
        start = cut + 1


class HL7Detector:
    """Find PHI in HL7 v2 messages by segment and field position.

    Each non-empty component (or subcomponent) value becomes its own span,
    so the separators stay in clear. Segments may be separated by carriage
    returns, newlines, or their JSON escapes ``\\r`` and ``\\n``; truncated
    and malformed segments yield what can be read.
    """

    name = "hl7"
    version = "1"

    def detect(self, text: str) -> list[Span]:
        """Return the PHI spans in the HL7 segments of ``text``."""
        if "|" not in text and "MSH" not in text:
            return []
        spans: list[Span] = []
        separators = Separators()
        position = 0
        while (match := _SEGMENT.search(text, position)) is not None:
            start, position = match.span()
            if match.group(1) == "MSH":
                separators = Separators.declared(text, start)
            elif text[position] != separators.field:
                continue
            # A segment runs to its terminator; segment names inside it are data.
            found = _SEGMENT_END.search(text, position)
            position = found.start() if found else len(text)
            if match.group(1) != "MSH":
                spans.extend(self._segment(text, start, position, separators))
        return spans

    def _segment(
        self, text: str, start: int, end: int, separators: Separators
    ) -> Iterator[Span]:
        fields = FIELDS[text[start : start + 3]]
        last_number = max(fields)
        for number, (first, last) in enumerate(
            _pieces(text, start, end, separators.field)
        ):
            if number > last_number:
                return
            components = fields.get(number)
            if components is None:
                continue
            for begin, stop in _pieces(text, first, last, separators.repetition):
                yield from self._components(text, begin, stop, components, separators)

    def _components(
        self,
        text: str,
        start: int,
        end: int,
        components: dict[int, EntityType],
        separators: Separators,
    ) -> Iterator[Span]:
        parts = _pieces(text, start, end, separators.component)
        for number, (first, last) in enumerate(parts, start=1):
            entity_type = components.get(number)
            if entity_type is None:
                continue
            for begin, stop in _pieces(text, first, last, separators.subcomponent):
                value = text[begin:stop]
                if value.strip() and value != '""':
                    yield Span(entity_type, begin, stop, self.name)
