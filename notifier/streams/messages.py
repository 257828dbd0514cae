"""Payloads of the runtime's internal topics (JSON, pydantic-validated like the public contracts).

Public input topics carry the contracts of ``notifier.events.contracts`` unchanged; these
envelopes only travel between the workers' own agents.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from notifier.campaigns.store import JobState
from notifier.engine.jobs import OutboxJob, RenderContext


class _Message(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class JobStatus(_Message):
    """The sender's verdict on a job, fed back to the planner's partition (for follow-ups)."""

    job_id: str
    state: JobState


class Routed(_Message):
    """One message for the planner of a route: an event, or a job status.

    ``event`` is the validated event as JSON text; ``segments`` the address segmentation
    (None for quarantine events and deletions).
    """

    event: str | None = None
    segments: dict[str, str | None] | None = None
    status: JobStatus | None = None


class RoutedBatch(_Message):
    """One record on the routed topic: the messages for one route from one input batch.

    A route is a city, so a batch of address events holds only a handful of routes; one
    record per route instead of per event saves a produce, a fetch and Faust's per-record
    bookkeeping for almost every event (bench/stream.py). Items are applied in order.
    """

    items: list[Routed]


class ReviewDecision(_Message):
    """Ops approved or rejected a review item (review-decisions topic, keyed by its route)."""

    review_id: str
    approve: bool


# The jobs topic carries the engine's job record as it is: route = where the verdict goes back.
JobEnvelope = OutboxJob


class JobControl(_Message):
    """An order about one job (control topic, keyed by job_id, co-partitioned with the jobs).

    ``cancel``: stop it if it has not gone out yet (lift, move-out). ``suppress``: SES said
    its address bounced for good or complained, or the person unsubscribed by the email's
    link; never email that address again. ``sent``: SES
    published a Send event for it (``message_id``): the sent ledger of in-doubt settlement.
    """

    job_id: str
    action: Literal["cancel", "suppress", "sent"] = "cancel"
    route: str = ""
    reason: str = ""
    message_id: str = ""


__all__ = [
    "JobControl",
    "JobEnvelope",
    "JobStatus",
    "RenderContext",
    "ReviewDecision",
    "Routed",
    "RoutedBatch",
]
