"""Deterministic tokens: one surrogate per (key, entity type, normalized value).

A token reads ``<SSN:k1:3f9a2c1d8e7b6a50>``: the entity type, the key version
and 64 bits of HMAC-SHA256. It is ASCII, self-delimiting, and no detector
matches it, because the engine masks tokens before it detects.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache

from processors.entities import EntityType
from processors.errors import TokenKeyError
from processors.normalize import normalize

MIN_KEY_BYTES = 16
_SHA256_BLOCK = 64
_TOKEN_CACHE_SIZE = 1 << 16
"""Values repeat across lines (one patient, many log lines); the cache holds
PHI only in the memory of the process that already holds the records."""
TOKEN_HEX_CHARS = 16

TOKEN_RE = re.compile(r"<[A-Z][A-Z0-9_]*:k[0-9]{1,4}:[0-9a-f]{16}>")
"""A token as :meth:`Tokenizer.token` writes it; used to skip tokens."""


@dataclass(frozen=True, slots=True)
class TokenKey:
    """The HMAC secret and its version; ``repr`` never shows the secret."""

    secret: bytes = field(repr=False)
    version: int = 1

    def __post_init__(self) -> None:
        if len(self.secret) < MIN_KEY_BYTES:
            raise TokenKeyError(
                f"token key has {len(self.secret)} bytes, needs at least "
                f"{MIN_KEY_BYTES}: set PHIREWALL_TOKEN_KEY to a longer random "
                "string, e.g. the output of `openssl rand -hex 32`"
            )
        if not 0 < self.version < 10_000:
            raise TokenKeyError(
                f"token key version is {self.version}, expected 1..9999"
            )


class Tokenizer:
    """Turn PHI values into deterministic, typed tokens."""

    def __init__(self, key: TokenKey) -> None:
        self._secret = key.secret
        self._prefix = f":k{key.version}:"
        # HMAC-SHA256 (RFC 2104) with its two keyed states computed once:
        # each token then costs two hash copies instead of a full HMAC set-up.
        block = key.secret
        if len(block) > _SHA256_BLOCK:
            block = hashlib.sha256(block).digest()
        block = block.ljust(_SHA256_BLOCK, b"\0")
        self._inner = hashlib.sha256(bytes(b ^ 0x36 for b in block))
        self._outer = hashlib.sha256(bytes(b ^ 0x5C for b in block))
        self.token = lru_cache(maxsize=_TOKEN_CACHE_SIZE)(self._token)

    def _hmac(self, message: bytes) -> bytes:
        inner = self._inner.copy()
        inner.update(message)
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.digest()

    def _token(self, entity_type: EntityType, value: str) -> str:
        """Return the token for ``value``; equal after normalization, equal token."""
        message = f"{entity_type}\x1f{normalize(entity_type, value)}".encode()
        digest = self._hmac(message)
        return f"<{entity_type}{self._prefix}{digest.hex()[:TOKEN_HEX_CHARS]}>"

    def derive(self, purpose: str, value: str) -> bytes:
        """Return key-derived bytes for ``purpose`` (e.g. a date-shift offset)."""
        return self._hmac(f"{purpose}\x1f{value}".encode())


def token_spans(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) offsets of tokens already present in ``text``."""
    if "<" not in text:
        return []
    return [m.span() for m in TOKEN_RE.finditer(text)]
