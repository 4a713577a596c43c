"""Shared helpers for pattern validators: boundaries, digits and context words."""

from __future__ import annotations

import re
from collections.abc import Iterator

from processors.detect.base import Validator

CONTEXT_WIDTH = 40
"""How many characters before a candidate are read for context words."""

GAP = r"[^A-Za-z0-9\n]{0,6}?"
"""Separators between a context word and its value: quotes, colon, equals.

Lazy, so a value that may start with punctuation, ``(01)`` or ``+1``, keeps it.
"""

ID_VALUE = (
    r"[A-Za-z0-9]"  # starts with a letter or digit
    r"[A-Za-z0-9-]{3,23}"  # dashes allowed inside
    r"[A-Za-z0-9]\b"  # ends on a letter or digit, at a word end
)
"""An identifier read after its context word: MRN, member id, license."""

_ASCII_WORD = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"
)
_NON_DIGITS = re.compile(r"[^0-9]+")


def is_word_char(char: str) -> bool:
    """Return True for a character that continues a token (letter, digit, _)."""
    return char in _ASCII_WORD or char.isalnum()


def is_glued(text: str, start: int, end: int, joiners: str = "-.") -> bool:
    """Return True when ``text[start:end]`` is only part of a longer token.

    A candidate is glued when a letter, digit or underscore touches it, or when
    a joiner (``-`` or ``.`` by default) touches it and a token character
    follows the joiner: a segment of a UUID, a hex digest, a hostname such as
    ``ip-10-0-3-17`` or a pod name such as ``api-7d9f8b6c5-xk2p9``.
    """
    before = text[start - 2 : start] if start > 1 else " " + text[:start]
    after = text[end : end + 2]
    if before[-1:] and is_word_char(before[-1]):
        return True
    if after[:1] and is_word_char(after[0]):
        return True
    if len(before) == 2 and before[1] in joiners and is_word_char(before[0]):
        return True
    return len(after) == 2 and after[0] in joiners and is_word_char(after[1])


def digits_of(value: str) -> str:
    """Return the ASCII digits of ``value``, separators dropped."""
    return _NON_DIGITS.sub("", value)


def value_check(min_length: int, min_digits: int, score: float) -> Validator:
    """Make a validator for a value read after its context word.

    The context word already makes the case; the value only has to look like
    an identifier rather than a word: long enough, with enough digits.
    """

    def validate(text: str, start: int, end: int) -> float | None:
        value = text[start:end]
        if len(value) < min_length or len(digits_of(value)) < min_digits:
            return None
        return score

    return validate


def context_before(text: str, start: int, width: int = CONTEXT_WIDTH) -> str:
    """Return the lowercased ``width`` characters before ``start``."""
    return text[max(0, start - width) : start].lower()


def keyed(keywords: str, value: str, suffix: bool = True) -> str:
    """Build an RE2 candidate: a context word, a short gap, then group 1.

    Args:
        keywords: RE2 alternatives for the context word, matched without case
            and not as the tail of a longer word (``home_phone`` still counts).
        value: RE2 for the value itself; it becomes capturing group 1.
        suffix: accept a ``number``, ``no``, ``id`` or ``#`` after the word.
    """
    word_suffix = r"(?:[\s_-]*(?i:number|num|nbr|no\.?|id|\#))?" if suffix else ""
    return (
        r"(?:^|[^A-Za-z])"  # the context word starts a word, or follows "_"
        + r"(?i:"
        + keywords  # the context word itself
        + r")"
        + word_suffix  # "member id", "ssn #", "account no."
        + GAP  # '": "', "=", ": ", " #"
        + r"(?:(?i:is|was|of)[^A-Za-z0-9\n]{1,3})?"  # "SSN is 123456789"
        + r"("
        + value  # group 1: the candidate
        + r")"
    )


_WORD = re.compile(r"[a-z]+")


def _alternatives(body: str) -> list[str]:
    """Split a regex at its top-level ``|``, outside groups and classes."""
    parts: list[str] = []
    depth, in_class, escaped, begin = 0, False, False, 0
    for index, char in enumerate(body):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(body[begin:index])
            begin = index + 1
    parts.append(body[begin:])
    return parts


def _first_letter(alternative: str) -> str | None:
    """Return the letter every match of ``alternative`` starts with, if fixed."""
    head, quantifier = alternative[:1], alternative[1:2]
    if "a" <= head <= "z" and quantifier not in ("?", "*", "{"):
        return head
    return None


class Cues:
    """Named sets of context words; the one nearest before a candidate wins.

    Each group is a stdlib regex of alternatives. They match the lowercased
    window where a run of letters starts and must not run into another letter:
    ``tag`` is not found in ``stage``, while ``patient_mrn`` and ``ssn#`` still
    hold their words.
    """

    def __init__(self, **groups: str) -> None:
        """Compile the groups, given as ``name=alternatives``."""
        buckets: dict[str | None, dict[str, list[str]]] = {}
        for name, body in groups.items():
            for alternative in _alternatives(body):
                bucket = buckets.setdefault(_first_letter(alternative), {})
                bucket.setdefault(name, []).append(alternative)
        floating = buckets.pop(None, {})

        # One small regex per first letter: trying sixty alternatives at every
        # word of the window is what makes a single big one slow.
        self._by_letter: dict[str, re.Pattern[str]] = {}
        for letter in "abcdefghijklmnopqrstuvwxyz":
            bucket = buckets.get(letter, {})
            names = [name for name in groups if name in bucket or name in floating]
            if names:
                self._by_letter[letter] = _compile_groups(
                    {
                        name: bucket.get(name, []) + floating.get(name, [])
                        for name in names
                    }
                )
        self._last: tuple[str, int, int, str | None] = ("", -1, 0, None)

    def _matches(self, text: str, start: int, width: int) -> Iterator[str]:
        """Yield the group of each context word, nearest first."""
        window = context_before(text, start, width)
        starts = [word.start() for word in _WORD.finditer(window)]
        for position in reversed(starts):
            regex = self._by_letter.get(window[position])
            match = None if regex is None else regex.match(window, position)
            if match is not None and match.lastgroup is not None:
                yield match.lastgroup

    def nearest(self, text: str, start: int, width: int = CONTEXT_WIDTH) -> str | None:
        """Return the group of the context word nearest before ``start``."""
        last_text, last_start, last_width, last_name = self._last
        if text is last_text and start == last_start and width == last_width:
            return last_name  # patterns sharing a regex ask about the same place

        name = next(self._matches(text, start, width), None)
        self._last = (text, start, width, name)
        return name

    def found(self, text: str, start: int, width: int = CONTEXT_WIDTH) -> set[str]:
        """Return the groups of all context words before ``start``."""
        return set(self._matches(text, start, width))


def _compile_groups(groups: dict[str, list[str]]) -> re.Pattern[str]:
    alternatives = "|".join(
        f"(?P<{name}>{'|'.join(bodies)})" for name, bodies in groups.items()
    )
    # Stdlib re is safe here: anchored tries of words in a bounded window.
    return re.compile(rf"(?:{alternatives})(?![a-z])")


NEGATIVE_WORDS = (
    r"trace|span|request|req|correlation|order|invoice|txn|transaction|offset"
    r"|partition|build|version|ver|sku|ndc|ticket|job|pid|port|epoch|timestamp"
    r"|ts|duration|latency|elapsed|bytes|size|count|seq|sequence|checksum|hash"
    r"|sha|md5|commit|tracking|confirmation|ref"
)
"""Words that say a number is machine data, not a person's identifier."""
