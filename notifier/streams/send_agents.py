"""Stage 3: the jobs topic -> SES, and the control topic (cancel, suppress) - the Kafka driver
of the engine's job state machine.

prepare (SENDING) -> flush the changelog -> SES in a thread -> record. In-doubt jobs of this
worker's partitions are settled with the sent ledger (``settle_in_doubt``) before a batch is
sent, after a rebalance, and by a timer while any remain.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Sequence
from typing import Any

from faust.types import EventT
from pydantic import ValidationError

from notifier.campaigns.renderer import Renderer
from notifier.campaigns.store import JobState
from notifier.engine.send_events import MappingSentRecords, SendEventLedger
from notifier.engine.sending import DispatchSettings
from notifier.engine.settings import choose_ledger, grace_for
from notifier.messengers.ledger import LedgerUnavailable, SentLedger
from notifier.streams import metrics, tracking
from notifier.streams.app import app
from notifier.streams.job_outbox import TableSuppressions
from notifier.streams.messages import JobControl, JobEnvelope
from notifier.streams.outbox import Outbox, letter_for, on_batch_failure, retrying
from notifier.streams.resources import messenger, send_pool
from notifier.streams.sender import SenderStage
from notifier.streams.settings import get_stream_settings
from notifier.streams.topics import (
    control_topic,
    enter_event,
    job_partition,
    job_states,
    jobs_topic,
    sent_ledger,
    settings,
    suppressions,
    suppressions_view,
)

log = logging.getLogger(__name__)
stream_settings = get_stream_settings()

suppression_list = TableSuppressions(suppressions, suppressions_view)
sender = SenderStage(
    job_states,
    Renderer(),
    DispatchSettings(
        unsubscribe_secret=settings.unsubscribe_secret.encode(),
        public_base_url=settings.public_base_url,
        reply_to=settings.reply_to,
    ),
    suppressions=suppression_list,
)
send_events = SendEventLedger(MappingSentRecords(sent_ledger))
send_lock = asyncio.Lock()
needs_settle = asyncio.Event()


@on_batch_failure
def _settle_after_failure(exc: BaseException) -> None:
    needs_settle.set()  # jobs may have been left in SENDING


def sent_ledger_in_use() -> SentLedger:
    """moto's record of what it accepted, or the SES Send events (NOTIFIER_SENT_LEDGER)."""
    _ses, moto = messenger()
    return choose_ledger(moto, send_events)


def owned(job_id: str) -> bool:
    assigned = app.assignor.assigned_actives()
    return any(
        tp.topic == jobs_topic.get_topic_name() and tp.partition == job_partition(job_id)
        for tp in assigned
    )


async def send_envelopes(envelopes: Iterable[JobEnvelope], outbox: Outbox) -> None:
    """prepare (SENDING) -> flush the changelog -> SES in a thread -> record."""
    to_send: list[JobEnvelope] = []
    for envelope in envelopes:
        go, feedback = sender.prepare(envelope)
        if go:
            to_send.append(envelope)
        elif feedback is not None:
            outbox.feedback([feedback])
            if feedback.status.state is JobState.SUPPRESSED:
                metrics.emails.labels(state="suppressed").inc()
    if not to_send:
        return
    # The SENDING marks must be in Kafka before SES is called: a crash after the call then
    # leaves a job in doubt (settled with the ledger), never a job that looks unsent.
    await app.producer.flush()
    ses, _ledger = messenger()
    loop = asyncio.get_running_loop()
    results = await loop.run_in_executor(send_pool, sender.push_all, ses, to_send)
    retry: list[JobEnvelope] = []
    for envelope, result in zip(to_send, results, strict=True):
        feedback = sender.record(envelope, result)
        if result.state is JobState.SENT:
            tracking.remember_sent(job_states.get(envelope.job.job_id))
        if feedback is not None:
            outbox.feedback([feedback])
            metrics.emails.labels(state=feedback.status.state.value).inc()
        elif result.retry:
            retry.append(envelope)
        else:
            needs_settle.set()  # ambiguous: the ledger decides later
    if retry:
        # Back in PENDING; re-published after the provider's pause (bounded, to keep the
        # partition moving). They are new messages with the same key: order is kept per job.
        await asyncio.sleep(min(max(r.retry_after for r in results if r.retry), 5.0))
        for envelope in retry:
            outbox.add(jobs_topic, envelope.job.job_id, envelope.model_dump_json().encode())


async def settle_in_doubt() -> None:
    """Settle this worker's SENDING jobs with the ledger; resend those it does not know."""
    needs_settle.clear()
    enter_event(None)
    doubtful = sender.in_doubt(owned)
    if not doubtful:
        return
    ledger = sent_ledger_in_use()
    ids = [d.job.job_id for d in doubtful]
    loop = asyncio.get_running_loop()
    try:
        if getattr(ledger, "blocking", True):  # moto's, over HTTP
            accepted = await loop.run_in_executor(send_pool, ledger.find_sent, ids)
        else:  # the Send events in this worker's table
            accepted = ledger.find_sent(ids)
    except LedgerUnavailable as exc:
        log.warning("cannot settle %d in-doubt jobs yet: %s", len(doubtful), exc)
        needs_settle.set()
        return
    settled = sender.settle(accepted, doubtful, grace_for(ledger))
    if settled.waiting:
        needs_settle.set()  # the timer looks again once their grace period is over
    for item in settled.confirmed:
        tracking.remember_sent(job_states.get(item.status.job_id))
    outbox = Outbox()
    outbox.feedback(settled.confirmed)
    metrics.emails.labels(state="sent").inc(len(settled.confirmed))
    await send_envelopes(settled.resend, outbox)
    await outbox.flush()


async def handle_jobs(events: Sequence[EventT]) -> None:
    # Not before every suppression written so far is read: a worker just started must not
    # email an address another worker suppressed.
    await suppressions_view.ready.wait()
    async with send_lock:
        if needs_settle.is_set():
            await settle_in_doubt()
        outbox = Outbox()
        envelopes: list[JobEnvelope] = []
        # Job-state reads search every local partition (the batch spans several); writes go
        # to the job's own partition (JobTable).
        enter_event(None)
        for event in events:
            try:
                envelopes.append(JobEnvelope.model_validate_json(event.value))
            except ValidationError as exc:
                reason = f"bad email job: {exc.error_count()} validation errors"
                outbox.dead_letter(letter_for(event, reason))
        await send_envelopes(envelopes, outbox)
        await outbox.flush()


@app.agent(jobs_topic)
async def send_emails(stream: Any) -> Any:
    async for events in stream.take_events(stream_settings.send_batch, within=0.05):
        with metrics.batch_seconds.labels(agent="send_emails").time():
            await retrying(handle_jobs, events)
        metrics.batch_events.labels(agent="send_emails").inc(len(events))


async def handle_control(event: EventT) -> None:
    try:
        control = JobControl.model_validate_json(event.value)
    except ValidationError as exc:
        outbox = Outbox()
        reason = f"bad job control: {exc.error_count()} validation errors"
        outbox.dead_letter(letter_for(event, reason))
        await outbox.flush()
        return
    if control.action == "cancel":
        if sender.cancel(control.job_id):
            metrics.emails.labels(state="cancelled").inc()
        return
    if control.action == "sent":
        send_events.records.record_send(control.job_id, control.message_id)
        needs_settle.set()  # a job in doubt may be waiting for just this
        return
    envelope = sender.outbox.envelope(control.job_id)
    if envelope is not None:
        suppression_list.suppress(envelope.job.email, control.reason or "suppressed")


@app.agent(control_topic)
async def control_jobs(stream: Any) -> Any:
    async for event in stream.events():
        await retrying(handle_control, event)
