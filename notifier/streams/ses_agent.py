"""SES events (the ses-events topic, keyed by message id): metrics; Send events (the sent
ledger), bounces and complaints re-keyed by job id to the control agent, which owns that job's
record (and its address)."""

from __future__ import annotations

from typing import Any

from faust.types import EventT
from pydantic import ValidationError

from notifier.engine.send_events import accepted_send
from notifier.events.contracts import SesEvent, SesEventType
from notifier.messengers.ses import BounceAction, bounce_action
from notifier.streams import metrics
from notifier.streams.app import app
from notifier.streams.messages import JobControl
from notifier.streams.outbox import Outbox, letter_for, retrying
from notifier.streams.topics import control_topic, ses_topic


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
    job_id = ses_event.tags.get("job")
    suppress = ses_event.event_type is SesEventType.COMPLAINT or (
        ses_event.event_type is SesEventType.BOUNCE
        and bounce_action(
            str(ses_event.detail.get("bounceType", "")),
            str(ses_event.detail.get("bounceSubType", "")),
        )
        is BounceAction.SUPPRESS
    )
    sent = accepted_send(ses_event)
    if sent is not None:
        # Re-keyed by job id: the sent ledger lives in the job's partition.
        control = JobControl(job_id=sent[0], action="sent", message_id=sent[1])
        outbox.add(control_topic, sent[0], control.model_dump_json().encode())
        await outbox.flush()
    elif suppress and job_id:
        control = JobControl(
            job_id=job_id, action="suppress", reason=ses_event.event_type.value.lower()
        )
        outbox.add(control_topic, job_id, control.model_dump_json().encode())
        await outbox.flush()


@app.agent(ses_topic)
async def track_ses_events(stream: Any) -> Any:
    async for event in stream.events():
        await retrying(handle_ses_event, event)
