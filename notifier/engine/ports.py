"""The narrow protocols the engine needs from a runtime; each is small enough to fill in an
afternoon. ``PlanStore`` is what the planner reads and writes, ``Outbox`` what the job state
machine reads and writes, ``Suppressions`` the do-not-email list; ``Messenger`` and
``SentLedger`` are the email side (``notifier.messengers``).

The embedded runtime implements all of them on one SQLite file
(``notifier.runtime.sqlite_store``); the Kafka runtime implements ``PlanStore`` per route over
Faust tables (``notifier.streams.table_store``) and ``Outbox`` / ``Suppressions`` per job over
the job-state and suppression tables (``notifier.streams.job_outbox``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from notifier.address.segments import Segments
from notifier.campaigns.store import (
    JobState,
    Membership,
    Quarantine,
    ReviewItem,
    ReviewStatus,
    StoredAddress,
)
from notifier.engine.jobs import OutboxJob
from notifier.events.contracts import DeadLetter, EmailJob
from notifier.messengers.base import Messenger
from notifier.messengers.ledger import SentLedger

# -- planning ---------------------------------------------------------------------------------


class EventLog(Protocol):
    def mark_seen(self, event_id: str, *, durable: bool = True) -> bool:
        """Record the event; False if it was seen before.

        ``durable=False``: applying the event twice is harmless (the planner's address handling
        is idempotent), so the store may remember it in memory only.
        """
        ...

    def dead_letter(self, letter: DeadLetter) -> None: ...


class Quarantines(Protocol):
    def get_quarantine(self, building_id: str) -> Quarantine | None: ...
    def put_quarantine(self, quarantine: Quarantine) -> None: ...
    def active_quarantines(self) -> list[Quarantine]: ...


class Addresses(Protocol):
    """Customer addresses and the reverse index (keys from ``notifier.address.blocking``)."""

    def get_address(self, customer_id: str, address_id: str) -> StoredAddress | None: ...
    def put_address(self, address: StoredAddress, keys: Iterable[str]) -> None: ...
    def delete_address(self, customer_id: str, address_id: str) -> None: ...
    def addresses_for_keys(
        self, keys: Iterable[str], keep: Callable[[Segments], bool] | None = None
    ) -> list[StoredAddress]:
        """Addresses filed under any of ``keys``; ``keep``, a cheap first pass on their
        segments (``Matcher.resident_screen``), leaves out those it answers False for."""
        ...


class Memberships(Protocol):
    """Who lives in which quarantined building."""

    def put_membership(self, membership: Membership) -> None: ...
    def members(self, episode_id: str) -> list[Membership]: ...
    def memberships_of(self, customer_id: str, address_id: str) -> list[Membership]: ...


class PlannedJobs(Protocol):
    """The planner's view of the email jobs it queued (job_id is the idempotency key)."""

    def enqueue(self, job: EmailJob) -> bool:
        """Insert a pending job; False (and no change) if the job_id exists."""
        ...

    def job_state(self, job_id: str) -> JobState | None: ...
    def cancel_pending(
        self,
        *,
        episode_id: str | None = None,
        customer_id: str | None = None,
        address_id: str | None = None,
    ) -> int: ...


class Reviews(Protocol):
    def add_review(self, item: ReviewItem) -> bool: ...
    def get_review(self, review_id: str) -> ReviewItem | None: ...
    def list_reviews(self, status: ReviewStatus | None = ReviewStatus.OPEN) -> list[ReviewItem]: ...
    def open_reviews_of(self, customer_id: str, address_id: str) -> list[ReviewItem]:
        """Open review items about one address (called on every address change)."""
        ...

    def set_review_status(self, review_id: str, status: ReviewStatus) -> None: ...
    def was_rejected(self, building_id: str, customer_id: str, address_id: str) -> bool:
        """Ops rejected a review pairing this address with this building (any episode)."""
        ...


class PlanStore(EventLog, Quarantines, Addresses, Memberships, PlannedJobs, Reviews, Protocol):
    """Everything :class:`~notifier.campaigns.planner.Planner` touches."""


# -- sending ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class InDoubt:
    """A job left in SENDING (a crash between the provider call and its record)."""

    job: EmailJob
    since: datetime  # when it was marked SENDING
    item: OutboxJob | None = None  # with its render context, where the outbox keeps one


class Outbox(Protocol):
    """The job states the state machine moves (``notifier.engine.sending``)."""

    def job_state(self, job_id: str) -> JobState | None: ...
    def begin_send(self, item: OutboxJob, now: datetime) -> bool:
        """PENDING (or not seen yet) -> SENDING, durably; False if the job is not pending."""
        ...

    def mark_sent(self, job_id: str, message_id: str) -> None: ...
    def mark_final(self, job_id: str, state: JobState, reason: str) -> None: ...
    def retry_later(self, job_id: str, not_before: datetime, reason: str) -> None:
        """Back to PENDING, not to be sent before ``not_before``."""
        ...

    def in_doubt(self) -> list[InDoubt]: ...


class Suppressions(Protocol):
    """Hard bounces, complaints, unsubscribes (keyed by ``notifier.engine.keys.email_key``)."""

    def is_suppressed(self, email: str) -> bool: ...
    def suppress(self, email: str, reason: str) -> None: ...


__all__ = [
    "Addresses",
    "EventLog",
    "InDoubt",
    "Memberships",
    "Messenger",
    "Outbox",
    "PlanStore",
    "PlannedJobs",
    "Quarantines",
    "Reviews",
    "SentLedger",
    "Suppressions",
]
