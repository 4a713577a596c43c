"""Stop on SIGTERM or SIGINT: finish the open batch within a deadline, then leave."""

from __future__ import annotations

import logging
import signal
import threading
import time
from types import FrameType

logger = logging.getLogger(__name__)

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class StopRequest:
    """A request to stop, from a signal or from code, with its drain deadline.

    The first signal asks the worker to drain; the default handlers come back
    then, so a second signal ends the process at once.
    """

    def __init__(self, drain_deadline_s: float) -> None:
        self.drain_deadline_s = drain_deadline_s
        self.event = threading.Event()
        self._requested_at: float | None = None

    def install(self) -> None:
        """Handle SIGTERM and SIGINT; call from the main thread."""
        for signum in STOP_SIGNALS:
            signal.signal(signum, self._on_signal)

    def request(self) -> None:
        """Ask the worker to drain and stop."""
        if self._requested_at is None:
            self._requested_at = time.monotonic()
        self.event.set()

    @property
    def is_requested(self) -> bool:
        """Return whether a stop was requested."""
        return self.event.is_set()

    def remaining_s(self) -> float | None:
        """Return the seconds left to drain, or None when no stop was requested."""
        if self._requested_at is None:
            return None
        return self.drain_deadline_s - (time.monotonic() - self._requested_at)

    def wait(self, seconds: float) -> bool:
        """Sleep up to ``seconds``, waking early on a stop; return is_requested."""
        return self.event.wait(max(seconds, 0.0))

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        for other in STOP_SIGNALS:
            signal.signal(other, signal.SIG_DFL)
        logger.info("stop requested signal=%s", signal.Signals(signum).name)
        self.request()
