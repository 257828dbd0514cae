"""Every reach into faust-streaming's and aiokafka's private internals, behind one seam.

The rest of the Kafka runtime never touches a private Faust or aiokafka name; it calls:

* :func:`install` - once, from ``notifier.streams.app``, right after the App is created:
  checks that the installed libraries still have what this module reaches
  (:func:`check_compatible`, a :class:`FaustIncompatible` error naming what moved), puts the
  strict commit rule in place and starts the offset guard timer on the app;
* :class:`RawKeys`, :class:`KeyPartitioned` - table mixins (raw UTF-8 keys; writes filed
  under the key's own partition instead of the current event's);
* :func:`enter_event` - make an event the current one, so table writes go to its partition;
* :func:`next_to_deliver` - the next offset Faust will hand to a stream (the lag gauge).

Why the reaches exist (faust-streaming 0.15.3; upstream issues #175 and #640): around a
restart or rebalance Faust drops records on their way to a stream (the rest of a fetched
batch, a message of an older generation, a delivery cancelled when the flow is suspended),
and its commit rule (``Consumer._new_offset``) then commits past them: its head check is off
by one, and offset gaps it saw while fetching are filled in as if processed. The kill -9 test
in ``tests/streams/test_kafka_runtime.py`` lost one or two emails in about 1 run in 3.

* :func:`new_offset` replaces that rule: a run of processed offsets is committed only if it
  starts at the committed offset (our topics are append-only: a hole is a lost record).
  Before a partition's first commit Faust does not know where it starts, so nothing is
  committed until :func:`learn_start_offsets` filled in the partition's earliest offset.
* the guard timer reads each partition's state (:func:`partition_views`), lets
  ``stall_guard.StallGuard`` decide, and seeks back to records read but never processed
  (:func:`reread`), or counts offsets that hold no record as processed (:func:`mark_empty`).

Before moving the ``faust-streaming`` pin, see the README ("Moving the Faust pin"): the
tests in ``tests/streams/test_faust_compat.py`` run these functions on real Faust objects.
"""

from __future__ import annotations

import contextvars
import logging
import weakref
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import version
from typing import Any

import faust.streams
from aiokafka.consumer import subscription_state
from faust.exceptions import ConsumerNotStarted
from faust.tables.base import Collection
from faust.transport.consumer import Consumer
from faust.transport.drivers.aiokafka import AIOKafkaConsumerThread
from faust.types import EventT
from faust.utils.functional import consecutive_numbers

from notifier.streams.stall_guard import PartitionView, StallGuard

log = logging.getLogger(__name__)

# The faust-streaming release these reaches were read against (pyproject pins it).
TESTED_FAUST = "0.15.3"
# Private attributes a faust Consumer sets in __init__ and this module reads or writes.
CONSUMER_STATE = ("_acked", "_acked_index", "_read_offset", "_committed_offset")


class FaustIncompatible(RuntimeError):
    """The installed faust-streaming/aiokafka lack something this adapter relies on."""


@dataclass(frozen=True, slots=True)
class _Reach:
    owner: Any
    name: str
    what: str  # how it is used, for the error message

    def present(self) -> bool:
        if hasattr(self.owner, self.name):
            return True
        return self.name in getattr(self.owner, "__annotations__", {})


def _reaches() -> list[_Reach]:
    sub = subscription_state
    return [
        _Reach(Consumer, "_new_offset", "replaced by the strict commit rule"),
        *(_Reach(Consumer, name, "offset bookkeeping read/written") for name in CONSUMER_STATE),
        _Reach(Consumer, "_unacked_messages", "what is still in flight"),
        _Reach(AIOKafkaConsumerThread, "_ensure_consumer", "the aiokafka client"),
        _Reach(sub.SubscriptionState, "subscription", "the client's fetch positions"),
        _Reach(sub.Subscription, "assignment", "the client's fetch positions"),
        _Reach(sub.Assignment, "state_value", "the client's fetch positions"),
        _Reach(sub.TopicPartitionState, "has_valid_position", "the client's fetch positions"),
        _Reach(sub.TopicPartitionState, "position", "the client's fetch positions"),
        _Reach(faust.streams, "_current_event", "the current event of table writes"),
        _Reach(Collection, "_serializer_from_type", "raw table keys"),
    ]


def check_compatible() -> list[str]:
    """What is missing or unexpected in the installed libraries (empty: all as tested)."""
    problems = []
    installed = version("faust-streaming")
    if installed != TESTED_FAUST:
        problems.append(
            f"faust-streaming {installed} is installed; this adapter was checked against "
            f"{TESTED_FAUST}"
        )
    for reach in _reaches():
        if not reach.present():
            owner = getattr(reach.owner, "__qualname__", getattr(reach.owner, "__name__", "?"))
            problems.append(f"{owner}.{reach.name} is gone ({reach.what})")
    if not isinstance(getattr(faust.streams, "_current_event", None), contextvars.ContextVar):
        problems.append("faust.streams._current_event is no longer a ContextVar")
    return problems


def check_consumer_state(consumer: Any) -> bool:
    """Raise :class:`FaustIncompatible` if a live consumer lacks the state we read; False
    while its aiokafka client is not started yet (nothing to check there)."""
    wanted = (*CONSUMER_STATE, "_unacked_messages", "_thread")
    missing = [name for name in wanted if not hasattr(consumer, name)]
    client = None
    if "_thread" not in missing:
        try:
            client = consumer._thread._ensure_consumer()
        except ConsumerNotStarted:
            client = None
    if client is not None and not isinstance(
        getattr(client, "_subscription", None), subscription_state.SubscriptionState
    ):
        missing.append("_thread._ensure_consumer()._subscription")
    if missing:
        raise FaustIncompatible(_explain([f"{type(consumer).__name__}.{m}" for m in missing]))
    return client is not None


def _explain(problems: Iterable[str]) -> str:
    return (
        "the Faust workarounds in notifier/streams/faust_compat.py do not fit the installed "
        "libraries: "
        + "; ".join(problems)
        + ". Re-check them (README, 'Moving the Faust pin') before changing the pin."
    )


# -- the seam -------------------------------------------------------------------------------

_installed: dict[str, Any] = {}


def install(app: Any, *, stall_seconds: float = 10.0, interval: float = 2.0) -> StallGuard:
    """Check the libraries, replace Faust's commit rule, start the offset guard on ``app``.

    Call once per App (``notifier.streams.app``); raises :class:`FaustIncompatible`.
    """
    problems = check_compatible()
    if problems:
        raise FaustIncompatible(_explain(problems))
    if _installed.get("app") is app:
        return _installed["guard"]
    if "original" not in _installed:
        _installed["original"] = Consumer._new_offset
    Consumer._new_offset = new_offset  # type: ignore[method-assign]
    guard = StallGuard(stall_seconds)

    @app.timer(interval=interval)
    async def guard_offsets() -> None:
        # A crashed timer stops the worker: only a library mismatch may do that (fail fast).
        try:
            await check_offsets(app, guard)
        except FaustIncompatible:
            raise
        except Exception:
            log.exception("offset guard check failed")

    _installed.update(app=app, guard=guard)
    return guard


async def check_offsets(app: Any, guard: StallGuard) -> None:
    """One tick of the offset guard: learn start offsets, then re-read what was lost."""
    consumer = app.consumer
    if not check_consumer_state(consumer):
        return  # the worker is still starting up
    changelogs = app.tables.changelog_topics
    await learn_start_offsets(consumer, changelogs)
    repairs = guard.check(partition_views(consumer, changelogs))
    mark_empty(consumer, repairs.empty)
    await reread(consumer, repairs.seeks)


# -- strict commits -------------------------------------------------------------------------


def new_offset(self: Any, tp: Any) -> int | None:
    """The offset to commit for ``tp`` (replaces ``Consumer._new_offset``): one past the acked
    run that starts at the committed offset, or None (nothing acked, a hole at the head, or
    the start not known yet). Gaps Faust saw while fetching are ignored: not processed."""
    acked: list[int] = self._acked[tp]
    if not acked:
        return None
    acked.sort()
    committed = self._committed_offset[tp]
    if _unknown(committed):
        return None  # until learn_start_offsets knows where the partition starts
    stale = bisect_left(acked, committed)  # acked before a seek back
    if stale:
        self._acked_index[tp].difference_update(acked[:stale])
        del acked[:stale]
    if not acked or acked[0] != committed:
        return None
    run = next(consecutive_numbers(acked))
    del acked[: len(run)]
    self._acked_index[tp].difference_update(run)
    return int(run[-1]) + 1


def faust_new_offset(consumer: Any, tp: Any) -> int | None:
    """Faust's own commit rule (what :func:`install` replaced), for tests and comparisons."""
    original = _installed.get("original", Consumer._new_offset)
    return original(consumer, tp)


async def learn_start_offsets(consumer: Any, skip_topics: Iterable[str] = ()) -> None:
    """Set the committed offset of assigned partitions that have none yet (a new group, or a
    partition never committed) to their earliest offset: :func:`new_offset` commits nothing
    from an unknown start, so it can tell a lost first record from the partition's start."""
    skip = set(skip_topics)
    unknown = [
        tp
        for tp in consumer.assignment()
        if tp.topic not in skip and _unknown(consumer._committed_offset.get(tp))
    ]
    if not unknown:
        return
    earliest = await consumer.earliest_offsets(*unknown)
    for tp, offset in earliest.items():
        # A seek to a committed offset may have landed while we asked: it is the better answer.
        if offset is not None and _unknown(consumer._committed_offset.get(tp)):
            consumer._committed_offset[tp] = offset


def committed_offset(consumer: Any, tp: Any) -> int | None:
    """The first offset of ``tp`` not processed yet, as this worker knows it (None: unknown)."""
    committed = consumer._committed_offset.get(tp)
    return None if _unknown(committed) else int(committed)


def _unknown(committed: int | None) -> bool:
    return committed is None or committed < 0


# -- the stall guard's eyes and hands -------------------------------------------------------


def next_to_deliver(consumer: Any, tp: Any) -> int | None:
    """The next offset a faust ``Consumer`` will hand to a stream: the one after the last it
    read, else the committed one (None before either is known). The lag gauge counts from it."""
    read = consumer._read_offset.get(tp)
    return read + 1 if read is not None else consumer._committed_offset.get(tp)


def fetch_position(consumer: Any, tp: Any) -> int | None:
    """The next offset the aiokafka client will fetch for ``tp`` (None: not known yet)."""
    client = consumer._thread._ensure_consumer()
    subscription = client._subscription.subscription
    assignment = subscription.assignment if subscription is not None else None
    state = assignment.state_value(tp) if assignment is not None else None
    if state is None or not state.has_valid_position:
        return None
    return int(state.position)


def partition_views(consumer: Any, skip_topics: Iterable[str] = ()) -> dict[Any, PartitionView]:
    """What a faust ``Consumer`` backed by aiokafka knows of each partition (no I/O)."""
    skip = set(skip_topics)
    # Faust leaves a re-delivered message that was acked before in this set: skip those.
    busy = {m.tp.topic for m in list(consumer._unacked_messages) if not m.acked}
    views: dict[Any, PartitionView] = {}
    for tp in list(consumer.assignment()):
        if tp.topic in skip:
            continue
        position = fetch_position(consumer, tp)
        if position is None:
            continue
        acked = consumer._acked.get(tp)
        views[tp] = PartitionView(
            position,
            next_to_deliver(consumer, tp),
            in_flight=tp.topic in busy,
            committed=committed_offset(consumer, tp),
            first_acked=min(acked) if acked else None,
        )
    return views


async def reread(consumer: Any, seeks: Mapping[Any, int]) -> None:
    for tp, offset in seeks.items():
        log.warning(
            "partition %s-%d: records fetched but never processed; re-reading from %d",
            tp.topic,
            tp.partition,
            offset,
        )
        await consumer.seek(tp, offset)


def mark_empty(consumer: Any, empty: Mapping[Any, range]) -> None:
    """Count offsets that hold no record as processed, so the partition's commits go on."""
    for tp, offsets in empty.items():
        log.warning(
            "partition %s-%d: offsets %d-%d hold no record (transaction markers?); skipping them",
            tp.topic,
            tp.partition,
            offsets.start,
            offsets.stop - 1,
        )
        index = consumer._acked_index[tp]
        acked = consumer._acked[tp]
        for offset in offsets:
            if offset not in index:
                index.add(offset)
                acked.append(offset)


# -- tables ---------------------------------------------------------------------------------


def enter_event(event: EventT | None) -> None:
    """Make ``event`` the current one, so table writes go to its partition.

    Faust sets it per event while iterating a stream (and has no public setter); a
    ``take_events`` batch is handled after iteration, and staged writes later still.
    """
    faust.streams._current_event.set(weakref.ref(event) if event is not None else None)


class _PartitionStandIn:
    """Stands in for the current event while a key-partitioned table writes."""

    def __init__(self, partition: int) -> None:
        self.message = self
        self.partition = partition
        self.topic = ""


@contextmanager
def writing_to(partition: int) -> Iterator[None]:
    """Table writes inside file under ``partition`` (the changelog's and RocksDB's)."""
    stand_in = _PartitionStandIn(partition)  # a strong ref for the weakref
    token = faust.streams._current_event.set(weakref.ref(stand_in))  # type: ignore[arg-type]
    try:
        yield
    finally:
        faust.streams._current_event.reset(token)


class RawKeys:
    """Table mixin: str keys serialized as raw UTF-8 (Faust would pick JSON for them).

    Keys then hash like raw message keys of a topic; the serializer has to be right from
    construction, because the changelog topic is derived from it at once.
    """

    def _serializer_from_type(self, typ: Any) -> Any:
        return "raw" if typ is str else super()._serializer_from_type(typ)  # type: ignore[misc]


class KeyPartitioned(RawKeys):
    """Table mixin: each write goes to ``partition_for_key(key)`` (define it), so writes need
    no real current event (timers write too) and never depend on producer metadata for the
    changelog. Stores that file a write under the current event's partition (RocksDB) see
    that partition too."""

    def partition_for_key(self, key: Any) -> int:
        raise NotImplementedError

    def __setitem__(self, key: Any, value: Any) -> None:
        with writing_to(self.partition_for_key(key)):
            super().__setitem__(key, value)  # type: ignore[misc]

    def __delitem__(self, key: Any) -> None:
        with writing_to(self.partition_for_key(key)):
            super().__delitem__(key)  # type: ignore[misc]


__all__ = [
    "TESTED_FAUST",
    "FaustIncompatible",
    "KeyPartitioned",
    "RawKeys",
    "check_compatible",
    "enter_event",
    "install",
    "next_to_deliver",
]
