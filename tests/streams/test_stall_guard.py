"""The stall guard re-reads only partitions that sit on skipped records, and only after a while."""

from __future__ import annotations

from notifier.streams.stall_guard import PartitionView, StallGuard


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_seeks_back_to_the_first_undelivered_offset_after_the_stall_time() -> None:
    clock = Clock()
    guard = StallGuard(stall_seconds=10, clock=clock)
    skipped = {"jobs-6": PartitionView(position=15, next_expected=7, in_flight=False)}
    assert guard.check(skipped) == {}
    clock.now = 9.9
    assert guard.check(skipped) == {}
    clock.now = 10.0
    assert guard.check(skipped) == {"jobs-6": 7}
    assert guard.check(skipped) == {}  # the clock starts over after a seek


def test_progress_busy_or_caught_up_partitions_are_left_alone() -> None:
    clock = Clock()
    guard = StallGuard(stall_seconds=10, clock=clock)
    views = {
        "caught-up": PartitionView(position=13, next_expected=13, in_flight=False),
        "busy": PartitionView(position=40, next_expected=21, in_flight=True),
        "fresh": PartitionView(position=None, next_expected=None, in_flight=False),
        "moving": PartitionView(position=30, next_expected=21, in_flight=False),
    }
    guard.check(views)
    clock.now = 6
    views["moving"] = PartitionView(position=30, next_expected=26, in_flight=False)
    guard.check(views)
    clock.now = 12
    assert guard.check(views) == {}  # "moving" made progress at t=6: its clock restarted
    clock.now = 16
    assert guard.check(views) == {"moving": 26}
