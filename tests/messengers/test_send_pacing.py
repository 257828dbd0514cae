"""The send pacer (pyrate-limiter GCRA) and the jittered backoff."""

from __future__ import annotations

import bisect
import random
import threading
import time

from notifier.messengers.pacing import Backoff, SendPacer


def _acquire_times(pacer: SendPacer, total: int, workers: int) -> list[float]:
    times: list[float] = []
    lock = threading.Lock()

    def work(n: int) -> None:
        for _ in range(n):
            pacer.acquire()
            with lock:
                times.append(time.monotonic())

    threads = [threading.Thread(target=work, args=(total // workers,)) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(times)


def test_pacer_keeps_the_rate_without_bursts_or_idling() -> None:
    times = _acquire_times(SendPacer(40), total=60, workers=3)
    achieved = (len(times) - 1) / (times[-1] - times[0])
    assert 40 * 0.93 <= achieved <= 40 * 1.03
    # No burst: a second holds the rate plus at most the one late send burst=2 lets through.
    most = max(bisect.bisect_left(times, t + 1.0) - i for i, t in enumerate(times))
    assert most <= 42
    # The first sends are spaced too, not let through at once.
    assert times[6] - times[0] >= 5 / 40 * 0.9


def test_pause_holds_every_caller_then_releases() -> None:
    pacer = SendPacer(100)
    pacer.pause_for(0.3)
    pacer.pause_for(0.1)  # never shortens a running pause
    start = time.monotonic()
    pacer.acquire()
    assert time.monotonic() - start >= 0.29
    assert pacer.paused_for() == 0


def test_set_rate_follows_the_quota() -> None:
    pacer = SendPacer(5)
    pacer.set_rate(50)
    times = _acquire_times(pacer, total=10, workers=1)
    assert times[-1] - times[0] < 9 / 5 * 0.5  # far faster than the old 5/s


def test_backoff_doubles_with_jitter_up_to_the_cap_and_resets() -> None:
    backoff = Backoff(base=1.0, cap=8.0, rng=random.Random(7))
    delays = [backoff.next_delay() for _ in range(6)]
    for delay, ceiling in zip(delays, [1, 2, 4, 8, 8, 8], strict=True):
        assert ceiling / 2 <= delay <= ceiling
    assert len({round(d, 6) for d in delays[3:]}) == 3  # jittered, not identical
    backoff.reset()
    assert backoff.next_delay() <= 1.0


def test_ceiling_caps_any_one_second_window_even_above_the_paced_rate() -> None:
    # Paced faster than the ceiling on purpose, so only the sliding-window guard holds it.
    times = _acquire_times(SendPacer(40, ceiling_per_second=20), total=26, workers=2)
    most = max(bisect.bisect_left(times, t + 1.0) - i for i, t in enumerate(times))
    assert most <= 20
    assert times[20] - times[0] >= 1.0
