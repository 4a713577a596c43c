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
        # Stars count as masked characters, so masking a masked value again
        # keeps the same characters and changes nothing.
        maskable = sum(c.isalnum() or c == MASK_CHAR for c in text)
        keep = min(action_of(params).keep_last, maskable // 2)
        out = []
        for char in reversed(text):
            if char == MASK_CHAR:
                keep -= 1
                out.append(char)
            elif char.isalnum():
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
        return "mask_last"

    def operator_type(self) -> OperatorType:
        return OperatorType.Anonymize
