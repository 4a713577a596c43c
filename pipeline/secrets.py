"""Load the token key from the environment or a file, never logging it."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from processors.errors import TokenKeyError
from processors.tokens import TokenKey

KEY_ENV = "PHIREWALL_TOKEN_KEY"
KEY_FILE_ENV = "PHIREWALL_TOKEN_KEY_FILE"
KEY_VERSION_ENV = "PHIREWALL_TOKEN_KEY_VERSION"


def load_token_key(env: Mapping[str, str]) -> TokenKey:
    """Return the token key named by ``env``.

    Raises:
        TokenKeyError: neither variable is set, the file is unreadable, the
            key is too short, or the version is not a number.
    """
    secret: bytes | None = None
    if env.get(KEY_ENV):
        secret = env[KEY_ENV].encode("utf-8")
    elif env.get(KEY_FILE_ENV):
        path = Path(env[KEY_FILE_ENV])
        try:
            secret = path.read_bytes().strip()
        except OSError as exc:
            raise TokenKeyError(
                f"cannot read {KEY_FILE_ENV} ({exc.strerror}); point it at a "
                "readable file holding the key"
            ) from None
    if not secret:
        raise TokenKeyError(
            f"no token key: set {KEY_ENV} to a random secret of at least 16 "
            f"bytes (e.g. `export {KEY_ENV}=$(openssl rand -hex 32)`), or "
            f"{KEY_FILE_ENV} to a file holding one"
        )
    raw_version = env.get(KEY_VERSION_ENV, "1")
    try:
        version = int(raw_version)
    except ValueError:
        raise TokenKeyError(
            f"{KEY_VERSION_ENV} must be an integer, got {len(raw_version)} chars"
        ) from None
    return TokenKey(secret, version)
