"""Pace sends at the SES maximum send rate, and pause everyone after a throttling answer.

The token bucket is pyrate-limiter's GCRA (``StateBucket`` + ``GCRA``), chosen over aiolimiter
because the messenger's ``push`` is synchronous and called from worker threads (aiolimiter only
works inside an asyncio loop), and because GCRA keeps its schedule in integer microseconds with
``burst=1``: sends come out evenly spaced at exactly the configured rate, never more than the
rate in any one-second window and with no idle gaps while callers are waiting.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable

from pyrate_limiter import GCRA, Limiter, Rate, StateBucket

_BUCKET = "ses-send"
# The rate is expressed per 1000 s so fractional quotas (e.g. 0.5/s) stay exact integers.
_RATE_WINDOW_MS = 1_000_000


def _limiter(rate_per_second: float, burst: int) -> Limiter:
    limit = max(1, round(rate_per_second * _RATE_WINDOW_MS / 1000))
    bucket = StateBucket([Rate(limit, _RATE_WINDOW_MS, burst=burst)], GCRA())
    # buffer_ms=0: the library's default 50 ms safety margin would leave the quota unused.
    return Limiter(bucket, buffer_ms=0)


class SendPacer:
    """Blocks each caller until it may send: at most ``rate`` sends per second, evenly spaced.

    Thread-safe. ``pause_for`` makes every caller wait (used after SES says "Throttling"), and
    ``set_rate`` follows quota changes read from ``GetSendQuota``.
    """

    def __init__(
        self,
        rate_per_second: float,
        *,
        burst: int = 1,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate_per_second <= 0:
            raise ValueError("send rate must be positive")
        self._burst = burst
        self._rate = rate_per_second
        self._limiter = _limiter(rate_per_second, burst)
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._paused_until = 0.0

    @property
    def rate(self) -> float:
        return self._rate

    def set_rate(self, rate_per_second: float) -> None:
        if rate_per_second <= 0 or rate_per_second == self._rate:
            return
        with self._lock:
            self._rate = rate_per_second
            self._limiter = _limiter(rate_per_second, self._burst)

    def pause_for(self, seconds: float) -> None:
        """Hold all sends for ``seconds`` from now (extends, never shortens, a running pause)."""
        with self._lock:
            self._paused_until = max(self._paused_until, self._clock() + seconds)

    def paused_for(self) -> float:
        """Seconds left in the current pause (0 when not paused)."""
        return max(0.0, self._paused_until - self._clock())

    def acquire(self) -> None:
        """Wait for any pause to end, then for this send's slot in the rate schedule."""
        while (left := self.paused_for()) > 0:
            self._sleep(left)
        self._limiter.try_acquire(_BUCKET, blocking=True)


class Backoff:
    """Exponential backoff with jitter (the "equal jitter" variant: half fixed, half random),
    so workers that were throttled together do not come back together."""

    def __init__(self, base: float = 1.0, cap: float = 60.0, rng: random.Random | None = None):
        self.base = base
        self.cap = cap
        self._rng = rng or random.Random()
        self._failures = 0
        self._lock = threading.Lock()

    def next_delay(self) -> float:
        with self._lock:
            ceiling = min(self.cap, self.base * 2**self._failures)
            self._failures = min(self._failures + 1, 30)
        return ceiling / 2 + self._rng.uniform(0, ceiling / 2)

    def reset(self) -> None:
        with self._lock:
            self._failures = 0
