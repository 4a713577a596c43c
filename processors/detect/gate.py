"""One pass that tells which of many patterns occur in a string.

Hyperscan matches all patterns together in one linear scan. Where it is not
installed (it ships wheels for x86-64), RE2 sets take over: several small
sets, because one RE2 set over every pattern builds a DFA whose states
explode on text it has not seen before, hundreds of microseconds a line.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import re2

from processors.errors import ConfigError

RE2_SET_SIZE = 8
"""Patterns per RE2 set in the fallback; small sets keep their DFAs small."""

RE2_MAX_MEM = 32 << 20


class Gate(Protocol):
    """Report which patterns occur in a UTF-8 string."""

    def match(self, data: bytes) -> list[int]:
        """Return the indexes of the patterns that match somewhere in ``data``."""
        ...


class HyperscanGate:
    """All patterns in one Hyperscan database, each reported at most once.

    Compiling the default patterns takes seconds, so a compiled database is
    kept per process and, given ``cache_dir``, on disk under a name derived
    from the patterns and the Hyperscan version.
    """

    def __init__(self, patterns: Sequence[str], cache_dir: Path | None = None) -> None:
        import hyperscan

        self._hs: Any = hyperscan
        flags = [_hyperscan_flags(hyperscan, p) for p in patterns]
        digest = _digest(patterns, flags, getattr(hyperscan, "__version__", ""))
        database = _COMPILED.get(digest)
        if database is None:
            database = _load(hyperscan, cache_dir, digest)
        if database is None:
            database = _compile(hyperscan, patterns, flags)
            _store(hyperscan, database, cache_dir, digest)
        _COMPILED[digest] = database
        self._db: Any = database
        self._local = threading.local()

    def match(self, data: bytes) -> list[int]:
        """Return the indexes of the patterns that match somewhere in ``data``."""
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            # Hyperscan scratch space is per thread.
            scratch = self._hs.Scratch(self._db)
            self._local.scratch = scratch
        hits: list[int] = []

        def on_match(pattern_id: int, *_: Any) -> None:
            hits.append(pattern_id)

        self._db.scan(data, match_event_handler=on_match, scratch=scratch)
        return hits


class Re2Gate:
    """The patterns in several small RE2 sets, scanned one after another."""

    def __init__(self, patterns: Sequence[str]) -> None:
        self._sets: list[tuple[int, Any]] = []
        options = re2.Options()
        options.max_mem = RE2_MAX_MEM
        for offset in range(0, len(patterns), RE2_SET_SIZE):
            chunk = patterns[offset : offset + RE2_SET_SIZE]
            pattern_set = re2.Set.SearchSet(options)
            for pattern in chunk:
                pattern_set.Add(pattern)
            pattern_set.Compile()
            self._sets.append((offset, pattern_set))

    def match(self, data: bytes) -> list[int]:
        """Return the indexes of the patterns that match somewhere in ``data``."""
        hits: list[int] = []
        for offset, pattern_set in self._sets:
            found = pattern_set.Match(data)
            if found:
                hits.extend(offset + index for index in found)
        return hits


_COMPILED: dict[str, Any] = {}
"""Compiled Hyperscan databases of this process, by digest of their patterns."""


def _hyperscan_flags(hs: Any, pattern: str) -> int:
    flags: int = hs.HS_FLAG_SINGLEMATCH | hs.HS_FLAG_UTF8 | hs.HS_FLAG_ALLOWEMPTY
    # Unicode properties need UCP, which in turn refuses ASCII \b.
    if "\\p" in pattern:
        flags |= hs.HS_FLAG_UCP
    return flags


def _digest(patterns: Sequence[str], flags: Sequence[int], version: str) -> str:
    hasher = hashlib.sha256(version.encode())
    for pattern, flag in zip(patterns, flags, strict=True):
        hasher.update(f"{flag}\x00{pattern}\x00".encode())
    return hasher.hexdigest()[:32]


def _compile(hs: Any, patterns: Sequence[str], flags: Sequence[int]) -> Any:
    database = hs.Database()
    try:
        database.compile(
            expressions=[p.encode("utf-8") for p in patterns],
            ids=list(range(len(patterns))),
            elements=len(patterns),
            flags=list(flags),
        )
    except hs.error as exc:
        raise ConfigError(f"a gate pattern does not compile: {exc}") from exc
    return database


def _load(hs: Any, cache_dir: Path | None, digest: str) -> Any:
    if cache_dir is None:
        return None
    try:
        data = (cache_dir / f"gate-{digest}.hsdb").read_bytes()
        return hs.loadb(data, hs.HS_MODE_BLOCK)
    except (OSError, hs.error):
        # A missing or unreadable cache only costs a compile.
        return None


def _store(hs: Any, database: Any, cache_dir: Path | None, digest: str) -> None:
    if cache_dir is None:
        return
    target = cache_dir / f"gate-{digest}.hsdb"
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(hs.dumpb(database))
        partial.replace(target)
    except OSError:
        return


def compile_gate(patterns: Sequence[str], cache_dir: Path | None = None) -> Gate:
    """Compile ``patterns`` with Hyperscan when installed, else with RE2.

    Args:
        cache_dir: where compiled Hyperscan databases may be kept between
            processes; None keeps them in this process only.
    """
    try:
        import hyperscan  # noqa: F401
    except ImportError:
        return Re2Gate(patterns)
    return HyperscanGate(patterns, cache_dir)
