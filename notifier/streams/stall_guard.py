"""Re-fetch records that Faust fetched but never handed to a stream.

faust-streaming can drop part of a fetched batch around a rebalance (its fetch loop stops
early when the generation changes or a partition is paused mid-fetch), while the Kafka
consumer's fetch position has already moved past those records. Nothing re-reads them until
the next rebalance: the partition shows lag and its agent waits forever (seen after a worker
restart in tests/streams/test_kafka_runtime.py; upstream reports: faust-streaming issues
#175 and #640, "consumers slowly die").

The guard compares, per partition, the consumer's fetch position with the next offset Faust
should hand to a stream. If the position stays ahead with no progress and nothing of that
partition is in flight for ``stall_seconds``, it seeks back to the first undelivered offset.
Re-reading is safe: every handler here is idempotent (at-least-once by design).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
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
    in_flight: bool  # a message of this partition is still being processed

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


class StallGuard:
    """Remembers since when each partition has been stuck in the same skipped state."""

    def __init__(self, stall_seconds: float = 10.0, clock: Any = time.monotonic) -> None:
        self.stall_seconds = stall_seconds
        self._clock = clock
        self._since: dict[Any, tuple[PartitionView, float]] = {}

    def check(self, views: Mapping[Any, PartitionView]) -> dict[Any, int]:
        """Partitions to seek back, with the offset to seek to."""
        now = self._clock()
        seeks: dict[Any, int] = {}
        for tp in list(self._since):
            if tp not in views:
                del self._since[tp]
        for tp, view in views.items():
            if not view.skipped:
                self._since.pop(tp, None)
                continue
            seen = self._since.get(tp)
            if seen is None or seen[0] != view:  # new state, or progress since: start over
                self._since[tp] = (view, now)
                continue
            if now - seen[1] >= self.stall_seconds:
                seeks[tp] = view.next_expected  # type: ignore[assignment]
                del self._since[tp]
        return seeks


def partition_views(consumer: Any, skip_topics: Iterable[str] = ()) -> dict[Any, PartitionView]:
    """Read the views from a faust ``Consumer`` backed by aiokafka (read-only, no I/O)."""
    skip = set(skip_topics)
    client = consumer._thread._ensure_consumer()
    assignment = client._subscription.subscription.assignment
    busy = {m.tp for m in list(consumer._unacked_messages)}
    views: dict[Any, PartitionView] = {}
    for tp in list(consumer.assignment()):
        if tp.topic in skip:
            continue
        try:
            position = assignment.state_value(tp).position
        except (AttributeError, KeyError):
            continue
        views[tp] = PartitionView(position, next_to_deliver(consumer, tp), in_flight=tp in busy)
    return views


async def reread(consumer: Any, seeks: Mapping[Any, int]) -> None:
    for tp, offset in seeks.items():
        log.warning(
            "partition %s-%d: records fetched but never delivered; re-reading from %d",
            tp.topic,
            tp.partition,
            offset,
        )
        await consumer.seek(tp, offset)
