"""The embedded runtime's driver of the job state machine: send due jobs from the SQLite queue.

One job at a time: its SENDING mark is committed (SQLite autocommit) before the provider call,
so a crash leaves at most one job in doubt. Pending jobs are rendered at send time with the
building's current details, so a queued announcement carries the latest pickup point; a job
whose episode ended meanwhile is cancelled here. The states, the provider answers and the
in-doubt settlement are the engine's (``notifier.engine.sending``, ``notifier.engine.settling``).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol

from notifier.campaigns.renderer import Renderer
from notifier.campaigns.store import JobState
from notifier.engine.jobs import OutboxJob, RenderContext
from notifier.engine.ports import Outbox, Quarantines, Suppressions
from notifier.engine.sending import DispatchSettings, JobMachine, compose_email
from notifier.engine.settling import Settlement, settle
from notifier.events.contracts import EmailJob, EmailKind
from notifier.messengers.base import Messenger
from notifier.messengers.ledger import LedgerUnavailable

if TYPE_CHECKING:
    from notifier.messengers.ledger import SentLedger

log = logging.getLogger(__name__)


class JobQueue(Outbox, Suppressions, Quarantines, Protocol):
    """An outbox that also queues: what the embedded driver needs (``SqliteStore``)."""

    def claim_due(self, limit: int, now: datetime) -> list[EmailJob]:
        """Pending jobs whose time has come, oldest first (state unchanged)."""
        ...


@dataclass(slots=True)
class DispatchStats:
    counts: Counter[str] = field(default_factory=Counter)
    pause_seconds: float = 0.0  # >0 when the provider asked us to wait (quota)

    @property
    def sent(self) -> int:
        return self.counts[JobState.SENT.value]


class Dispatcher:
    def __init__(
        self,
        store: JobQueue,
        renderer: Renderer,
        messenger: Messenger,
        settings: DispatchSettings,
        ledger: SentLedger | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        grace_seconds: float = 0.0,
    ) -> None:
        self.store = store
        self.messenger = messenger
        self.ledger = ledger
        self.clock = clock
        self.grace_seconds = grace_seconds
        self.machine = JobMachine(store, store, renderer, settings, clock)

    def recover(self) -> Settlement:
        """Settle jobs left in SENDING by a crash (see ``notifier.engine.settling``).

        Without a ledger we cannot know whether the provider accepted them, so they stay in
        doubt rather than risk a second email; an unreadable ledger: try again later.
        """
        doubtful = self.store.in_doubt()
        if not doubtful:
            return Settlement()
        if self.ledger is None:
            log.warning("%d jobs in doubt and no sent ledger: left unsent", len(doubtful))
            return Settlement(waiting=list(doubtful))
        try:
            accepted = self.ledger.find_sent([d.job.job_id for d in doubtful])
        except LedgerUnavailable as exc:
            log.warning("cannot settle %d in-doubt jobs yet: %s", len(doubtful), exc)
            return Settlement(waiting=list(doubtful))
        return settle(
            self.store, doubtful, accepted, now=self.clock(), grace_seconds=self.grace_seconds
        )

    def run_once(self, limit: int = 500) -> DispatchStats:
        """Settle what is in doubt, then send up to ``limit`` due jobs; stops early when the
        provider says to pause."""
        stats = DispatchStats()
        self.recover()
        for job in self.store.claim_due(limit, self.clock()):
            state = self._dispatch(job, stats)
            stats.counts[state] += 1
            if stats.pause_seconds:
                break
        self.messenger.flush()
        return stats

    def _dispatch(self, job: EmailJob, stats: DispatchStats) -> str:
        quarantine = self.store.get_quarantine(job.building_id)
        if quarantine is None or quarantine.episode_id != job.episode_id:
            self.store.mark_final(job.job_id, JobState.CANCELLED, "episode is gone")
            return JobState.CANCELLED.value
        if job.kind is not EmailKind.LIFTED and not quarantine.active:
            self.store.mark_final(job.job_id, JobState.CANCELLED, "quarantine lifted")
            return JobState.CANCELLED.value
        item = OutboxJob(job=job, context=RenderContext.of(quarantine))
        prepared = self.machine.prepare(item)
        if not prepared.go:
            return prepared.verdict.value if prepared.verdict else "skipped"
        (result,) = self.machine.push_all(self.messenger, [item])
        state = self.machine.record(result)
        if result.retry:
            if result.retry_after >= 1.0:
                stats.pause_seconds = result.retry_after
            return "retry"
        return state.value if state is not None else "in_doubt"


__all__ = ["DispatchSettings", "DispatchStats", "Dispatcher", "compose_email"]
