"""The records the campaign core keeps (quarantines, addresses, memberships, reviews, job
states). The narrow storage protocols over them are in ``notifier.engine.ports``; the embedded
runtime fills them in on SQLite, the Kafka runtime on Faust tables. The core never sees which.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from notifier.address.matcher import BuildingRef
from notifier.address.segments import Segments
from notifier.events.contracts import Language, PickupPoint


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
    requested_language: str = ""  # what the customer asked for (see AddressChanged)


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
