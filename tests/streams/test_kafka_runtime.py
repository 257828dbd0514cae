"""The Kafka runtime end to end: real broker, real worker processes, moto SES over HTTP.

Each test is its own deployment (unique app id and topic names) with its own moto server, and
counts what moto accepted. Addresses are written "building | locality | city | pincode" and
the workers segment them with ``tests.helpers.PipeSegmenter`` (``NOTIFIER_SEGMENTER``): the
spaCy model has its own tests; here the runtime is under test. Tables are ``memory://``;
``STREAMS_TEST_STORE=rocksdb://`` runs the same tests on RocksDB (the ``rocksdb`` extra); the
kill -9 test always runs on both stores, as production uses RocksDB.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from notifier.tracking.ses_events import parse_ses_record
from notifier.tracking.sqs_bridge import run_bridge
from tests.helpers import address, quarantine
from tests.streams.support import (
    moto_deployment,
    moto_messages,
    recipients,
    send_events_of,
    sqs_queue_with,
)
from tests.streams.workers import Deployment, Worker, wait_until

pytestmark = [pytest.mark.kafka, pytest.mark.slow]

CITIES = [
    ("Prestige Shantiniketan", "Whitefield", "Bengaluru", "560066"),
    ("Lodha Bellissimo", "Worli", "Mumbai", "400018"),
    ("Brigade Gateway", "Mylapore", "Chennai", "600028"),
    ("Sobha Dream Acres", "Gachibowli", "Hyderabad", "500033"),
    ("Hiranandani Gardens", "Camp", "Pune", "411001"),
    ("DLF Capital Greens", "Hauz Khas", "New Delhi", "110016"),
]
START_TIMEOUT = 60


def home(city: int) -> str:
    name, locality, town, pin = CITIES[city]
    return f"{name} | {locality} | {town} | {pin}"


def building(city: int, **kw: Any) -> dict[str, Any]:
    name, locality, town, pin = CITIES[city]
    return quarantine(f"B{city}", name, locality=locality, city=town, pincode=pin, **kw)


@pytest.fixture
def deployment(kafka_bootstrap: str, tmp_path: Path) -> Iterator[Deployment]:
    with moto_deployment(kafka_bootstrap, tmp_path) as dep:
        yield dep


def ready(dep: Deployment, *workers: Worker) -> None:
    """Wait until the workers together read all 8 partitions of the address topic, each some."""
    topic = dep.topic("address-changes")

    def balanced() -> bool:
        shares = [w.assigned(topic) for w in workers]
        return all(shares) and set().union(*shares) == set(range(8))

    wait_until(
        balanced,
        START_TIMEOUT,
        "the workers to be assigned",
        workers,
    )


def produce(dep: Deployment, topic: str, events: list[dict[str, Any] | tuple[str, bytes]]) -> None:
    records = []
    for event in events:
        if isinstance(event, tuple):
            records.append(event)
        elif topic == "address-changes":
            records.append((event["customer_id"], event))
        else:
            records.append((event["building_id"], event))
    asyncio.run(dep.produce(topic, records))


def emails(endpoint: str) -> int:
    return len(moto_messages(endpoint))


def test_end_to_end_both_directions_dead_letters_update_lift(deployment: Deployment) -> None:
    dep = deployment
    worker = dep.worker("w1").start()
    ready(dep, worker)

    # known residents first, then the quarantine (reverse direction) ...
    residents = [address(f"r{i}", home(0)) for i in range(12)]
    others = [address(f"o{i}", home(1)) for i in range(5)]  # another city, not quarantined
    produce(dep, "address-changes", residents + others)
    produce(dep, "quarantine-events", [building(0)])
    # ... bad records in between: the worker dead-letters them and keeps going
    bad_address = {**address("bad1", home(0)), "email": "not-an-email"}
    produce(
        dep,
        "address-changes",
        [("x", b"{not json"), bad_address, ("y", b'{"type": "parcel.lost", "event_id": "e1"}')],
    )
    produce(dep, "quarantine-events", [building(5, kind="lifted")])  # never quarantined
    newcomers = [address(f"n{i}", home(0)) for i in range(3)]  # forward direction
    produce(dep, "address-changes", newcomers)
    people = [f"{e['customer_id']}@example.org" for e in residents + newcomers]
    wait_until(lambda: emails(dep.ses_endpoint) >= 15, 60, "15 announcements", [worker])
    # follow-ups go to those the planner knows were sent: wait for the senders' feedback
    wait_until(
        lambda: (
            worker.counter("notifier_events_processed_total", stage="plan", outcome="status") >= 15
        ),
        30,
        "the sent statuses",
        [worker],
    )
    assert recipients(dep.ses_endpoint) == dict.fromkeys(people, 1)

    letters = asyncio.run(dep.read_all("dead-letters", expect=4))
    reasons = sorted(letter["reason"] for letter in letters)
    assert len(reasons) == 4, reasons
    assert reasons[0] == "address.changed: Value error, email is not a valid address"
    assert reasons[1] == "lift for a building that is not quarantined"
    assert reasons[2].startswith("payload is not JSON")
    assert reasons[3] == "unknown event type 'parcel.lost'"
    bad = [letter for letter in letters if "email" in letter["reason"]]
    assert "not-an-email" in bad[0]["payload"]  # kept for replay; never in the reason

    # r0 moves to Mumbai: no more emails for B0; everyone else gets the update, then the lift
    produce(dep, "address-changes", [address("r0", home(1))])
    wait_until(
        lambda: (
            worker.counter("notifier_events_processed_total", stage="plan", outcome="address")
            >= 12 + 5 + 3 + 2
        ),  # the move is a delete in Bengaluru plus an insert in Mumbai
        30,
        "the move",
        [worker],
    )
    produce(dep, "quarantine-events", [building(0, kind="updated", pickup_location="Gate 2")])
    wait_until(lambda: emails(dep.ses_endpoint) >= 29, 60, "14 updates", [worker])
    produce(dep, "quarantine-events", [building(0, kind="lifted")])
    wait_until(lambda: emails(dep.ses_endpoint) >= 43, 60, "14 lifted notes", [worker])
    counts = recipients(dep.ses_endpoint)
    assert counts.pop("r0@example.org") == 1
    assert counts == dict.fromkeys(people[1:], 3)
    assert worker.counter("notifier_dead_letters_total") == 4
    queued = {
        kind: worker.counter("notifier_emails_queued_total", kind=kind)
        for kind in ("announcement", "update", "lifted")
    }
    assert queued == {"announcement": 15, "update": 14, "lifted": 14}
    assert worker.counter("notifier_emails_total", state="sent") == 43


@pytest.mark.parametrize("store", ["memory://", "rocksdb://"])
def test_kill_9_mid_campaign_then_restart_sends_everyone_exactly_once(
    deployment: Deployment, store: str
) -> None:
    dep = deployment
    dep.store = store  # rocksdb://: the restarted worker finds its tables on disk
    dep.send_rate = 25.0  # slow enough to be killed mid-campaign
    residents = [address(f"k{i}", home(i % 3)) for i in range(120)]
    first = dep.worker("first").start()
    ready(dep, first)
    produce(dep, "address-changes", residents)
    produce(dep, "quarantine-events", [building(0), building(1), building(2)])
    wait_until(lambda: emails(dep.ses_endpoint) >= 25, 60, "the campaign to start", [first])
    first.kill()
    sent_before = emails(dep.ses_endpoint)
    assert sent_before < 120, "the campaign finished before the kill; slow it down"

    second = dep.worker("second", datadir=first.datadir).start()  # as a restarted pod would
    wait_until(lambda: emails(dep.ses_endpoint) >= 120, 90, "all 120 emails", [second])
    # more would be duplicates: give a resend time to show up
    wait_until(
        lambda: (
            second.counter("notifier_consumer_lag") == 0
            and second.assigned(dep.topic("email-jobs"))
        ),
        30,
        "the worker to catch up",
        [second],
    )
    counts = recipients(dep.ses_endpoint)
    assert counts == {f"k{i}@example.org": 1 for i in range(120)}
    assert emails(dep.ses_endpoint) == 120


def test_two_workers_share_partitions_and_lose_nothing_when_one_leaves(
    deployment: Deployment,
) -> None:
    dep = deployment
    dep.send_rate = 20.0  # slow enough for b to leave mid-campaign
    a = dep.worker("a").start()
    b = dep.worker("b").start()
    ready(dep, a, b)
    topic = dep.topic("address-changes")
    assert a.assigned(topic) and b.assigned(topic), "both workers own partitions"
    assert not (a.assigned(topic) & b.assigned(topic))

    residents = [address(f"t{i}", home(i % len(CITIES))) for i in range(180)]
    produce(dep, "address-changes", residents)
    produce(dep, "quarantine-events", [building(i) for i in range(len(CITIES))])

    def segmented(worker: Worker) -> float:
        return worker.counter("notifier_events_processed_total", stage="segment")

    # Both take part (the slower one may still be loading its model when the other starts
    # sending), and the campaign is under way.
    wait_until(
        lambda: segmented(a) > 0 and segmented(b) > 0 and emails(dep.ses_endpoint) >= 20,
        60,
        "both workers to segment and the campaign to start",
        [a, b],
    )
    assert emails(dep.ses_endpoint) < 180, "the campaign finished before b left; slow it down"
    b.stop()  # leaves the group mid-campaign; a takes its partitions over

    wait_until(lambda: emails(dep.ses_endpoint) >= 180, 90, "all 180 emails", [a])
    wait_until(lambda: a.assigned(topic) == set(range(8)), 30, "a to own everything", [a])
    # Give a resend the time to show up: ten settle intervals with a owning every partition.
    # (The consumer-lag gauge is not used here: after a takeover it sometimes stays at 1.)
    time.sleep(10)
    assert recipients(dep.ses_endpoint) == {f"t{i}@example.org": 1 for i in range(180)}
    assert emails(dep.ses_endpoint) == 180


class _ToTopic:
    """The bridge's sink for the Kafka runtime: parsed SES events, for the ses-events topic."""

    def __init__(self) -> None:
        self.records: list[tuple[str, bytes]] = []

    def record(self, raw: Any, stats: Any, *, source: str = "ses") -> Any:
        event = parse_ses_record(raw)
        self.records.append((event.message_id, event.model_dump_json().encode()))
        stats.recorded += 1
        return "recorded"


def test_kill_9_in_doubt_jobs_settled_by_ses_send_events(deployment: Deployment) -> None:
    """Production's ledger on the Kafka runtime: a worker killed mid-batch leaves jobs in
    SENDING, some of them accepted by SES; their Send events (through the SQS bridge) settle
    them, the others are sent once their grace period passed without one."""
    dep = deployment
    dep.send_rate = 10.0  # a batch takes seconds: the kill lands inside one
    dep.extra_env.update(
        {"NOTIFIER_SENT_LEDGER": "ses-events", "NOTIFIER_IN_DOUBT_GRACE_SECONDS": "45"}
    )
    residents = [address(f"s{i}", home(i % 2)) for i in range(60)]
    first = dep.worker("first").start()
    ready(dep, first)
    produce(dep, "address-changes", residents)
    produce(dep, "quarantine-events", [building(0), building(1)])
    wait_until(lambda: emails(dep.ses_endpoint) >= 8, 60, "the campaign to start", [first])
    first.kill()
    accepted = emails(dep.ses_endpoint)
    assert accepted < 60, "the campaign finished before the kill; slow it down"

    # SES event publishing -> SNS -> SQS -> the bridge -> the ses-events topic
    sqs, url = sqs_queue_with(
        dep.ses_endpoint, f"{dep.app_id}-ses", send_events_of(dep.ses_endpoint)
    )
    sink = _ToTopic()
    bridged = run_bridge(sqs, url, sink, once=True)  # type: ignore[arg-type]
    assert bridged.tracking.recorded == accepted == len(sink.records)
    asyncio.run(dep.produce("ses-events", sink.records))

    second = dep.worker("second", datadir=first.datadir).start()
    wait_until(lambda: emails(dep.ses_endpoint) >= 60, 150, "all 60 emails", [second])
    wait_until(
        lambda: (
            second.counter("notifier_consumer_lag") == 0
            and second.assigned(dep.topic("email-jobs"))
        ),
        30,
        "the worker to catch up",
        [second],
    )
    time.sleep(3)  # a resend would show up within a few settle intervals
    assert recipients(dep.ses_endpoint) == {f"s{i}@example.org": 1 for i in range(60)}
    log = second.log.read_text(errors="replace")
    assert "accepted as message" in log  # a Send event settled a job SES had taken
    assert "example.org" not in log  # the decisions name ids only
