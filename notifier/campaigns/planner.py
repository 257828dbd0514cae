"""Decide who to notify: the broker-free heart of both runtimes.

Events come in already validated (``notifier.events.contracts``) and addresses already
segmented (the runtime batches segmentation). The planner keeps the store and an in-memory
matcher over the active quarantines in step, and turns events into idempotent email jobs and
review items. Replaying any event is harmless: job ids are deterministic and stale or repeated
events are recognised.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field, replace

from notifier.address.blocking import address_keys, building_query_keys
from notifier.address.matcher import Decision, MatchConfig, Matcher, MatchResult
from notifier.address.segments import Segments
from notifier.campaigns.store import (
    JobState,
    Membership,
    Quarantine,
    ReviewItem,
    ReviewStatus,
    StoredAddress,
)
from notifier.engine.ports import PlanStore
from notifier.events.contracts import (
    AddressChanged,
    DeadLetter,
    EmailJob,
    EmailKind,
    QuarantineLifted,
    QuarantineRegistered,
    QuarantineUpdated,
    language_fallback,
)

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Outcome:
    """What one event led to; the runtimes add these up for progress and metrics."""

    jobs: list[EmailJob] = field(default_factory=list)
    reviews: list[ReviewItem] = field(default_factory=list)
    cancelled: int = 0
    dead_letters: int = 0
    duplicate: bool = False

    def merge(self, other: Outcome) -> None:
        self.jobs.extend(other.jobs)
        self.reviews.extend(other.reviews)
        self.cancelled += other.cancelled
        self.dead_letters += other.dead_letters


def episode_id_for(event: QuarantineRegistered) -> str:
    """An episode is named by the registration that opened it, so replays agree on the id."""
    digest = hashlib.sha256(event.event_id.encode()).hexdigest()[:10]
    return f"{event.building_id}~{digest}"


def review_id_for(episode_id: str, customer_id: str, address_id: str) -> str:
    raw = f"{episode_id}\x1f{customer_id}\x1f{address_id}"
    return hashlib.sha256(raw.encode()).hexdigest()[:24]


class Planner:
    """Applies events to the store and decides which emails to queue."""

    def __init__(self, store: PlanStore, config: MatchConfig | None = None) -> None:
        self.store = store
        self.matcher = Matcher((q.ref() for q in store.active_quarantines()), config)

    # -- addresses -----------------------------------------------------------------------

    def on_address(self, event: AddressChanged, segments: Segments | None) -> Outcome:
        """A customer created, edited or deleted an address (``segments`` None for deletes)."""
        out = Outcome()
        # Replaying an address event is harmless (same record, same memberships, job ids
        # already queued), and a partition replays in order; a store may keep this mark in
        # memory (the Kafka runtime then writes one changelog record less per event).
        if not self.store.mark_seen(event.event_id, durable=False):
            out.duplicate = True
            return out
        previous = self.store.get_address(event.customer_id, event.address_id)
        if previous is not None and previous.occurred_at > event.occurred_at:
            log.debug("stale address event %s ignored", event.event_id)
            out.duplicate = True
            return out
        if event.deleted or segments is None:
            self.store.delete_address(event.customer_id, event.address_id)
            out.cancelled += self._leave_buildings(event.customer_id, event.address_id, keep=None)
            return out

        address = StoredAddress(
            customer_id=event.customer_id,
            address_id=event.address_id,
            email=event.email,
            name=event.name,
            language=event.language,
            segments=segments,
            occurred_at=event.occurred_at,
            requested_language=event.requested_language,
        )
        self.store.put_address(address, address_keys(segments))
        result = self.matcher.match(segments)
        keep = result.building_id if result.decision is not Decision.NONE else None
        out.cancelled += self._leave_buildings(event.customer_id, event.address_id, keep=keep)
        if result.decision is not Decision.NONE and result.building_id is not None:
            quarantine = self.store.get_quarantine(result.building_id)
            if quarantine is not None and quarantine.active:
                out.merge(self._decide(quarantine, address, result))
        return out

    def _leave_buildings(self, customer_id: str, address_id: str, keep: str | None) -> int:
        """The address no longer lies in these buildings: nothing more goes out for them."""
        cancelled = 0
        for member in self.store.memberships_of(customer_id, address_id):
            if member.building_id == keep or not member.active:
                continue
            self.store.put_membership(
                Membership(
                    episode_id=member.episode_id,
                    building_id=member.building_id,
                    customer_id=customer_id,
                    address_id=address_id,
                    score=member.score,
                    active=False,
                )
            )
            cancelled += self.store.cancel_pending(
                episode_id=member.episode_id, customer_id=customer_id, address_id=address_id
            )
        for item in self.store.open_reviews_of(customer_id, address_id):
            if item.building_id != keep:
                self.store.set_review_status(item.review_id, ReviewStatus.OBSOLETE)
        return cancelled

    # -- matching decisions --------------------------------------------------------------

    def _decide(
        self, quarantine: Quarantine, address: StoredAddress, result: MatchResult
    ) -> Outcome:
        out = Outcome()
        if self.store.was_rejected(quarantine.building_id, address.customer_id, address.address_id):
            # ops said this address is not in this building: not again, in any episode
            return out
        if result.decision is Decision.MATCH:
            out.jobs.extend(self._admit(quarantine, address, result.score))
        elif result.decision is Decision.REVIEW:
            item = ReviewItem(
                review_id=review_id_for(
                    quarantine.episode_id, address.customer_id, address.address_id
                ),
                episode_id=quarantine.episode_id,
                building_id=quarantine.building_id,
                customer_id=address.customer_id,
                address_id=address.address_id,
                score=result.score,
                explanation=result.explanation(),
            )
            if self.store.add_review(item):
                out.reviews.append(item)
        return out

    def _admit(
        self, quarantine: Quarantine, address: StoredAddress, score: float
    ) -> list[EmailJob]:
        self.store.put_membership(
            Membership(
                episode_id=quarantine.episode_id,
                building_id=quarantine.building_id,
                customer_id=address.customer_id,
                address_id=address.address_id,
                score=score,
            )
        )
        job = self._job(quarantine, address, EmailKind.ANNOUNCEMENT, revision=0)
        return [job] if self.store.enqueue(job) else []

    def _job(
        self, quarantine: Quarantine, address: StoredAddress, kind: EmailKind, revision: int
    ) -> EmailJob:
        return EmailJob(
            job_id=EmailJob.make_id(quarantine.episode_id, kind, revision, address.customer_id),
            kind=kind,
            campaign_id=quarantine.episode_id,
            building_id=quarantine.building_id,
            episode_id=quarantine.episode_id,
            revision=revision,
            customer_id=address.customer_id,
            address_id=address.address_id,
            email=address.email,
            name=address.name,
            language=address.language,
            language_fallback=language_fallback(address.requested_language, address.language),
        )

    def _find_residents(self, quarantine: Quarantine) -> Outcome:
        """The reverse direction: residents already known when a building is quarantined."""
        out = Outcome()
        ref = quarantine.ref()
        # the exact first pass leaves out the many candidates whose names rule them out
        screen = self.matcher.resident_screen(ref)
        for address in self.store.addresses_for_keys(building_query_keys(ref), screen.may_reside):
            result = self.matcher.score(address.segments, ref)
            if result.decision is not Decision.NONE:
                out.merge(self._decide(quarantine, address, result))
        return out

    # -- quarantines ---------------------------------------------------------------------

    def on_registered(self, event: QuarantineRegistered) -> Outcome:
        existing = self.store.get_quarantine(event.building_id)
        if existing is not None and existing.active:
            # Registering an already quarantined building again is an update, not a new episode.
            return self.on_updated(QuarantineUpdated(**event.model_dump(exclude={"type"})))
        if not self.store.mark_seen(event.event_id):
            return Outcome(duplicate=True)
        quarantine = Quarantine(
            building_id=event.building_id,
            name=event.name,
            locality=event.locality,
            city=event.city,
            pincode=event.pincode,
            pickup=event.pickup,
            episode_id=episode_id_for(event),
            revision=0,
            active=True,
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            last_event_id=event.event_id,
            aliases=tuple(event.aliases),
            brand=event.brand,
        )
        self.store.put_quarantine(quarantine)
        self.matcher.add(quarantine.ref())
        log.info("quarantine registered building=%s", event.building_id)
        return self._find_residents(quarantine)

    def on_updated(self, event: QuarantineUpdated) -> Outcome:
        current = self.store.get_quarantine(event.building_id)
        if current is None or not current.active:
            return self._reject(
                event.event_id, event.to_json(), "update for a building that is not quarantined"
            )
        if not self.store.mark_seen(event.event_id):
            return Outcome(duplicate=True)
        pickup_changed = event.pickup != current.pickup
        updated = replace(
            current,
            name=event.name,
            locality=event.locality,
            city=event.city,
            pincode=event.pincode,
            pickup=event.pickup,
            revision=current.revision + (1 if pickup_changed else 0),
            starts_at=event.starts_at or current.starts_at,
            ends_at=event.ends_at,
            last_event_id=event.event_id,
            aliases=tuple(event.aliases),
            brand=event.brand,
        )
        place_changed = updated.ref() != current.ref()
        self.store.put_quarantine(updated)
        out = Outcome()
        if place_changed:
            self.matcher.add(updated.ref())
            out.merge(self._find_residents(updated))
        if pickup_changed:
            out.jobs.extend(self._notify_members(updated, EmailKind.UPDATE, updated.revision))
        return out

    def on_lifted(self, event: QuarantineLifted) -> Outcome:
        current = self.store.get_quarantine(event.building_id)
        if current is None or not current.active:
            if current is not None and current.last_event_id == event.event_id:
                return Outcome(duplicate=True)
            return self._reject(
                event.event_id, event.to_json(), "lift for a building that is not quarantined"
            )
        if not self.store.mark_seen(event.event_id):
            return Outcome(duplicate=True)
        self.store.put_quarantine(
            replace(current, active=False, ends_at=event.occurred_at, last_event_id=event.event_id)
        )
        self.matcher.remove(current.building_id)
        out = Outcome()
        out.cancelled = self.store.cancel_pending(episode_id=current.episode_id)
        for item in self.store.list_reviews(ReviewStatus.OPEN):
            if item.episode_id == current.episode_id:
                self.store.set_review_status(item.review_id, ReviewStatus.OBSOLETE)
        out.jobs.extend(self._notify_members(current, EmailKind.LIFTED, 0))
        log.info("quarantine lifted building=%s cancelled=%d", current.building_id, out.cancelled)
        return out

    def _notify_members(
        self, quarantine: Quarantine, kind: EmailKind, revision: int
    ) -> list[EmailJob]:
        """Follow-ups go only to current residents who were actually sent the announcement."""
        jobs = []
        for member in self.store.members(quarantine.episode_id):
            if not member.active:
                continue
            announced = EmailJob.make_id(
                quarantine.episode_id, EmailKind.ANNOUNCEMENT, 0, member.customer_id
            )
            if self.store.job_state(announced) is not JobState.SENT:
                continue
            address = self.store.get_address(member.customer_id, member.address_id)
            if address is None:
                continue
            job = self._job(quarantine, address, kind, revision)
            if self.store.enqueue(job):
                jobs.append(job)
        return jobs

    # -- review queue --------------------------------------------------------------------

    def approve(self, review_id: str) -> Outcome:
        """Ops confirmed the pair: the resident is admitted and the email queued."""
        item = self._open_review(review_id)
        quarantine = self.store.get_quarantine(item.building_id)
        address = self.store.get_address(item.customer_id, item.address_id)
        self.store.set_review_status(review_id, ReviewStatus.APPROVED)
        out = Outcome()
        if (
            quarantine is not None
            and quarantine.active
            and quarantine.episode_id == item.episode_id
            and address is not None
        ):
            out.jobs.extend(self._admit(quarantine, address, item.score))
        return out

    def reject(self, review_id: str) -> None:
        self._open_review(review_id)
        self.store.set_review_status(review_id, ReviewStatus.REJECTED)

    def _open_review(self, review_id: str) -> ReviewItem:
        item = self.store.get_review(review_id)
        if item is None:
            raise KeyError(f"no review item {review_id}")
        if item.status is not ReviewStatus.OPEN:
            raise ValueError(f"review item {review_id} is already {item.status.value}")
        return item

    # -- helpers -------------------------------------------------------------------------

    def _reject(self, event_id: str, payload: str, reason: str) -> Outcome:
        self.store.dead_letter(DeadLetter(source="quarantine", reason=reason, payload=payload))
        log.warning("dead letter event=%s: %s", event_id, reason)
        return Outcome(dead_letters=1)
