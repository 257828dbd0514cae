"""The core decisions on the SQLite store with a stand-in segmenter (the scenarios both
runtimes share are in tests/behaviour)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from notifier.campaigns.store import JobState, ReviewStatus
from notifier.config import Settings
from notifier.messengers.memory import MemoryMessenger
from notifier.runtime.embedded import EmbeddedRuntime
from tests.helpers import PipeSegmenter, address, quarantine


@pytest.fixture
def runtime(tmp_path: Path) -> EmbeddedRuntime:
    rt = EmbeddedRuntime(
        Settings(data_dir=tmp_path), messenger=MemoryMessenger(), segmenter=PipeSegmenter()
    )
    yield rt
    rt.close()


def feed(rt: EmbeddedRuntime, *events: dict) -> None:
    rt.ingest(json.dumps(e) for e in events)


def sent(rt: EmbeddedRuntime) -> list:
    assert isinstance(rt.dispatcher.messenger, MemoryMessenger)
    return [email for _, email in rt.dispatcher.messenger.sent]


def test_new_quarantine_reaches_known_residents_only(runtime: EmbeddedRuntime) -> None:
    feed(
        runtime,
        address("c1", "Prestige Shantiniketan | Whitefield | Bengaluru | 560066"),
        address("c2", "Prestige Shantiniketan | Whitefield | Bangalore | 560066", language="hi"),
        address("c3", "Brigade Lakefront | Whitefield | Bengaluru | 560066"),
        address("c4", " | Whitefield | Bengaluru | 560066"),
        quarantine("B1", "Prestige Shantiniketan"),
    )
    runtime.dispatch()
    emails = sent(runtime)
    assert sorted(e.to for e in emails) == ["c1@example.org", "c2@example.org"]
    assert {e.tags["kind"] for e in emails} == {"announcement"}
    hindi = next(e for e in emails if e.to.startswith("c2"))
    assert hindi.language == "hi"
    assert hindi.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_lift_cancels_pending_announcements(runtime: EmbeddedRuntime) -> None:
    feed(
        runtime,
        address("c1", "Prestige Shantiniketan | Whitefield | Bengaluru | 560066"),
        quarantine("B1", "Prestige Shantiniketan"),
        quarantine("B1", "", kind="lifted"),
    )
    runtime.dispatch()
    assert sent(runtime) == []  # never announced, so no "deliveries resume" either
    assert runtime.store.job_counts() == {JobState.CANCELLED.value: 1}


def test_deleting_the_address_stops_pending_email(runtime: EmbeddedRuntime) -> None:
    feed(
        runtime,
        address("c1", "Prestige Shantiniketan | Whitefield | Bengaluru | 560066"),
        quarantine("B1", "Prestige Shantiniketan"),
        address("c1", "", deleted=True),
    )
    runtime.dispatch()
    assert sent(runtime) == []


def test_suppressed_addresses_are_never_emailed(runtime: EmbeddedRuntime) -> None:
    runtime.store.suppress("C1@example.org", "complaint")
    feed(
        runtime,
        address("c1", "Prestige Shantiniketan | Whitefield | Bengaluru | 560066"),
        quarantine("B1", "Prestige Shantiniketan"),
    )
    runtime.dispatch()
    assert sent(runtime) == []
    assert runtime.store.job_counts() == {JobState.SUPPRESSED.value: 1}


def test_doubtful_pair_goes_to_review_and_approval_sends(runtime: EmbeddedRuntime) -> None:
    # Part of the registered name, in its place: a short form or a sub-project - not certain.
    feed(
        runtime,
        address("c1", "Prestige Habitat | Whitefield | Bengaluru | 560066"),
        quarantine("B1", "Prestige Lakeside Habitat"),
    )
    runtime.dispatch()
    reviews = runtime.store.list_reviews(ReviewStatus.OPEN)
    assert sent(runtime) == [] and len(reviews) == 1
    assert "score" in reviews[0].explanation
    with runtime.db.transaction():
        runtime.planner.approve(reviews[0].review_id)
    runtime.dispatch()
    assert [e.to for e in sent(runtime)] == ["c1@example.org"]
    with pytest.raises(ValueError, match="already approved"):
        runtime.planner.approve(reviews[0].review_id)


def test_invalid_events_are_dead_lettered_with_reason(runtime: EmbeddedRuntime) -> None:
    stats = runtime.ingest(
        [
            "not json",
            json.dumps({"type": "address.changed", "event_id": "x"}),
            json.dumps(quarantine("B1", "", kind="lifted")),  # nothing to lift
            json.dumps(address("c1", "Prestige Shantiniketan | Whitefield | Bengaluru | 560066")),
        ]
    )
    assert stats.invalid == 3 and stats.addresses == 1
    reasons = [d.reason for d in runtime.store.dead_letters()]
    assert any("not JSON" in r for r in reasons)
    assert any("customer_id" in r for r in reasons)
    assert any("not quarantined" in r for r in reasons)


def test_registry_aliases_and_brand_are_kept_and_matched(runtime: EmbeddedRuntime) -> None:
    registered = quarantine(
        "B1", "Life Republic", locality="Marunji", city="Pune", pincode="411057"
    ) | {"aliases": ["LR Township"], "brand": "Kolte Patil"}
    feed(
        runtime,
        address("c1", "LR Township | Marunji | Pune | 411057"),
        address("c2", "Kolte Patil Life Republic | Marunji | Pune | 411057"),
        registered,
    )
    stored = runtime.store.get_quarantine("B1")
    assert stored is not None
    assert (stored.aliases, stored.brand) == (("LR Township",), "Kolte Patil")
    runtime.dispatch()
    assert sorted(e.to for e in sent(runtime)) == ["c1@example.org", "c2@example.org"]


def test_a_rejection_holds_for_that_building_and_a_lift_closes_open_reviews(
    runtime: EmbeddedRuntime,
) -> None:
    # part of the registered name, in its place: a doubtful pair
    doubtful = "Prestige Habitat | Whitefield | Bengaluru | 560066"
    feed(
        runtime,
        address("c1", doubtful),
        address("c2", doubtful),
        quarantine("B1", "Prestige Lakeside Habitat"),
    )
    first, second = runtime.store.list_reviews(ReviewStatus.OPEN)
    rejected = first if first.customer_id == "c1" else second
    with runtime.db.transaction():
        runtime.planner.reject(rejected.review_id)
    feed(runtime, {**address("c1", doubtful), "event_id": "c1-edit"})  # same address again
    assert [r.customer_id for r in runtime.store.list_reviews(ReviewStatus.OPEN)] == ["c2"]
    feed(runtime, quarantine("B1", "", kind="lifted"))
    assert runtime.store.list_reviews(ReviewStatus.OPEN) == []  # closed with the episode
    feed(runtime, {**quarantine("B1", "Prestige Lakeside Habitat"), "event_id": "again"})
    # a new episode: c2 is asked about again, c1 (rejected for this building) is not
    assert [r.customer_id for r in runtime.store.list_reviews(ReviewStatus.OPEN)] == ["c2"]
    runtime.dispatch()
    assert sent(runtime) == []
