"""Stage 2: the routed topic -> email jobs and cancellations (the engine's planner per route)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from faust.types import EventT
from pydantic import ValidationError

from notifier.runtime.embedded import match_config
from notifier.streams import metrics
from notifier.streams.app import app
from notifier.streams.messages import RoutedBatch
from notifier.streams.outbox import Outbox, letter_for, on_batch_failure, retrying
from notifier.streams.planning import PlanningStage
from notifier.streams.settings import get_stream_settings
from notifier.streams.topics import (
    control_topic,
    enter_event,
    jobs_topic,
    planner_tables,
    routed_topic,
    settings,
)

stream_settings = get_stream_settings()
planning = PlanningStage(planner_tables, match_config(settings))


@on_batch_failure
def _forget_staged(exc: BaseException) -> None:
    planning.staged.discard()
    planning.reset()


async def handle_routed(events: Sequence[EventT]) -> None:
    outbox = Outbox()
    outcomes: Counter[str] = Counter()
    queued: Counter[str] = Counter()
    for event in events:
        try:
            if not event.key:
                raise ValueError("routed message without a route key")
            batch = RoutedBatch.model_validate_json(event.value)
        except (ValidationError, ValueError) as exc:
            outbox.dead_letter(letter_for(event, f"bad routed message: {type(exc).__name__}"))
            continue
        enter_event(event)  # RocksDB reads this event's partition: the route's records are there
        for message in batch.items:
            applied = planning.apply(event.key, message, context=event)
            outcomes[applied.kind] += 1
            for job in applied.jobs:
                outbox.add(jobs_topic, job.job.job_id, job.model_dump_json().encode())
                queued[job.job.kind.value] += 1
            for control in applied.cancels:
                outbox.add(control_topic, control.job_id, control.model_dump_json().encode())
            for letter in applied.dead_letters:
                outbox.dead_letter(letter)
            if applied.outcome.reviews:
                metrics.reviews_opened.inc(len(applied.outcome.reviews))
    await outbox.flush()
    planning.staged.commit(enter=enter_event)
    # counted once the batch's jobs are acknowledged (bench/stream.py waits on these)
    metrics.count_events("plan", outcomes)
    for kind, n in queued.items():
        metrics.emails_queued.labels(kind=kind).inc(n)


@app.agent(routed_topic)
async def plan(stream: Any) -> Any:
    async for events in stream.take_events(stream_settings.plan_batch, within=0.01):
        with metrics.batch_seconds.labels(agent="plan").time():
            await retrying(handle_routed, events)
        metrics.batch_events.labels(agent="plan").inc(len(events))
