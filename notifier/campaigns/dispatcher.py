"""Send queued email jobs: suppression check → render → push → record, exactly once.

The order of writes is what makes a crash safe: a job is marked SENDING (committed) before the
provider call and SENT right after it. A job found in SENDING after a restart is *in doubt*; it
is settled with a :class:`~notifier.messengers.ledger.SentLedger` (what the provider says it
accepted) before anything is sent again, so nobody gets the same email twice.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from notifier.campaigns.renderer import MessageContext, Renderer, to_outgoing
from notifier.campaigns.store import JobState, Store
from notifier.campaigns.unsubscribe import make_token, unsubscribe_url
from notifier.events.contracts import EmailJob, EmailKind, PickupPoint
from notifier.messengers.base import (
    AmbiguousSend,
    Messenger,
    OutgoingEmail,
    RetryLater,
    SendError,
)

if TYPE_CHECKING:
    from notifier.messengers.ledger import SentLedger

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class DispatchSettings:
    unsubscribe_secret: bytes
    public_base_url: str
    reply_to: str


def compose_email(
    job: EmailJob,
    renderer: Renderer,
    settings: DispatchSettings,
    *,
    building_name: str,
    locality: str,
    city: str,
    pickup: PickupPoint,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
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
            building_name=building_name,
            locality=locality,
            city=city,
            pickup=pickup,
            unsubscribe_url=unsubscribe,
            starts_at=starts_at,
            ends_at=ends_at,
        ),
    )
    return to_outgoing(rendered, job, unsubscribe_url=unsubscribe, reply_to=settings.reply_to)


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
        store: Store,
        renderer: Renderer,
        messenger: Messenger,
        settings: DispatchSettings,
        ledger: SentLedger | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.store = store
        self.renderer = renderer
        self.messenger = messenger
        self.settings = settings
        self.ledger = ledger
        self.clock = clock

    def recover(self) -> tuple[int, int]:
        """Settle jobs left in SENDING by a crash: (confirmed sent, put back in the queue).

        Without a ledger we cannot know whether the provider accepted them, so they stay
        in doubt rather than risk a second email.
        """
        doubtful = self.store.in_doubt()
        if not doubtful or self.ledger is None:
            return 0, 0
        accepted = self.ledger.find_sent([job.job_id for job in doubtful])
        confirmed = requeued = 0
        for job in doubtful:
            if job.job_id in accepted:
                self.store.mark_sent(job.job_id, accepted[job.job_id])
                confirmed += 1
            else:
                self.store.retry_later(job.job_id, self.clock(), "requeued after crash")
                requeued += 1
        if confirmed or requeued:
            log.info("recovered in-doubt jobs: %d confirmed sent, %d requeued", confirmed, requeued)
        return confirmed, requeued

    def run_once(self, limit: int = 500) -> DispatchStats:
        """Send up to ``limit`` due jobs; stops early when the provider says to pause."""
        stats = DispatchStats()
        for job in self.store.claim_due(limit, self.clock()):
            state = self._dispatch(job, stats)
            stats.counts[state] += 1
            if stats.pause_seconds:
                break
        self.messenger.flush()
        return stats

    def _dispatch(self, job: EmailJob, stats: DispatchStats) -> str:
        if self.store.is_suppressed(job.email):
            self.store.mark_final(job.job_id, JobState.SUPPRESSED, "address is suppressed")
            return JobState.SUPPRESSED.value
        quarantine = self.store.get_quarantine(job.building_id)
        if quarantine is None or quarantine.episode_id != job.episode_id:
            self.store.mark_final(job.job_id, JobState.CANCELLED, "episode is gone")
            return JobState.CANCELLED.value
        if job.kind is not EmailKind.LIFTED and not quarantine.active:
            self.store.mark_final(job.job_id, JobState.CANCELLED, "quarantine lifted")
            return JobState.CANCELLED.value

        # Rendered at send time so a pending announcement carries the latest pickup point.
        email = compose_email(
            job,
            self.renderer,
            self.settings,
            building_name=quarantine.name,
            locality=quarantine.locality,
            city=quarantine.city,
            pickup=quarantine.pickup,
            starts_at=quarantine.starts_at,
            ends_at=quarantine.ends_at,
        )
        if not self.store.mark_sending(job.job_id):
            return "skipped"
        try:
            message_id = self.messenger.push(email)
        except RetryLater as exc:
            self.store.retry_later(
                job.job_id, self.clock() + timedelta(seconds=exc.after_seconds), str(exc)
            )
            if exc.after_seconds >= 1.0:
                stats.pause_seconds = exc.after_seconds
            return "retry"
        except AmbiguousSend:
            # Left in SENDING on purpose: recover() settles it with the ledger later.
            log.warning("job %s is in doubt (provider outcome unknown)", job.job_id)
            return "in_doubt"
        except SendError as exc:
            self.store.mark_final(job.job_id, JobState.FAILED, str(exc))
            log.warning("job %s failed for good: %s", job.job_id, exc)
            return JobState.FAILED.value
        self.store.mark_sent(job.job_id, message_id)
        return JobState.SENT.value
