"""The Faust adapter on real faust-streaming and aiokafka objects (no fakes).

A faust-streaming or aiokafka release that renames or reshapes what the adapter reaches must
fail here, with the adapter's own message, before any end-to-end test notices lost records.
The first tests use a real ``faust.App``'s Consumer without a broker; the last one runs a
real App (consumer, fetcher, aiokafka client, producer, a table) in this process against the
test broker.
"""

from __future__ import annotations

import asyncio
import tempfile
import uuid
from collections.abc import Iterator
from typing import Any

import faust
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.partitioner import murmur2
from faust.transport.consumer import Consumer
from faust.types import TP

from notifier.streams import faust_compat
from notifier.streams.faust_compat import FaustIncompatible, KeyPartitioned, RawKeys
from tests.streams.conftest import create_topics, delete_topics

TOPIC = TP("jobs", 6)


@pytest.fixture
def consumer() -> Iterator[Any]:
    """The real Consumer of a real App (not started: its offset bookkeeping is plain state)."""
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        app = faust.App(
            f"compat-{uuid.uuid4().hex[:8]}",
            broker="kafka://127.0.0.1:1",
            datadir=tempfile.mkdtemp(prefix="compat-"),  # not a data dir in the work tree
        )
        faust_compat.install(app)
        yield app.consumer
    finally:
        asyncio.set_event_loop(None)
        loop.close()


def processed(consumer: Any, *offsets: int, tp: TP = TOPIC) -> None:
    """What Faust's ack() leaves behind for processed offsets."""
    consumer._acked[tp].extend(offsets)
    consumer._acked_index[tp].update(offsets)


def test_the_installed_libraries_are_the_ones_the_adapter_was_checked_against() -> None:
    assert faust_compat.check_compatible() == []
    assert isinstance(faust.App("x", broker="kafka://127.0.0.1:1").consumer, Consumer)


def test_a_private_name_gone_upstream_fails_install_and_says_what(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delattr(Consumer, "_new_offset")
    monkeypatch.setattr(faust_compat, "version", lambda name: "0.16.0")
    with pytest.raises(FaustIncompatible) as raised:
        faust_compat.install(faust.App("gone", broker="kafka://127.0.0.1:1"))
    message = str(raised.value)
    assert "faust-streaming 0.16.0 is installed" in message
    assert "checked against 0.15.3" in message
    assert "Consumer._new_offset is gone" in message
    assert "Moving the Faust pin" in message


def test_a_live_consumer_without_the_expected_state_is_refused(consumer: Any) -> None:
    # the real one has it all (its aiokafka client is checked once started: False)
    assert faust_compat.check_consumer_state(consumer) is False
    del consumer._read_offset
    with pytest.raises(FaustIncompatible, match=r"Consumer\._read_offset"):
        faust_compat.check_consumer_state(consumer)


def test_faust_commits_past_a_lost_record_and_the_installed_rule_does_not(consumer: Any) -> None:
    # Offset 6 was fetched but never reached a stream; 7 and 8 were processed.
    consumer._committed_offset[TOPIC] = 6
    processed(consumer, 8, 7)
    assert faust_compat.faust_new_offset(consumer, TOPIC) == 9  # upstream's off-by-one
    consumer._acked[TOPIC][:] = [8, 7]
    consumer._acked_index[TOPIC].update({7, 8})
    assert consumer._new_offset(TOPIC) is None  # the installed rule holds the commit back
    assert sorted(consumer._acked[TOPIC]) == [7, 8]
    processed(consumer, 6)  # re-read and processed at last
    assert consumer._new_offset(TOPIC) == 9
    assert consumer._acked[TOPIC] == [] and consumer._acked_index[TOPIC] == set()


def test_fetch_gaps_are_not_taken_as_processed(consumer: Any) -> None:
    consumer._committed_offset[TOPIC] = 10
    processed(consumer, 10, 13)
    asyncio.get_event_loop().run_until_complete(consumer._add_gap(TOPIC, 11, 13))
    assert consumer._new_offset(TOPIC) == 11  # 11 and 12 wait for their records
    assert consumer._acked[TOPIC] == [13]


def test_stale_acks_are_dropped_and_nothing_commits_from_an_unknown_start(consumer: Any) -> None:
    processed(consumer, 0, 1)
    assert consumer._new_offset(TOPIC) is None  # committed offset unknown
    consumer._committed_offset[TOPIC] = 1
    processed(consumer, 2)
    assert consumer._new_offset(TOPIC) == 3  # 0 was acked before a seek back: dropped
    assert consumer._acked_index[TOPIC] == set()


def test_offsets_marked_empty_count_as_processed_once(consumer: Any) -> None:
    consumer._committed_offset[TOPIC] = 20
    processed(consumer, 23, 21)
    faust_compat.mark_empty(consumer, {TOPIC: range(20, 23)})
    assert sorted(consumer._acked[TOPIC]) == [20, 21, 22, 23]
    assert consumer._new_offset(TOPIC) == 24


class KeyedTable(KeyPartitioned, faust.Table):
    def partition_for_key(self, key: Any) -> int:
        return (murmur2(str(key).encode()) & 0x7FFFFFFF) % 4


class RawTable(RawKeys, faust.Table):
    pass


@pytest.mark.kafka
def test_a_real_app_on_the_broker(kafka_bootstrap: str) -> None:
    asyncio.run(_real_app(kafka_bootstrap))


async def _real_app(bootstrap: str) -> None:
    app_id = f"compat-{uuid.uuid4().hex[:10]}"
    source = f"{app_id}-in"
    await create_topics(bootstrap, [source], partitions=1)
    app = faust.App(
        app_id,
        broker=f"kafka://{bootstrap}",
        store="memory://",
        datadir=tempfile.mkdtemp(prefix="compat-"),
        web_enabled=False,
        topic_partitions=4,
        broker_commit_interval=0.2,
    )
    topic = app.topic(source, value_type=bytes, value_serializer="raw", partitions=1)
    keyed = app.tables.add(KeyedTable(app, name="keyed", key_type=str, partitions=4))
    raw = app.tables.add(RawTable(app, name="raw", key_type=str, partitions=4))
    seen: list[int] = []

    @app.agent(topic)
    async def consume(stream: Any) -> None:
        async for event in stream.events():
            seen.append(event.message.offset)

    guard = faust_compat.install(app, stall_seconds=1.0, interval=0.2)
    assert faust_compat.install(app) is guard  # once per app
    tp = TP(source, 0)
    try:
        await app.start()
        await _produce(bootstrap, source, 5)
        consumer = app.consumer
        await _until(lambda: len(seen) == 5, "the five records")
        assert faust_compat.check_consumer_state(consumer)
        # A new group: the guard learnt where the partition starts, so commits can go on.
        await _until(lambda: faust_compat.committed_offset(consumer, tp) == 5, "commit 5")
        view = faust_compat.partition_views(consumer, app.tables.changelog_topics)[tp]
        assert (view.position, view.next_expected, view.committed) == (5, 5, 5)
        assert not view.in_flight and view.seek_to is None
        assert faust_compat.next_to_deliver(consumer, tp) == 5

        # The guard's repair: a seek back re-delivers through the real fetcher and stream.
        await faust_compat.reread(consumer, {tp: 2})
        await _until(lambda: seen[5:] == [2, 3, 4], "the re-read records")
        await _until(lambda: faust_compat.committed_offset(consumer, tp) == 5, "commit held")

        # Table mixins: raw keys, and a write outside any stream goes to the key's partition.
        assert raw.changelog_topic.key_serializer == "raw"
        keyed["job-1"] = {"state": "sent"}
        await app.producer.flush()
        changelog = keyed.changelog_topic.get_topic_name()
        records = await _read(bootstrap, changelog)
        assert [(r.key, r.partition) for r in records] == [
            (b"job-1", keyed.partition_for_key("job-1"))
        ]
    finally:
        await app.stop()
        await delete_topics(bootstrap, app_id)


async def _produce(bootstrap: str, topic: str, n: int) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        for i in range(n):
            await producer.send_and_wait(topic, b"r%d" % i, partition=0)
    finally:
        await producer.stop()


async def _read(bootstrap: str, topic: str) -> list[Any]:
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, group_id=None, auto_offset_reset="earliest"
    )
    await consumer.start()
    try:
        batches = await consumer.getmany(timeout_ms=5_000)
        return [r for records in batches.values() for r in records]
    finally:
        await consumer.stop()


async def _until(check: Any, what: str, timeout: float = 30.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not check():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)
