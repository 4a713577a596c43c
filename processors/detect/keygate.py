"""A one-pass gate: does a string hold any key the field rules care about?"""

from __future__ import annotations

from collections.abc import Iterable

import re2

from processors.detect.fields import (
    AGE_KEYS,
    AMBIGUOUS_NAME_KEYS,
    CHILD_KEYS,
    PERSON_PARENTS,
    PHI_KEY_SPELLINGS,
    SUFFIX_SPELLINGS,
)

_SEPARATOR = r"[_.\- ]?"


def _spelling(key: str) -> str:
    return _SEPARATOR.join(re2.escape(word) for word in key.split("_"))


def _longest_first(alternative: str) -> tuple[int, str]:
    """Order alternatives longest first, ties by text: the same pattern in
    every process, so a compiled gate cached on disk is found again."""
    return (-len(alternative), alternative)


def _any_spelling(normalized_key: str) -> str:
    """Spell a normalized key with an optional separator between any letters."""
    return _SEPARATOR.join(re2.escape(char) for char in normalized_key)


def key_gate_pattern(extra_keys: Iterable[str] = ()) -> str:
    """Return an RE2 pattern matching any PHI key followed by ``=`` or ``:``.

    Keys match in any case and with any word separator (``first_name``,
    ``firstName``, ``FIRST-NAME``). Keys that the field rules also accept as
    the end of a longer key (``guarantorPhone``) match anywhere; the others
    only where a key or a dotted part of one starts, so neither ``page=`` nor
    ``pod_name=`` wakes the field rules; keys that are PHI
    under a parent (``patient.id``) match after a dot. It is a superset
    of what the field rules mark, so a miss here means nothing to do.
    """
    # These sets hold normalized keys, without their word breaks.
    normalized = {*AGE_KEYS, *AMBIGUOUS_NAME_KEYS, *PERSON_PARENTS, *extra_keys}
    exact = {
        *PHI_KEY_SPELLINGS,
        "first",
        "last",
        "given",
        "family",
        "identifier",
        "address",
    }
    exact_alt = "|".join(
        sorted(
            [*map(_spelling, exact), *map(_any_spelling, normalized)],
            key=_longest_first,
        )
    )
    child_alt = "|".join(sorted(map(_spelling, CHILD_KEYS), key=_longest_first))
    suffix_alt = "|".join(
        sorted((_spelling(s) for s in SUFFIX_SPELLINGS), key=_longest_first)
    )
    return (
        rf"(?i)(?:(?:^|[^a-z0-9_-])(?:{exact_alt})|(?:{suffix_alt})"
        rf"|\.(?:{child_alt}))"
        r"[\"']?[ \t]*(?:=|:)"
    )
