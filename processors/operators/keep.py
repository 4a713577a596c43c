"""The keep operator: the value stays; the finding is still audited."""

from __future__ import annotations

from typing import Any

from presidio_anonymizer.operators import Operator, OperatorType


class Keep(Operator):
    """Leave the value as it is."""

    def operate(self, text: str, params: dict[str, Any] | None = None) -> str:
        return text

    def validate(self, params: dict[str, Any] | None = None) -> None:
        return None

    def operator_name(self) -> str:
        return "keep_value"

    def operator_type(self) -> OperatorType:
        return OperatorType.Anonymize
