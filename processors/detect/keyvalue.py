"""Field rules inside text: ``key=value``, ``key: value``, ``"key": "value"``.

Covers logfmt, query strings, SQL predicates, JSON fragments inside messages
and ``Label: value`` prose, with the same key lexicon as JSON fields.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from processors.detect.fields import classify, normalize_key, value_entity
from processors.entities import EntityType
from processors.spans import Span

NAME = "keyvalue"
VERSION = "1"

# Python's engine here: RE2's wrapper costs several microseconds per match
# with groups, and every repetition below is bounded, so each start position
# does bounded work and the scan stays linear in the text.
_PAIR = re.compile(
    r"""(?x)
    (?:^|[^\w.@-])                   # the key starts a word
    ["']?                            # an optional quote around the key
    ([A-Za-z@][\w.@-]{0,47})         # 1: the key, dotted paths included
    ["']?
    [ \t]*(?:=>|=|:)[ \t]*           # separator: logfmt, SQL, JSON, prose
    (?:
      "((?:[^"\\\n]|\\.){1,256})"    # 2: a double-quoted value
      | '([^'\n]{1,256})'            # 3: a single-quoted value
      | ([^\s"',;&|}\])<>]{1,256})   # 4: a bare value up to a delimiter
    )
    """
)

_NEXT_WORD = re.compile(r"[ \t]+([A-Za-z][\w'’.-]{0,40})")
_CLAUSE_END = re.compile(r"[|;\n]|[ \t]+[\w.@-]{1,48}[ \t]*[=:]|[ \t]{2,}|$")

MAX_EXTRA_NAME_WORDS = 3
MAX_ADDRESS_CHARS = 120


def _extend_name(text: str, end: int) -> int:
    """Extend a bare name value over following capitalized words."""
    for _ in range(MAX_EXTRA_NAME_WORDS):
        match = _NEXT_WORD.match(text, end)
        if match is None:
            break
        word = match.group(1)
        after = text[match.end() : match.end() + 2].lstrip()
        if not word[0].isupper() or after[:1] in ("=", ":"):
            break
        end = match.end()
    return end


def _extend_address(text: str, end: int) -> int:
    """Extend a bare address value to the end of its clause."""
    match = _CLAUSE_END.search(text, end)
    stop = match.start() if match else len(text)
    stop = min(stop, end + MAX_ADDRESS_CHARS)
    while stop > end and text[stop - 1] in " \t,":
        stop -= 1
    return stop


class KeyValueDetector:
    """Find values of PHI keys written as pairs inside a string."""

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
        """Return a span for each value whose key the field rules mark as PHI."""
        if "=" not in text and ":" not in text:
            return []
        spans = []
        for match in _PAIR.finditer(text):
            span = self._judge(text, match)
            if span is not None:
                spans.append(span)
        return spans

    def _judge(self, text: str, match: Any) -> Span | None:
        raw_key = match.group(1)
        parts = raw_key.split(".")
        key = normalize_key(parts[-1])
        parent = normalize_key(parts[-2]) if len(parts) > 1 else ""
        rule = classify(key, parent, self._extra)
        group = next(g for g in (2, 3, 4) if match.group(g) is not None)
        start, end = match.span(group)
        is_bare = group == 4
        entity_type = rule.entity_type
        if rule.is_age:
            entity_type = value_entity(rule, text[start:end], None)
            if entity_type is None:
                return None
        elif rule.is_ambiguous_name and self._is_person_name is not None:
            if is_bare:
                end = _extend_name(text, end)
            if not self._is_person_name(text[start:end]):
                return None
            entity_type = EntityType.PERSON
        if entity_type is None:
            return None
        if is_bare and entity_type is EntityType.PERSON and not rule.is_ambiguous_name:
            end = _extend_name(text, end)
        elif is_bare and entity_type is EntityType.ADDRESS:
            end = _extend_address(text, end)
        return Span(entity_type, start, end, NAME, 1.0)
