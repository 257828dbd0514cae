"""The planner stage over route-scoped tables (plain dicts here; Faust tables in the worker)."""

from __future__ import annotations

import json
from typing import Any

from notifier.campaigns.store import JobState, ReviewItem, ReviewStatus
from notifier.events.contracts import EmailKind, parse_event
from notifier.streams.messages import JobStatus, Routed
from notifier.streams.planning import Applied, PlanningStage
from notifier.streams.routing import address_route, route_for
from notifier.streams.staged_tables import TABLES, _RecentKeys
from tests.helpers import PipeSegmenter, address, quarantine

SEG = PipeSegmenter()


def fresh_tables() -> dict[str, dict[str, Any]]:
    return {name: {} for name in TABLES}


def routed_address(event: dict[str, Any]) -> tuple[str, Routed]:
    parsed = parse_event(event)
    if event.get("deleted"):
        return "", Routed(event=parsed.to_json())
    seg = next(SEG.segment_many([event["text"]]))
    return address_route(seg, event["customer_id"]), Routed(
        event=parsed.to_json(), segments=seg.to_dict()
    )


def routed_quarantine(event: dict[str, Any]) -> tuple[str, Routed]:
    return route_for(event.get("city"), event.get("pincode")), Routed(event=json.dumps(event))


class Harness:
    """Applies events like the agent does: apply, then commit the staged writes."""

    def __init__(self, tables: dict[str, dict[str, Any]] | None = None) -> None:
        self.tables = tables if tables is not None else fresh_tables()
        self.stage = PlanningStage(self.tables)

    def address(self, event: dict[str, Any], route: str | None = None) -> Applied:
        found, message = routed_address(event)
        return self.apply(route or found, message)

    def quarantine(self, event: dict[str, Any], route: str = "bengaluru") -> Applied:
        return self.apply(route, Routed(event=json.dumps(event)))

    def sent(self, route: str, applied: Applied) -> None:
        for job in applied.jobs:
            status = JobStatus(job_id=job.job.job_id, state=JobState.SENT)
            self.apply(route, Routed(status=status))

    def apply(self, route: str, message: Routed) -> Applied:
        applied = self.stage.apply(route, message)
        self.stage.staged.commit()
        return applied


HOME = "Prestige Shantiniketan | Whitefield | Bengaluru | 560066"
# Half the name, no locality, no pincode: a doubtful match (the full name now matches outright).
DOUBTFUL = "Shantiniketan |  | Bengaluru | "


def test_routes_agree_for_address_and_building() -> None:
    seg = next(SEG.segment_many([HOME]))
    assert address_route(seg, "c1") == route_for("Bangalore", "560066") == "bengaluru"
    # no city: the pincode says where it is
    seg = next(SEG.segment_many(["Prestige Shantiniketan | Whitefield | | 560066"]))
    assert address_route(seg, "c1") == "bengaluru"
    # neither: a per-customer fallback that no building ever routes to
    seg = next(SEG.segment_many(["Prestige Shantiniketan | Whitefield"]))
    assert address_route(seg, "c1") == "~c1"


def test_both_directions_update_and_lift() -> None:
    h = Harness()
    # resident known before the quarantine: the registration finds them (reverse direction)
    assert h.address(address("c1", HOME)).jobs == []
    registered = h.quarantine(quarantine("B1", "Prestige Shantiniketan"))
    assert [(j.job.customer_id, j.job.kind) for j in registered.jobs] == [
        ("c1", EmailKind.ANNOUNCEMENT)
    ]
    assert registered.jobs[0].context.pickup.location == "Main gate"
    assert registered.jobs[0].route == "bengaluru"
    # a new resident inside the quarantined building (forward direction)
    newcomer = h.address(address("c2", HOME))
    assert [j.job.customer_id for j in newcomer.jobs] == ["c2"]
    h.sent("bengaluru", registered)
    h.sent("bengaluru", newcomer)

    # pickup point moved: an update to everyone who got the announcement
    update = quarantine("B1", "Prestige Shantiniketan", kind="updated", pickup_location="Gate 2")
    updated = h.quarantine(update)
    assert sorted((j.job.customer_id, j.job.kind, j.job.revision) for j in updated.jobs) == [
        ("c1", EmailKind.UPDATE, 1),
        ("c2", EmailKind.UPDATE, 1),
    ]
    assert updated.jobs[0].context.pickup.location == "Gate 2"
    h.sent("bengaluru", updated)

    # lift: pending jobs cancelled, a short "deliveries resume" note for residents
    late = h.address(address("c3", HOME))  # queued, never sent
    lifted = h.quarantine(quarantine("B1", "", kind="lifted"))
    assert [c.job_id for c in lifted.cancels] == [late.jobs[0].job.job_id]
    assert sorted(j.job.customer_id for j in lifted.jobs if j.job.kind is EmailKind.LIFTED) == [
        "c1",
        "c2",
    ]


def test_replays_are_harmless() -> None:
    h = Harness()
    h.address(address("c1", HOME))
    event = quarantine("B1", "Prestige Shantiniketan")
    first = h.quarantine(event)
    again = h.quarantine(event)
    assert len(first.jobs) == 1
    assert again.jobs == [] and again.outcome.duplicate


def test_address_events_are_remembered_in_memory_and_replays_after_a_restart_queue_nothing() -> (
    None
):
    tables = fresh_tables()
    h = Harness(tables)
    h.quarantine(quarantine("B1", "Prestige Shantiniketan"))
    event = address("c1", HOME)
    first = h.address(event)
    assert len(first.jobs) == 1
    assert h.address(event).outcome.duplicate  # the same worker: remembered
    assert all(event["event_id"] not in key for key in tables["seen"])  # no changelog record
    # a new worker over the same tables (the changelog) applies it again, to no effect
    again = Harness(tables).address(event)
    assert again.jobs == [] and not again.dead_letters


def test_address_events_remembered_in_memory_are_bounded() -> None:
    recent = _RecentKeys(limit=2)
    for key in ("e1", "e2", "e3"):
        recent[key] = 1
    assert list(recent) == ["e2", "e3"]


def test_a_batch_retried_from_scratch_does_not_find_its_own_events_seen() -> None:
    h = Harness()
    h.quarantine(quarantine("B1", "Prestige Shantiniketan"))
    found, message = routed_address(address("c1", HOME))
    h.stage.apply(found, message)  # applied, but the batch fails before its commit ...
    h.stage.staged.discard()
    assert len(h.apply(found, message).jobs) == 1  # ... and its retry queues the email


def test_moving_out_cancels_and_stops_follow_ups() -> None:
    h = Harness()
    h.quarantine(quarantine("B1", "Prestige Shantiniketan"))
    queued = h.address(address("c1", HOME))
    assert len(queued.jobs) == 1
    # the segment stage sends a delete to the old route when the city changes
    moved = address("c1", "Lodha Bellissimo | Worli | Mumbai | 400018")
    gone = h.address(
        {**moved, "deleted": True, "event_id": moved["event_id"] + "#moved"}, "bengaluru"
    )
    assert [c.job_id for c in gone.cancels] == [queued.jobs[0].job.job_id]
    h.address(moved)  # lands in the mumbai route
    update = quarantine("B1", "Prestige Shantiniketan", kind="updated", pickup_location="Gate 9")
    assert h.quarantine(update).jobs == []


def test_routes_are_isolated() -> None:
    h = Harness()
    h.quarantine(quarantine("B1", "Prestige Shantiniketan"))
    # same building name and pincode, but planned in another route: no state shared
    assert h.address(address("c1", HOME), route="mysuru").jobs == []
    assert h.address(address("c2", HOME)).jobs != []


def test_failed_event_rolls_back_and_dead_letters() -> None:
    h = Harness()
    h.quarantine(quarantine("B1", "Prestige Shantiniketan"))
    before = {name: dict(table) for name, table in h.tables.items()}
    bad = Routed(event=json.dumps(address("c1", HOME)), segments={"nonsense": "x"})
    applied = h.apply("bengaluru", bad)
    assert applied.kind == "error"
    assert applied.dead_letters[0].reason == "internal error: TypeError"
    assert h.tables == before


def test_state_survives_a_new_stage_over_the_same_tables() -> None:
    """A restarted worker rebuilds its matchers from the (recovered) tables."""
    tables = fresh_tables()
    Harness(tables).quarantine(quarantine("B1", "Prestige Shantiniketan"))
    restarted = Harness(tables)
    assert [j.job.customer_id for j in restarted.address(address("c9", HOME)).jobs] == ["c9"]


def test_uncommitted_writes_are_lost_and_replay_regenerates_jobs() -> None:
    """Kill between publishing and committing: the replay emits the same job ids again."""
    tables = fresh_tables()
    h = Harness(tables)
    h.quarantine(quarantine("B1", "Prestige Shantiniketan"))
    event = address("c1", HOME)
    route, message = routed_address(event)
    first = PlanningStage(tables).apply(route, message)  # never committed: the worker died
    replay = Harness(tables).apply(route, message)
    assert [j.job.job_id for j in replay.jobs] == [j.job.job_id for j in first.jobs]
    assert len(replay.jobs) == 1


def test_open_reviews_of_one_address_come_from_the_index_and_survive_a_rebuild() -> None:
    tables = fresh_tables()
    stage = PlanningStage(tables)
    store = stage.store("bengaluru")
    for review_id, customer in (("r1", "c1"), ("r2", "c1"), ("r3", "c2")):
        store.add_review(
            ReviewItem(
                review_id=review_id,
                episode_id="e1",
                building_id="B1",
                customer_id=customer,
                address_id="home",
                score=0.8,
            )
        )
    assert [r.review_id for r in store.open_reviews_of("c1", "home")] == ["r1", "r2"]
    store.set_review_status("r1", ReviewStatus.OBSOLETE)
    assert [r.review_id for r in store.open_reviews_of("c1", "home")] == ["r2"]
    assert store.open_reviews_of("c1", "work") == []
    stage.staged.commit()
    # a new stage (a restarted worker) rebuilds the per-address index from the tables
    rebuilt = PlanningStage(tables).store("bengaluru")
    assert [r.review_id for r in rebuilt.open_reviews_of("c1", "home")] == ["r2"]
    assert [r.review_id for r in rebuilt.open_reviews_of("c2", "home")] == ["r3"]
    assert [r.review_id for r in rebuilt.list_reviews()] == ["r2", "r3"]


def test_a_rejection_holds_for_that_building_and_a_lift_closes_open_reviews() -> None:
    """The embedded scenario of tests/campaigns/test_planner.py, on route-scoped tables."""
    h = Harness()
    # part of the registered name, in its place: a doubtful pair
    doubtful = "Prestige Habitat | Whitefield | Bengaluru | 560066"
    h.quarantine(quarantine("B1", "Prestige Lakeside Habitat"))
    route = routed_address(address("c1", doubtful))[0]
    h.address(address("c1", doubtful))
    h.address(address("c2", doubtful))
    store = h.stage.store(route)
    (rejected,) = [r for r in store.list_reviews() if r.customer_id == "c1"]
    h.stage.engine(route).reject(rejected.review_id)
    h.stage.staged.commit()
    h.address({**address("c1", doubtful), "event_id": "c1-edit"})
    assert [r.customer_id for r in store.list_reviews()] == ["c2"]
    h.quarantine(quarantine("B1", "", kind="lifted"), route=route)
    assert store.list_reviews() == []
    again = h.quarantine(
        {**quarantine("B1", "Prestige Lakeside Habitat"), "event_id": "again"}, route=route
    )
    assert again.jobs == []
    # a restarted worker still knows the rejection (rebuilt from the tables)
    rebuilt = Harness(h.tables)
    rebuilt.address({**address("c1", doubtful), "event_id": "c1-edit-2"})
    assert [r.customer_id for r in rebuilt.stage.store(route).list_reviews()] == ["c2"]


def test_a_review_decision_is_applied_once_whatever_replays_it() -> None:
    """What the review-decisions agent does: an approval queues one job with a fixed id, a
    replay after the tables were written queues none, a replay of an uncommitted batch the
    same job again (the sender skips it), an unknown id is a dead letter."""
    h = Harness()
    doubtful = DOUBTFUL
    h.quarantine(quarantine("B1", "Prestige Shantiniketan"))
    route = routed_address(address("c1", doubtful))[0]
    h.address(address("c1", doubtful))
    h.address(address("c2", doubtful))
    items = {r.customer_id: r.review_id for r in h.stage.store(route).list_reviews()}
    assert set(items) == {"c1", "c2"}

    first = h.stage.decide(route, items["c1"], approve=True)
    assert [(j.job.customer_id, j.job.kind) for j in first.jobs] == [("c1", EmailKind.ANNOUNCEMENT)]
    job_id = first.jobs[0].job.job_id
    h.stage.staged.discard()  # the batch failed (or the worker died) before its commit
    again = h.stage.decide(route, items["c1"], approve=True)
    assert [j.job.job_id for j in again.jobs] == [job_id]
    h.stage.staged.commit()
    replayed = h.stage.decide(route, items["c1"], approve=True)
    assert (replayed.kind, replayed.jobs) == ("review_closed", [])

    rejected = h.stage.decide(route, items["c2"], approve=False)
    assert (rejected.kind, rejected.jobs) == ("rejected", [])
    h.stage.staged.commit()
    statuses = {r.customer_id: r.status for r in h.stage.store(route).list_reviews(None)}
    assert statuses == {"c1": ReviewStatus.APPROVED, "c2": ReviewStatus.REJECTED}
    assert h.stage.decide(route, items["c2"], approve=True).kind == "review_closed"
    unknown = h.stage.decide(route, "no-such-review", approve=True)
    assert unknown.kind == "review_unknown" and len(unknown.dead_letters) == 1
    assert h.address({**address("c2", doubtful), "event_id": "c2-again"}).outcome.reviews == []


def test_the_asked_for_language_reaches_the_job_in_both_directions() -> None:
    """Kafka runtime: the ask survives the addresses table (JSON) and lands on the job."""
    h = Harness()
    h.address(address("c1", HOME, language="fr-FR"))  # known before the quarantine
    registered = h.quarantine(quarantine("B1", "Prestige Shantiniketan"))
    newcomer = h.address(address("c2", HOME, language="Urdu"))  # after it
    speaks = h.address(address("c3", HOME, language="ta"))
    jobs = [j.job for j in (*registered.jobs, *newcomer.jobs, *speaks.jobs)]
    assert [(j.customer_id, j.language.value, j.language_fallback) for j in jobs] == [
        ("c1", "en", "fr"),
        ("c2", "en", "urdu"),
        ("c3", "ta", ""),
    ]
    json.dumps(h.tables)  # still JSON-safe, as the Faust tables need
