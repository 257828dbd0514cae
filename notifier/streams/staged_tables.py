"""Staged writes over the planner's tables: an overlay of pending writes that reads see at once.

Writes reach the tables only when the agent calls :meth:`StagedTables.commit` after the
messages the writes led to (email jobs, cancellations) are acknowledged by Kafka. A worker
killed in between replays the events and re-emits the same jobs (deterministic ids, the
sender skips duplicates) instead of finding them "already seen" with the jobs lost. One
event's writes can be rolled back alone (:meth:`StagedTables.abort_event`).

Plain dicts work as tables, which is how the planner is unit-tested without Kafka.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator, MutableMapping
from typing import Any

from notifier.events.contracts import DeadLetter

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
