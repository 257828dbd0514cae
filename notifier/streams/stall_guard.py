"""Re-read records that faust-streaming fetched but never processed.

faust-streaming loses records on their way from the Kafka client to a stream around a
restart or rebalance, while the client's fetch position has moved past them:

* its fetch loop drops the rest of a fetched batch when the generation changes or a partition
  is paused mid-fetch (upstream: faust-streaming issues #175 and #640, "consumers slowly
  die");
* a stream drops a message stamped with an older generation, and a delivery is cancelled
  when the flow is suspended - Faust then counts the record as read, yet no stream has it.

Nothing re-reads such records until the next rebalance. The strict commit rule keeps the
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

This module only decides (plain data, no Faust import); ``faust_compat`` reads the views
from the consumer and carries the repairs out.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class PartitionView:
    """What the consumer knows of one partition at one moment."""

    position: int | None  # next offset the Kafka client will fetch
    next_expected: int | None  # next offset to hand to a stream (faust_compat.next_to_deliver)
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
