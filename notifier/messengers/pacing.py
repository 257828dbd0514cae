"""Pace sends at the SES maximum send rate, and pause everyone after a throttling answer.

The token bucket is pyrate-limiter's GCRA (``StateBucket`` + ``GCRA``), chosen over aiolimiter
because the messenger's ``push`` is synchronous and called from worker threads (aiolimiter only
works inside an asyncio loop), and because GCRA keeps one theoretical arrival time (TAT) in
integer microseconds, so the schedule can be followed to the microsecond.

How it is used, and why (measured with bench/send.py at 50/s):

* Evenly spaced slots, not bursts: every send gets its own slot ``1/rate`` after the previous.
* Reserve, then sleep to the slot: the bucket's ``burst`` is used as look-ahead, so a caller
  may reserve a slot a few intervals ahead; it then sleeps until exactly that slot. A thread
  that wakes a little late (busy CPU, the GIL) therefore does not push every later slot back.
  With the library's own blocking wait (``try_acquire(blocking=True)``, whole-millisecond
  sleeps and a late wake-up costing its slot) the same benchmark reached only 92-95 %.
* Fractional-millisecond clock: pyrate-limiter clocks count whole milliseconds; GCRA multiplies
  by 1000 internally, so handing it fractional milliseconds keeps the microsecond precision.
* Hard ceiling: a pyrate-limiter sliding-window log (``InMemoryBucket``) at MaxSendRate checks
  the real send times, so a late thread followed by an on-time one can never put more than
  MaxSendRate sends into any one second. SesMessenger paces 2 % below it, so it rarely waits.
* Measured: 98.0 % of a 14/s quota; at 50/s the rate depends on free CPU for the senders
  (``idle_seconds`` counts slots no sender was ready for).
"""

from __future__ import annotations

import math
import random
import threading
import time
from collections.abc import Callable

from pyrate_limiter import (
    GCRA,
    AbstractClock,
    InMemoryBucket,
    Limiter,
    Rate,
    SingleBucketFactory,
    StateBucket,
)

__all__ = [
    "Backoff",
    "SendPacer",
]

_BUCKET = "ses-send"
# The rate is expressed per 1000 s so fractional quotas (e.g. 0.5/s) stay exact integers.
_RATE_WINDOW_MS = 1_000_000
# GCRA burst = how many slots may be reserved ahead. Sends still leave one interval apart
# (each sleeps to its own slot); the slack only means a caller that wakes late to reserve
# (busy CPU) finds its slot still there instead of leaving it idle.
_LOOKAHEAD = 4


class _FractionalMsClock(AbstractClock):
    def now(self) -> float:  # type: ignore[override]
        return time.monotonic_ns() / 1e6


def _window_guard(ceiling_per_second: float) -> Limiter:
    """Sliding-window log of real send times: never more than the ceiling in any window.

    The schedule alone guarantees that only on paper: a thread that wakes late for its slot
    sends right before the next one. Pacing below the ceiling (see SesMessenger's headroom)
    means this guard almost never has to wait.
    """
    if ceiling_per_second >= 1:
        rate = Rate(math.floor(ceiling_per_second), 1000)
    else:
        rate = Rate(1, math.ceil(1000 / ceiling_per_second))
    # buffer_ms=1: its blocking retry books a send at the planned, not the actual, wake time.
    return Limiter(InMemoryBucket([rate]), buffer_ms=1)


class SendPacer:
    """Blocks each caller until it may send: ``rate`` sends per second, evenly spaced, and
    (with ``ceiling_per_second``) never more than the ceiling within any one second.

    Thread-safe. ``pause_for`` makes every caller wait (used after SES says "Throttling"), and
    ``set_rate`` follows quota changes read from ``GetSendQuota``.
    """

    def __init__(
        self,
        rate_per_second: float,
        *,
        ceiling_per_second: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate_per_second <= 0:
            raise ValueError("send rate must be positive")
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._paused_until = 0.0
        self.idle_seconds = 0.0  # schedule time no caller claimed (not the pacer's doing)
        self._configure(rate_per_second, ceiling_per_second)

    def _configure(self, rate_per_second: float, ceiling_per_second: float | None) -> None:
        limit = max(1, round(rate_per_second * _RATE_WINDOW_MS / 1000))
        rate = Rate(limit, _RATE_WINDOW_MS, burst=_LOOKAHEAD)
        self._bucket = StateBucket([rate], GCRA(), clock=_FractionalMsClock())
        # No leak thread: GCRA state is one number, there is nothing to leak (and the leaker
        # insists on whole-millisecond clocks).
        self._limiter = Limiter(SingleBucketFactory(self._bucket, schedule_leak=False))
        self._interval_us = math.ceil(_RATE_WINDOW_MS * 1000 / limit)  # as GCRA computes it
        self._rate = rate_per_second
        self._ceiling = ceiling_per_second
        self._guard = _window_guard(ceiling_per_second) if ceiling_per_second else None

    @property
    def rate(self) -> float:
        return self._rate

    def set_rate(self, rate_per_second: float, ceiling_per_second: float | None = None) -> None:
        if rate_per_second <= 0:
            return
        if (rate_per_second, ceiling_per_second) == (self._rate, self._ceiling):
            return
        with self._lock:
            self._configure(rate_per_second, ceiling_per_second)

    def pause_for(self, seconds: float) -> None:
        """Hold all sends for ``seconds`` from now (extends, never shortens, a running pause)."""
        with self._lock:
            self._paused_until = max(self._paused_until, self._clock() + seconds)

    def paused_for(self) -> float:
        """Seconds left in the current pause (0 when not paused)."""
        return max(0.0, self._paused_until - self._clock())

    def _tat_seconds(self) -> float:
        # pyrate-limiter types read() for its async stores too; this in-memory one is sync.
        (tat_us,) = self._bucket.store.read(self._bucket.algorithm, self._bucket.rates)  # type: ignore[misc]
        return float(tat_us) / 1e6

    def acquire(self) -> None:
        """Wait for any pause to end, reserve the next send slot, and sleep until it."""
        while (left := self.paused_for()) > 0:
            self._sleep(left)
        interval = self._interval_us / 1e6
        while True:
            with self._lock:
                previous = self._tat_seconds()
                if self._limiter.try_acquire(_BUCKET, blocking=False):
                    slot = self._tat_seconds() - interval  # this send's own slot
                    if previous > 0:
                        # Slots that passed with nobody asking: the callers were busy elsewhere.
                        self.idle_seconds += max(0.0, slot - previous)
                    break
                # Reservable once the earliest outstanding reservation's slot has come.
                wait = self._tat_seconds() - (_LOOKAHEAD - 1) * interval - time.monotonic()
            self._sleep(max(wait, 5e-5))  # never spin on a rounding hair
        delay = slot - time.monotonic()
        if delay > 0:
            self._sleep(delay)
        while (left := self.paused_for()) > 0:  # throttled while this send waited
            self._sleep(left)
        guard = self._guard
        if guard is not None:
            guard.try_acquire(_BUCKET, blocking=True)


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
        return float(ceiling / 2 + self._rng.uniform(0, ceiling / 2))

    def reset(self) -> None:
        with self._lock:
            self._failures = 0
