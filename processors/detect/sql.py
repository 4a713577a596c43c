"""SQL INSERT statements in logs: each value takes the field rule of its column."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from processors.detect.fields import classify, normalize_key, value_entity
from processors.entities import EntityType
from processors.spans import Span

NAME = "sql_insert"
VERSION = "1"

GATE_PATTERN = r"(?i)\binsert[ \t]+into\b"

_INSERT = re.compile(
    r"""(?ix)
    \binsert\s+into\s+[\w."`\[\]]{1,128}\s*   # the table
    \(([^()]{1,2000})\)\s*                    # 1: the column list
    values\s*\(                               # the first row opens
    """
)
_VALUE = re.compile(
    r"""(?x)
    \s*(?:
      '((?:[^']|'')*)'                         # 1: a quoted string, '' inside
      | (-?[0-9][0-9.]*)                       # 2: a number
      | ([A-Za-z_][\w]*(?:\([^()]*\))?)        # 3: NULL, TRUE, now(), ...
      | (\?|\$[0-9]+|:[A-Za-z_]\w*)            # 4: a bind placeholder
    )\s*([,)])                                 # 5: the next value or the end
    """
)


def _values(text: str, position: int) -> Iterator[tuple[int, int] | None]:
    """Yield the span of each value of one row (None for non-literals)."""
    while True:
        match = _VALUE.match(text, position)
        if match is None:
            return
        if match.group(1) is not None:
            yield match.span(1)
        elif match.group(2) is not None:
            yield match.span(2)
        else:
            yield None
        position = match.end()
        if match.group(5) == ")":
            return


class SqlInsertDetector:
    """Pair INSERT columns with their values and apply the field rules."""

    name = NAME
    version = VERSION

    def __init__(
        self,
        extra_keys: tuple[str, ...] = (),
        is_person_name: Callable[[str], bool] | None = None,
    ) -> None:
        self._extra = extra_keys
        self._is_person_name = is_person_name

    def detect(self, text: str) -> list[Span]:
        """Return spans for values whose column the field rules mark as PHI."""
        if "insert" not in text.lower():
            return []
        spans: list[Span] = []
        for insert in _INSERT.finditer(text):
            columns = [
                normalize_key(c.strip().strip('"`[]').rsplit(".", 1)[-1])
                for c in insert.group(1).split(",")
            ]
            for column, value in zip(
                columns, _values(text, insert.end()), strict=False
            ):
                if value is None or value[1] <= value[0]:
                    continue
                entity_type = self._entity_of(column, text[value[0] : value[1]])
                if entity_type is not None:
                    spans.append(Span(entity_type, value[0], value[1], NAME, 1.0))
        return spans

    def _entity_of(self, column: str, value: str) -> EntityType | None:
        rule = classify(column, "", self._extra)
        return value_entity(rule, value, self._is_person_name)
