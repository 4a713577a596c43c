"""Scores of name candidates: by their words, and by the words around them."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Final

from processors.detect.namedata import (
    AMBIGUOUS,
    CAPITALIZED,
    CONTEXT,
    CUE,
    FAMILY,
    GIVEN,
    HARD_STOP,
    INITIAL,
    LEADS,
    LOWER,
    NAMEISH,
    PARTICLE,
    STOP,
    SURNAME_ENDINGS,
    TITLE,
    UPPER,
    WORD,
    NameLexicon,
    Token,
    classify,
    fold,
    is_sure,
    load_lexicon,
)
from processors.spans import Span

__all__ = [
    "FOLLOW_GATE",
    "LEAD_GATE",
    "after_leads",
    "before_identifiers",
    "looks_like_person_name",
    "pair_score",
    "widest",
]

_LEADS: Final = "|".join(sorted(LEADS))

_FOLLOW: Final = (
    r"(?:,[ ]?|[ ]?\([ ]?|[ ])"  # "Smith, DOB"  "Smith (MRN"  "Smith born"
    r"(?:dob|d\.o\.b|mrn|ssn|born|date[ ]of[ ]birth)"
)
"""A person identifier right after a name: the name is of a person."""

FOLLOW_GATE: Final = rf"(?i)\pL\.?{_FOLLOW}(?:[^\pL]|$)"
"""RE2 gate of :func:`before_identifiers`: a letter, then an identifier cue."""

LEAD_GATE: Final = (
    rf"(?:^|[^\pL\pN_])(?i:{_LEADS}|display[\"']?[:=] ?[\"']?)[ ]?"
    r"\p{Ll}[\p{Ll}'’\-]+[ ](?:\p{Ll}{1,4}[ ]){0,2}\p{Ll}{2}"
)
"""RE2 gate of lower-case names after a lead word; capitalized ones pass the run."""

_FOLLOW_RE: Final = re.compile(rf"{_FOLLOW}(?![^\W\d_])", re.IGNORECASE)
_LEAD_RE: Final = re.compile(
    rf"""
    (?<![\w\-.])
    (?: (?:{_LEADS})[ ]                # for Maria Garcia
      | display["']?[:=][ ]?["']?      # display: Maria Garcia (FHIR, JSON)
    )
    """,
    re.IGNORECASE | re.VERBOSE,
)
_EDGE: Final = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*\.?")
"""One word at the edge of a candidate: letters, inner hyphens and apostrophes."""

_MAX_WORDS: Final = 4
_MAX_PIECES: Final = 7
"""Words, particles and initials one candidate may hold."""
_VOWELS: Final = frozenset("aeiouy")
_ARABIC_ARTICLE: Final = re.compile(r"[ae]l-(?=[^\W\d_])")
"""The article of el-Amin and al-Rashid, written in lower case."""
_PARTS: Final = re.compile(r"['’\-]")
_INNER_CAPITAL: Final = re.compile(r"(?:Mc|Mac|De|Di|Da|La|Le|Van)[^\W\d_][^\W\d_]+")
"""CamelCase marks code, except in McKay, MacLeod, DeShawn, LaToya."""
_ROMANIZED: Final = re.compile(r"[A-Z][a-z]{1,5}-[a-z]{1,5}|[A-Z]{2,6}-[A-Z]{2,6}")
"""A given name of two syllables, as Korean or Chinese ones are romanized."""


def _plausible(word: str, is_known: bool) -> bool:
    """Return True when a word is shaped like a name, not like code or X-Ray."""
    letters = word.rstrip(".")
    article = _ARABIC_ARTICLE.match(letters)
    letters = letters[article.end() :] if article else letters
    if not is_known and not any(char in _VOWELS for char in fold(letters)):
        return False
    for part in _PARTS.split(letters):
        inner = part[1:]
        if not inner:
            return False
        if not (inner.islower() or inner.isupper() or _INNER_CAPITAL.fullmatch(part)):
            return False
    return True


def _is_break(token: Token, text: str) -> bool:
    """Return True for a token that ends a name: a title, stop or context word.

    A romanized given name such as ``Min-jun`` is no stop word, though a
    part of it is.
    """
    if token.kind == TITLE or token.roles & CUE:
        return True
    if not token.roles & STOP:
        return False
    piece = text[token.start : token.end]
    return token.key in HARD_STOP or not _ROMANIZED.fullmatch(piece)


def _is_stop(word: str) -> bool:
    """Return True, cheaply, for a stop or context word that ends a name."""
    key = fold(word.rstrip("."))
    return key in HARD_STOP or key in CONTEXT


def _words_back(text: str, end: int) -> int:
    """Return where the words just before ``end`` start, at most a few back."""
    start = end
    has_comma = False
    for _ in range(_MAX_PIECES):
        match = _last_word(text, start)
        if match is None or _is_stop(text[match:start]):
            break
        start = match
        if text[max(0, start - 2) : start] == ", " and not has_comma:
            has_comma = True
            start -= 2
        elif start and text[start - 1] == " ":
            start -= 1
        else:
            break
    while start < end and text[start] in " ,":
        start += 1
    return start


def _last_word(text: str, end: int) -> int | None:
    """Return the start of the word that ends at ``end``, or None."""
    start = end
    while start > 0 and (text[start - 1].isalpha() or text[start - 1] in "-'’."):
        start -= 1
    if start == end or not _EDGE.fullmatch(text, start, end):
        return None
    if start and (text[start - 1].isalnum() or text[start - 1] in "_@/\\"):
        return None
    return start


def _name_tail(tokens: Sequence[Token], text: str) -> list[Token]:
    """Keep the tokens after the last one that cannot be part of a name."""
    kept: list[Token] = []
    for token in reversed(tokens):
        if _is_break(token, text):
            break
        kept.append(token)
    kept.reverse()
    while kept and kept[0].kind != WORD:
        del kept[0]
    return kept


def _name_head(tokens: Sequence[Token], text: str) -> list[Token]:
    """Keep the tokens before the first one that cannot be part of a name."""
    kept: list[Token] = []
    shape = tokens[0].shape if tokens else LOWER
    for token in tokens:
        if _is_break(token, text):
            break
        if token.kind == WORD and (token.shape == LOWER) != (shape == LOWER):
            break
        if token.after_comma and any(t.after_comma for t in kept):
            break
        kept.append(token)
        if text[token.end : token.end + 1] not in (" ", ","):
            break
    while kept and kept[-1].kind != WORD:
        kept.pop()
    return kept


def _judge(
    tokens: Sequence[Token], text: str, has_lead: bool, has_follow: bool
) -> float | None:
    """Score the tokens as one name given the cues around them, or None."""
    words = [token for token in tokens if token.kind == WORD]
    if not words or len(words) > _MAX_WORDS:
        return None
    if any(t.kind == PARTICLE and text[t.start].isupper() for t in tokens):
        return None
    shapes = [_shape(word, text) for word in words]
    is_lower = all(shape == LOWER for shape in shapes)
    if not is_lower and LOWER in shapes:
        return None
    known = [word for word in words if word.roles & (GIVEN | FAMILY)]
    for word in words:
        if not _plausible(text[word.start : word.end], word in known):
            return None
    if len(words) == 1:
        single = bool(known) and (has_follow or is_sure(words[0]))
        return 0.7 if single and has_lead and not is_lower else None
    if has_follow and (has_lead or known):
        return 0.9
    if not has_lead:
        return None
    if is_lower:
        return 0.7 if all(map(is_sure, words)) else None
    return 0.7 if any(map(is_sure, words)) else None


def _shape(word: Token, text: str) -> int:
    """Return the shape of a word, reading ``el-Amin`` as capitalized."""
    if word.shape == LOWER and _ARABIC_ARTICLE.match(text, word.start, word.end):
        return CAPITALIZED
    return word.shape


def _has_lead(text: str, start: int) -> bool:
    """Return True when a lead or context word ends just before ``start``."""
    end = start - 1
    if end < 1 or text[end] != " ":
        return False
    first = end
    while first > 0 and text[first - 1].isalpha():
        first -= 1
    word = fold(text[first:end])
    return word in LEADS or word in CONTEXT or word == "pt"


def before_identifiers(
    text: str, lexicon: NameLexicon, known_ends: frozenset[int] = frozenset()
) -> Iterator[tuple[int, int, float]]:
    """Yield (start, end, score) of names followed by ``, DOB``, but not known ones."""
    for follow in _FOLLOW_RE.finditer(text):
        end = follow.start()
        if end in known_ends:
            continue
        start = _words_back(text, end)
        if start >= end:
            continue
        tokens = _name_tail(list(classify(text, start, end, lexicon)), text)
        if not tokens:
            continue
        has_lead = _has_lead(text, tokens[0].start)
        score = _judge(tokens, text, has_lead, has_follow=True)
        if score is not None:
            yield tokens[0].start, tokens[-1].end, score


def _may_start_name(text: str, start: int, lexicon: NameLexicon) -> bool:
    """Return False, cheaply, when the word after a lead cannot begin a name."""
    first = _EDGE.match(text, start)
    if first is None:
        return False
    key = fold(first.group().rstrip("."))
    if key in HARD_STOP or key in CONTEXT:
        return False
    return text[start].isupper() or key in lexicon.given or key in lexicon.family


def after_leads(
    text: str, lexicon: NameLexicon, known_starts: frozenset[int] = frozenset()
) -> Iterator[tuple[int, int, float]]:
    """Yield (start, end, score) of names after ``for`` and such, but not known ones."""
    for lead in _LEAD_RE.finditer(text):
        start = lead.end()
        if start in known_starts or not _may_start_name(text, start, lexicon):
            continue
        end = start
        for _ in range(_MAX_PIECES):
            match = _EDGE.match(text, end)
            if match is None or _is_stop(match.group()):
                break
            end = match.end()
            following = text[end : end + 2]
            if following[:1] == " " or following == ", ":
                end += len(following) if following == ", " else 1
                continue
            break
        tokens = _name_head(list(classify(text, start, end, lexicon)), text)
        if len(tokens) < 2:
            continue
        score = _judge(tokens, text, has_lead=True, has_follow=False)
        if score is not None:
            yield tokens[0].start, tokens[-1].end, score


_WHOLE_VALUE: Final = re.compile(r"(?:[^\W\d_]|[ .,'’\-])+")
_MAX_VALUE_CHARS: Final = 80
"""Longer field values are sentences or lists, not one person's name."""
_MAX_SHORT_FAMILY: Final = 3
"""Letters of a family name that is also an English word: He, Ma, Do."""


def looks_like_person_name(value: str, lexicon: NameLexicon | None = None) -> bool:
    """Return True when a whole field value reads as one person's name.

    For values under keys that may or may not hold a person (``name``,
    ``full_name``, ``display_name``, ``contact``, ``user``): ``John Smith``,
    ``SMITH, JOHN``, ``maria garcia``, ``Nguyen Van An``, ``He, Xin`` and
    ``Seo-yeon Kim`` are names; ``appointment-service``, ``GET /api``,
    ``Basic Metabolic Panel`` and ``scheduler`` are not. A single word is
    never enough.
    """
    text = value.strip()
    if not 3 <= len(text) <= _MAX_VALUE_CHARS or text.count(",") > 1:
        return False
    if not _WHOLE_VALUE.fullmatch(text):
        return False
    tokens = list(classify(text, 0, len(text), lexicon or load_lexicon()))
    words = [token for token in tokens if token.kind == WORD]
    initials = sum(token.kind == INITIAL for token in tokens)
    if not words or not 2 <= len(words) + initials <= 6:
        return False
    if not all(NAMEISH.fullmatch(text[word.start : word.end]) for word in words):
        return False
    if "," in text and len(words) == 2:
        return _is_family_comma_given(words, text)
    if any(word.roles & (STOP | CUE) for word in words):
        return False
    if any(map(is_sure, words)):
        return True
    romanized = any(_ROMANIZED.fullmatch(text[w.start : w.end]) for w in words)
    return romanized and any(word.roles & (GIVEN | FAMILY) for word in words)


def _is_family_comma_given(words: Sequence[Token], text: str) -> bool:
    """Judge ``Family, Given``: both dictionary names, or a short family name.

    The comma order is rare outside names, so two names that are also words
    (``King, Hope``) pass, and so does a short family name that is an
    English word (``He, Xin``) before a sure given name.
    """
    family, given = words
    if not given.after_comma or given.roles & (STOP | CUE):
        return False
    if family.roles & CUE or family.shape == LOWER or given.shape == LOWER:
        return False
    if family.roles & STOP:
        is_short = family.end - family.start <= _MAX_SHORT_FAMILY
        return is_short and is_sure(given) and text[family.start].isupper()
    if is_sure(family) or is_sure(given):
        return True
    return bool(family.roles & (GIVEN | FAMILY) and given.roles & (GIVEN | FAMILY))


def pair_score(tokens: Sequence[Token]) -> float | None:
    """Score two to six pieces with no context as one name, or None."""
    first, last = tokens[0], tokens[-1]
    if last.kind != WORD or first.kind in (PARTICLE, TITLE):
        return None
    if first.kind == INITIAL:
        is_initials = all(token.kind == INITIAL for token in tokens[:-1])
        return 0.8 if is_initials and last.roles & FAMILY and is_sure(last) else None

    is_upper = UPPER in (first.shape, last.shape)
    is_ordered = bool(
        (first.roles & GIVEN and last.roles & FAMILY)
        or (first.roles & FAMILY and last.roles & GIVEN)
    )
    sure = is_sure(first) + is_sure(last)
    if is_ordered:
        if sure == 2:
            return 0.8
        return None if is_upper else (0.7, 0.4)[sure == 0]
    if is_upper:
        return None
    if last.after_comma and first.roles & FAMILY and is_sure(first):
        # Family, Given with a given name no dictionary knows
        return 0.6 if not last.roles & (GIVEN | FAMILY | AMBIGUOUS) else None
    if not first.roles & GIVEN or not is_sure(first):
        return None
    if sure == 2:
        return 0.7
    if last.roles & (GIVEN | FAMILY | AMBIGUOUS):
        return None
    if any(token.kind == INITIAL for token in tokens[1:-1]):
        return 0.8
    return 0.7 if last.key.endswith(SURNAME_ENDINGS) else None


def widest(spans: list[Span]) -> list[Span]:
    """Drop each span that lies inside another; the strongest of equals stays."""
    ordered = sorted(spans, key=lambda span: (span.start, -span.end, -span.score))
    kept: list[Span] = []
    for span in ordered:
        if kept and span.start >= kept[-1].start and span.end <= kept[-1].end:
            continue
        kept.append(span)
    return kept
