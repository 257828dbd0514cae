"""The Kafka broker fixture of the streams tests, for tracking's Kafka-runtime test."""

from tests.streams.conftest import kafka_bootstrap  # noqa: F401  (a pytest fixture)
