"""Person names in free text, found through titles, context words and dictionaries."""

from __future__ import annotations

import re
from typing import Final, Protocol

import re2

from processors.detect.namecues import (
    FOLLOW_GATE,
    LEAD_GATE,
    after_leads,
    before_identifiers,
    looks_like_person_name,
    pair_score,
    widest,
)
from processors.detect.namedata import (
    AMBIGUOUS,
    CAPITALIZED,
    CUE,
    CUE_ANCHORS,
    FAMILY,
    GIVEN,
    INITIAL,
    LOWER,
    LOWER_CLASS,
    NAMEISH,
    PARTICLE,
    PARTICLES,
    STOP,
    TITLE,
    TITLES,
    UPPER_CLASS,
    WORD,
    NameLexicon,
    Token,
    classify,
    cue_words,
    fold,
    is_set_apart,
    is_sure,
    load_lexicon,
)
from processors.entities import EntityType
from processors.spans import Span

__all__ = ["NameDetector", "looks_like_person_name"]

_UP: Final = UPPER_CLASS
_LO: Final = LOWER_CLASS

_PARTICLE: Final = "|".join(sorted(PARTICLES, key=len, reverse=True))

# One capitalized or all-caps word of a name, as Python ``re`` verbose syntax.
# Every repetition is bounded, so one match attempt costs at most a few hundred
# steps and a scan stays linear in the input.
_WORD: Final = rf"""
    [{_UP}]
    (?: [{_LO}]{{1,30}}(?:[{_UP}][{_LO}]{{1,30}})?\.?  # Smith McKay DeShawn Dr.
      | ['’][{_UP}](?:[{_LO}]{{1,30}}|[{_UP}]{{1,30}})  # O'Brien D'ANGELO
      | [{_UP}]{{1,30}}\.?                            # SMITH MRS.
      | \.                                            # J.
    )
    (?:-[{_UP}]?[{_LO}]{{1,30}}|-[{_UP}]{{1,30}}){{0,2}}  # Smith-Jones Min-jun
"""

_RUN: Final = re.compile(
    rf"""
    {_WORD}
    (?:
        ,?[ ]                                 # a space, or ", " in Last, First
        (?:(?=[a-z])(?:{_PARTICLE})[ ]){{0,3}}  # de la, van der
        (?:[ae]l-)?                           # el-Amin
        {_WORD}
    ){{1,5}}
    """,
    re.VERBOSE,
)
"""Two to six words that may be a name, each starting with a capital."""

_TAIL: Final = re.compile(
    r"""
    [ \t]*(?:[:=][ \t]*)?["'(]?               # name: "…   name=…   patient (…
    (?P<name>
        [^\W\d_](?:[^\s,;:=()"'<>{}\[\]|/\\]|['’](?=[^\W\d_])){0,40}  # word
        (?:,?[ ][^\W\d_](?:[^\s,;:=()"'<>{}\[\]|/\\]|['’](?=[^\W\d_])){0,40}){0,5}
    )
    """,
    re.VERBOSE,
)
"""The words after a context word, in the original text."""

_GLUE_BEFORE: Final = frozenset("_.@/\\-#$%&*+~`0123456789")
_GLUE_AFTER: Final = frozenset("._@/\\-")

_PREFILTER_RUN: Final = (
    r"(?:^|[^\pL\pN_])\p{Lu}(?:[\p{L}'’]+|\.)[\p{L}.\-]*,? "
    r"(?:\p{Ll}{1,5} ){0,3}(?:[ae]l-)?\p{Lu}[\p{L}.'’]"
)
_PREFILTER_CUE: Final = (
    r"(?i)(?:^|[^\pL\pN])(?:{})(?:[ \t]*[:=(][ \t]*|[ \t]+)[\"']?\pL"
)
"""A context word, a separator and a letter; one pattern per word."""
_PREFILTER_CUES: Final = (r"(?:[a-z]+[_.\-]?)?name", *CUE_ANCHORS)


class _Set(Protocol):
    def Add(self, pattern: str) -> int: ...  # noqa: N802 - RE2's own names
    def Compile(self) -> None: ...  # noqa: N802
    def Match(self, text: str) -> list[int] | None: ...  # noqa: N802


GATE_PATTERNS: Final = (
    _PREFILTER_RUN,
    *(_PREFILTER_CUE.format(cue) for cue in _PREFILTER_CUES),
    FOLLOW_GATE,
    LEAD_GATE,
)
"""Everything :class:`NameDetector` can report lies where one of these matches.

In order: the run, keys ending in ``name``, ``CUE_ANCHORS``, a person
identifier after a name, a lower-case name after a lead word."""
_FOLLOW_SLOT: Final = len(GATE_PATTERNS) - 2
_LEAD_SLOT: Final = len(GATE_PATTERNS) - 1


def _prefilter() -> _Set:
    """Compile the gate patterns into one linear-time RE2 set."""
    prefilter: _Set = re2.Set.SearchSet(re2.Options())
    for pattern in GATE_PATTERNS:
        prefilter.Add(pattern)
    prefilter.Compile()
    return prefilter


_PREFILTER: Final = _prefilter()


_SURE_SCORE: Final = 0.7  # a name found this sure needs no second look


def _is_family_after_given(given: Token, family: Token) -> bool:
    """Return True for ``DAVID YOUNG``: a family name that is also a word."""
    return (
        family.kind == WORD
        and bool(family.roles & FAMILY)
        and bool(given.roles & GIVEN)
        and is_sure(given)
    )


_MAX_PARTICLE_CHARS: Final = 8
"""Longer than any particle plus its space, so a look back stays short."""


class _Finder:
    """The spans of one string; one instance per ``detect`` call."""

    def __init__(self, detector: str, text: str, lexicon: NameLexicon) -> None:
        self.detector = detector
        self.text = text
        self.lexicon = lexicon
        self.spans: list[Span] = []

    def add(self, first: Token, last: Token, score: float) -> None:
        self.spans.append(
            Span(EntityType.PERSON, first.start, last.end, self.detector, score)
        )

    def run(self, start: int, end: int) -> None:
        """Find names in one run of capitalized words."""
        if not self._may_hold_name(start, end):
            return
        tokens = list(classify(self.text, start, end, self.lexicon))
        if start and self.text[start - 1] in _GLUE_BEFORE:
            del tokens[:1]
        following = self.text[end : end + 2]
        if following[:1] in _GLUE_AFTER and following[1:].isalnum():
            del tokens[-1:]

        segment: list[Token] = []
        title: Token | None = None
        for token in tokens:
            breaks = token.kind == TITLE or token.roles & (STOP | CUE)
            if breaks or (token.after_comma and any(t.after_comma for t in segment)):
                self.segment(segment, title)
                segment = [] if breaks else [token]
                title = token if token.kind == TITLE else None
            else:
                segment.append(token)
        self.segment(segment, title)

    def _may_hold_name(self, start: int, end: int) -> bool:
        """Return False, cheaply, for a run with neither a title nor a known name."""
        lexicon = self.lexicon
        for word in self.text[start:end].replace(",", " ").split():
            key = fold(word.rstrip("."))
            if key in TITLES or key in lexicon.given or key in lexicon.family:
                return True
            if "-" in key or "'" in key:  # parts are judged one by one later
                return True
        return False

    def segment(self, tokens: list[Token], title: Token | None) -> None:
        """Find names in pieces with no stop word, after a title or not."""
        if title is not None:
            self.titled(tokens, title)
            return
        index = 0
        while index < len(tokens) - 1:
            for last in range(min(len(tokens) - 1, index + 5), index, -1):
                score = pair_score(tokens[index : last + 1])
                if score is not None:
                    first = index
                    while first and tokens[first - 1].kind == PARTICLE:
                        first -= 1
                    if not first:
                        first_token = self._with_particles_before(tokens[0])
                    else:
                        first_token = tokens[first]
                    self.add(first_token, tokens[last], score)
                    index = last
                    break
            index += 1

    def _with_particles_before(self, token: Token) -> Token:
        """Extend ``token`` back over lower-case particles: ``de la Cruz``."""
        start = token.start
        for _ in range(3):
            window = self.text[max(0, start - _MAX_PARTICLE_CHARS) : start]
            word = window[:-1].rpartition(" ")[2]
            before = start - len(word) - 1
            if not window.endswith(" ") or word not in PARTICLES:
                break
            if before > 0 and self.text[before - 1].isalnum():
                break
            start = before
        return token._replace(start=start)

    def titled(self, tokens: list[Token], title: Token) -> None:
        """Take the name after a title: its first word, then known names."""
        taken: list[Token] = []
        for token in tokens[:5]:
            previous = taken[-1].roles if taken else 0
            is_double = "-" in self.text[token.start : token.end]
            if (
                taken
                and token.kind == WORD
                and not (token.roles & (GIVEN | FAMILY) or previous & GIVEN)
                and not (is_double and token.shape != LOWER and len(taken) == 1)
            ):
                break
            taken.append(token)
        while taken and taken[-1].kind != WORD:
            taken.pop()
        if not taken:
            return
        is_miss = self.text[title.start : title.end].lower() == "miss"
        names = [token for token in taken if token.roles & (GIVEN | FAMILY)]
        if is_miss and len(names) < 2 and not any(map(is_sure, names)):
            return
        self.add(taken[0], taken[-1], 1.0)

    def cue(self, end: int, is_strong: bool) -> None:
        """Find a name right after a context word ending at ``end``."""
        tail = _TAIL.match(self.text, end)
        if tail is None:
            return
        taken: list[Token] = []
        pending: list[Token] = []
        has_title = False
        for token in classify(self.text, *tail.span("name"), self.lexicon):
            piece = self.text[token.start : token.end]
            if token.kind == TITLE and not taken and not pending:
                has_title = True
                continue
            if token.kind in (PARTICLE, INITIAL):
                pending.append(token)
                continue
            if not NAMEISH.fullmatch(piece) or not self.accepts(
                token, taken, is_strong or has_title
            ):
                if is_strong and is_set_apart(self.text, token, taken, end):
                    taken += [*pending, token]
                    pending.clear()
                    continue
                break
            if token.roles & AMBIGUOUS and token.shape != CAPITALIZED:
                pending.append(token)
                continue
            taken += pending
            pending.clear()
            taken.append(token)
            if len(taken) >= 5:
                break
        if pending and taken and _is_family_after_given(taken[-1], pending[0]):
            taken.append(pending[0])
        self.cued(taken, is_strong, has_title)

    @staticmethod
    def accepts(token: Token, taken: list[Token], is_strong: bool) -> bool:
        """Return True when a word after a context word continues the name."""
        if token.roles & (STOP | CUE):
            return False
        if token.after_comma:
            # Last, First: one word before the comma, a name after it.
            is_name = token.roles & (GIVEN | FAMILY) or (
                is_strong and token.shape == CAPITALIZED
            )
            return len(taken) == 1 and bool(is_name)
        if token.roles & (GIVEN | FAMILY | AMBIGUOUS):
            return True
        if token.shape != CAPITALIZED:
            return False
        return is_strong or any(is_sure(t) and t.roles & GIVEN for t in taken)

    def cued(self, taken: list[Token], is_strong: bool, has_title: bool) -> None:
        """Score the words taken after a context word."""
        words = [token for token in taken if token.kind == WORD]
        if not words:
            return
        if any(is_sure(word) for word in words) or has_title:
            score = 1.0 if is_strong or has_title or len(words) > 1 else 0.7
        elif is_strong and any(not word.roles & AMBIGUOUS for word in words):
            score = 0.6
        else:
            return
        self.add(taken[0], taken[-1], score)


class NameDetector:
    """Find person names (PERSON) in the free text of log messages.

    A name is found after a title (``Dr. Okafor``), after a context word
    (``patient john smith``, ``name=Garcia, Maria``), or as two to six
    capitalized words whose ends are a given and a family name in the
    dictionaries. Words that are common English or log vocabulary count only
    beside a context word or a sure name.
    """

    name = "names"
    version = "1"

    def __init__(self, lexicon: NameLexicon | None = None) -> None:
        """Keep ``lexicon``, or load the packaged dictionaries on first use."""
        self._lexicon = lexicon

    @property
    def lexicon(self) -> NameLexicon:
        """The dictionaries, loaded on first use."""
        if self._lexicon is None:
            self._lexicon = load_lexicon()
        return self._lexicon

    def detect(self, text: str) -> list[Span]:
        """Return the names in ``text``; their titles are left out of the spans."""
        hits = _PREFILTER.Match(text)
        if not hits:
            return []
        finder = _Finder(self.name, text, self.lexicon)
        anchors = [CUE_ANCHORS[hit - 2] for hit in hits if 1 < hit < _FOLLOW_SLOT]
        if anchors or 1 in hits:
            self._cues(finder, anchors)
        if 0 in hits:
            for match in _RUN.finditer(text):
                finder.run(*match.span())
        return widest(finder.spans + self._around(text, hits, finder.spans))

    def _around(self, text: str, hits: list[int], spans: list[Span]) -> list[Span]:
        """Find names told by a lead word before them or an identifier after."""
        found = [(s.start, s.end, s.score) for s in spans if s.score >= _SURE_SCORE]
        known = len(found)
        if _FOLLOW_SLOT in hits:
            ends = frozenset(end for _, end, _ in found)
            found += before_identifiers(text, self.lexicon, ends)
        if 0 in hits or _LEAD_SLOT in hits:
            starts = frozenset(s for s, _, p in found if p >= _SURE_SCORE)
            found += after_leads(text, self.lexicon, starts)
        found = found[known:]
        return [Span(EntityType.PERSON, s, e, self.name, p) for s, e, p in found]

    @staticmethod
    def _cues(finder: _Finder, anchors: list[str]) -> None:
        lowered = finder.text.lower()
        if len(lowered) != len(finder.text):
            return
        strong_end = -2
        for start, end, is_strong in sorted(cue_words(lowered, anchors)):
            # "patient name: ..." is as strong as "patient: ..."
            is_strong = is_strong or start - strong_end <= 1
            finder.cue(end, is_strong)
            strong_end = end if is_strong else -2
