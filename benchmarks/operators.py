"""Cost of presidio's AnonymizerEngine against calling our operators directly.

Run: ``python -m benchmarks.operators``. Both paths use the same presidio
``Operator`` classes and give the same text (checked before timing).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from presidio_anonymizer.entities import OperatorConfig, RecognizerResult

from processors.entities import EntityType
from processors.operators.registry import OPERATORS, presidio_engine
from processors.tokens import Tokenizer, TokenKey

TEXT = "Patient SSN 123-45-6789 dob 1961-03-03"
RESULTS = [
    RecognizerResult("SSN", 12, 23, 1.0),
    RecognizerResult("DATE", 28, 38, 1.0),
]
REPEAT = 5000


def _time_us(call: Callable[[], object]) -> float:
    start = time.process_time()
    for _ in range(REPEAT):
        call()
    return (time.process_time() - start) / REPEAT * 1e6


def main() -> None:
    """Print the microseconds per two-span text of each path."""
    tokenizer = Tokenizer(TokenKey(b"benchmark-key-0123456789abcdef"))
    engine = presidio_engine()
    configs = {
        name: OperatorConfig("tokenize", {"tokenizer": tokenizer})
        for name in ("SSN", "DATE")
    }
    operator = OPERATORS["tokenize"]

    def direct() -> str:
        out = TEXT
        for result in sorted(RESULTS, key=lambda r: -r.start):
            params = {
                "entity_type": EntityType(result.entity_type),
                "tokenizer": tokenizer,
            }
            value = operator.operate(out[result.start : result.end], params)
            out = out[: result.start] + value + out[result.end :]
        return out

    def through_engine() -> str:
        text: str = engine.anonymize(TEXT, RESULTS, configs).text
        return text

    if direct() != through_engine():
        raise SystemExit("the two paths disagree")
    print(f"presidio AnonymizerEngine.anonymize  {_time_us(through_engine):6.1f} us")
    print(f"operators called directly            {_time_us(direct):6.1f} us")


if __name__ == "__main__":
    main()
