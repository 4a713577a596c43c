"""Tests of deterministic tokens: shape, determinism, equivalences and the HMAC."""

from __future__ import annotations

import hashlib
import hmac
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from processors.entities import EntityType
from processors.errors import TokenKeyError
from processors.tokens import MIN_KEY_BYTES, Tokenizer, TokenKey, token_spans

SECRET = b"unit-test-token-secret-0123456789"
OTHER_SECRET = b"unit-test-other-secret-9876543210"

# Written from the design ("<TYPE:kN:16 hex>"), not from the module's own regex.
TOKEN_SHAPE = re.compile(
    r"<(?P<type>[A-Z][A-Z0-9_]*):k(?P<version>[0-9]+):[0-9a-f]{16}>"
)


@pytest.fixture(scope="module")
def tokenizer() -> Tokenizer:
    return Tokenizer(TokenKey(SECRET))


# --- Shape --------------------------------------------------------------------


@pytest.mark.parametrize("entity_type", list(EntityType), ids=str)
def test_token_reads_type_version_and_16_hex_when_built(
    tokenizer: Tokenizer, entity_type: EntityType
) -> None:
    token = tokenizer.token(entity_type, "Maria Garcia 123-45-6789")

    match = TOKEN_SHAPE.fullmatch(token)
    assert match is not None, token
    assert match["type"] == entity_type.value
    assert match["version"] == "1"


@pytest.mark.parametrize("version", [1, 7, 42, 9999], ids=lambda v: f"k{v}")
def test_token_carries_key_version_when_key_has_version(version: int) -> None:
    token = Tokenizer(TokenKey(SECRET, version)).token(EntityType.SSN, "123-45-6789")

    match = TOKEN_SHAPE.fullmatch(token)
    assert match is not None
    assert match["version"] == str(version)


def test_token_is_first_64_bits_of_hmac_when_value_is_canonical(
    tokenizer: Tokenizer,
) -> None:
    # Tokens must stay stable across releases, or correlation with tokens
    # already written breaks: pin the derivation (type, unit separator,
    # canonical value) against the standard library.
    expected = hmac.new(SECRET, b"SSN\x1f123456789", hashlib.sha256).hexdigest()[:16]

    assert tokenizer.token(EntityType.SSN, "123456789") == f"<SSN:k1:{expected}>"


# --- Determinism and separation -----------------------------------------------


def test_token_is_equal_when_two_tokenizers_share_a_key() -> None:
    first = Tokenizer(TokenKey(SECRET)).token(EntityType.MRN, "MRN0012345")
    second = Tokenizer(TokenKey(bytes(SECRET))).token(EntityType.MRN, "MRN0012345")

    assert first == second


@pytest.mark.parametrize(
    ("key", "entity_type"),
    [
        pytest.param(TokenKey(OTHER_SECRET), EntityType.MRN, id="other-secret"),
        pytest.param(TokenKey(SECRET, 2), EntityType.MRN, id="other-version"),
        pytest.param(TokenKey(SECRET), EntityType.MEMBER_ID, id="other-type"),
    ],
)
def test_token_differs_when_key_version_or_type_differs(
    tokenizer: Tokenizer, key: TokenKey, entity_type: EntityType
) -> None:
    baseline = tokenizer.token(EntityType.MRN, "MRN0012345")

    other = Tokenizer(key).token(entity_type, "MRN0012345")

    assert other != baseline


@pytest.mark.parametrize(
    ("key", "entity_type"),
    [
        pytest.param(TokenKey(OTHER_SECRET), EntityType.MRN, id="other-secret"),
        pytest.param(TokenKey(SECRET), EntityType.MEMBER_ID, id="other-type"),
    ],
)
def test_token_hash_differs_when_secret_or_type_differs(
    tokenizer: Tokenizer, key: TokenKey, entity_type: EntityType
) -> None:
    # The version is a label of the secret; the secret and the type must
    # change the 64 hash bits themselves, not only the readable prefix.
    baseline = tokenizer.token(EntityType.MRN, "MRN0012345")

    other = Tokenizer(key).token(entity_type, "MRN0012345")

    assert other[-17:] != baseline[-17:]


@settings(max_examples=60, deadline=None)
@given(
    first=st.text(alphabet="0123456789", min_size=9, max_size=9),
    second=st.text(alphabet="0123456789", min_size=9, max_size=9),
)
def test_token_differs_when_canonical_values_differ(first: str, second: str) -> None:
    tokenizer = Tokenizer(TokenKey(SECRET))

    same = tokenizer.token(EntityType.SSN, first) == tokenizer.token(
        EntityType.SSN, second
    )

    assert same is (first == second)


# --- Equivalences through normalization ---------------------------------------

EQUIVALENT_SPELLINGS = [
    pytest.param(EntityType.SSN, "123-45-6789", "123456789", id="ssn-dashes"),
    pytest.param(EntityType.SSN, "123 45 6789", "123-45-6789", id="ssn-spaces"),
    pytest.param(
        EntityType.PHONE, "(217) 555-0143", "+1 217-555-0143", id="phone-e164"
    ),
    pytest.param(EntityType.PHONE, "(217) 555-0143", "217.555.0143", id="phone-dots"),
    pytest.param(EntityType.PHONE, "1-217-555-0143", "2175550143", id="phone-trunk-1"),
    pytest.param(
        EntityType.PHONE, "217-555-0143 ext. 12", "217-555-0143", id="phone-extension"
    ),
    pytest.param(
        EntityType.PHONE, "+44 (0)20 7946 0018", "+44 20 7946 0018", id="phone-uk-0"
    ),
    pytest.param(
        EntityType.EMAIL,
        "Maria.Garcia@Example.COM",
        "maria.garcia@example.com",
        id="email-case",
    ),
    pytest.param(
        EntityType.EMAIL, " maria@example.com ", "maria@example.com", id="email-blank"
    ),
    pytest.param(EntityType.PERSON, "Garcia, Maria", "Maria Garcia", id="person-comma"),
    pytest.param(EntityType.PERSON, "MARIA GARCIA", "Maria Garcia", id="person-upper"),
    pytest.param(
        EntityType.PERSON, "Ms. Maria Garcia", "Maria Garcia", id="person-title"
    ),
    pytest.param(
        EntityType.PERSON, "Dr. Garcia, Maria", "maria  garcia", id="person-title-comma"
    ),
    pytest.param(EntityType.DATE, "March 3, 1961", "1961-03-03", id="date-month-name"),
    pytest.param(EntityType.DATE, "03/03/1961", "1961-03-03", id="date-us-slashes"),
    pytest.param(EntityType.DATE, "3 Mar 1961", "03/03/1961", id="date-day-month"),
    # US slashes read month first, European dots day first: one day, 4 March.
    pytest.param(EntityType.DATE, "03/04/1961", "04.03.1961", id="date-us-vs-dots"),
    pytest.param(EntityType.MRN, "mrn-0012345", "MRN0012345", id="mrn-case-dash"),
    pytest.param(
        EntityType.ADDRESS, "12  Elm   Street", "12 elm street", id="address-spaces"
    ),
]


@pytest.mark.parametrize(("entity_type", "first", "second"), EQUIVALENT_SPELLINGS)
def test_token_is_equal_when_spellings_are_equivalent(
    tokenizer: Tokenizer, entity_type: EntityType, first: str, second: str
) -> None:
    assert tokenizer.token(entity_type, first) == tokenizer.token(entity_type, second)


DISTINCT_VALUES = [
    pytest.param(EntityType.SSN, "123-45-6789", "123-45-6780", id="ssn-last-digit"),
    pytest.param(EntityType.PHONE, "(217) 555-0143", "(217) 555-0144", id="phone"),
    pytest.param(EntityType.PERSON, "Maria Garcia", "Mario Garcia", id="person"),
    pytest.param(EntityType.DATE, "March 3, 1961", "March 4, 1961", id="date"),
]


@pytest.mark.parametrize(("entity_type", "first", "second"), DISTINCT_VALUES)
def test_token_differs_when_values_differ(
    tokenizer: Tokenizer, entity_type: EntityType, first: str, second: str
) -> None:
    assert tokenizer.token(entity_type, first) != tokenizer.token(entity_type, second)


# --- The HMAC -----------------------------------------------------------------


@pytest.mark.parametrize(
    "key_length",
    [MIN_KEY_BYTES, 63, 64, 65, 200],
    ids=["minimum", "below-block", "one-block", "above-block", "hashed"],
)
def test_hmac_equals_stdlib_when_key_length_crosses_block_size(key_length: int) -> None:
    secret = bytes((i * 7 + 3) % 256 for i in range(key_length))
    message = b"PERSON\x1fmaria garcia"

    ours = Tokenizer(TokenKey(secret))._hmac(message)

    assert ours == hmac.digest(secret, message, "sha256")


@settings(max_examples=150, deadline=None)
@given(
    secret=st.one_of(
        st.binary(min_size=MIN_KEY_BYTES, max_size=63),
        st.binary(min_size=64, max_size=64),
        st.binary(min_size=65, max_size=300),
    ),
    message=st.binary(max_size=300),
)
def test_hmac_equals_stdlib_when_key_and_message_are_arbitrary(
    secret: bytes, message: bytes
) -> None:
    tokenizer = Tokenizer(TokenKey(secret))

    assert tokenizer._hmac(message) == hmac.digest(secret, message, "sha256")
    # The precomputed states are copied, not consumed: a second call agrees.
    assert tokenizer._hmac(message) == hmac.digest(secret, message, "sha256")


def test_derive_is_hmac_of_purpose_and_value_when_called(tokenizer: Tokenizer) -> None:
    derived = tokenizer.derive("date_shift", "PERSON:<PERSON:k1:0011223344556677>")

    expected = hmac.digest(
        SECRET, b"date_shift\x1fPERSON:<PERSON:k1:0011223344556677>", "sha256"
    )
    assert derived == expected
    assert tokenizer.derive("other", "x") != tokenizer.derive("date_shift", "x")


# --- The key ------------------------------------------------------------------


@pytest.mark.parametrize(
    "secret",
    [b"Zq7shortsecret", b"Zq7", b"Zq7" + b"x" * (MIN_KEY_BYTES - 4)],
    ids=["fourteen-bytes", "three-bytes", "one-short"],
)
def test_token_key_raises_without_the_key_when_key_is_short(secret: bytes) -> None:
    with pytest.raises(TokenKeyError) as raised:
        TokenKey(secret)

    message = str(raised.value)
    assert secret.decode() not in message
    assert str(len(secret)) in message
    assert str(MIN_KEY_BYTES) in message
    assert "PHIREWALL_TOKEN_KEY" in message


def test_token_key_raises_when_key_is_empty() -> None:
    with pytest.raises(TokenKeyError, match="0 bytes"):
        TokenKey(b"")


@pytest.mark.parametrize("version", [0, -1, 10_000], ids=["zero", "negative", "big"])
def test_token_key_raises_when_version_is_out_of_range(version: int) -> None:
    with pytest.raises(TokenKeyError, match="version"):
        TokenKey(SECRET, version)


def test_token_key_repr_hides_secret_when_printed() -> None:
    key = TokenKey(SECRET, 3)

    shown = f"{key!r} {key}"

    assert SECRET.decode() not in shown
    assert SECRET.hex() not in shown
    assert "version=3" in shown


# --- Finding tokens in text ---------------------------------------------------


def test_token_spans_finds_every_token_when_text_mixes_tokens_and_words(
    tokenizer: Tokenizer,
) -> None:
    person = tokenizer.token(EntityType.PERSON, "Maria Garcia")
    ssn = Tokenizer(TokenKey(SECRET, 12)).token(EntityType.SSN, "123-45-6789")
    text = f"patient={person} ssn={ssn} ok"

    spans = token_spans(text)

    assert [text[start:end] for start, end in spans] == [person, ssn]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("no markup here", id="no-angle-bracket"),
        pytest.param("<SSN:k1:0011223344556677", id="unterminated"),
        pytest.param("<SSN:k1:00112233445566>", id="short-hex"),
        pytest.param("<SSN:k1:00112233445566AB>", id="upper-hex"),
        pytest.param("<SSN:1:0011223344556677>", id="no-k"),
        pytest.param("<ssn:k1:0011223344556677>", id="lower-type"),
        pytest.param("<SSN>", id="redact-label"),
    ],
)
def test_token_spans_is_empty_when_text_holds_no_token(text: str) -> None:
    assert token_spans(text) == []


@settings(max_examples=60, deadline=None)
@given(
    before=st.text(alphabet=st.characters(exclude_characters="<>"), max_size=20),
    after=st.text(alphabet=st.characters(exclude_characters="<>"), max_size=20),
    value=st.text(min_size=1, max_size=20),
    entity_type=st.sampled_from(list(EntityType)),
)
def test_token_spans_locates_token_when_embedded_in_any_text(
    before: str, after: str, value: str, entity_type: EntityType
) -> None:
    token = Tokenizer(TokenKey(SECRET)).token(entity_type, value)
    text = f"{before}{token}{after}"

    assert token_spans(text) == [(len(before), len(before) + len(token))]
