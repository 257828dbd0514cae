"""The one email-job state machine: suppression check -> SENDING -> render + push -> record.

The order of writes is what makes a crash safe: a job is marked SENDING (durably: committed in
SQLite, the changelog flushed on Kafka, by the driver) before the provider call, and SENT right
after it. A job found in SENDING after a restart is *in doubt*; :meth:`JobMachine.settle`
settles it with a :class:`~notifier.messengers.ledger.SentLedger`'s answer before anything is
sent again (``notifier.engine.settling``), so nobody gets the same email twice.

Drivers: ``notifier.campaigns.dispatcher`` (embedded: one job at a time from the SQLite queue)
and ``notifier.streams.send_agents`` (Kafka: a batch from the jobs topic, SES in a thread).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from notifier.campaigns.renderer import MessageContext, Renderer, TemplateError, to_outgoing
from notifier.campaigns.store import FINAL_STATES, JobState
from notifier.campaigns.unsubscribe import make_token, unsubscribe_url
from notifier.engine.jobs import OutboxJob, RenderContext
from notifier.engine.ports import Outbox, Suppressions
from notifier.events.contracts import EmailJob
from notifier.messengers.base import AmbiguousSend, Messenger, OutgoingEmail, RetryLater, SendError

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class DispatchSettings:
    unsubscribe_secret: bytes
    public_base_url: str
    reply_to: str


def compose_email(
    job: EmailJob, context: RenderContext, renderer: Renderer, settings: DispatchSettings
) -> OutgoingEmail:
    """Render one job into a ready email (both runtimes send exactly this)."""
    # The token names the job, not the address: a signed token is readable, not secret.
    token = make_token(job.job_id, settings.unsubscribe_secret)
    unsubscribe = unsubscribe_url(f"{settings.public_base_url.rstrip('/')}/unsubscribe", token)
    rendered = renderer.render(
        job.kind,
        job.language,
        MessageContext(
            recipient_name=job.name,
            building_name=context.name,
            locality=context.locality,
            city=context.city,
            pickup=context.pickup,
            unsubscribe_url=unsubscribe,
            starts_at=context.starts_at,
            ends_at=context.ends_at,
        ),
    )
    return to_outgoing(rendered, job, unsubscribe_url=unsubscribe, reply_to=settings.reply_to)


@dataclass(frozen=True, slots=True)
class SendResult:
    job_id: str
    state: JobState | None  # SENT / FAILED; None: still in doubt (ambiguous) or to retry
    message_id: str = ""
    reason: str = ""
    retry: bool = False  # the provider refused for now: back to PENDING
    retry_after: float = 0.0  # how long it asked to wait


@dataclass(frozen=True, slots=True)
class Prepared:
    """``go``: the job is now SENDING, push it. Otherwise ``verdict`` is its final state (to
    repeat to the planner), or None when there is nothing to say (in doubt, not pending)."""

    go: bool
    verdict: JobState | None = None


class JobMachine:
    def __init__(
        self,
        outbox: Outbox,
        suppressions: Suppressions,
        renderer: Renderer,
        settings: DispatchSettings,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.outbox = outbox
        self.suppressions = suppressions
        self.renderer = renderer
        self.settings = settings
        self.clock = clock

    # 1. before the provider call (the driver makes the SENDING marks durable next) ----------

    def prepare(self, item: OutboxJob) -> Prepared:
        job = item.job
        state = self.outbox.job_state(job.job_id)
        if state in FINAL_STATES:
            # A replayed or duplicated job: nothing to do but repeat the verdict, in case the
            # first one was lost with a crashed worker.
            return Prepared(False, state)
        if state is JobState.SENDING:
            return Prepared(False)  # in doubt: settle() decides, never a blind resend
        if self.suppressions.is_suppressed(job.email):
            self.outbox.mark_final(job.job_id, JobState.SUPPRESSED, "address is suppressed")
            return Prepared(False, JobState.SUPPRESSED)
        if not self.outbox.begin_send(item, self.clock()):
            return Prepared(False)
        return Prepared(True)

    def cancel(self, job_id: str, reason: str = "cancelled") -> bool:
        """Stop a job that has not gone out (even one not seen yet); False if too late."""
        state = self.outbox.job_state(job_id)
        if state is not None and state is not JobState.PENDING:
            return False
        self.outbox.mark_final(job_id, JobState.CANCELLED, reason)
        return True

    # 2. the provider call (blocking: the Kafka driver runs it in a thread) -----------------

    def push_all(self, messenger: Messenger, items: Sequence[OutboxJob]) -> list[SendResult]:
        results: list[SendResult] = []
        for i, item in enumerate(items):
            job_id = item.job.job_id
            try:
                email = compose_email(item.job, item.context, self.renderer, self.settings)
                message_id = messenger.push(email)
            except RetryLater as exc:
                # Nothing was sent: this and the rest of the batch go back to PENDING.
                results.extend(
                    SendResult(
                        rest.job.job_id,
                        None,
                        reason=str(exc),
                        retry=True,
                        retry_after=exc.after_seconds,
                    )
                    for rest in items[i:]
                )
                break
            except AmbiguousSend as exc:
                results.append(SendResult(job_id, None, reason=str(exc)))
            except (SendError, TemplateError) as exc:
                results.append(SendResult(job_id, JobState.FAILED, reason=str(exc)))
            else:
                results.append(SendResult(job_id, JobState.SENT, message_id=message_id))
        messenger.flush()
        return results

    # 3. after it ---------------------------------------------------------------------------

    def record(self, result: SendResult) -> JobState | None:
        """Write the outcome; returns the final state, None if the job is not final."""
        job_id = result.job_id
        if result.state is JobState.SENT:
            self.outbox.mark_sent(job_id, result.message_id)
            return JobState.SENT
        if result.state is not None:
            self.outbox.mark_final(job_id, result.state, result.reason)
            log.warning("job %s failed for good: %s", job_id, result.reason)
            return result.state
        if result.retry:
            self.outbox.retry_later(
                job_id, self.clock() + timedelta(seconds=result.retry_after), result.reason
            )
        else:
            # Left in SENDING on purpose: settle() decides with the ledger later.
            log.warning("job %s is in doubt (provider outcome unknown)", job_id)
        return None


__all__ = [
    "DispatchSettings",
    "JobMachine",
    "Prepared",
    "SendResult",
    "compose_email",
]
