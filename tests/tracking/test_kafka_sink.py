"""The bridge's Kafka sink reads brokers written the way Faust's settings write them."""

from __future__ import annotations

from notifier.tracking.kafka_sink import bootstrap_servers


def test_faust_broker_urls_become_bootstrap_servers() -> None:
    assert bootstrap_servers("kafka://127.0.0.1:19092") == "127.0.0.1:19092"
    assert bootstrap_servers("kafka://k1:9092;kafka://k2:9092") == "k1:9092,k2:9092"
    assert bootstrap_servers("k1:9092, k2:9092") == "k1:9092,k2:9092"
