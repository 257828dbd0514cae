"""Open-rate tracking and reports on the Kafka runtime, end to end.

A real worker sends a campaign through moto SES; SES event records (SNS envelopes, sent
twice each, plus junk) go into moto's SQS and through ``notifier ses-bridge --kafka`` onto
the ses-events topic; the worker folds them into its Faust tables, suppresses the bounced and
the complaining address, and serves the figures over HTTP with the ops bearer token. The
figures must be the ones the shared folding code gives for the same events, and the ones
counted by hand.
"""

from __future__ import annotations

import asyncio
import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest

from notifier.reporting.report import build_report
from notifier.runtime.local_ses import LOCAL_CREDENTIALS
from notifier.tracking.ingest import Tracker, ingest_records
from notifier.tracking.store import MappingTrackingStore
from tests.helpers import address, quarantine
from tests.streams.support import moto_deployment, moto_messages, notifier, recipients
from tests.streams.workers import Deployment, Worker, wait_until
from tests.tracking import aws_examples as aws

pytestmark = [pytest.mark.kafka, pytest.mark.slow]

TOKEN = "kafka-report-test-token"
HOME = "Prestige Shantiniketan | Whitefield | Bengaluru | 560066"
APPLE = {"agent": "Mozilla/5.0", "ip": "17.58.1.20"}  # Mail Privacy Protection prefetch


def building(**kw: Any) -> dict[str, Any]:
    return quarantine("B0", "Prestige Shantiniketan", locality="Whitefield", city="Bengaluru", **kw)


@pytest.fixture
def deployment(kafka_bootstrap: str, tmp_path: Path) -> Iterator[Deployment]:
    with moto_deployment(kafka_bootstrap, tmp_path, {"NOTIFIER_API_TOKEN": TOKEN}) as dep:
        yield dep


def get(worker: Worker, path: str, token: str | None = TOKEN) -> tuple[int, str]:
    request = urllib.request.Request(f"http://127.0.0.1:{worker.port}{path}")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()
    except OSError:
        return 0, ""  # not listening yet


def campaigns(worker: Worker) -> dict[str, Any]:
    status, body = get(worker, "/campaigns")
    return json.loads(body) if status == 200 else {}


def events_for(ids: list[str], sent: datetime) -> list[dict[str, Any]]:
    """0-5 opened by a person (0 and 1 also click), 6-7 only prefetched by Apple's proxy,
    10 complains, 11 bounces for good; 0-10 delivered."""
    at = {"sent": sent}
    records = [aws.send(mid, **at) for mid in ids]
    records += [aws.delivery(mid, sent + timedelta(minutes=1), **at) for mid in ids[:11]]
    records += [aws.open_(mid, sent + timedelta(hours=1), **at) for mid in ids[:6]]
    records += [aws.click(mid, sent + timedelta(hours=2), **at) for mid in ids[:2]]
    records += [
        aws.open_(mid, sent + timedelta(minutes=1, seconds=2), **APPLE, **at) for mid in ids[6:8]
    ]
    records.append(aws.complaint(ids[10], sent + timedelta(hours=3), **at))
    records.append(aws.bounce(ids[11], sent + timedelta(minutes=1), **at))
    return records


def bridge(dep: Deployment, records: list[dict[str, Any]]) -> str:
    """SNS envelopes (each twice: SES delivers at least once) and junk through SQS and
    ``notifier ses-bridge --kafka``; returns the bridge's summary line."""
    sqs = boto3.client(
        "sqs", endpoint_url=dep.ses_endpoint, region_name="ap-south-1", **LOCAL_CREDENTIALS
    )
    url = sqs.create_queue(QueueName=f"{dep.app_id}-ses")["QueueUrl"]
    bodies = [json.dumps(aws.sns(r)) for r in records] * 2 + ['{"not": "an SES event"}']
    for i in range(0, len(bodies), 10):
        entries = [{"Id": str(j), "MessageBody": b} for j, b in enumerate(bodies[i : i + 10])]
        sqs.send_message_batch(QueueUrl=url, Entries=entries)
    done = notifier(
        dep,
        *("ses-bridge", "--kafka", "--once", "--queue-url", url, "--region", "ap-south-1"),
        *("--endpoint-url", dep.ses_endpoint),
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_ses_events_through_the_bridge_give_the_report_figures(deployment: Deployment) -> None:
    worker = deployment.worker("w").start()
    try:
        check_reports(deployment, worker)
    finally:
        worker.stop(timeout=20)


def check_reports(dep: Deployment, worker: Worker) -> None:
    wait_until(lambda: get(worker, "/campaigns", None)[0] == 401, 60, "the web server", [worker])
    assert get(worker, "/campaigns", "wrong")[0] == 401
    people = [address(f"p{i}", HOME) for i in range(12)]
    asyncio.run(dep.produce("address-changes", [(p["customer_id"], p) for p in people]))
    asyncio.run(dep.produce("quarantine-events", [("B0", building())]))
    sent_at = datetime.now(UTC)
    wait_until(
        lambda: campaigns(worker).get("totals", {}).get("sent") == 12, 90, "12 sent", [worker]
    )
    messages = moto_messages(dep.ses_endpoint)
    by_person = {m["destinations"][0]: m["id"] for m in messages}
    ids = [by_person[f"p{i}@example.org"] for i in range(12)]

    summary = bridge(dep, events_for(ids, sent_at))
    assert summary.startswith(f"{2 * len(events_for(ids, sent_at)) + 1} SQS messages"), summary
    assert "1 dead-lettered" in summary
    [letter] = asyncio.run(dep.read_all("dead-letters", expect=1))
    assert letter["source"].startswith("sqs:") and "SES event type" in letter["reason"]

    seen: list[dict[str, Any]] = [{}]

    def settled() -> dict[str, Any]:
        seen[0] = totals = campaigns(worker).get("totals", {})
        return totals if totals.get("complaints") == 1 and totals.get("unique_opens") == 8 else {}

    try:
        totals = wait_until(settled, 60, "the events folded", [worker])
    except AssertionError as exc:
        raise AssertionError(f"last figures: {seen[0]}\n{exc}") from None
    by_hand = {
        "sent": 12,
        "delivered": 11,
        "bounced": 1,
        "hard_bounced": 1,
        "complaints": 1,
        "unique_opens": 8,
        "human_opens": 6,
        "machine_only_opens": 2,
        "open_events": 8,
        "clicks": 2,
        "human_clicks": 2,
        "median_first_open_seconds": 3540.0,  # delivered at +1 min, a person opens at +1 h
    }
    assert {k: totals[k] for k in by_hand} == by_hand

    # The same figures as the shared folding code gives for the same events.
    listing = campaigns(worker)
    [row] = listing["campaigns"]
    sent = {
        mid: {"campaign_id": row["key"], "building_id": "B0", "language": "en", "name": "x"}
        for mid in ids
    }
    local = MappingTrackingStore({}, sent)

    class Sink:
        def suppress(self, email: str, reason: str) -> None: ...
        def dead_letter(self, letter: Any) -> None: ...

    ingest_records(events_for(ids, sent_at) * 2, Tracker(local, Sink()))
    expected = build_report(local).totals_dict()
    assert totals == expected
    assert row["sent"] == 12 and row["label"].startswith("Prestige Shantiniketan, Bengaluru")

    status, body = get(worker, f"/campaigns/{row['key']}")
    assert status == 200 and json.loads(body)["totals"]["human_opens"] == 6
    assert get(worker, "/campaigns/no-such-campaign")[0] == 404
    status, html = get(worker, "/report")
    assert status == 200 and "Prestige Shantiniketan" in html and "<svg" in html
    assert get(worker, "/report", None)[0] == 401
    assert get(worker, "/table/job-states/", None)[0] == 404  # Faust's table views are off

    # `notifier report --url` prints the worker's figures (the token from the environment).
    base = f"http://127.0.0.1:{worker.port}"
    printed = notifier(dep, "report", "--url", base, "--format", "json")
    assert printed.returncode == 0, printed.stderr
    assert json.loads(printed.stdout)["totals"] == totals
    refused = notifier(dep, "report", "--url", base, NOTIFIER_API_TOKEN="wrong")
    assert refused.returncode != 0 and "401" in refused.stderr

    # The complaint and the hard bounce suppressed their addresses: the update skips them.
    asyncio.run(
        dep.produce("quarantine-events", [("B0", building(kind="updated", pickup_location="G2"))])
    )
    wait_until(lambda: len(moto_messages(dep.ses_endpoint)) >= 22, 60, "10 updates", [worker])
    time.sleep(3)  # a wrongly sent 11th or 12th would show up by now
    counts = recipients(dep.ses_endpoint)
    assert counts.pop("p10@example.org") == counts.pop("p11@example.org") == 1
    assert counts == {f"p{i}@example.org": 2 for i in range(10)}
