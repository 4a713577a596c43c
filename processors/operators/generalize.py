"""The generalize operator: Safe Harbor's coarser forms of dates, ZIPs and ages."""

from __future__ import annotations

import re
from typing import Any

from presidio_anonymizer.operators import Operator, OperatorType

from processors.entities import EntityType
from processors.normalize import parse_date
from processors.operators.base import entity_of, tokenizer_of

SPARSE_ZIP3 = frozenset(
    [
        "036",
        "059",
        "063",
        "102",
        "203",
        "556",
        "692",
        "790",
        "821",
        "823",
        "830",
        "831",
        "878",
        "879",
        "884",
        "890",
        "893",
    ]
)
"""ZIP3 areas of 20,000 people or fewer (2000 census), which Safe Harbor
requires to be written as 000."""

_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|2[01]\d\d)(?!\d)")
_DIGITS = re.compile(r"\d+")


def generalize_zip(value: str) -> str:
    """Return the ZIP3 of ``value`` padded to five characters, or ``000**``."""
    digits = "".join(_DIGITS.findall(value))
    zip3 = digits[:3]
    if len(zip3) < 3 or zip3 in SPARSE_ZIP3:
        return "000**"
    return f"{zip3}**"


def generalize_date(value: str) -> str | None:
    """Return the year of ``value``, or None when no year can be read."""
    parsed = parse_date(value)
    if parsed is not None:
        return str(parsed.year)
    match = _YEAR.search(value)
    return match.group(1) if match else None


class Generalize(Operator):
    """Keep only what Safe Harbor allows: a year, a ZIP3, or ``90+``.

    A value that cannot be generalized (a date with no readable year, or an
    entity type with no coarser form) is tokenized instead, failing closed.
    """

    def operate(self, text: str, params: dict[str, Any] | None = None) -> str:
        entity_type = entity_of(params)
        result: str | None = None
        if entity_type is EntityType.DATE:
            result = generalize_date(text)
        elif entity_type is EntityType.ZIP:
            result = generalize_zip(text)
        elif entity_type is EntityType.AGE:
            result = "90+"
        if result is None:
            return tokenizer_of(params).token(entity_type, text)
        return result

    def validate(self, params: dict[str, Any] | None = None) -> None:
        entity_of(params)

    def operator_name(self) -> str:
        return "generalize"

    def operator_type(self) -> OperatorType:
        return OperatorType.Anonymize
