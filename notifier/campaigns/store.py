"""What the campaign core needs from storage: the records it keeps and a small ``Store`` protocol.

The embedded runtime implements it on SQLite (``notifier.runtime.sqlite_store``); the Kafka
runtime on Faust tables. The core never sees which.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from notifier.address.matcher import BuildingRef
from notifier.address.segments import Segments
from notifier.events.contracts import DeadLetter, EmailJob, Language, PickupPoint


class JobState(StrEnum):
    PENDING = "pending"  # queued, waiting for the sender (maybe until not_before)
    SENDING = "sending"  # handed to the provider; outcome unknown until recorded (crash window)
    SENT = "sent"
    FAILED = "failed"  # refused for good (e.g. MessageRejected)
    CANCELLED = "cancelled"  # quarantine lifted or resident moved before it went out
    SUPPRESSED = "suppressed"  # bounced, complained or unsubscribed earlier


FINAL_STATES = frozenset({JobState.SENT, JobState.FAILED, JobState.CANCELLED, JobState.SUPPRESSED})


@dataclass(frozen=True, slots=True)
class Quarantine:
    """A quarantined building as ops registered it, plus the current episode."""

    building_id: str
    name: str
    locality: str
    city: str
    pincode: str | None
    pickup: PickupPoint
    episode_id: str
    revision: int  # bumped by each pickup-point change within the episode
    active: bool
    starts_at: datetime | None
    ends_at: datetime | None
    last_event_id: str
    aliases: tuple[str, ...] = ()  # other names of the building (optional)
    brand: str | None = None  # its developer, when ops know it

    def ref(self) -> BuildingRef:
        return BuildingRef(
            building_id=self.building_id,
            name=self.name,
            locality=self.locality,
            city=self.city,
            pincode=self.pincode,
            aliases=tuple(self.aliases),
            brand=self.brand,
        )


@dataclass(frozen=True, slots=True)
class StoredAddress:
    """A customer's current delivery address with its segmentation."""

    customer_id: str
    address_id: str
    email: str
    name: str
    language: Language
    segments: Segments
    occurred_at: datetime


@dataclass(frozen=True, slots=True)
class Membership:
    """A decision that a stored address lies in a quarantined building for one episode."""

    episode_id: str
    building_id: str
    customer_id: str
    address_id: str
    score: float
    active: bool = True


class ReviewStatus(StrEnum):
    OPEN = "open"
    APPROVED = "approved"
    REJECTED = "rejected"
    OBSOLETE = "obsolete"  # the quarantine ended or the address changed before anyone looked


@dataclass(frozen=True, slots=True)
class ReviewItem:
    review_id: str
    episode_id: str
    building_id: str
    customer_id: str
    address_id: str
    score: float
    explanation: dict[str, Any] = field(default_factory=dict)
    status: ReviewStatus = ReviewStatus.OPEN


class Store(Protocol):
    """Storage used by :class:`~notifier.campaigns.planner.Planner` and the dispatcher."""

    # events already applied (idempotent replays after a crash)
    def mark_seen(self, event_id: str, *, durable: bool = True) -> bool:
        """Record the event; False if it was seen before.

        ``durable=False``: applying the event twice is harmless (the planner's address handling
        is idempotent), so the store may remember it in memory only.
        """
        ...

    def dead_letter(self, letter: DeadLetter) -> None: ...

    # quarantined buildings
    def get_quarantine(self, building_id: str) -> Quarantine | None: ...
    def put_quarantine(self, quarantine: Quarantine) -> None: ...
    def active_quarantines(self) -> list[Quarantine]: ...

    # customer addresses and the reverse index (keys from notifier.address.blocking)
    def get_address(self, customer_id: str, address_id: str) -> StoredAddress | None: ...
    def put_address(self, address: StoredAddress, keys: Iterable[str]) -> None: ...
    def delete_address(self, customer_id: str, address_id: str) -> None: ...
    def addresses_for_keys(self, keys: Iterable[str]) -> list[StoredAddress]: ...

    # who lives in which quarantined building
    def put_membership(self, membership: Membership) -> None: ...
    def members(self, episode_id: str) -> list[Membership]: ...
    def memberships_of(self, customer_id: str, address_id: str) -> list[Membership]: ...

    # email jobs (the outbox); job_id is the idempotency key
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
    def claim_due(self, limit: int, now: datetime) -> list[EmailJob]:
        """Pending jobs whose time has come, oldest first (state unchanged)."""
        ...

    def mark_sending(self, job_id: str) -> bool:
        """PENDING -> SENDING; False if the job is no longer pending."""
        ...

    def mark_sent(self, job_id: str, message_id: str) -> None: ...
    def mark_final(self, job_id: str, state: JobState, reason: str) -> None: ...
    def retry_later(self, job_id: str, not_before: datetime, reason: str) -> None: ...
    def in_doubt(self) -> list[EmailJob]:
        """Jobs left in SENDING (a crash between the provider call and the record)."""
        ...

    # review queue
    def add_review(self, item: ReviewItem) -> bool: ...
    def get_review(self, review_id: str) -> ReviewItem | None: ...
    def list_reviews(self, status: ReviewStatus | None = ReviewStatus.OPEN) -> list[ReviewItem]: ...
    def open_reviews_of(self, customer_id: str, address_id: str) -> list[ReviewItem]:
        """Open review items about one address (called on every address change)."""
        ...

    def set_review_status(self, review_id: str, status: ReviewStatus) -> None: ...

    # suppression list (hard bounces, complaints, unsubscribes)
    def is_suppressed(self, email: str) -> bool: ...
    def suppress(self, email: str, reason: str) -> None: ...
