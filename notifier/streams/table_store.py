"""The engine's ``PlanStore`` over Faust tables, scoped to one route (partition key).

Every key is prefixed with the route, so the state of one route lives in the partition that
route hashes to and two routes never share a record (a customer who moves from one city to
another has an independent record in each until the old one is deleted). Writes go through
:class:`~notifier.streams.staged_tables.StagedTables` (reach the tables once Kafka has the
messages they led to); records are written as ``notifier.streams.records`` says; the lookups
(:class:`RouteIndex`) live in memory, rebuilt from the records.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict
from typing import Any

from notifier.address.key_index import KeyIndex
from notifier.address.segments import Segments
from notifier.campaigns.store import (
    JobState,
    Membership,
    Quarantine,
    ReviewItem,
    ReviewStatus,
    StoredAddress,
)
from notifier.events.contracts import DeadLetter, EmailJob
from notifier.streams.records import (
    SEP,
    address_from_dict,
    address_to_dict,
    quarantine_from_dict,
    quarantine_to_dict,
    review_from_dict,
    review_to_dict,
)
from notifier.streams.staged_tables import RECENT, StagedTables


def _first(item: tuple[str, Any, Any]) -> str:
    return item[0]


def route_of(key: str) -> str:
    return key.split(SEP, 1)[0]


class RouteIndex:
    """In-memory lookups of one route, derived from its primary records."""

    def __init__(self) -> None:
        self.by_key: KeyIndex[str] = KeyIndex()  # blocking key -> address refs
        self.members: dict[str, set[str]] = defaultdict(set)  # episode -> refs
        self.episodes_of: dict[str, set[str]] = defaultdict(set)  # ref -> episodes
        self.jobs_by_episode: dict[str, set[str]] = defaultdict(set)
        self.jobs_by_ref: dict[str, set[str]] = defaultdict(set)
        self.open_reviews: set[str] = set()
        # ref -> its open reviews: every address change asks for them (most have none)
        self.open_reviews_by_ref: dict[str, set[str]] = defaultdict(set)
        # ref -> buildings ops rejected it for (never matched to them again)
        self.rejected: dict[str, set[str]] = defaultdict(set)

    def open_review(self, review_id: str, ref: str) -> None:
        self.open_reviews.add(review_id)
        self.open_reviews_by_ref[ref].add(review_id)

    def close_review(self, review_id: str, ref: str) -> None:
        self.open_reviews.discard(review_id)
        ids = self.open_reviews_by_ref.get(ref)
        if ids is not None:
            ids.discard(review_id)
            if not ids:
                del self.open_reviews_by_ref[ref]

    def add(self, table: str, value: dict[str, Any]) -> None:
        if table == "addresses":
            self.by_key.put(_ref(value), value["keys"])
        elif table == "members":
            self.members[value["episode_id"]].add(_ref(value))
            self.episodes_of[_ref(value)].add(value["episode_id"])
        elif table == "jobs":
            self.jobs_by_episode[value["episode_id"]].add(value["job_id"])
            self.jobs_by_ref[_ref(value)].add(value["job_id"])
        elif table == "reviews" and value["status"] == ReviewStatus.OPEN.value:
            self.open_review(value["review_id"], _ref(value))
        elif table == "reviews" and value["status"] == ReviewStatus.REJECTED.value:
            self.rejected[_ref(value)].add(value["building_id"])


INDEXED = ("addresses", "members", "jobs", "reviews")


def build_indexes(staged: StagedTables) -> dict[str, RouteIndex]:
    """One pass over the indexed tables (and staged writes): every route's index."""
    indexes: dict[str, RouteIndex] = defaultdict(RouteIndex)
    for table in INDEXED:
        for key, value in staged.scan(table, ""):
            indexes[route_of(key)].add(table, value)
    return indexes


def _ref(value: dict[str, Any]) -> str:
    return value["customer_id"] + SEP + value["address_id"]


class RouteStore:
    """``notifier.engine.ports.PlanStore`` for one route, over :class:`StagedTables`.

    Sending, suppression and in-doubt settlement are the engine's ``Outbox`` and
    ``Suppressions``, keyed by job id (``notifier.streams.job_outbox``).
    """

    def __init__(self, staged: StagedTables, route: str, index: RouteIndex | None = None) -> None:
        self.staged = staged
        self.route = route
        self.index = index if index is not None else RouteIndex()
        self._p = route + SEP

    def _k(self, *parts: str) -> str:
        return self._p + SEP.join(parts)

    # events already applied ----------------------------------------------------------

    def mark_seen(self, event_id: str, *, durable: bool = True) -> bool:
        key = self._k(event_id)
        if self.staged.get("seen", key) is not None or self.staged.get(RECENT, key) is not None:
            return False
        self.staged.put("seen" if durable else RECENT, key, 1)
        return True

    def dead_letter(self, letter: DeadLetter) -> None:
        self.staged.dead_letters.append(letter)

    # quarantines ---------------------------------------------------------------------

    def get_quarantine(self, building_id: str) -> Quarantine | None:
        data = self.staged.get("quarantines", self._k(building_id))
        return quarantine_from_dict(data) if data else None

    def put_quarantine(self, quarantine: Quarantine) -> None:
        self.staged.put(
            "quarantines", self._k(quarantine.building_id), quarantine_to_dict(quarantine)
        )

    def active_quarantines(self) -> list[Quarantine]:
        found = (quarantine_from_dict(v) for _k, v in self.staged.scan("quarantines", self._p))
        return [q for q in found if q.active]

    # addresses -----------------------------------------------------------------------

    def get_address(self, customer_id: str, address_id: str) -> StoredAddress | None:
        data = self.staged.get("addresses", self._k(customer_id, address_id))
        return address_from_dict(data) if data else None

    def put_address(self, address: StoredAddress, keys: Iterable[str]) -> None:
        record = address_to_dict(address, sorted(set(keys)))
        self.index.add("addresses", record)
        self.staged.put("addresses", self._k(address.customer_id, address.address_id), record)

    def delete_address(self, customer_id: str, address_id: str) -> None:
        self.index.by_key.discard(customer_id + SEP + address_id)
        self.staged.delete("addresses", self._k(customer_id, address_id))

    def addresses_for_keys(
        self, keys: Iterable[str], keep: Callable[[Segments], bool] | None = None
    ) -> list[StoredAddress]:
        # a region-wide building key offers tens of thousands of addresses: ``keep`` sees
        # their segments before the rest of the record is decoded, and only the kept are sorted
        get, prefix = self.staged.get, self._p  # a ref is the key without the route prefix
        kept: list[tuple[str, dict[str, Any], Segments]] = []
        for ref in self.index.by_key.lookup(keys):
            data = get("addresses", prefix + ref)
            if data is not None:
                segments = Segments(**data["segments"])
                if keep is None or keep(segments):
                    kept.append((ref, data, segments))
        kept.sort(key=_first)
        return [address_from_dict(data, segments) for _, data, segments in kept]

    # memberships ---------------------------------------------------------------------

    def put_membership(self, membership: Membership) -> None:
        record = asdict(membership)
        self.index.add("members", record)
        key = self._k(membership.episode_id, membership.customer_id, membership.address_id)
        self.staged.put("members", key, record)

    def _member(self, episode_id: str, ref: str) -> Membership | None:
        record = self.staged.get("members", self._k(episode_id, ref))
        return Membership(**record) if record else None

    def members(self, episode_id: str) -> list[Membership]:
        found = (self._member(episode_id, ref) for ref in sorted(self.index.members[episode_id]))
        return [m for m in found if m is not None]

    def memberships_of(self, customer_id: str, address_id: str) -> list[Membership]:
        ref = customer_id + SEP + address_id
        found = (self._member(ep, ref) for ep in sorted(self.index.episodes_of.get(ref, ())))
        return [m for m in found if m is not None]

    # email jobs (the planner's view; the sender owns the real state) ------------------

    def enqueue(self, job: EmailJob) -> bool:
        key = self._k(job.job_id)
        if self.staged.get("jobs", key) is not None:
            return False
        record = {
            "job_id": job.job_id,
            "state": JobState.PENDING.value,
            "episode_id": job.episode_id,
            "customer_id": job.customer_id,
            "address_id": job.address_id,
        }
        self.index.add("jobs", record)
        self.staged.put("jobs", key, record)
        return True

    def job_state(self, job_id: str) -> JobState | None:
        data = self.staged.get("jobs", self._k(job_id))
        return JobState(data["state"]) if data else None

    def set_job_state(self, job_id: str, state: JobState) -> bool:
        """Record the sender's verdict; False for a job this route never queued."""
        data = self.staged.get("jobs", self._k(job_id))
        if data is None or data["state"] == state.value:
            return False
        self.staged.put("jobs", self._k(job_id), {**data, "state": state.value})
        return True

    def cancel_pending(
        self,
        *,
        episode_id: str | None = None,
        customer_id: str | None = None,
        address_id: str | None = None,
    ) -> int:
        if customer_id is not None and address_id is not None:
            candidates = self.index.jobs_by_ref.get(customer_id + SEP + address_id, set())
        elif episode_id is not None:
            candidates = self.index.jobs_by_episode.get(episode_id, set())
        else:
            raise ValueError("cancel_pending needs an episode or a customer address")
        cancelled = 0
        for job_id in sorted(candidates):
            data = self.staged.get("jobs", self._k(job_id))
            if data is None or data["state"] != JobState.PENDING.value:
                continue
            if episode_id is not None and data["episode_id"] != episode_id:
                continue
            if customer_id is not None and data["customer_id"] != customer_id:
                continue
            self.staged.put("jobs", self._k(job_id), {**data, "state": JobState.CANCELLED.value})
            self.staged.cancelled.append(job_id)
            cancelled += 1
        return cancelled

    # review queue --------------------------------------------------------------------

    def add_review(self, item: ReviewItem) -> bool:
        key = self._k(item.review_id)
        if self.staged.get("reviews", key) is not None:
            return False
        record = review_to_dict(item)
        self.index.add("reviews", record)
        self.staged.put("reviews", key, record)
        return True

    def get_review(self, review_id: str) -> ReviewItem | None:
        data = self.staged.get("reviews", self._k(review_id))
        return review_from_dict(data) if data else None

    def list_reviews(self, status: ReviewStatus | None = ReviewStatus.OPEN) -> list[ReviewItem]:
        if status is ReviewStatus.OPEN:
            items = (self.get_review(review_id) for review_id in sorted(self.index.open_reviews))
            return [i for i in items if i is not None and i.status is ReviewStatus.OPEN]
        found = (review_from_dict(v) for _k, v in self.staged.scan("reviews", self._p))
        return [i for i in found if status is None or i.status is status]

    def open_reviews_of(self, customer_id: str, address_id: str) -> list[ReviewItem]:
        ids = self.index.open_reviews_by_ref.get(customer_id + SEP + address_id)
        if not ids:
            return []
        items = (self.get_review(review_id) for review_id in sorted(ids))
        return [
            i
            for i in items
            if i is not None
            and i.status is ReviewStatus.OPEN
            and i.customer_id == customer_id
            and i.address_id == address_id
        ]

    def set_review_status(self, review_id: str, status: ReviewStatus) -> None:
        item = self.get_review(review_id)
        if item is None:
            raise KeyError(f"no review item {review_id}")
        self.staged.put(
            "reviews", self._k(review_id), {**review_to_dict(item), "status": status.value}
        )
        ref = item.customer_id + SEP + item.address_id
        if status is ReviewStatus.OPEN:
            self.index.open_review(review_id, ref)
        else:
            self.index.close_review(review_id, ref)
        if status is ReviewStatus.REJECTED:
            self.index.rejected[ref].add(item.building_id)

    def was_rejected(self, building_id: str, customer_id: str, address_id: str) -> bool:
        return building_id in self.index.rejected.get(customer_id + SEP + address_id, ())
