"""One place that maps policy action names to operators."""

from __future__ import annotations

from collections.abc import Mapping

from presidio_anonymizer import AnonymizerEngine
from presidio_anonymizer.operators import Operator

from processors.operators.dateshift import DateShift
from processors.operators.generalize import Generalize
from processors.operators.keep import Keep
from processors.operators.mask import Mask
from processors.operators.redact import Redact
from processors.operators.tokenize import Tokenize

OPERATORS: Mapping[str, Operator] = {
    "tokenize": Tokenize(),
    "mask": Mask(),
    "redact": Redact(),
    "generalize": Generalize(),
    "date_shift": DateShift(),
    "keep": Keep(),
}
"""Policy action name to operator instance (operators hold no state)."""


def presidio_engine() -> AnonymizerEngine:
    """Return presidio's AnonymizerEngine with phirewall's operators added.

    The operator names differ from presidio's built-ins where those exist
    (``redact_label``, ``keep_value``), so both stay available.
    """
    engine = AnonymizerEngine()  # type: ignore[no-untyped-call]
    for operator in OPERATORS.values():
        engine.add_anonymizer(type(operator))
    return engine
