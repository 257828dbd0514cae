"""Offsets are committed only past records that were all processed (faust-streaming fix)."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from typing import Any

from notifier.streams.strict_commits import learn_start_offsets, new_offset


class Offsets:
    """The bookkeeping a faust Consumer keeps per partition, nothing else."""

    def __init__(self, committed: int | None, acked: list[int]) -> None:
        self._committed_offset: dict[str, int | None] = defaultdict(lambda: None)
        self._committed_offset["t-0"] = committed
        self._acked: dict[str, list[int]] = defaultdict(list, {"t-0": list(acked)})
        self._acked_index: dict[str, set[int]] = defaultdict(set, {"t-0": set(acked)})

    def commit(self) -> int | None:
        offset = new_offset(self, "t-0")
        if offset is not None:
            self._committed_offset["t-0"] = offset
        return offset


def test_commits_the_run_that_starts_at_the_committed_offset() -> None:
    offsets = Offsets(committed=4, acked=[6, 4, 5, 9])
    assert offsets.commit() == 7
    assert offsets._acked["t-0"] == [9] and offsets._acked_index["t-0"] == {9}


def test_a_single_lost_record_holds_the_commit_back() -> None:
    # Faust's own rule commits 9 here (its head check allows one missing offset): record 6,
    # fetched but never processed, would be skipped for good.
    offsets = Offsets(committed=6, acked=[7, 8])
    assert offsets.commit() is None
    assert offsets._acked["t-0"] == [7, 8]  # kept until 6 is processed again
    offsets._acked["t-0"].append(6)
    assert offsets.commit() == 9


def test_offsets_acked_before_a_seek_back_are_dropped() -> None:
    offsets = Offsets(committed=10, acked=[8, 9, 10, 11])
    assert offsets.commit() == 12
    assert offsets._acked_index["t-0"] == set()


def test_nothing_is_committed_before_the_start_of_the_partition_is_known() -> None:
    assert Offsets(committed=None, acked=[0, 1]).commit() is None
    assert Offsets(committed=0, acked=[0, 1]).commit() == 2


class TP(str):
    @property
    def topic(self) -> str:
        return self.split("-")[0]


class Consumer:
    def __init__(self, committed: dict[str, int | None], earliest: dict[str, int]) -> None:
        self._committed_offset: dict[str, Any] = defaultdict(lambda: None, committed)
        self.earliest = earliest
        self.asked: list[tuple[str, ...]] = []

    def assignment(self) -> set[str]:
        return {TP("a-0"), TP("a-1"), TP("a-2"), TP("changelog-0")}

    async def earliest_offsets(self, *tps: str) -> dict[str, int]:
        self.asked.append(tuple(sorted(tps)))
        return {tp: self.earliest[tp] for tp in tps}


def test_partitions_never_committed_start_at_their_earliest_offset() -> None:
    consumer = Consumer({"a-0": 17, "a-2": -1}, {"a-0": 0, "a-1": 0, "a-2": 5})
    asyncio.run(learn_start_offsets(consumer, skip_topics=["changelog"]))
    assert consumer.asked == [("a-1", "a-2")]
    assert dict(consumer._committed_offset) == {"a-0": 17, "a-1": 0, "a-2": 5}
    # then a record lost at the very start of a partition is not committed over either
    offsets = Offsets(committed=consumer._committed_offset["a-1"], acked=[1, 2])
    assert offsets.commit() is None
