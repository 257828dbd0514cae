"""Prometheus metrics of a worker, served at ``/metrics`` on the Faust web server."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

registry = CollectorRegistry(auto_describe=True)

events_processed = Counter(
    "notifier_events_processed",
    "Input events processed, by stage (segment, quarantine, plan) and outcome.",
    ["stage", "outcome"],
    registry=registry,
)
dead_letters = Counter(
    "notifier_dead_letters", "Records sent to the dead-letter topic.", ["source"], registry=registry
)
emails_queued = Counter(
    "notifier_emails_queued", "Email jobs published by the planner.", ["kind"], registry=registry
)
emails = Counter(
    "notifier_emails",
    "Email jobs settled by the sender, by final state.",
    ["state"],
    registry=registry,
)
ses_events = Counter(
    "notifier_ses_events", "SES events consumed, by type.", ["type"], registry=registry
)
reviews_opened = Counter(
    "notifier_reviews_opened", "Doubtful matches put in the review queue.", registry=registry
)
segment_seconds = Histogram(
    "notifier_segment_batch_seconds",
    "Time to segment one batch of addresses.",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
    registry=registry,
)

batch_seconds = Histogram(
    "notifier_batch_seconds",
    "Time to handle one batch of input, by agent (includes waiting for Kafka acks).",
    ["agent"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
    registry=registry,
)
batch_events = Counter(
    "notifier_batch_events", "Events handled in batches, by agent.", ["agent"], registry=registry
)

LagSource = Callable[[], Iterable[tuple[str, int, int]]]


class ConsumerLag(Collector):
    """``notifier_consumer_lag{topic,partition}``: messages not yet read, at scrape time."""

    def __init__(self) -> None:
        self.source: LagSource | None = None

    def collect(self) -> Iterator[GaugeMetricFamily]:
        gauge = GaugeMetricFamily(
            "notifier_consumer_lag",
            "High watermark minus the next offset to read, per assigned partition.",
            labels=["topic", "partition"],
        )
        if self.source is not None:
            for topic, partition, lag in self.source():
                gauge.add_metric([topic, str(partition)], lag)
        yield gauge


consumer_lag = ConsumerLag()
registry.register(consumer_lag)


def render() -> bytes:
    return generate_latest(registry)


def count_events(stage: str, outcomes: Mapping[str, int]) -> None:
    """Add a batch's outcomes (labels() once per outcome, not per event: it shows)."""
    for outcome, n in outcomes.items():
        events_processed.labels(stage=stage, outcome=outcome).inc(n)
