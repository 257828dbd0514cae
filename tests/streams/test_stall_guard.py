"""The stall guard re-reads only partitions that sit on skipped records, and only after a while."""

from __future__ import annotations

from notifier.streams.stall_guard import PartitionView, Repairs, StallGuard


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_seeks_back_to_the_first_undelivered_offset_after_the_stall_time() -> None:
    clock = Clock()
    guard = StallGuard(stall_seconds=10, clock=clock)
    skipped = {"jobs-6": PartitionView(position=15, next_expected=7, in_flight=False)}
    assert guard.check(skipped).seeks == {}
    clock.now = 9.9
    assert guard.check(skipped).seeks == {}
    clock.now = 10.0
    assert guard.check(skipped).seeks == {"jobs-6": 7}
    assert guard.check(skipped).seeks == {}  # the clock starts over after a seek


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
    assert guard.check(views).seeks == {}  # "moving" made progress at t=6: its clock restarted
    clock.now = 16
    assert guard.check(views).seeks == {"moving": 26}


def stuck(guard: StallGuard, clock: Clock, views: dict[str, PartitionView]) -> Repairs:
    """What the guard does about ``views`` once they have not changed for its stall time."""
    guard.check(views)
    clock.now += guard.stall_seconds
    return guard.check(views)


def test_a_record_lost_between_processed_ones_is_re_read_from_the_committed_offset() -> None:
    clock = Clock()
    guard = StallGuard(stall_seconds=10, clock=clock)
    # offset 6 was lost on its way to the stream; 7 and 8 were processed
    hole = PartitionView(15, 15, in_flight=False, committed=6, first_acked=7)
    assert stuck(guard, clock, {"jobs-1": hole}).seeks == {"jobs-1": 6}
    # both at once: the lower offset wins
    both = PartitionView(15, 9, in_flight=False, committed=6, first_acked=7)
    assert both.seek_to == 6


def test_records_read_but_never_processed_are_re_read() -> None:
    # Faust counted 6..14 as read (a stream dropped them: older generation), none acked
    assert PartitionView(15, 15, in_flight=False, committed=6, first_acked=None).seek_to == 6


def test_nothing_is_lost_while_the_topic_is_busy_or_the_next_record_is_done_or_unread() -> None:
    assert PartitionView(15, 15, in_flight=True, committed=6, first_acked=7).seek_to is None
    assert PartitionView(15, 15, in_flight=False, committed=6, first_acked=6).seek_to is None
    # after a restart Faust sets "read" to the committed offset: nothing fetched, nothing lost
    assert PartitionView(6, 7, in_flight=False, committed=6, first_acked=None).seek_to is None
    assert PartitionView(15, 6, in_flight=False, committed=6, first_acked=None).seek_to == 6


def test_a_gap_still_there_after_a_re_read_holds_no_record_and_is_skipped() -> None:
    clock = Clock()
    guard = StallGuard(stall_seconds=10, clock=clock)
    # offset 20 is a transaction marker: re-reading it yields 21 again
    gap = PartitionView(30, 30, in_flight=False, committed=20, first_acked=21)
    assert stuck(guard, clock, {"addr-3": gap}).seeks == {"addr-3": 20}
    repairs = stuck(guard, clock, {"addr-3": gap})
    assert repairs.seeks == {} and repairs.empty == {"addr-3": range(20, 21)}


def test_a_re_read_that_worked_is_forgotten() -> None:
    clock = Clock()
    guard = StallGuard(stall_seconds=10, clock=clock)
    lost = PartitionView(30, 30, in_flight=False, committed=20, first_acked=21)
    assert stuck(guard, clock, {"addr-3": lost}).seeks == {"addr-3": 20}
    guard.check({"addr-3": PartitionView(31, 31, in_flight=False, committed=31)})  # caught up
    # a later loss at another offset is re-read first, never skipped blindly
    later = PartitionView(40, 40, in_flight=False, committed=35, first_acked=36)
    assert stuck(guard, clock, {"addr-3": later}).seeks == {"addr-3": 35}
