"""Tests of verbose patterns for RE2: what is stripped and what is kept."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from processors.detect.rx import compile_verbose, verbose

STRIPPED = [
    pytest.param("a b\tc\n d", "abcd", id="whitespace"),
    pytest.param("a  # a comment\n  b", "ab", id="comment-to-line-end"),
    pytest.param("ab # trailing comment", "ab", id="comment-at-end"),
    pytest.param("# only a comment\n", "", id="only-comment"),
    pytest.param("[ #]x", "[ #]x", id="blank-and-hash-in-class"),
    pytest.param("[^ \t] +", "[^ \t]+", id="negated-class"),
    pytest.param(r"a\ b", r"a\ b", id="escaped-blank"),
    pytest.param(r"a\#b # comment", r"a\#b", id="escaped-hash"),
    pytest.param("[]a ] x", "[]a ]x", id="bracket-first-in-class"),
    pytest.param("[^]a ] x", "[^]a ]x", id="bracket-first-in-negated-class"),
    pytest.param(r"[\] ] x", r"[\] ]x", id="escaped-bracket-in-class"),
    pytest.param(r"[a-z] [0-9]", "[a-z][0-9]", id="two-classes"),
    pytest.param("x\\", "x\\", id="trailing-backslash"),
]


@pytest.mark.parametrize(("pattern", "expected"), STRIPPED)
def test_verbose_strips_blanks_and_comments_when_outside_classes(
    pattern: str, expected: str
) -> None:
    assert verbose(pattern) == expected


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        pytest.param(r"[\[] a # x", r"[\[]a", id="escaped-open-bracket"),
        pytest.param(r"[^\[] a # x", r"[^\[]a", id="negated-escaped-open-bracket"),
        pytest.param(r"[a\[] b", r"[a\[]b", id="escaped-open-bracket-last"),
    ],
)
def test_verbose_closes_class_when_class_ends_with_escaped_open_bracket(
    pattern: str, expected: str
) -> None:
    assert verbose(pattern) == expected


# --- A property over generated verbose patterns -------------------------------

ATOMS = st.sampled_from(
    [
        "abc",
        "[0-9]{3}",
        "[ #]",
        "[^ \\t,]+",
        r"\ ",
        r"\#",
        r"\.",
        "(?:",
        ")",
        "|",
        "[]x]",
        "[^]y]",
        "\\d+",
    ]
)
GAPS = st.sampled_from(["", " ", "\n", "\t  ", "  # says why\n", " # x #y\n   "])


@settings(max_examples=150, deadline=None)
@given(parts=st.lists(st.tuples(ATOMS, GAPS), max_size=12))
def test_verbose_returns_atoms_only_when_atoms_are_separated_by_blanks_and_comments(
    parts: list[tuple[str, str]],
) -> None:
    pattern = "".join(atom + gap for atom, gap in parts)

    assert verbose(pattern) == "".join(atom for atom, _ in parts)


# --- Compiling ----------------------------------------------------------------

AREA_GROUP_SERIAL = r"""
    [0-9]{3}    # area
    [-\ ]       # a dash or a blank between the groups
    [0-9]{2}    # group
    [-\ ]
    [0-9]{4}    # serial
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("ssn 123-45-6789 ok", "123-45-6789", id="dashes"),
        pytest.param("ssn 123 45 6789 ok", "123 45 6789", id="blanks"),
        pytest.param("ssn 123456789 ok", None, id="no-separator"),
    ],
)
def test_compile_verbose_matches_like_its_compact_form_when_compiled(
    text: str, expected: str | None
) -> None:
    regex = compile_verbose(AREA_GROUP_SERIAL)

    match = regex.search(text)

    assert (match.group(0) if match else None) == expected


def test_compile_verbose_returns_cached_regex_when_pattern_repeats() -> None:
    assert compile_verbose(AREA_GROUP_SERIAL) is compile_verbose(AREA_GROUP_SERIAL)
