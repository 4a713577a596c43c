"""Name dictionaries from Faker and mimesis, our word lists, and word roles."""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Final, NamedTuple

_FOLD: Final = str.maketrans(
    {"’": "'", "ł": "l", "ø": "o", "đ": "d", "ð": "d", "ı": "i", "ħ": "h"}
    | {"æ": "ae", "œ": "oe", "þ": "th", "ß": "ss"}
)


def fold(word: str) -> str:
    """Return the lookup key of a word: lower case, accents and curly quote gone.

    ``José`` and ``JOSE`` share the key ``jose``, so a log that drops accents
    still finds the accented dictionary entry.
    """
    lowered = word.lower()
    if lowered.isascii():
        return lowered
    decomposed = unicodedata.normalize("NFKD", lowered.translate(_FOLD))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _sections() -> dict[str, list[str]]:
    """Read our word lists: ``[section]`` lines, then words; ``#`` comments."""
    text = (resources.files("processors") / "data" / "name_words.txt").read_text(
        encoding="utf-8"
    )
    sections: dict[str, list[str]] = {}
    words: list[str] = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("[") and line.endswith("]"):
            words = sections.setdefault(line[1:-1], [])
        else:
            words.extend(line.split())
    return sections


_RAW: Final = _sections()
_LISTS: Final = {
    section: frozenset(map(fold, words)) for section, words in _RAW.items()
}
TITLES: Final = _LISTS["titles"]
"""Titles that introduce a name; the span starts after them."""
PARTICLES: Final = _LISTS["particles"]
"""Lower-case words that sit inside a family name: ``de la Cruz``, ``van Dijk``."""
STRONG_CONTEXT: Final = _LISTS["strong-context"]
"""Words after which a capitalized unknown word is still likely a name."""
CONTEXT: Final = STRONG_CONTEXT | _LISTS["weak-context"]
"""Words after which a name may follow; the weak ones need a dictionary hit."""
LEADS: Final = _LISTS["lead-context"]
"""Words often right before a person (``for``, ``to``): weak on their own."""
SOFT: Final = _LISTS["ambiguous"]
"""English words that are also common names: evidence only beside a sure one."""
HARD_STOP: Final = _LISTS["stop"]
"""Words that are never taken as a name without a title or context word."""
SURNAME_ENDINGS: Final = tuple(sorted(_LISTS["surname-endings"]))
"""Endings that make an unknown capitalized word a plausible family name."""


@dataclass(frozen=True, slots=True)
class NameLexicon:
    """Folded given and family names, with the hard stop words taken out."""

    given: frozenset[str]
    family: frozenset[str]


def _table(section: str) -> dict[str, str]:
    """Parse a transliteration section of ``"а=a б=b ь="`` pairs."""
    return dict(pair.split("=") for pair in _RAW[section])


_CYRILLIC: Final = _table("cyrillic")
_GREEK: Final = _table("greek")


_LATIN: Final = re.compile("[\x00-\x7f\u00c0-\u024f\u1e00-\u1eff]*")
_GREEK_OR_CYRILLIC: Final = re.compile("[\u0370-\u03ff\u0400-\u04ff]")


def _romanize(name: str) -> str:
    """Transliterate a Cyrillic or Greek name to Latin letters."""
    lowered = "".join(
        char
        for char in unicodedata.normalize("NFD", name.lower())
        if not unicodedata.combining(char)
    )
    table = _GREEK if any(char in _GREEK for char in lowered) else _CYRILLIC
    for pair in (key for key in table if len(key) > 1):
        lowered = lowered.replace(pair, table[pair])
    return "".join(table.get(char, char) for char in lowered)


def _key(name: str) -> str | None:
    """Return the folded key of a name in Latin, Cyrillic or Greek script."""
    if name.isascii():
        return name.strip().lower()
    if _GREEK_OR_CYRILLIC.search(name):
        name = _romanize(name)
    return fold(name.strip()) if _LATIN.fullmatch(name) else None


def _keys(names: Iterable[str]) -> set[str]:
    """Return the keys of the names and of each part of a compound name."""
    keys: set[str] = set()
    for name in names:
        key = _key(name)
        if key is None:
            continue
        keys.add(key)
        parts = key.replace("-", " ").split()
        if len(parts) > 1:
            keys.update(part for part in parts if part not in PARTICLES)
    return keys


def _faker_lists() -> Iterator[tuple[str, Iterable[object]]]:
    """Yield (attribute name, value) of every locale's Faker person provider."""
    person = importlib.import_module("faker.providers.person")
    for module in pkgutil.iter_modules(person.__path__):
        provider = getattr(
            importlib.import_module(f"{person.__name__}.{module.name}"),
            "Provider",
            None,
        )
        for attribute, value in vars(provider or object).items():
            # Faker keeps names in tuples, or in dicts of name -> weight.
            if isinstance(value, dict | list | tuple | set | frozenset):
                yield attribute, value


def _faker_names() -> tuple[set[str], set[str]]:
    """Return the raw given and family names of every Faker locale."""
    given: set[str] = set()
    family: set[str] = set()
    for attribute, value in _faker_lists():
        names = (name for name in value if isinstance(name, str))
        if "kana" in attribute or "pair" in attribute:
            continue
        if attribute.startswith(("first_name", "first_romanized", "middle_name")):
            given.update(names)
        elif "last_name" in attribute or "last_romanized" in attribute:
            family.update(names)
    return given, family


def _mimesis_names() -> tuple[set[str], set[str]]:
    """Return the raw given and family names of every mimesis locale."""
    given: set[str] = set()
    family: set[str] = set()
    for locale in resources.files("mimesis.datasets").iterdir():
        path = locale / "person.json"
        if not path.is_file():
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        for key, names in (("names", given), ("surnames", family)):
            lists = data.get(key, ())
            for group in lists.values() if isinstance(lists, dict) else [lists]:
                names.update(name for name in group if isinstance(name, str))
    return given, family


@cache
def load_lexicon() -> NameLexicon:
    """Build the name dictionaries once per process; the first call takes a second."""
    faker_given, faker_family = _faker_names()
    mimesis_given, mimesis_family = _mimesis_names()
    unusable = HARD_STOP | TITLES | CONTEXT
    given = {key for key in _keys(faker_given | mimesis_given) if len(key) > 1}
    family = {key for key in _keys(faker_family | mimesis_family) if len(key) > 1}
    return NameLexicon(
        given=frozenset(given - unusable), family=frozenset(family - unusable)
    )


def _letters(has_case: Callable[[str], bool]) -> str:
    """Return the Latin letters beyond ASCII of one case, for a character class."""
    blocks = ((0xC0, 0x250), (0x1E00, 0x1F00))
    chars = (chr(code) for low, high in blocks for code in range(low, high))
    return "".join(char for char in chars if has_case(char))


UPPER_CLASS: Final = "A-Z" + _letters(str.isupper)
"""Capital Latin letters, as the inside of a regular expression class."""
LOWER_CLASS: Final = "a-z" + _letters(str.islower)


# Roles of one word, as bits.
GIVEN: Final = 1
FAMILY: Final = 2
AMBIGUOUS: Final = 4
STOP: Final = 8
CUE: Final = 16
"""A context word; it ends a name rather than belonging to it."""

# Kinds and shapes of one piece of a candidate.
WORD, TITLE, INITIAL, PARTICLE = range(4)
CAPITALIZED, UPPER, LOWER = range(3)


class Token(NamedTuple):
    """One piece of a candidate name, classified."""

    start: int
    end: int
    kind: int
    shape: int
    roles: int
    after_comma: bool
    key: str = ""


def word_roles(key: str, lexicon: NameLexicon) -> int:
    """Return the role bits of one folded word."""
    if key in HARD_STOP:
        return STOP
    if key in CONTEXT:
        return CUE
    roles = (GIVEN if key in lexicon.given else 0) | (
        FAMILY if key in lexicon.family else 0
    )
    if not roles and ("-" in key or "'" in key):
        roles = _compound_roles(key, lexicon)
    if key in SOFT:
        roles |= AMBIGUOUS
    return roles


def _compound_roles(key: str, lexicon: NameLexicon) -> int:
    """Return the roles of a hyphenated or apostrophe word from its parts."""
    joined = key.replace("-", "").replace("'", "")
    if joined in lexicon.given or joined in lexicon.family:
        return word_roles(joined, lexicon)
    roles = 0
    for part in re.split(r"[-']", key):
        if len(part) < 2 or part in PARTICLES:
            continue
        part_roles = word_roles(part, lexicon)
        if part_roles & (STOP | CUE):
            return STOP
        roles |= part_roles & (GIVEN | FAMILY)
    return roles


_PIECE: Final = re.compile(r"[^ ,]+")


def classify(text: str, start: int, end: int, lexicon: NameLexicon) -> Iterator[Token]:
    """Split ``text[start:end]`` into classified pieces."""
    for piece in _PIECE.finditer(text, start, end):
        word = piece.group()
        first, last = piece.span()
        after_comma = text[first - 2 : first] == ", "
        if word.endswith(".") and len(word) > 1:
            core = fold(word[:-1])
            if core in TITLES:
                yield Token(first, last, TITLE, UPPER, 0, after_comma)
                continue
            if len(core) == 1:
                yield Token(first, last, INITIAL, UPPER, 0, after_comma)
                continue
            word, last = word[:-1], last - 1
        if word.endswith(("'s", "’s")):
            word, last = word[:-2], last - 2
        if not word:
            continue
        key = fold(word)
        roles = word_roles(key, lexicon)
        if key in PARTICLES and (word[0].islower() or not roles & (GIVEN | FAMILY)):
            yield Token(first, last, PARTICLE, LOWER, 0, after_comma)
        elif key in TITLES and word[0].isupper():
            yield Token(first, last, TITLE, UPPER, 0, after_comma)
        else:
            yield Token(first, last, WORD, _shape(word), roles, after_comma, key)


def _shape(word: str) -> int:
    if word[0].islower():
        return LOWER
    return UPPER if word.isupper() and len(word) > 1 else CAPITALIZED


def is_sure(token: Token) -> bool:
    """Return True for a dictionary name that is not also a common word."""
    return bool(token.roles & (GIVEN | FAMILY)) and not token.roles & AMBIGUOUS


_SET_APART_END: Final = re.compile(r"[ ][a-z]|[,;:(]")


def is_set_apart(text: str, token: Token, taken: list[Token], cue_end: int) -> bool:
    """Return True for ``Patient DAWIT TESFAYE admitted``: capitals set apart.

    A line all in capitals (``PATIENT JOHN SMITH ADMITTED``) sets none apart.
    """
    return (
        token.shape == UPPER
        and not token.roles & (STOP | CUE | AMBIGUOUS)
        and bool(taken)
        and all(previous.shape == UPPER for previous in taken)
        and text[cue_end - 1].islower()
        and token.end - token.start > 2
        and _SET_APART_END.match(text, token.end) is not None
    )


_KEY_PARTS: Final = re.compile(r"[_.\-]")
_QUALIFIERS: Final = frozenset(
    {"full", "first", "last", "given", "family", "middle", "maiden", "legal", "sur"}
    | {"preferred"}
)
CUE_ANCHORS: Final = tuple(sorted(word for word in CONTEXT if "name" not in word))
_STRONG_HEADS: Final = STRONG_CONTEXT | _QUALIFIERS
_MAX_KEY_CHARS: Final = 40
"""How far back from ``name`` a key such as ``patient_first_name`` may start."""


def cue_words(
    lowered: str, anchors: Iterable[str] = CUE_ANCHORS
) -> Iterator[tuple[int, int, bool]]:
    """Yield (start, end, is strong) of the context words in lower-cased text.

    Only ``anchors`` and keys ending in ``name`` are looked for.
    """
    for anchor in anchors:
        start = lowered.find(anchor)
        while start != -1:
            end = start + len(anchor)
            if _is_bounded(lowered, start, end):
                yield (
                    start,
                    end,
                    anchor in STRONG_CONTEXT or _follows(lowered, start, "emergency"),
                )
            start = lowered.find(anchor, end)
    start = lowered.find("name")
    while start != -1:
        end = start + 4
        if end == len(lowered) or not lowered[end].isalnum():
            strength = _name_key_strength(lowered, start)
            if strength is not None:
                yield start, end, strength
        start = lowered.find("name", end)


def _is_bounded(lowered: str, start: int, end: int) -> bool:
    before = lowered[start - 1] if start else " "
    after = lowered[end] if end < len(lowered) else " "
    return not before.isalnum() and not after.isalnum()


def _follows(lowered: str, start: int, word: str) -> bool:
    """Return True when ``word`` and one separator come right before ``start``."""
    return lowered[max(0, start - len(word) - 1) : start - 1] == word


def _name_key_strength(lowered: str, start: int) -> bool | None:
    """Judge ``name`` at ``start`` with the key before it: strong, weak or none.

    ``name`` alone is weak; ``patient_name``, ``first_name`` and ``surname``
    are strong; ``user.name`` is weak; ``hostname`` is no context word.
    """
    first = start
    limit = max(0, start - _MAX_KEY_CHARS)
    while first > limit and (
        lowered[first - 1].isalpha() or lowered[first - 1] in "_.-"
    ):
        first -= 1
    parts = [part for part in _KEY_PARTS.split(lowered[first:start]) if part]
    if not parts:
        return False
    if parts[-1] not in CONTEXT and parts[-1] not in _QUALIFIERS:
        return None
    return any(part in _STRONG_HEADS for part in parts)


NAMEISH: Final = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*\.?")
"""One word of a name: letters, inner hyphens and apostrophes, maybe a period."""
