"""The send side of the Kafka runtime, without Kafka: the engine's job state machine over the
job-state table, answering with the statuses the planner's route needs back.

The order of writes is the engine's (``notifier.engine.sending``):

1. :meth:`SenderStage.prepare` marks a job SENDING (or settles it: duplicate, cancelled,
   suppressed) - the agent then *flushes the changelog* before any SES call;
2. :meth:`SenderStage.push_all` renders and sends (blocking boto3: run it in an executor);
3. :meth:`SenderStage.record` marks SENT / FAILED (or back to PENDING for a retry).

A worker killed between 1 and 3 leaves jobs in SENDING; :meth:`SenderStage.settle` settles
them with the sent ledger's answer before anything is sent again (``notifier.engine.settling``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from notifier.campaigns.renderer import Renderer
from notifier.campaigns.store import JobState
from notifier.engine.ports import InDoubt, Suppressions
from notifier.engine.sending import DispatchSettings, JobMachine, SendResult
from notifier.engine.settling import settle
from notifier.messengers.base import Messenger
from notifier.streams.job_outbox import TableOutbox, TableSuppressions
from notifier.streams.messages import JobEnvelope, JobStatus


@dataclass(frozen=True, slots=True)
class Feedback:
    """A job status to send back to the planner's route."""

    route: str
    status: JobStatus


def feedback(envelope: JobEnvelope, state: JobState) -> Feedback:
    return Feedback(envelope.route, JobStatus(job_id=envelope.job.job_id, state=state))


@dataclass(slots=True)
class Settled:
    confirmed: list[Feedback] = field(default_factory=list)
    resend: list[JobEnvelope] = field(default_factory=list)
    waiting: int = 0


class SenderStage:
    def __init__(
        self,
        table: MutableMapping[str, Any],
        renderer: Renderer,
        settings: DispatchSettings,
        *,
        suppressions: Suppressions | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.table = table
        self.outbox = TableOutbox(table)
        self.clock = clock
        self.machine = JobMachine(
            self.outbox, suppressions or TableSuppressions({}), renderer, settings, clock
        )

    def state(self, job_id: str) -> JobState | None:
        return self.outbox.job_state(job_id)

    def prepare(self, envelope: JobEnvelope) -> tuple[bool, Feedback | None]:
        """(send it?, status to feed back). True means it is now SENDING."""
        prepared = self.machine.prepare(envelope)
        verdict = feedback(envelope, prepared.verdict) if prepared.verdict else None
        return prepared.go, verdict

    def cancel(self, job_id: str) -> bool:
        return self.machine.cancel(job_id)

    def push_all(self, messenger: Messenger, envelopes: Sequence[JobEnvelope]) -> list[SendResult]:
        return self.machine.push_all(messenger, envelopes)

    def record(self, envelope: JobEnvelope, result: SendResult) -> Feedback | None:
        state = self.machine.record(result)
        return feedback(envelope, state) if state is not None else None

    def in_doubt(self, owned: Callable[[str], bool] = lambda job_id: True) -> list[InDoubt]:
        self.outbox.owned = owned
        return self.outbox.in_doubt()

    def settle(
        self, accepted: Mapping[str, str], doubtful: Sequence[InDoubt], grace_seconds: float = 0.0
    ) -> Settled:
        """Apply the ledger's answer (job_id -> message id, ``SentLedger.find_sent``; read it in
        an executor, it blocks) to the doubtful jobs."""
        done = settle(
            self.outbox, doubtful, accepted, now=self.clock(), grace_seconds=grace_seconds
        )
        out = Settled(waiting=len(done.waiting))
        for entry in done.confirmed:
            assert entry.item is not None  # the table keeps the envelope from SENDING on
            out.confirmed.append(feedback(entry.item, JobState.SENT))
        out.resend = [entry.item for entry in done.resend if entry.item is not None]
        return out


__all__ = ["Feedback", "SendResult", "SenderStage", "Settled", "feedback"]
