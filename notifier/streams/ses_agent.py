"""SES events (the ses-events topic, keyed by message id): metrics, tracking (folded into
``streams.tracking``); Send events (the sent
ledger), bounces and complaints re-keyed by job id to the control agent, which owns that job's
record (and its address)."""

from __future__ import annotations

from typing import Any

from faust.types import EventT
from pydantic import ValidationError

from notifier.engine.send_events import accepted_send
from notifier.events.contracts import SesEvent
from notifier.streams import metrics, tracking
from notifier.streams.app import app
from notifier.streams.messages import JobControl
from notifier.streams.outbox import Outbox, letter_for, retrying
from notifier.streams.topics import control_topic, ses_topic
from notifier.tracking.ingest import suppression_reason


async def handle_ses_event(event: EventT) -> None:
    outbox = Outbox()
    try:
        ses_event = SesEvent.model_validate_json(event.value)
    except ValidationError as exc:
        reason = f"bad SES event: {exc.error_count()} validation errors"
        outbox.dead_letter(letter_for(event, reason))
        await outbox.flush()
        return
    metrics.ses_events.labels(type=ses_event.event_type.value).inc()
    job_id: str | None = ses_event.tags.get("job") or tracking.job_of(ses_event.message_id)
    suppress_reason = suppression_reason(ses_event)
    sent = accepted_send(ses_event)
    if sent is not None:
        # Re-keyed by job id: the sent ledger lives in the job's partition.
        control = JobControl(job_id=sent[0], action="sent", message_id=sent[1])
        outbox.add(control_topic, sent[0], control.model_dump_json().encode())
        await outbox.flush()
    elif suppress_reason and job_id:
        # Re-keyed by job id: the control agent owns that job's record (and its address).
        control = JobControl(job_id=job_id, action="suppress", reason=suppress_reason)
        outbox.add(control_topic, job_id, control.model_dump_json().encode())
        await outbox.flush()
    tracking.track(ses_event)  # after the control record is in Kafka: a replay repeats both


@app.agent(ses_topic)
async def track_ses_events(stream: Any) -> Any:
    async for event in stream.events():
        await retrying(handle_ses_event, event)
