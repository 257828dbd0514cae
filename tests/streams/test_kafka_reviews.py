"""Review approvals on the Kafka runtime: real broker, real workers, moto SES over HTTP.

Ops list, approve and reject review items through the worker's HTTP views; an approval sends
exactly one email even when the worker is killed -9 right after it accepted the decision; a
rejection sends none and holds when the same address is sent again.
"""

from __future__ import annotations

import asyncio
import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiokafka.partitioner import murmur2

from tests.helpers import address, quarantine
from tests.streams.support import moto_deployment, moto_messages, notifier, recipients
from tests.streams.workers import Deployment, Worker, wait_until

pytestmark = [pytest.mark.kafka, pytest.mark.slow]

TOKEN = "kafka-reviews-test-token"
# Half the name, no locality, no pincode: the matcher is not sure (review); the city routes it.
DOUBTFUL = "Shantiniketan |  | Bengaluru | "


@pytest.fixture
def deployment(kafka_bootstrap: str, tmp_path: Path) -> Iterator[Deployment]:
    with moto_deployment(kafka_bootstrap, tmp_path, {"NOTIFIER_API_TOKEN": TOKEN}) as dep:
        yield dep


def call(
    worker: Worker, path: str, method: str = "GET", token: str = TOKEN
) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{worker.port}{path}",
        method=method,
        data=b"" if method == "POST" else None,
    )
    request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")
    except OSError:
        return 0, {}  # not listening yet


def reviews(worker: Worker, status: str = "open") -> list[dict[str, Any]]:
    code, body = call(worker, f"/reviews?status={status}")
    return body["reviews"] if code == 200 else []


def ready(dep: Deployment, *workers: Worker) -> None:
    """Wait until the workers together read all 8 partitions of the input topics, each some."""

    def assigned() -> bool:
        for topic in ("address-changes", "review-decisions"):
            shares = [w.assigned(dep.topic(topic)) for w in workers]
            if not all(shares) or set().union(*shares) != set(range(8)):
                return False
        return True

    wait_until(assigned, 60, "the workers to be assigned", workers)


def produce(dep: Deployment, topic: str, events: list[dict[str, Any]]) -> None:
    key = "customer_id" if topic == "address-changes" else "building_id"
    asyncio.run(dep.produce(topic, [(e[key], e) for e in events]))


def caught_up(dep: Deployment, worker: Worker) -> bool:
    return worker.counter("notifier_consumer_lag") == 0 and bool(
        worker.assigned(dep.topic("email-jobs"))
    )


@pytest.mark.parametrize("store", ["memory://", "rocksdb://"])
def test_approve_then_kill_9_sends_one_email_and_a_rejection_holds(
    deployment: Deployment, store: str
) -> None:
    dep = deployment
    dep.store = store  # rocksdb://: the restarted worker finds the planner's tables on disk
    first = dep.worker("first").start()
    ready(dep, first)
    produce(
        dep,
        "quarantine-events",
        [quarantine("B0", "Prestige Shantiniketan", city="Bengaluru", pincode="560066")],
    )
    produce(dep, "address-changes", [address("yes", DOUBTFUL), address("no", DOUBTFUL)])
    found = wait_until(
        lambda: len(reviews(first)) == 2 and reviews(first), 60, "2 reviews", [first]
    )
    by_customer = {item["customer_id"]: item for item in found}
    assert set(by_customer) == {"yes", "no"}
    assert all(item["route"] == "bengaluru" for item in found)
    assert emails(dep) == 0, "a doubtful match sends nothing before a person decides"

    # the token guards every view; an unknown id is a 404; a bad status filter a 422
    assert call(first, "/reviews", token="wrong")[0] == 401
    approve_yes = f"/reviews/{by_customer['yes']['review_id']}/approve"
    assert call(first, approve_yes, "POST", token="wrong")[0] == 401
    assert call(first, "/reviews/nope/approve", "POST")[0] == 404
    assert call(first, "/reviews/nope/reject", "POST")[0] == 404
    assert call(first, "/reviews?status=maybe")[0] == 422

    code, body = call(first, approve_yes, "POST")
    assert code == 202 and body["decision"] == "approve" and body["job_id"]
    code, body = call(first, f"/reviews/{by_customer['no']['review_id']}/reject", "POST")
    assert code == 202 and body["decision"] == "reject"
    first.kill()  # at once: the decisions may or may not be applied, the email not yet sent

    second = dep.worker("second", datadir=first.datadir).start()
    ready(dep, second)
    wait_until(lambda: emails(dep) >= 1, 90, "the approved resident's email", [second])
    wait_until(lambda: caught_up(dep, second), 60, "the worker to catch up", [second])
    decided = {item["customer_id"]: item["status"] for item in reviews(second, "all")}
    assert decided == {"yes": "approved", "no": "rejected"}
    assert reviews(second) == []
    assert call(second, approve_yes, "POST")[0] == 409  # already approved

    # the rejected address sent again (an edit, same text) does not re-open its review
    planned = second.counter("notifier_events_processed_total", stage="plan")
    produce(dep, "address-changes", [address("no", DOUBTFUL)])
    wait_until(
        lambda: second.counter("notifier_events_processed_total", stage="plan") > planned,
        60,
        "the re-sent address to be planned",
        [second],
    )
    time.sleep(3)  # more emails would be duplicates or the rejected one: give them time
    assert reviews(second) == []
    assert recipients(dep.ses_endpoint) == {"yes@example.org": 1}


def emails(dep: Deployment) -> int:
    return len(moto_messages(dep.ses_endpoint))


def test_any_worker_takes_a_decision_and_the_owner_dying_loses_nothing(
    deployment: Deployment,
) -> None:
    dep = deployment
    a, b = dep.worker("a").start(), dep.worker("b").start()
    ready(dep, a, b)
    produce(
        dep,
        "quarantine-events",
        [quarantine("B0", "Prestige Shantiniketan", city="Bengaluru", pincode="560066")],
    )
    produce(dep, "address-changes", [address("yes", DOUBTFUL)])
    # both workers list the whole queue (the global table), whichever plans the route
    for worker in (a, b):
        wait_until(lambda w=worker: reviews(w), 60, f"the review on {worker.name}", [a, b])
    (item,) = reviews(a)
    partition = (murmur2(item["route"].encode()) & 0x7FFFFFFF) % 8
    owns = [w for w in (a, b) if partition in w.assigned(dep.topic("review-decisions"))]
    assert len(owns) == 1, "one worker owns the route's partition"
    owner = owns[0]
    other = b if owner is a else a

    code, body = call(other, f"/reviews/{item['review_id']}/approve", "POST")
    assert code == 202, body
    owner.kill()  # the planner of the route dies; its partitions move to the other worker
    wait_until(lambda: emails(dep) >= 1, 90, "the approved resident's email", [other])
    wait_until(lambda: caught_up(dep, other), 60, "the worker to catch up", [other])
    wait_until(
        lambda: partition in other.assigned(dep.topic("review-decisions")),
        60,
        "the route's partition to move",
        [other],
    )
    time.sleep(3)  # a duplicate would show up now
    assert [i["status"] for i in reviews(other, "all")] == ["approved"]
    assert recipients(dep.ses_endpoint) == {"yes@example.org": 1}


def test_review_cli_with_url_lists_approves_and_rejects_on_a_worker(
    deployment: Deployment,
) -> None:
    dep = deployment
    worker = dep.worker("w").start()
    ready(dep, worker)
    produce(
        dep,
        "quarantine-events",
        [quarantine("B0", "Prestige Shantiniketan", city="Bengaluru", pincode="560066")],
    )
    produce(dep, "address-changes", [address("yes", DOUBTFUL), address("no", DOUBTFUL)])
    wait_until(lambda: len(reviews(worker)) == 2, 60, "2 reviews", [worker])
    base = f"http://127.0.0.1:{worker.port}"

    listed = notifier(dep, "review", "list", "--url", base, "--json")
    assert listed.returncode == 0, listed.stderr
    by_customer = {item["customer_id"]: item for item in json.loads(listed.stdout)}
    assert set(by_customer) == {"yes", "no"}
    yes, no = by_customer["yes"]["review_id"], by_customer["no"]["review_id"]
    text = notifier(dep, "review", "list", "--url", base)
    assert text.returncode == 0 and yes in text.stdout and "customer no" in text.stdout

    # a wrong token, an unknown id: one error line each, exit code 1
    refused = notifier(dep, "review", "list", "--url", base, NOTIFIER_API_TOKEN="wrong")
    assert refused.returncode == 1 and "bearer token" in refused.stderr
    unknown = notifier(dep, "review", "approve", "nope", "--url", base)
    assert unknown.returncode == 1 and "no review item 'nope'" in unknown.stderr
    assert emails(dep) == 0

    # approve waits (by default) until the route's planner applied the decision
    approved = notifier(dep, "review", "approve", yes, "--url", base)
    assert approved.returncode == 0, approved.stderr
    assert approved.stdout.startswith(f"approved {yes}: 1 email(s) queued (email job ")
    assert {i["review_id"]: i["status"] for i in reviews(worker, "all")}[yes] == "approved"
    # --no-wait returns once the worker has the decision
    rejected = notifier(dep, "review", "reject", no, "--url", base, "--no-wait", "--json")
    assert rejected.returncode == 0, rejected.stderr
    assert json.loads(rejected.stdout) == {"review_id": no, "status": "accepted", "job_ids": []}
    wait_until(lambda: reviews(worker) == [], 60, "the rejection to be applied", [worker])
    again = notifier(dep, "review", "approve", yes, "--url", base)
    assert again.returncode == 1 and "already approved" in again.stderr

    wait_until(lambda: emails(dep) >= 1, 90, "the approved resident's email", [worker])
    time.sleep(3)  # a second email (or one to the rejected resident) would show up by now
    assert recipients(dep.ses_endpoint) == {"yes@example.org": 1}
    listed = notifier(dep, "review", "list", "--url", base, "--status", "all", "--json")
    assert {i["customer_id"]: i["status"] for i in json.loads(listed.stdout)} == {
        "yes": "approved",
        "no": "rejected",
    }
