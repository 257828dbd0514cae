"""Stage 2: the routed topic -> email jobs and cancellations (the engine's planner per route);
the review-decisions topic -> the planner's approve/reject (an approval's one email job).

Both agents share one :class:`PlanningStage` (its staged writes and in-memory matchers), so
their batches take turns under a lock. Every review item the planner writes is published on
the review-items topic with the batch's jobs (acknowledged before the planner's tables are
written: a replay publishes the same record again); every worker's ops views read it."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import Sequence
from typing import Any

from faust.types import EventT
from pydantic import ValidationError

from notifier.runtime.embedded import match_config
from notifier.streams import metrics
from notifier.streams.app import app
from notifier.streams.messages import ReviewDecision, RoutedBatch
from notifier.streams.outbox import Outbox, letter_for, on_batch_failure, retrying
from notifier.streams.planning import Applied, PlanningStage
from notifier.streams.records import SEP
from notifier.streams.settings import get_stream_settings
from notifier.streams.topics import (
    control_topic,
    enter_event,
    jobs_topic,
    planner_tables,
    review_decisions_topic,
    review_items_topic,
    routed_topic,
    settings,
)

stream_settings = get_stream_settings()
planning = PlanningStage(planner_tables, match_config(settings))
# One batch at a time over the shared stage: a batch awaits its acks between applying and
# committing, and the other agent must not stage writes (or fail and discard them) meanwhile.
_stage_lock = asyncio.Lock()


@on_batch_failure
def _forget_staged(exc: BaseException) -> None:
    planning.staged.discard()
    planning.reset()


def _publish(outbox: Outbox, applied: Applied, queued: Counter[str]) -> None:
    for job in applied.jobs:
        outbox.add(jobs_topic, job.job.job_id, job.model_dump_json().encode())
        queued[job.job.kind.value] += 1
    for control in applied.cancels:
        outbox.add(control_topic, control.job_id, control.model_dump_json().encode())
    for letter in applied.dead_letters:
        outbox.dead_letter(letter)
    if applied.outcome.reviews:
        metrics.reviews_opened.inc(len(applied.outcome.reviews))


def _publish_reviews(outbox: Outbox) -> None:
    """Publish the batch's review item writes (table keys are route SEP id)."""
    for key, value in planning.staged.pending_items("reviews"):
        route, _, review_id = key.partition(SEP)
        if value is not None:  # review items are never deleted
            record = json.dumps({**value, "route": route}).encode()
            outbox.add(review_items_topic, review_id, record)


async def _commit(outbox: Outbox) -> None:
    _publish_reviews(outbox)
    await outbox.flush()
    planning.staged.commit(enter=enter_event)


def _route_of(event: EventT, what: str) -> str:
    """The event's key, its route (our topics decode keys to str); ValueError without one."""
    route = event.key
    if not isinstance(route, str) or not route:
        raise ValueError(f"{what} without a route key")
    return route


async def handle_routed(events: Sequence[EventT]) -> None:
    async with _stage_lock:
        await _handle_routed(events)


async def _handle_routed(events: Sequence[EventT]) -> None:
    outbox = Outbox()
    outcomes: Counter[str] = Counter()
    queued: Counter[str] = Counter()
    for event in events:
        try:
            route = _route_of(event, "routed message")
            batch = RoutedBatch.model_validate_json(event.value)
        except (ValidationError, ValueError) as exc:
            outbox.dead_letter(letter_for(event, f"bad routed message: {type(exc).__name__}"))
            continue
        enter_event(event)  # RocksDB reads this event's partition: the route's records are there
        for message in batch.items:
            applied = planning.apply(route, message, context=event)
            outcomes[applied.kind] += 1
            _publish(outbox, applied, queued)
    await _commit(outbox)
    _count("plan", outcomes, queued)


def _count(stage: str, outcomes: Counter[str], queued: Counter[str]) -> None:
    # counted once the batch's jobs are acknowledged (bench/stream.py waits on these)
    metrics.count_events(stage, outcomes)
    for kind, n in queued.items():
        metrics.emails_queued.labels(kind=kind).inc(n)


@app.agent(routed_topic)
async def plan(stream: Any) -> Any:
    async for events in stream.take_events(stream_settings.plan_batch, within=0.01):
        with metrics.batch_seconds.labels(agent="plan").time():
            await retrying(handle_routed, events)
        metrics.batch_events.labels(agent="plan").inc(len(events))


async def handle_decisions(events: Sequence[EventT]) -> None:
    async with _stage_lock:
        outbox = Outbox()
        outcomes: Counter[str] = Counter()
        queued: Counter[str] = Counter()
        for event in events:
            try:
                route = _route_of(event, "review decision")
                decision = ReviewDecision.model_validate_json(event.value)
            except (ValidationError, ValueError) as exc:
                reason = f"bad review decision: {type(exc).__name__}"
                outbox.dead_letter(letter_for(event, reason))
                continue
            enter_event(event)  # same key and partition count as the routed topic
            applied = planning.decide(route, decision.review_id, decision.approve, context=event)
            outcomes[applied.kind] += 1
            _publish(outbox, applied, queued)
        await _commit(outbox)
    _count("review", outcomes, queued)


@app.agent(review_decisions_topic)
async def apply_review_decisions(stream: Any) -> Any:
    async for events in stream.take_events(100, within=0.05):
        with metrics.batch_seconds.labels(agent="review").time():
            await retrying(handle_decisions, events)
        metrics.batch_events.labels(agent="review").inc(len(events))
