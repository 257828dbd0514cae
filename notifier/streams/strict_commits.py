"""Commit a partition's offset only past records that were all processed (faust-streaming fix).

faust-streaming 0.15 commits the first run of consecutive acknowledged offsets
(``Consumer._new_offset``) and lets two kinds of hole through:

* its head check is off by one: with offset 6 committed (6 is next) and 7, 8, ... acked, it
  commits 9 - record 6 is skipped for good;
* offset gaps it saw while fetching (``_add_gap``, meant for compacted topics and transaction
  markers) are filled in as if acked.

A record can miss its stream around a restart or rebalance (the fetch loop drops the rest of a
batch, or cancels a delivery when the flow is suspended), so either hole loses it silently.
Seen in ``tests/streams/test_kafka_runtime.py``: after a kill -9 the new worker skipped offset
6 of two ``email-jobs`` partitions, and two residents never got their email.

Every topic our agents read is append-only (never compacted, no transactions), so its offsets
are contiguous and a hole is always a lost record. :func:`new_offset` commits a run only if it
starts at the committed offset; a hole holds the partition's commits back until the stall
guard (``stall_guard.py``) seeks back to it and the record is processed again. Before a
partition's first commit Faust does not know where it starts: nothing is committed until
:func:`learn_start_offsets` (run by a timer) has filled in the partition's earliest offset.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from typing import Any

from faust.transport.consumer import Consumer
from faust.utils.functional import consecutive_numbers


def new_offset(self: Any, tp: Any) -> int | None:
    """The offset to commit for ``tp``: one past the acked run that starts at the committed
    offset, or None (nothing acked, a hole at the head, or the start not known yet)."""
    acked: list[int] = self._acked[tp]
    if not acked:
        return None
    acked.sort()
    committed = self._committed_offset[tp]
    if _unknown(committed):
        return None  # until learn_start_offsets knows where the partition starts
    stale = bisect_left(acked, committed)  # acked before a seek back
    if stale:
        self._acked_index[tp].difference_update(acked[:stale])
        del acked[:stale]
    if not acked or acked[0] != committed:
        return None
    run = next(consecutive_numbers(acked))
    del acked[: len(run)]
    self._acked_index[tp].difference_update(run)
    return int(run[-1]) + 1


async def learn_start_offsets(consumer: Any, skip_topics: Iterable[str] = ()) -> None:
    """Set the committed offset of assigned partitions that have none yet (a new group, or a
    partition never committed) to their earliest offset: :func:`new_offset` commits nothing
    from an unknown start, so it can tell a lost first record from the partition's start."""
    skip = set(skip_topics)
    unknown = [
        tp
        for tp in consumer.assignment()
        if tp.topic not in skip and _unknown(consumer._committed_offset.get(tp))
    ]
    if not unknown:
        return
    earliest = await consumer.earliest_offsets(*unknown)
    for tp, offset in earliest.items():
        # A seek to a committed offset may have landed while we asked: it is the better answer.
        if offset is not None and _unknown(consumer._committed_offset.get(tp)):
            consumer._committed_offset[tp] = offset


def _unknown(committed: int | None) -> bool:
    return committed is None or committed < 0


def install() -> None:
    """Replace Faust's commit-offset rule for every consumer of this process."""
    Consumer._new_offset = new_offset  # type: ignore[method-assign]
