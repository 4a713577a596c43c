"""The date-shift operator: move dates by a consistent per-patient offset."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from presidio_anonymizer.operators import Operator, OperatorType

from processors.entities import EntityType
from processors.normalize import parse_date
from processors.operators.base import action_of, entity_of, tokenizer_of


class DateShift(Operator):
    """Shift a date by an offset derived from the key and the record's patient.

    The offset is in [-max_shift_days, +max_shift_days] minus zero, the same
    for every date of one patient, so intervals between a patient's dates
    survive. The patient is the first PERSON, MRN, SSN or MEMBER_ID value of
    the record, passed as ``patient``. Without one, or when the value is not a
    readable date, the value is tokenized instead, failing closed. The
    result is written as ISO 8601.
    """

    def operate(self, text: str, params: dict[str, Any] | None = None) -> str:
        entity_type = entity_of(params)
        tokenizer = tokenizer_of(params)
        patient = (params or {}).get("patient")
        parsed = parse_date(text) if entity_type is EntityType.DATE else None
        if parsed is None or not patient:
            return tokenizer.token(entity_type, text)
        days = action_of(params).max_shift_days
        seed = int.from_bytes(tokenizer.derive("date_shift", patient)[:8], "big")
        offset = seed % (2 * days) - days
        if offset >= 0:
            offset += 1
        return (parsed + timedelta(days=offset)).isoformat()

    def validate(self, params: dict[str, Any] | None = None) -> None:
        entity_of(params)
        tokenizer_of(params)

    def operator_name(self) -> str:
        return "date_shift"

    def operator_type(self) -> OperatorType:
        return OperatorType.Anonymize
