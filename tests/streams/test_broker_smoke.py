"""The local broker really stores and serves messages across 8 partitions."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

pytestmark = pytest.mark.kafka

MESSAGES = 40


async def test_topic_has_requested_partitions(kafka_bootstrap: str, kafka_topics) -> None:
    (topic,) = await kafka_topics(partitions=8, prefix="smoke-parts")
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap)
    await admin.start()
    try:
        (described,) = await admin.describe_topics([topic])
    finally:
        await admin.close()
    assert described["topic"] == topic
    assert sorted(p["partition"] for p in described["partitions"]) == list(range(8))


async def test_produce_then_consume_roundtrip(kafka_bootstrap: str, kafka_topics) -> None:
    (topic,) = await kafka_topics(partitions=8, prefix="smoke-rt")
    sent: dict[bytes, tuple[int, int]] = {}
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap, acks="all")
    await producer.start()
    try:
        for i in range(MESSAGES):
            key = f"key-{i}".encode()
            # Explicit partition spreads messages over all 8 so every partition is exercised.
            meta = await producer.send_and_wait(
                topic, value=f"value-{i}".encode(), key=key, partition=i % 8
            )
            sent[key] = (meta.partition, meta.offset)
    finally:
        await producer.stop()
    assert {partition for partition, _ in sent.values()} == set(range(8))

    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=kafka_bootstrap,
        group_id=f"{topic}-group",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    received: dict[bytes, tuple[int, int, bytes]] = {}
    try:
        async with asyncio.timeout(30):
            while len(received) < MESSAGES:
                batches = await consumer.getmany(timeout_ms=1000)
                for records in batches.values():
                    for record in records:
                        received[record.key] = (record.partition, record.offset, record.value)
        await consumer.commit()
        committed = {p: await consumer.committed(TopicPartition(topic, p)) for p in range(8)}
    finally:
        await consumer.stop()

    assert {k: (p, o) for k, (p, o, _) in received.items()} == sent
    assert all(value == b"value-" + key[4:] for key, (_, _, value) in received.items())
    # Each partition got MESSAGES / 8 records, so the committed position is that count.
    assert committed == dict.fromkeys(range(8), MESSAGES // 8)


async def test_auto_created_topic_gets_eight_partitions(kafka_bootstrap: str) -> None:
    # Faust and the apps may rely on broker defaults when a topic is auto-created: num.partitions=8.
    topic = f"smoke-auto-{uuid.uuid4().hex[:12]}"
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap)
    await producer.start()
    try:
        meta = await producer.send_and_wait(topic, b"hello", key=b"k")
        partitions = await producer.partitions_for(topic)
    finally:
        await producer.stop()
    assert meta.topic == topic
    assert partitions == set(range(8))
