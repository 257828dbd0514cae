"""The planner stage of the Kafka runtime, without Kafka: routed messages in, messages out.

The agent in ``notifier.streams.plan_agent`` feeds it the routed topic (one route = one city,
all in the partition the route hashes to) and publishes what :meth:`PlanningStage.apply`
returns. The decisions are the engine's (:class:`~notifier.engine.engine.Engine`), over a
:class:`~notifier.streams.table_store.RouteStore`; one engine (and so one in-memory matcher)
per route, rebuilt from the tables after a rebalance.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from notifier.address.matcher import MatchConfig
from notifier.address.segments import Segments
from notifier.campaigns.planner import Outcome
from notifier.engine.engine import Engine
from notifier.events.contracts import AddressChanged, DeadLetter, InvalidEvent, parse_event
from notifier.streams.messages import JobControl, JobEnvelope, RenderContext, Routed
from notifier.streams.staged_tables import StagedTables, Table
from notifier.streams.table_store import RouteIndex, RouteStore, build_indexes

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Applied:
    """What one routed message led to, ready to publish."""

    outcome: Outcome = field(default_factory=Outcome)
    jobs: list[JobEnvelope] = field(default_factory=list)
    cancels: list[JobControl] = field(default_factory=list)
    dead_letters: list[DeadLetter] = field(default_factory=list)
    kind: str = "status"


class PlanningStage:
    def __init__(self, tables: dict[str, Table], config: MatchConfig | None = None) -> None:
        self.staged = StagedTables(tables)
        self.config = config
        self._engines: dict[str, Engine] = {}
        self._indexes: dict[str, RouteIndex] | None = None

    def reset(self) -> None:
        """Forget the in-memory matchers and indexes (rebuilt from the tables on next use):
        after a rebalance the tables hold other routes."""
        self._engines.clear()
        self._indexes = None

    def engine(self, route: str) -> Engine:
        engine = self._engines.get(route)
        if engine is None:
            if self._indexes is None:
                self._indexes = build_indexes(self.staged)
            store = RouteStore(self.staged, route, self._indexes[route])
            engine = self._engines[route] = Engine(store, self.config)
        return engine

    def store(self, route: str) -> RouteStore:
        store = self.engine(route).store
        assert isinstance(store, RouteStore)
        return store

    def apply(self, route: str, message: Routed, context: Any = None) -> Applied:
        """Apply one message; ``context`` tags the table writes (the Kafka event)."""
        self.staged.context = context
        try:
            applied = self._apply(route, message)
        except Exception as exc:
            # A bug, not bad input (that was rejected upstream): keep the worker going, keep
            # the tables consistent, and park the message where ops can see and replay it.
            self.staged.abort_event()
            self.staged.drain()
            self.reset()  # matchers and indexes may have seen half the event
            log.exception("planner failed on a routed message (route %s)", route)
            reason = f"internal error: {type(exc).__name__}"
            letter = DeadLetter(source="planner", reason=reason, payload=message.model_dump_json())
            return Applied(dead_letters=[letter], kind="error")
        self.staged.end_event()
        return applied

    def decide(self, route: str, review_id: str, approve: bool, context: Any = None) -> Applied:
        """Apply ops' decision on a review item of ``route`` with the engine's approve/reject
        (the embedded runtime's code). A decision on an item no longer open is a replay (or
        lost a race with another decision, a lift or a move): nothing happens."""
        self.staged.context = context
        engine = self.engine(route)
        try:
            if approve:
                outcome = engine.approve(review_id)
            else:
                engine.reject(review_id)
                outcome = Outcome()
        except ValueError:
            self.staged.abort_event()
            return Applied(kind="review_closed")
        except KeyError:
            self.staged.abort_event()
            reason = "decision for a review item this route does not hold"
            letter = DeadLetter(source="review-decisions", reason=reason, payload=review_id)
            return Applied(dead_letters=[letter], kind="review_unknown")
        except Exception as exc:  # a bug: as in apply, park it where ops see it
            self.staged.abort_event()
            self.staged.drain()
            self.reset()
            log.exception("planner failed on a review decision (route %s)", route)
            reason = f"internal error: {type(exc).__name__}"
            letter = DeadLetter(source="planner", reason=reason, payload=review_id)
            return Applied(dead_letters=[letter], kind="error")
        applied = Applied(outcome=outcome, kind="approved" if approve else "rejected")
        self._envelope_jobs(route, applied)
        self.staged.end_event()
        return applied

    def _envelope_jobs(self, route: str, applied: Applied) -> None:
        store = self.store(route)
        contexts: dict[str, RenderContext] = {}
        for job in applied.outcome.jobs:
            if job.building_id not in contexts:
                quarantine = store.get_quarantine(job.building_id)
                assert quarantine is not None  # the planner just queued a job for it
                contexts[job.building_id] = RenderContext.of(quarantine)
            applied.jobs.append(
                JobEnvelope(job=job, route=route, context=contexts[job.building_id])
            )

    def _apply(self, route: str, message: Routed) -> Applied:
        engine = self.engine(route)
        store = self.store(route)
        if message.status is not None:
            store.set_job_state(message.status.job_id, message.status.state)
            return Applied()
        if message.event is None:
            raise InvalidEvent("routed message has neither an event nor a status")
        event = parse_event(message.event)
        segments = None
        if isinstance(event, AddressChanged) and message.segments:
            segments = Segments.from_dict(message.segments)
        outcome, kind = engine.apply(event, segments)
        applied = Applied(outcome=outcome, kind=kind)
        self._envelope_jobs(route, applied)
        letters, cancelled = self.staged.drain()
        applied.dead_letters = letters
        applied.cancels = [
            JobControl(job_id=job_id, route=route, reason=f"{kind} event {event.event_id}")
            for job_id in cancelled
        ]
        return applied
