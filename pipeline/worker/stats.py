"""Counters of the worker, for logs now and for the metrics exporter later."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field


@dataclass(slots=True)
class BatchTally:
    """What one batch produced; it counts only once its transaction commits."""

    records: int = 0
    sanitized: int = 0
    with_phi: int = 0
    restricted: int = 0
    audit: int = 0
    quarantined: Counter[str] = field(default_factory=Counter)
    """Quarantined records by reason."""


class WorkerStats:
    """Totals over committed batches; safe to read from another thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._totals: Counter[str] = Counter()
        self._quarantined: Counter[str] = Counter()

    def add_batch(self, tally: BatchTally) -> None:
        """Add a committed batch."""
        with self._lock:
            self._totals["batches_committed"] += 1
            self._totals["records"] += tally.records
            self._totals["sanitized"] += tally.sanitized
            self._totals["with_phi"] += tally.with_phi
            self._totals["restricted"] += tally.restricted
            self._totals["audit"] += tally.audit
            self._totals["quarantined"] += sum(tally.quarantined.values())
            self._quarantined.update(tally.quarantined)

    def add_event(self, name: str) -> None:
        """Count one event: ``batches_aborted``, ``producer_restarts``, ..."""
        with self._lock:
            self._totals[name] += 1

    def snapshot(self) -> dict[str, int]:
        """Return a copy of every counter; ``quarantined.<reason>`` per reason."""
        with self._lock:
            counts = dict(self._totals)
            for reason, count in self._quarantined.items():
                counts[f"quarantined.{reason}"] = count
        return counts
