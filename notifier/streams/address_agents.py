"""Stage 1: address changes and quarantine events -> the routed topic (one route = one city).

Addresses are parsed and segmented in a child process, chunk by chunk, while the event loop
routes the chunks already done; quarantine events follow their episode's route (sticky).
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter, deque
from collections.abc import Callable, Sequence
from concurrent.futures import BrokenExecutor, Executor
from datetime import datetime
from typing import Any, Generic, TypeVar

from faust.types import EventT

from notifier.events.contracts import (
    AddressChanged,
    DeadLetter,
    InvalidEvent,
    QuarantineEvent,
    QuarantineLifted,
    QuarantineRegistered,
    parse_event,
)
from notifier.streams import metrics
from notifier.streams.app import app
from notifier.streams.messages import Routed
from notifier.streams.outbox import Outbox, on_batch_failure, payload_of, retrying, source_of
from notifier.streams.preparing import Deleted, PreparedAddress, Rejected, prepare_addresses
from notifier.streams.resources import drop_segment_pool, segment_executor
from notifier.streams.routing import route_for
from notifier.streams.settings import get_stream_settings
from notifier.streams.topics import (
    address_routes,
    address_topic,
    building_routes,
    enter_event,
    quarantine_topic,
)

stream_settings = get_stream_settings()
T = TypeVar("T")


@on_batch_failure
def _replace_dead_pool(exc: BaseException) -> None:
    if isinstance(exc, BrokenExecutor):
        drop_segment_pool()  # its child died (e.g. OOM-killed): start a new one


def _parse_quarantine(event: EventT, outbox: Outbox) -> QuarantineEvent | None:
    """The quarantine event, or None once it is dead-lettered (unparseable or another kind)."""
    try:
        parsed = parse_event(event.value)
        if isinstance(parsed, AddressChanged):
            raise InvalidEvent(f"{parsed.type} event does not belong on {event.message.topic}")
        return parsed
    except InvalidEvent as exc:
        outbox.dead_letter(
            DeadLetter(source=source_of(event), reason=exc.reason, payload=payload_of(event.value))
        )
        return None


class ChunkedResults(Generic[T]):
    """``fn(chunk, *args)`` over a batch's items, chunk by chunk in the executor, in order.

    Every chunk is submitted at once, so the child works through them back to back while
    the event loop routes the chunks already done (and plans): the two overlap instead of
    taking turns. Results are awaited in input order.
    """

    def __init__(
        self,
        executor: Executor,
        fn: Callable[..., Sequence[T]],
        items: list[Any],
        chunk: int,
        *args: Any,
    ) -> None:
        loop = asyncio.get_running_loop()
        self._futures = deque(
            loop.run_in_executor(executor, fn, items[i : i + chunk], *args)
            for i in range(0, len(items), chunk)
        )
        self._ready: deque[T] = deque()

    @property
    def chunk_done(self) -> bool:
        """True when the results of the chunk taken last are all used."""
        return not self._ready

    async def next(self) -> T:
        if not self._ready:
            self._ready.extend(await self._futures.popleft())
        return self._ready.popleft()

    def cancel(self) -> None:
        for future in self._futures:
            future.cancel()


async def handle_addresses(events: Sequence[EventT]) -> None:
    outbox = Outbox()
    started = time.perf_counter()
    prepared = ChunkedResults(
        segment_executor(),
        prepare_addresses,
        [bytes(event.value) for event in events],
        stream_settings.segment_chunk,
        address_topic.get_topic_name(),
    )
    try:
        routes, moves, outcomes = await _route_addresses(events, prepared, outbox)
    finally:
        prepared.cancel()  # nothing left unless routing failed (the batch is retried)
    metrics.segment_seconds.observe(time.perf_counter() - started)
    # A route record that outlives its lost forward is harmless (a replay forwards again, as
    # the event is not older than the record) - except for a move, whose record forgets the
    # old route that still has to get the delete. Only then wait for the acks first. Either
    # way Faust flushes the producer before it commits the input offsets.
    await outbox.flush(wait=moves)
    for key, (event, record) in routes.items():
        enter_event(event)
        if record is None:
            address_routes.pop(key, None)
        else:
            address_routes[key] = record
    metrics.count_events("segment", outcomes)


async def _route_addresses(
    events: Sequence[EventT], prepared: ChunkedResults[PreparedAddress], outbox: Outbox
) -> tuple[dict[str, tuple[EventT, dict[str, str] | None]], bool, Counter[str]]:
    """Route each event (in order) to the outbox; the route records to write."""
    routes: dict[str, tuple[EventT, dict[str, str] | None]] = {}  # staged route writes
    moves = False
    outcomes: Counter[str] = Counter()  # metrics once per batch: labels() per event shows
    for event in events:
        if prepared.chunk_done:
            await outbox.publish()  # routed so far: on its way while the next chunk is awaited
        address = await prepared.next()
        if isinstance(address, Rejected):
            outbox.dead_letter(
                DeadLetter(
                    source=source_of(event), reason=address.error, payload=payload_of(event.value)
                )
            )
            continue
        enter_event(event)
        key = address.key
        staged = routes.get(key)
        previous = staged[1] if staged else address_routes.get(key)
        at = address.occurred_at.isoformat()
        if previous and datetime.fromisoformat(previous["at"]) > address.occurred_at:
            outcomes["stale"] += 1
            continue
        if isinstance(address, Deleted):
            if previous:
                outbox.route_raw(previous["route"], address.item)
            routes[key] = (event, {"route": previous["route"], "at": at} if previous else None)
            outcomes["deleted"] += 1
            continue
        if previous and previous["route"] != address.route:
            # Moved to another city: the old route must forget the address (and stop its
            # emails) - it will never see the new version of it. (Rare: parsed again here.)
            original = parse_event(event.value)
            moved = original.model_copy(
                update={"event_id": f"{original.event_id}#moved", "deleted": True}
            )
            outbox.route(previous["route"], Routed(event=moved.to_json()))
            moves = True
        outbox.route_raw(address.route, address.item)
        routes[key] = (event, {"route": address.route, "at": at})
        outcomes["routed"] += 1
    return routes, moves, outcomes


@app.agent(address_topic)
async def segment_addresses(stream: Any) -> Any:
    async for events in stream.take_events(
        stream_settings.segment_batch, within=stream_settings.segment_within
    ):
        with metrics.batch_seconds.labels(agent="segment_addresses").time():
            await retrying(handle_addresses, events)
        metrics.batch_events.labels(agent="segment_addresses").inc(len(events))


# -- stage 1b: quarantine events -> routes ----------------------------------------------------


async def handle_quarantine(event: EventT) -> None:
    outbox = Outbox()
    parsed = _parse_quarantine(event, outbox)
    record = None
    if parsed is not None:
        previous = building_routes.get(parsed.building_id)
        if isinstance(parsed, QuarantineRegistered) and not (previous and previous["active"]):
            route = route_for(parsed.city, parsed.pincode)  # a new episode goes where it is now
        elif previous:
            route = previous["route"]  # updates and lifts follow the episode (sticky)
        elif isinstance(parsed, QuarantineLifted):
            route = ""  # a lift with no episode on record: nothing to lift
        else:
            route = route_for(parsed.city, parsed.pincode)  # an update of no known episode
        if not route:
            reason = (
                "lift for a building that is not quarantined"
                if isinstance(parsed, QuarantineLifted)
                else "building city is not recognised"
            )
            outbox.dead_letter(
                DeadLetter(source=source_of(event), reason=reason, payload=payload_of(event.value))
            )
        else:
            outbox.route(route, Routed(event=parsed.to_json()))
            record = {"route": route, "active": not isinstance(parsed, QuarantineLifted)}
            metrics.events_processed.labels(stage="quarantine", outcome="routed").inc()
    await outbox.flush()
    if parsed is not None and record is not None:
        enter_event(event)
        building_routes[parsed.building_id] = record


@app.agent(quarantine_topic)
async def route_quarantines(stream: Any) -> Any:
    async for event in stream.events():
        await retrying(handle_quarantine, event)
