"""The send side of the Kafka runtime, without Kafka: the job-state table and the SES calls.

Jobs arrive keyed by ``job_id`` and their state lives in a changelogged table under the same
key, so one worker owns a job at a time. The order of writes is the dispatcher's:

1. :meth:`SenderStage.prepare` marks a job SENDING (or settles it: duplicate, cancelled,
   suppressed) - the agent then *flushes the changelog* before any SES call;
2. :meth:`SenderStage.push_all` renders and sends (blocking boto3: run it in an executor);
3. :meth:`SenderStage.record` marks SENT / FAILED (or back to PENDING for a retry).

A worker killed between 1 and 3 leaves jobs in SENDING. :meth:`SenderStage.settle` runs when
partitions are assigned (and periodically while any remain) before anything is sent: jobs the
:class:`~notifier.messengers.ledger.SentLedger` says were accepted become SENT, the rest are
sent again. Against moto the ledger is :class:`~notifier.messengers.ledger.MotoSentLedger`; in
production it would be the SES ``Send`` events (tagged with the job id) - without a ledger
in-doubt jobs stay in doubt rather than risk a second email.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from typing import Any

from notifier.campaigns.dispatcher import DispatchSettings, compose_email
from notifier.campaigns.renderer import Renderer, TemplateError
from notifier.campaigns.store import FINAL_STATES, JobState
from notifier.messengers.base import AmbiguousSend, Messenger, RetryLater, SendError
from notifier.messengers.ledger import LedgerUnavailable
from notifier.streams.messages import JobEnvelope, JobStatus

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SendResult:
    job_id: str
    state: JobState | None  # SENT / FAILED; None: still in doubt (ambiguous) or to retry
    message_id: str = ""
    reason: str = ""
    retry_after: float = 0.0  # > 0: the provider asked to wait (job back to PENDING)


@dataclass(frozen=True, slots=True)
class Feedback:
    """A job status to send back to the planner's route."""

    route: str
    status: JobStatus


class SenderStage:
    def __init__(
        self,
        table: MutableMapping[str, Any],
        renderer: Renderer,
        settings: DispatchSettings,
        *,
        suppressed: Callable[[str], bool] = lambda email: False,
    ) -> None:
        self.table = table
        self.renderer = renderer
        self.settings = settings
        self.suppressed = suppressed

    # 1. before the provider call ---------------------------------------------------------

    def state(self, job_id: str) -> JobState | None:
        record = self.table.get(job_id)
        return JobState(record["state"]) if record else None

    def _put(
        self, job_id: str, state: JobState, envelope: JobEnvelope | None, **extra: Any
    ) -> None:
        record = dict(self.table.get(job_id) or {})
        record["state"] = state.value
        if envelope is not None:
            record["envelope"] = envelope.model_dump(mode="json")
        record.update(extra)
        self.table[job_id] = record

    def prepare(self, envelope: JobEnvelope) -> tuple[bool, Feedback | None]:
        """(send it?, status to feed back). True means it is now SENDING."""
        job = envelope.job
        state = self.state(job.job_id)
        if state in FINAL_STATES:
            # A replayed or duplicated job: nothing to do but repeat the verdict, in case the
            # first feedback was lost with a crashed worker.
            assert state is not None
            return False, Feedback(envelope.route, JobStatus(job_id=job.job_id, state=state))
        if state is JobState.SENDING:
            return False, None  # in doubt: settle() decides, never a blind resend
        if self.suppressed(job.email):
            self._put(job.job_id, JobState.SUPPRESSED, envelope, reason="address is suppressed")
            return False, Feedback(
                envelope.route, JobStatus(job_id=job.job_id, state=JobState.SUPPRESSED)
            )
        self._put(job.job_id, JobState.SENDING, envelope)
        return True, None

    def cancel(self, job_id: str) -> bool:
        """Stop a job that has not gone out (even one not seen yet); False if too late."""
        state = self.state(job_id)
        if state is not None and state is not JobState.PENDING:
            return False
        self._put(job_id, JobState.CANCELLED, None, reason="cancelled")
        return True

    # 2. the provider call (blocking: run in an executor) ----------------------------------

    def compose(self, envelope: JobEnvelope) -> Any:
        ctx = envelope.context
        return compose_email(
            envelope.job,
            self.renderer,
            self.settings,
            building_name=ctx.name,
            locality=ctx.locality,
            city=ctx.city,
            pickup=ctx.pickup,
            starts_at=ctx.starts_at,
            ends_at=ctx.ends_at,
        )

    def push_all(self, messenger: Messenger, envelopes: Sequence[JobEnvelope]) -> list[SendResult]:
        results = []
        for i, envelope in enumerate(envelopes):
            job_id = envelope.job.job_id
            try:
                message_id = messenger.push(self.compose(envelope))
            except RetryLater as exc:
                # Nothing was sent: this and the rest of the batch go back to PENDING.
                results.extend(
                    SendResult(e.job.job_id, None, reason=str(exc), retry_after=exc.after_seconds)
                    for e in envelopes[i:]
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

    # 3. after it -------------------------------------------------------------------------

    def record(self, envelope: JobEnvelope, result: SendResult) -> Feedback | None:
        job_id = envelope.job.job_id
        if result.state is not None:
            self._put(job_id, result.state, None, message_id=result.message_id)
            if result.state is JobState.FAILED:
                log.warning("job %s failed for good: %s", job_id, result.reason)
            return Feedback(envelope.route, JobStatus(job_id=job_id, state=result.state))
        if result.retry_after:
            self._put(job_id, JobState.PENDING, None, reason=result.reason)
        else:
            log.warning("job %s is in doubt (%s)", job_id, result.reason)
        return None

    # settling in-doubt jobs ----------------------------------------------------------------

    def in_doubt(self, owned: Callable[[str], bool] = lambda job_id: True) -> list[JobEnvelope]:
        doubtful = []
        for job_id, record in list(self.table.items()):
            if record.get("state") == JobState.SENDING.value and owned(job_id):
                doubtful.append(JobEnvelope.model_validate(record["envelope"]))
        return doubtful

    def settle(
        self, accepted: Mapping[str, str], doubtful: Iterable[JobEnvelope]
    ) -> tuple[list[Feedback], list[JobEnvelope]]:
        """(statuses of jobs confirmed sent, jobs to send again).

        ``accepted`` is the ledger's answer for the doubtful jobs' ids (job_id -> message id,
        see ``SentLedger.find_sent``; read it in an executor, it blocks).
        """
        confirmed, resend = [], []
        for envelope in doubtful:
            job_id = envelope.job.job_id
            if job_id in accepted:
                self._put(job_id, JobState.SENT, None, message_id=accepted[job_id])
                confirmed.append(
                    Feedback(envelope.route, JobStatus(job_id=job_id, state=JobState.SENT))
                )
            else:
                self._put(job_id, JobState.PENDING, None, reason="requeued after crash")
                resend.append(envelope)
        if confirmed or resend:
            log.info(
                "settled in-doubt jobs: %d confirmed sent, %d to resend",
                len(confirmed),
                len(resend),
            )
        return confirmed, resend


__all__ = ["Feedback", "LedgerUnavailable", "SendResult", "SenderStage"]
