"""In-memory indexes from blocking keys to items: the registry's (``KeyIndex``,
``ScopedKeyIndex`` for the forward direction) and the stored addresses' (``ResidentIndex``, for
the reverse direction: a new quarantine finds its residents by key, not by a scan)."""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Generic, TypeVar

from notifier.address.segments import Segments

if TYPE_CHECKING:
    from notifier.address.matcher import BuildingRef

from notifier.address.blocking import address_keys, building_query_keys

T = TypeVar("T")


class KeyIndex(Generic[T]):
    """A multimap key -> items, with the reverse map so an item can be removed or re-keyed."""

    __slots__ = ("_by_key", "_keys_of")

    def __init__(self) -> None:
        self._by_key: dict[str, set[T]] = defaultdict(set)
        self._keys_of: dict[T, tuple[str, ...]] = {}

    def put(self, item: T, keys: Iterable[str]) -> None:
        self.discard(item)
        # interned: a million addresses share a few hundred thousand distinct keys
        stored = tuple(sys.intern(key) for key in set(keys))
        self._keys_of[item] = stored
        for key in stored:
            self._by_key[key].add(item)

    def discard(self, item: T) -> None:
        for key in self._keys_of.pop(item, ()):
            bucket = self._by_key.get(key)
            if bucket is not None:
                bucket.discard(item)
                if not bucket:
                    del self._by_key[key]

    def lookup(self, keys: Iterable[str]) -> set[T]:
        found: set[T] = set()
        for key in keys:
            bucket = self._by_key.get(key)
            if bucket:
                found |= bucket
        return found

    def keys_of(self, item: T) -> frozenset[str]:
        return frozenset(self._keys_of.get(item, ()))

    def __len__(self) -> int:
        return len(self._keys_of)

    def __contains__(self, item: object) -> bool:
        return item in self._keys_of


class ScopedKeyIndex(KeyIndex[T]):
    """A KeyIndex that can also be searched by scopes x name codes without building the key
    strings: the matcher's forward lookup runs once per address and reading, and formatting
    every scope|code pair cost more than the dictionary lookups themselves."""

    __slots__ = ("_by_scope",)

    def __init__(self) -> None:
        super().__init__()
        # "p|560066" -> "prs" -> items, holding the same entries as the key map
        self._by_scope: dict[str, dict[str, set[T]]] = {}

    def put(self, item: T, keys: Iterable[str]) -> None:
        super().put(item, keys)  # discards the item's old keys first
        for key in self._keys_of[item]:
            scope, _, code = key.rpartition("|")  # name codes never hold a "|"
            self._by_scope.setdefault(scope, {}).setdefault(code, set()).add(item)

    def discard(self, item: T) -> None:
        for key in self._keys_of.get(item, ()):
            scope, _, code = key.rpartition("|")
            by_code = self._by_scope.get(scope)
            bucket = by_code.get(code) if by_code else None
            if by_code is not None and bucket is not None:
                bucket.discard(item)
                if not bucket:
                    del by_code[code]
                    if not by_code:
                        del self._by_scope[scope]
        super().discard(item)

    def lookup_scoped(self, scopes: Iterable[str], codes: Iterable[str]) -> set[T]:
        """Same as ``lookup`` of every ``f"{scope}|{code}"`` key."""
        found: set[T] = set()
        for scope in scopes:
            by_code = self._by_scope.get(scope)
            if by_code:
                for code in codes:
                    bucket = by_code.get(code)
                    if bucket:
                        found |= bucket
        return found


class ResidentIndex:
    """In-memory reverse index: stored addresses by blocking key.

    ``candidates(building)`` is a superset of the addresses the matcher could place in that
    building (score them with ``Matcher.score`` to decide).
    """

    __slots__ = ("_index",)

    def __init__(self) -> None:
        self._index: KeyIndex[str] = KeyIndex()

    def add(self, address_id: str, seg: Segments) -> None:
        """Index (or re-index) one stored address."""
        self._index.put(address_id, address_keys(seg))

    def remove(self, address_id: str) -> None:
        self._index.discard(address_id)

    def candidates(self, building: BuildingRef) -> set[str]:
        return self._index.lookup(building_query_keys(building))

    def __len__(self) -> int:
        return len(self._index)
