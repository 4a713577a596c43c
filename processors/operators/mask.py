"""The mask operator: keep the last N characters, star out the rest."""

from __future__ import annotations

from typing import Any

from presidio_anonymizer.operators import Operator, OperatorType

from processors.operators.base import action_of

MASK_CHAR = "*"


class Mask(Operator):
    """Replace all but the last ``keep_last`` letters and digits by ``*``.

    Separators stay, so ``123-45-6789`` becomes ``***-**-6789``. At most half
    of the value's letters and digits are kept, so a short value never stays
    whole in clear.
    """

    def operate(self, text: str, params: dict[str, Any] | None = None) -> str:
        alnum = sum(c.isalnum() for c in text)
        keep = min(action_of(params).keep_last, alnum // 2)
        out = []
        for char in reversed(text):
            if char.isalnum():
                if keep > 0:
                    keep -= 1
                    out.append(char)
                else:
                    out.append(MASK_CHAR)
            else:
                out.append(char)
        return "".join(reversed(out))

    def validate(self, params: dict[str, Any] | None = None) -> None:
        action_of(params)

    def operator_name(self) -> str:
        return "mask"

    def operator_type(self) -> OperatorType:
        return OperatorType.Anonymize
