"""Tables every worker must read in full, whoever wrote them: their changelog topic read
from the start into memory, as ``review_index`` reads the review items.

Faust's ``GlobalTable`` needs ``is_global=True`` to be global at all, and Faust itself warns
of recovery loops with several instances (in our tests a write to a partition another worker
owned did not reach it: faust-streaming issue 283). So the suppressions, message-tracking and
sent-messages tables stay ordinary tables, written by the worker that owns the record (the
changelog carries every write), and their readers go through a :class:`ChangelogView`: a plain
consumer without a group follows every partition of the changelog. A read falls back to the
worker's own table for a key its changelog record has not brought back yet (this worker's
own write, just made). ``ready`` is set once the records present at start-up are read: the
sender waits for it, so a restarted worker never sends to an address suppressed elsewhere.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition

from notifier.streams.app import app
from notifier.streams.broker_security import reader_consumer

log = logging.getLogger(__name__)


class TopicReader:
    """A topic read in full from the start into ``records``, for ever, on every worker (an app
    task per reader); ``ready`` once the records present at start-up are read."""

    def __init__(self, topic: Callable[[], str]) -> None:
        self._topic = topic
        self.records: dict[str, Any] = {}
        self.ready = asyncio.Event()

    @property
    def topic(self) -> str:
        return self._topic()

    def apply(self, key: bytes | None, value: bytes | None) -> None:
        """One record: a raw key and JSON value (None: deleted)."""
        if not key:
            return
        name = key.decode(errors="replace")
        if value is None:
            self.records.pop(name, None)
            return
        try:
            self.records[name] = json.loads(value)
        except ValueError:
            log.warning("unreadable record on %s skipped", self.topic)

    async def follow(self) -> None:
        """Read the topic from the start, for ever (an app task per reader); after an error
        (the broker gone), again from the start: applying a record twice changes nothing."""
        while True:
            try:
                await self._read()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # a crashed task would stop the worker
                log.warning("reading %s failed (%s); again in 1 s", self.topic, type(exc).__name__)
                await asyncio.sleep(1.0)

    async def _read(self) -> None:
        consumer = reader_consumer(app, self.topic)
        await consumer.start()
        try:
            ends = await self._end_offsets(consumer)
            while True:
                batches = await consumer.getmany(timeout_ms=500)
                for records in batches.values():
                    for record in records:
                        self.apply(record.key, record.value)
                if not self.ready.is_set() and await self._caught_up(consumer, ends):
                    self.ready.set()
                    log.info("%s read: %d records", self.topic, len(self.records))
        finally:
            await consumer.stop()

    @staticmethod
    async def _caught_up(consumer: AIOKafkaConsumer, ends: dict[TopicPartition, int]) -> bool:
        for tp, end in ends.items():
            if tp not in consumer.assignment() or await consumer.position(tp) < end:
                return False
        return True

    async def _end_offsets(self, consumer: AIOKafkaConsumer) -> dict[TopicPartition, int]:
        partitions: set[int] | None = None
        for _ in range(120):  # the worker creates missing changelog topics as it starts
            partitions = consumer.partitions_for_topic(self.topic)
            if partitions:
                break
            await asyncio.sleep(0.5)
        tps = [TopicPartition(self.topic, p) for p in sorted(partitions or ())]
        if not tps:
            return {}
        return dict(await consumer.end_offsets(tps))


class ChangelogView(TopicReader, Mapping[str, Any]):
    """Read-only: every key of ``table`` as its changelog says, on every worker."""

    def __init__(self, table: Any) -> None:
        super().__init__(lambda: str(table.changelog_topic.get_topic_name()))
        self.table = table

    def __getitem__(self, key: str) -> Any:
        if key in self.records:
            return self.records[key]
        return self.table[key]

    def __contains__(self, key: object) -> bool:
        return key in self.records or key in self.table

    def __iter__(self) -> Iterator[str]:
        yield from self.records
        yield from (k for k in list(self.table.keys()) if k not in self.records)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def follow(table: Any) -> ChangelogView:
    """A view of ``table`` every worker reads in full, followed by an app task."""
    view = ChangelogView(table)

    @app.task
    async def follow_changelog() -> None:
        await view.follow()

    return view
