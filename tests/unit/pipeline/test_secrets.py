"""Tests of loading the token key from the environment or a file."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.secrets import KEY_ENV, KEY_FILE_ENV, KEY_VERSION_ENV, load_token_key
from processors.errors import TokenKeyError
from processors.tokens import MIN_KEY_BYTES, TokenKey

SECRET = "Zq-unit-test-secret-0123456789abcd"


def test_load_token_key_reads_environment_when_key_variable_is_set() -> None:
    key = load_token_key({KEY_ENV: SECRET})

    assert key == TokenKey(SECRET.encode(), 1)


def test_load_token_key_reads_version_when_version_variable_is_set() -> None:
    key = load_token_key({KEY_ENV: SECRET, KEY_VERSION_ENV: "7"})

    assert key.version == 7


def test_load_token_key_reads_stripped_file_when_file_variable_is_set(
    tmp_path: Path,
) -> None:
    path = tmp_path / "token.key"
    path.write_bytes(SECRET.encode() + b"\n")

    key = load_token_key({KEY_FILE_ENV: str(path)})

    assert key.secret == SECRET.encode()


def test_load_token_key_prefers_environment_when_both_variables_are_set(
    tmp_path: Path,
) -> None:
    path = tmp_path / "token.key"
    path.write_bytes(b"Zq-secret-from-the-file-0123456789")

    key = load_token_key({KEY_ENV: SECRET, KEY_FILE_ENV: str(path)})

    assert key.secret == SECRET.encode()


def test_load_token_key_reads_file_when_key_variable_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "token.key"
    path.write_bytes(SECRET.encode())

    key = load_token_key({KEY_ENV: "", KEY_FILE_ENV: str(path)})

    assert key.secret == SECRET.encode()


@pytest.mark.parametrize(
    "env",
    [
        pytest.param({}, id="nothing-set"),
        pytest.param({KEY_ENV: ""}, id="empty-key"),
        pytest.param({KEY_VERSION_ENV: "2"}, id="only-version"),
    ],
)
def test_load_token_key_names_both_variables_when_no_key_is_set(
    env: dict[str, str],
) -> None:
    with pytest.raises(TokenKeyError) as raised:
        load_token_key(env)

    message = str(raised.value)
    assert KEY_ENV in message
    assert KEY_FILE_ENV in message
    assert str(MIN_KEY_BYTES) in message


def test_load_token_key_raises_when_key_file_holds_only_blanks(tmp_path: Path) -> None:
    path = tmp_path / "token.key"
    path.write_bytes(b"  \n")

    with pytest.raises(TokenKeyError, match=KEY_FILE_ENV):
        load_token_key({KEY_FILE_ENV: str(path)})


@pytest.mark.parametrize("kind", ["missing", "directory"])
def test_load_token_key_raises_with_fix_when_key_file_is_unreadable(
    tmp_path: Path, kind: str
) -> None:
    path = tmp_path / "absent.key" if kind == "missing" else tmp_path

    with pytest.raises(TokenKeyError) as raised:
        load_token_key({KEY_FILE_ENV: str(path)})

    assert KEY_FILE_ENV in str(raised.value)
    assert "readable file" in str(raised.value)
    assert raised.value.__cause__ is None


@pytest.mark.parametrize(
    "source", ["environment", "file"], ids=["from-environment", "from-file"]
)
def test_load_token_key_raises_without_the_key_when_key_is_short(
    tmp_path: Path, source: str
) -> None:
    short = "Zq-short-key"
    path = tmp_path / "token.key"
    path.write_text(short)
    env = {KEY_ENV: short} if source == "environment" else {KEY_FILE_ENV: str(path)}

    with pytest.raises(TokenKeyError) as raised:
        load_token_key(env)

    assert short not in str(raised.value)
    assert f"{len(short)} bytes" in str(raised.value)


@pytest.mark.parametrize(
    ("version", "match"),
    [
        pytest.param("two", "must be an integer", id="word"),
        pytest.param("1.5", "must be an integer", id="decimal"),
        pytest.param("0", "expected 1..9999", id="zero"),
        pytest.param("10000", "expected 1..9999", id="too-big"),
    ],
)
def test_load_token_key_raises_when_version_is_bad(version: str, match: str) -> None:
    with pytest.raises(TokenKeyError, match=match) as raised:
        load_token_key({KEY_ENV: SECRET, KEY_VERSION_ENV: version})

    assert SECRET not in str(raised.value)
    assert raised.value.__cause__ is None
