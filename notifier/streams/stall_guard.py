"""Re-read records that faust-streaming fetched but never processed.

faust-streaming loses records on their way from the Kafka client to a stream around a
restart or rebalance, while the client's fetch position has moved past them:

* its fetch loop drops the rest of a fetched batch when the generation changes or a partition
  is paused mid-fetch (upstream: faust-streaming issues #175 and #640, "consumers slowly
  die");
* a stream drops a message stamped with an older generation, and a delivery is cancelled
  when the flow is suspended - Faust then counts the record as read, yet no stream has it.

Nothing re-reads such records until the next rebalance. ``strict_commits`` keeps the
partition's commits from moving past them; this guard finds them and seeks back. Seen in
``tests/streams/test_kafka_runtime.py`` after a kill -9 restart: two of 120 emails lost, or
every job after offset 6 read and never processed.

Per partition, when nothing of its topic is in flight and the view has not changed for
``stall_seconds``, the guard seeks back to

* the next offset to hand to a stream, if the fetch position is past it (records fetched, not
  delivered), or
* the committed offset, if that record was fetched but is neither in flight nor processed
  (a stream's records are processed in order, so it is lost, not slow).

If the same committed offset is still missing after a re-read, it holds no record (a
producer's transaction marker, say): those offsets are marked processed so commits go on.
Re-reading is safe: every handler here is idempotent (at-least-once by design).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)


def next_to_deliver(consumer: Any, tp: Any) -> int | None:
    """The next offset a faust ``Consumer`` will hand to a stream: the one after the last it
    read, else the committed one (None before either is known). The lag gauge counts from it."""
    read = consumer._read_offset.get(tp)
    return read + 1 if read is not None else consumer._committed_offset.get(tp)


@dataclass(frozen=True, slots=True)
class PartitionView:
    """What the consumer knows of one partition at one moment."""

    position: int | None  # next offset the Kafka client will fetch
    next_expected: int | None  # next offset to hand to a stream (see next_to_deliver)
    in_flight: bool  # a message of this partition's topic is still being processed
    committed: int | None = None  # the first offset not yet processed (next to commit)
    first_acked: int | None = None  # lowest processed offset not yet committed

    @property
    def skipped(self) -> bool:
        """Fetched records that no stream has seen and nothing is working on."""
        expected = self.next_expected
        return (
            not self.in_flight
            and self.position is not None
            and expected is not None
            and self.position > expected
        )

    @property
    def lost(self) -> bool:
        """The committed record was fetched and read, yet is neither in flight nor processed."""
        c = self.committed
        return (
            not self.in_flight
            and c is not None
            and self.position is not None
            and self.position > c
            and self.next_expected is not None
            and self.next_expected > c
            and (self.first_acked is None or self.first_acked > c)
        )

    @property
    def seek_to(self) -> int | None:
        """Where to re-read from, or None if nothing is missing."""
        targets = []
        if self.skipped:
            targets.append(self.next_expected)
        if self.lost:
            targets.append(self.committed)
        return min(targets) if targets else None  # type: ignore[type-var]

    @property
    def gap(self) -> range | None:
        """Lost offsets followed by a processed record (if the record at the committed offset
        is missing still after a re-read, these offsets hold no record)."""
        if not self.lost or self.skipped or self.first_acked is None:
            return None
        assert self.committed is not None
        return range(self.committed, self.first_acked)


@dataclass(slots=True)
class Repairs:
    seeks: dict[Any, int] = field(default_factory=dict)  # partition -> offset to re-read from
    empty: dict[Any, range] = field(default_factory=dict)  # partition -> offsets with no record


class StallGuard:
    """Remembers since when each partition has been stuck in the same skipped state."""

    def __init__(self, stall_seconds: float = 10.0, clock: Any = time.monotonic) -> None:
        self.stall_seconds = stall_seconds
        self._clock = clock
        self._since: dict[Any, tuple[PartitionView, float]] = {}
        self._reread: dict[Any, int | None] = {}  # partition -> lost offset re-read

    def check(self, views: Mapping[Any, PartitionView]) -> Repairs:
        """What to do about partitions stuck for ``stall_seconds``."""
        now = self._clock()
        repairs = Repairs()
        for tp in list(self._since):
            if tp not in views:
                del self._since[tp]
        for tp, view in views.items():
            if self._reread.get(tp, view.committed) != view.committed:
                del self._reread[tp]  # that re-read worked: the commit moved on
            target = view.seek_to
            if target is None:
                self._since.pop(tp, None)
                continue
            seen = self._since.get(tp)
            if seen is None or seen[0] != view:  # new state, or progress since: start over
                self._since[tp] = (view, now)
                continue
            if now - seen[1] >= self.stall_seconds:
                del self._since[tp]
                gap = view.gap
                if gap is not None and self._reread.get(tp) == view.committed:
                    del self._reread[tp]
                    repairs.empty[tp] = gap
                    continue
                if view.lost:
                    self._reread[tp] = view.committed
                repairs.seeks[tp] = target
        return repairs


def partition_views(consumer: Any, skip_topics: Iterable[str] = ()) -> dict[Any, PartitionView]:
    """Read the views from a faust ``Consumer`` backed by aiokafka (read-only, no I/O)."""
    skip = set(skip_topics)
    client = consumer._thread._ensure_consumer()
    assignment = client._subscription.subscription.assignment
    # Faust leaves a re-delivered message that was acked before in this set: skip those.
    busy = {m.tp.topic for m in list(consumer._unacked_messages) if not m.acked}
    views: dict[Any, PartitionView] = {}
    for tp in list(consumer.assignment()):
        if tp.topic in skip:
            continue
        try:
            position = assignment.state_value(tp).position
        except (AttributeError, KeyError):
            continue
        acked = consumer._acked.get(tp)
        committed = consumer._committed_offset.get(tp)
        views[tp] = PartitionView(
            position,
            next_to_deliver(consumer, tp),
            in_flight=tp.topic in busy,
            committed=committed if committed is not None and committed >= 0 else None,
            first_acked=min(acked) if acked else None,
        )
    return views


async def reread(consumer: Any, seeks: Mapping[Any, int]) -> None:
    for tp, offset in seeks.items():
        log.warning(
            "partition %s-%d: records fetched but never processed; re-reading from %d",
            tp.topic,
            tp.partition,
            offset,
        )
        await consumer.seek(tp, offset)


def mark_empty(consumer: Any, empty: Mapping[Any, range]) -> None:
    """Count offsets that hold no record as processed, so the partition's commits go on."""
    for tp, offsets in empty.items():
        log.warning(
            "partition %s-%d: offsets %d-%d hold no record (transaction markers?); skipping them",
            tp.topic,
            tp.partition,
            offsets.start,
            offsets.stop - 1,
        )
        index = consumer._acked_index[tp]
        acked = consumer._acked[tp]
        for offset in offsets:
            if offset not in index:
                index.add(offset)
                acked.append(offset)
