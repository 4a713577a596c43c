"""The tokenize operator: a deterministic typed token in place of the value."""

from __future__ import annotations

from typing import Any

from presidio_anonymizer.operators import Operator, OperatorType

from processors.operators.base import entity_of, tokenizer_of


class Tokenize(Operator):
    """Replace the value with its token (the default action)."""

    def operate(self, text: str, params: dict[str, Any] | None = None) -> str:
        return tokenizer_of(params).token(entity_of(params), text)

    def validate(self, params: dict[str, Any] | None = None) -> None:
        entity_of(params)
        tokenizer_of(params)

    def operator_name(self) -> str:
        return "tokenize"

    def operator_type(self) -> OperatorType:
        return OperatorType.Anonymize
