"""The redact operator: the entity type as a label, e.g. ``<SSN>``."""

from __future__ import annotations

from typing import Any

from presidio_anonymizer.operators import Operator, OperatorType

from processors.operators.base import entity_of


class Redact(Operator):
    """Replace the value with its entity type label."""

    def operate(self, text: str, params: dict[str, Any] | None = None) -> str:
        return f"<{entity_of(params)}>"

    def validate(self, params: dict[str, Any] | None = None) -> None:
        entity_of(params)

    def operator_name(self) -> str:
        return "redact_label"

    def operator_type(self) -> OperatorType:
        return OperatorType.Anonymize
