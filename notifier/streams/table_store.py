"""The engine's ``PlanStore`` over Faust tables, scoped to one route (partition key).

Every key is prefixed with the route, so the state of one route lives in the partition that
route hashes to and two routes never share a record (a customer who moves from one city to
another has an independent record in each until the old one is deleted).

Writes are *staged*: they land in an overlay that reads see at once, and reach the tables only
when the agent calls :meth:`StagedTables.commit` after the messages the writes led to (email
jobs, cancellations) are acknowledged by Kafka. A worker killed in between replays the events
and re-emits the same jobs (deterministic ids, the sender skips duplicates) instead of finding
them "already seen" with the jobs lost.

Plain dicts work as tables, which is how the store is unit-tested without Kafka.
"""

from __future__ import annotations

from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Iterator, MutableMapping
from dataclasses import asdict
from datetime import datetime
from typing import Any

from notifier.address.blocking import KeyIndex
from notifier.address.segments import FIELDS, Segments
from notifier.campaigns.store import (
    JobState,
    Membership,
    Quarantine,
    ReviewItem,
    ReviewStatus,
    StoredAddress,
)
from notifier.events.contracts import DeadLetter, EmailJob, Language, PickupPoint

SEP = "\x1f"
# Only primary records are persisted, one small record per key (a changelog message carries a
# whole value: lists that grow with a building's residents would make every write O(n)). The
# lookups the planner needs (blocking key -> addresses, episode -> members, ...) are
# :class:`RouteIndex` es rebuilt in memory from these records after a start or a rebalance.
TABLES = (
    "seen",  # event id -> 1: quarantine events applied (address events: in memory only)
    "quarantines",  # building -> Quarantine
    "addresses",  # customer, address -> StoredAddress (+ its blocking keys)
    "members",  # episode, customer, address -> Membership
    "jobs",  # job -> the planner's view {state, episode_id, customer_id, address_id}
    "reviews",  # review -> ReviewItem
)
_DELETE = object()
# Event ids remembered in memory only (address events: replaying one is harmless, this just
# saves the work of a re-read); about 10 MB. Staged like the other writes, so a batch retried
# from scratch does not find its own events seen.
RECENT = "recent"
RECENT_SEEN = 100_000
Table = MutableMapping[str, Any]


class _RecentKeys(OrderedDict[str, Any]):
    """An in-memory table that forgets its oldest keys beyond ``limit``."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def __setitem__(self, key: str, value: Any) -> None:
        super().__setitem__(key, value)
        if len(self) > self.limit:
            self.popitem(last=False)


class StagedTables:
    """The overlay of pending writes over a set of tables (shared by all route stores)."""

    def __init__(self, tables: dict[str, Table]) -> None:
        missing = set(TABLES) - set(tables)
        if missing:
            raise ValueError(f"missing tables: {sorted(missing)}")
        self.tables = {**tables, RECENT: _RecentKeys(RECENT_SEEN)}
        self._writes: dict[tuple[str, str], tuple[Any, Any]] = {}
        # the current event's writes, kept apart so a failed event can be rolled back
        self._event: dict[tuple[str, str], tuple[Any, Any]] = {}
        self.context: Any = None  # the event the next writes belong to (its partition)
        self.dead_letters: list[DeadLetter] = []
        self.cancelled: list[str] = []

    def get(self, table: str, key: str, default: Any = None) -> Any:
        staged = self._event.get((table, key)) or self._writes.get((table, key))
        if staged is not None:
            value = staged[0]
            return default if value is _DELETE else value
        return self.tables[table].get(key, default)

    def put(self, table: str, key: str, value: Any) -> None:
        self._event.pop((table, key), None)  # re-insert: commit order follows the last write
        self._event[(table, key)] = (value, self.context)

    def delete(self, table: str, key: str) -> None:
        self._event.pop((table, key), None)
        self._event[(table, key)] = (_DELETE, self.context)

    def end_event(self) -> None:
        """Keep the current event's writes (they reach the tables at the next commit)."""
        for item, staged in self._event.items():
            self._writes.pop(item, None)
            self._writes[item] = staged
        self._event.clear()

    def abort_event(self) -> None:
        """Forget the current event's writes (it failed half-way)."""
        self._event.clear()

    def scan(self, table: str, prefix: str) -> Iterator[tuple[str, Any]]:
        """Items whose key starts with ``prefix`` (a full scan: use for small tables only)."""
        seen: set[str] = set()
        layered = {**self._writes, **self._event}
        for (name, key), (value, _ctx) in layered.items():
            if name == table and key.startswith(prefix):
                seen.add(key)
                if value is not _DELETE:
                    yield key, value
        for key, value in list(self.tables[table].items()):
            if key.startswith(prefix) and key not in seen:
                yield key, value

    def pending_items(self, table: str) -> list[tuple[str, Any]]:
        """The staged writes to ``table`` not yet committed (``None`` for a delete)."""
        layered = {**self._writes, **self._event}
        return [
            (key, None if value is _DELETE else value)
            for (name, key), (value, _ctx) in layered.items()
            if name == table
        ]

    @property
    def pending(self) -> int:
        return len(self._writes) + len(self._event)

    def commit(self, enter: Callable[[Any], None] | None = None) -> int:
        """Apply the staged writes in order; ``enter(context)`` runs before each one."""
        self.end_event()
        count = 0
        entered: Any = _DELETE  # no context yet (None is a valid one)
        for (name, key), (value, ctx) in self._writes.items():
            if enter is not None and ctx is not entered:
                enter(ctx)  # writes come in runs of one context (a routed record's items)
                entered = ctx
            table = self.tables[name]
            if value is _DELETE:
                if key in table:
                    del table[key]
            else:
                table[key] = value
            count += 1
        self._writes.clear()
        return count

    def discard(self) -> None:
        """Forget everything staged (a batch is about to be retried from scratch)."""
        self._writes.clear()
        self._event.clear()
        self.dead_letters, self.cancelled = [], []

    def drain(self) -> tuple[list[DeadLetter], list[str]]:
        """Dead letters and cancelled job ids collected since the last drain."""
        letters, cancelled = self.dead_letters, self.cancelled
        self.dead_letters, self.cancelled = [], []
        return letters, cancelled


# -- record codecs (JSON-able dicts; the tables' changelogs are JSON) -----------------------


def _dt(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _parse_dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def quarantine_to_dict(q: Quarantine) -> dict[str, Any]:
    data = asdict(q)
    data["pickup"] = q.pickup.model_dump()
    data["starts_at"], data["ends_at"] = _dt(q.starts_at), _dt(q.ends_at)
    return data


def quarantine_from_dict(data: dict[str, Any]) -> Quarantine:
    return Quarantine(
        **{
            **data,
            "pickup": PickupPoint(**data["pickup"]),
            "starts_at": _parse_dt(data["starts_at"]),
            "ends_at": _parse_dt(data["ends_at"]),
            "aliases": tuple(data.get("aliases") or ()),
        }
    )


_SEGMENT_FIELDS = ("text", *FIELDS)


def segments_to_dict(segments: Segments) -> dict[str, str | None]:
    """Like ``Segments.to_dict`` without ``dataclasses.asdict``'s deep copy (hot path)."""
    return {name: getattr(segments, name) for name in _SEGMENT_FIELDS}


def _address_to_dict(a: StoredAddress, keys: list[str]) -> dict[str, Any]:
    return {
        "customer_id": a.customer_id,
        "address_id": a.address_id,
        "email": a.email,
        "name": a.name,
        "language": a.language.value,
        "segments": segments_to_dict(a.segments),
        "occurred_at": a.occurred_at.isoformat(),
        "requested_language": a.requested_language,
        "keys": keys,
    }


def _address_from_dict(data: dict[str, Any], segments: Segments | None = None) -> StoredAddress:
    return StoredAddress(
        customer_id=data["customer_id"],
        address_id=data["address_id"],
        email=data["email"],
        name=data["name"],
        language=Language(data["language"]),
        segments=Segments(**data["segments"]) if segments is None else segments,
        occurred_at=datetime.fromisoformat(data["occurred_at"]),
        requested_language=str(data.get("requested_language", "")),
    )


def _review_to_dict(r: ReviewItem) -> dict[str, Any]:
    return {**asdict(r), "status": r.status.value}


def _review_from_dict(data: dict[str, Any]) -> ReviewItem:
    return ReviewItem(**{**data, "status": ReviewStatus(data["status"])})


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
        return _address_from_dict(data) if data else None

    def put_address(self, address: StoredAddress, keys: Iterable[str]) -> None:
        record = _address_to_dict(address, sorted(set(keys)))
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
        return [_address_from_dict(data, segments) for _, data, segments in kept]

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
        record = _review_to_dict(item)
        self.index.add("reviews", record)
        self.staged.put("reviews", key, record)
        return True

    def get_review(self, review_id: str) -> ReviewItem | None:
        data = self.staged.get("reviews", self._k(review_id))
        return _review_from_dict(data) if data else None

    def list_reviews(self, status: ReviewStatus | None = ReviewStatus.OPEN) -> list[ReviewItem]:
        if status is ReviewStatus.OPEN:
            items = (self.get_review(review_id) for review_id in sorted(self.index.open_reviews))
            return [i for i in items if i is not None and i.status is ReviewStatus.OPEN]
        found = (_review_from_dict(v) for _k, v in self.staged.scan("reviews", self._p))
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
            "reviews", self._k(review_id), {**_review_to_dict(item), "status": status.value}
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
