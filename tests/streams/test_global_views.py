"""Two workers, each owning half the partitions, both see the suppressions, the sent
messages and the tracking states the other wrote (``streams/global_view.py``): real broker,
real worker processes, moto SES and SQS over HTTP.

Every person lives in two quarantined buildings: the first building's announcement job and
the second's fall in partitions of different workers for some of them (checked). They
unsubscribe through the first email's link: the second building then emails none of them,
whichever worker sends. Each worker's report counts every message, the other's included.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiokafka.partitioner import murmur2

from notifier.campaigns.planner import episode_id_for
from notifier.events.contracts import EmailJob, EmailKind, QuarantineRegistered
from tests.behaviour.drivers import TOKEN, KafkaDriver, parse_mail
from tests.helpers import address, quarantine
from tests.streams.support import moto_deployment, moto_messages
from tests.streams.workers import Deployment, Worker, wait_until
from tests.tracking import aws_examples as aws

pytestmark = [pytest.mark.kafka, pytest.mark.slow]

HOME = "Prestige Shantiniketan | Whitefield | Bengaluru | 560066"
OFFICE = "Lodha Bellissimo | Worli | Mumbai | 400018"
PEOPLE = 16


@pytest.fixture
def deployment(kafka_bootstrap: str, tmp_path: Path) -> Iterator[Deployment]:
    with moto_deployment(kafka_bootstrap, tmp_path, {"NOTIFIER_API_TOKEN": TOKEN}) as dep:
        yield dep


class OnWorker(KafkaDriver):
    """The behaviour suite's HTTP and bridge helpers, pointed at one of several workers."""

    def __init__(self, dep: Deployment, worker: Worker) -> None:  # no worker of its own
        self.dep, self.worker = dep, worker
        self.ses_endpoint, self.port = dep.ses_endpoint, worker.port


def owner(dep: Deployment, workers: list[Worker], job_id: str) -> str:
    partition = (murmur2(job_id.encode()) & 0x7FFFFFFF) % 8  # the producer's partitioner
    [found] = [w.name for w in workers if partition in w.assigned(dep.topic("email-jobs"))]
    return found


def test_two_workers_see_each_others_suppressions_sent_messages_and_tracking(
    deployment: Deployment,
) -> None:
    dep = deployment
    a, b = dep.worker("a").start(), dep.worker("b").start()
    workers = [a, b]
    topic = dep.topic("email-jobs")
    wait_until(
        lambda: (
            all(w.assigned(topic) for w in workers)
            and a.assigned(topic) | b.assigned(topic) == set(range(8))
        ),
        60,
        "both workers to own partitions",
        workers,
    )
    views = [OnWorker(dep, w) for w in workers]
    people = [f"g{i}" for i in range(PEOPLE)]
    home = quarantine("B0", "Prestige Shantiniketan", city="Bengaluru", pincode="560066")
    office = quarantine("B1", "Lodha Bellissimo", locality="Worli", city="Mumbai", pincode="400018")
    asyncio.run(
        dep.produce(
            "address-changes",
            [(p, address(p, HOME)) for p in people]
            + [(p, address(p, OFFICE, address_id="office")) for p in people],
        )
    )
    asyncio.run(dep.produce("quarantine-events", [("B0", home)]))
    sent_at = datetime.now(UTC)
    wait_until(lambda: len(moto_messages(dep.ses_endpoint)) >= PEOPLE, 90, "announcements", workers)
    mails = [parse_mail(m) for m in moto_messages(dep.ses_endpoint)]
    first_jobs = {m.to.split("@")[0]: m.job_id for m in mails}
    assert set(first_jobs) == set(people)

    # Tracking: every message delivered and opened, the events bridged onto the topic (keyed
    # by message id: folded by whichever worker owns that partition, not the sender).
    at = {"sent": sent_at}
    records = [aws.send(m.message_id, **at) for m in mails]
    records += [aws.delivery(m.message_id, sent_at + timedelta(minutes=1), **at) for m in mails]
    records += [aws.open_(m.message_id, sent_at + timedelta(hours=1), **at) for m in mails]
    views[0].feed_ses_events(records)
    want = {"sent": PEOPLE, "delivered": PEOPLE, "unique_opens": PEOPLE, "human_opens": PEOPLE}

    def reported(view: OnWorker) -> dict[str, Any]:
        code, body = view.call("/campaigns")
        totals = body.get("totals", {}) if code == 200 else {}
        return {k: totals.get(k) for k in want}

    for view in views:
        what = f"{view.worker.name}'s report of every message"
        wait_until(lambda v=view: reported(v) == want, 60, what, workers)

    # Unsubscribe everyone through their first email's link, all on worker a.
    for mail in mails:
        views[0].unsubscribe(mail)
    time.sleep(2)  # the control agents write the suppressions, the changelogs carry them

    registered = QuarantineRegistered.model_validate(office)
    second_jobs = {
        p: EmailJob.make_id(episode_id_for(registered), EmailKind.ANNOUNCEMENT, 0, p)
        for p in people
    }
    crossing = [
        p
        for p in people
        if owner(dep, workers, first_jobs[p] or "") != owner(dep, workers, second_jobs[p])
    ]
    assert crossing, "no person's second job is on the other worker: pick other ids"
    asyncio.run(dep.produce("quarantine-events", [("B1", office)]))
    wait_until(
        lambda: (
            sum(w.counter("notifier_emails_total", state="suppressed") for w in workers) >= PEOPLE
        ),
        60,
        "the second building's jobs suppressed",
        workers,
    )
    time.sleep(2)
    assert len(moto_messages(dep.ses_endpoint)) == PEOPLE  # not one email more
