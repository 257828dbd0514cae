"""Topics, tables and agents of the Kafka runtime. The agents stay thin: the decisions are in
``planning`` (the core Planner over tables) and ``sender`` (the job-state machine).

Flow (``P`` = NOTIFIER_TOPIC_PREFIX, ``A`` = NOTIFIER_APP_ID)::

    P address-changes  (key customer)  -> segment_addresses: parse, spaCy in batches, route
    P quarantine-events (key building) -> route_quarantines: parse, route (sticky per building)
        -> A-routed (key route = city, one record per route per batch) -> plan: Planner
            -> P email-jobs (key job_id) -> send_emails: SENDING, flush, SES, SENT
            -> A-email-control (key job_id) -> control_jobs: cancel / suppress
            <- job statuses back to A-routed (follow-ups need to know what was sent)
    P ses-events (key message id)      -> track_ses_events: fold (streams.tracking), suppress
    anything unparseable               -> P dead-letters (key source, DeadLetter JSON)

Every stage publishes its output and waits for Kafka's acknowledgement *before* it writes
its own tables, so a worker killed at any point replays input whose effects are idempotent.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections import Counter, deque
from collections.abc import Awaitable, Iterable, Iterator, Sequence
from concurrent.futures import BrokenExecutor, Executor, ThreadPoolExecutor
from contextlib import ExitStack
from datetime import datetime
from typing import Any

import faust
from aiokafka.partitioner import murmur2
from faust.types import EventT
from prometheus_client import CONTENT_TYPE_LATEST
from pydantic import ValidationError

from notifier.campaigns.dispatcher import DispatchSettings
from notifier.campaigns.renderer import Renderer
from notifier.campaigns.store import JobState
from notifier.config import get_settings
from notifier.events.contracts import (
    DeadLetter,
    InvalidEvent,
    QuarantineLifted,
    QuarantineRegistered,
    QuarantineUpdated,
    SesEvent,
    parse_event,
)
from notifier.messengers.ledger import LedgerUnavailable, SentLedger
from notifier.runtime.embedded import match_config
from notifier.streams import faust_compat, metrics, tracking
from notifier.streams.app import app
from notifier.streams.faust_compat import KeyPartitioned, RawKeys
from notifier.streams.messages import JobControl, JobEnvelope, Routed, RoutedBatch
from notifier.streams.planning import PlanningStage
from notifier.streams.preparing import PreparedAddress, prepare_addresses
from notifier.streams.routing import route_for
from notifier.streams.segmenting import make_executor
from notifier.streams.sender import Feedback, SenderStage
from notifier.streams.settings import get_stream_settings
from notifier.streams.table_store import TABLES
from notifier.tracking.ingest import suppression_reason

log = logging.getLogger(__name__)

settings = get_settings()
stream_settings = get_stream_settings()
PARTITIONS = settings.topic_partitions
_prefix = stream_settings.topic_prefix


def _topic(name: str) -> Any:
    # Raw bytes in and out: payloads are validated by our contracts, so a bad record becomes a
    # dead letter instead of a Faust decode error. internal=True: the worker creates missing
    # topics with NOTIFIER_TOPIC_PARTITIONS partitions.
    return app.topic(
        name,
        key_type=str,
        value_type=bytes,
        key_serializer="raw",
        value_serializer="raw",
        partitions=PARTITIONS,
        internal=True,
    )


address_topic = _topic(f"{_prefix}address-changes")
quarantine_topic = _topic(f"{_prefix}quarantine-events")
jobs_topic = _topic(f"{_prefix}email-jobs")
ses_topic = _topic(f"{_prefix}ses-events")
dead_letter_topic = _topic(f"{_prefix}dead-letters")
routed_topic = _topic(f"{settings.app_id}-routed")
control_topic = _topic(f"{settings.app_id}-email-control")


class _JobKeyed(KeyPartitioned):
    """Mixin: a table keyed like the jobs topic, written to its key's partition.

    The partition is computed like the producer's default partitioner does for the job's
    message key (murmur2 of the raw key), so writes need no real current event (timers
    settle jobs too).
    """

    def partition_for_key(self, key: Any) -> int:
        return job_partition(str(key))


class RouteTable(RawKeys, faust.Table):
    """Written in the partition of the event being processed (Faust's default)."""


class JobTable(_JobKeyed, faust.Table):
    pass


class JobGlobalTable(_JobKeyed, faust.GlobalTable):
    pass


def _table(name: str, cls: type = RouteTable) -> Any:
    return app.tables.add(
        cls(app, name=name, beacon=app.tables.beacon, key_type=str, partitions=PARTITIONS)
    )


def job_partition(job_id: str) -> int:
    """The partition the producer's default (murmur2) partitioner gives a job id."""
    return (murmur2(job_id.encode()) & 0x7FFFFFFF) % PARTITIONS


# Planner state: keys are "route SEP ...", written in the partition of the routed event.
planner_tables = {name: _table(f"plan-{name}") for name in TABLES}
# customer SEP address -> {"route", "at"}: where the address lives now (address partitions).
address_routes = _table("address-routes")
# building -> {"route", "active"}: where the building's quarantine is planned.
building_routes = _table("building-routes")
# job_id -> {"state", "envelope", ...}: keyed like the jobs topic, so the producer's
# partitioner puts each record in its job's partition (and timers may write it too).
job_states = _table("job-states", JobTable)
# sha256(email) -> reason. Global: any job, on any partition, may be for a suppressed address.
suppressions = _table("suppressions", JobGlobalTable)

planning = PlanningStage(planner_tables, match_config(settings))


def _email_key(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


sender = SenderStage(
    job_states,
    Renderer(),
    DispatchSettings(
        unsubscribe_secret=settings.unsubscribe_secret.encode(),
        public_base_url=settings.public_base_url,
        reply_to=settings.reply_to,
    ),
    suppressed=lambda email: _email_key(email) in suppressions,
)

# spaCy runs in its own process (notifier.streams.segmenting). boto3 blocks: one thread, so
# sends keep their order and the event loop (heartbeats, commits, web server) keeps running.
_send_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ses")
_send_lock = asyncio.Lock()
_resources = ExitStack()
_state: dict[str, Any] = {"segment_pool": None, "messenger": None, "ledger": None}
_needs_settle = asyncio.Event()


enter_event = faust_compat.enter_event  # table writes go to that event's partition


# -- helpers --------------------------------------------------------------------------------


def _segment_executor() -> Executor:
    if _state["segment_pool"] is None:
        _state["segment_pool"] = make_executor(
            stream_settings.segmenter, stream_settings.segment_processes
        )
    return _state["segment_pool"]


def _drop_segment_pool() -> None:
    pool, _state["segment_pool"] = _state["segment_pool"], None
    if pool is not None:
        pool.shutdown(wait=False, cancel_futures=True)


def _messenger() -> tuple[Any, SentLedger | None]:
    if _state["messenger"] is None:
        from notifier.runtime.wiring import open_messenger

        messenger, ledger, _endpoint = _resources.enter_context(open_messenger(settings))
        _state["messenger"], _state["ledger"] = messenger, ledger
    return _state["messenger"], _state["ledger"]


def _source(event: EventT) -> str:
    message = event.message
    return f"{message.topic}:{message.partition}:{message.offset}"


def _payload(value: Any) -> str:
    if isinstance(value, bytes | bytearray):
        return bytes(value[:10_000]).decode("utf-8", errors="replace")
    return str(value)[:10_000]


class Outbox:
    """Messages of one batch; :meth:`flush` publishes them and waits for the acks.

    Messages for the planner are bundled per route (:class:`RoutedBatch`), in order.
    """

    def __init__(self) -> None:
        self._sends: list[tuple[Any, str, bytes]] = []
        self._routed: dict[str, list[bytes]] = {}
        self._pending: list[Awaitable[Any]] = []

    def add(self, topic: Any, key: str, value: bytes) -> None:
        self._sends.append((topic, key, value))

    def route(self, route: str, message: Routed) -> None:
        self.route_raw(route, message.model_dump_json().encode())

    def route_raw(self, route: str, message: bytes) -> None:
        """Like :meth:`route`, for a message already serialized."""
        self._routed.setdefault(route, []).append(message)

    def dead_letter(self, letter: DeadLetter) -> None:
        metrics.dead_letters.labels(source=letter.source.split(":", 1)[0]).inc()
        # The reason is safe to log (contracts never echo values); the payload is not.
        log.warning("dead letter from %s: %s", letter.source, letter.reason)
        self.add(dead_letter_topic, letter.source, letter.model_dump_json().encode())

    def feedback(self, items: Iterable[Feedback]) -> None:
        for item in items:
            self.route(item.route, Routed(status=item.status))

    async def publish(self) -> None:
        """Hand what was added so far to the producer (acks are awaited by :meth:`flush`)."""
        for route, items in self._routed.items():
            for value in bundles(items):
                self._sends.append((routed_topic, route, value))
        self._routed.clear()
        for topic, key, value in self._sends:
            self._pending.append(await topic.send(key=key, value=value))
        self._sends.clear()

    async def flush(self, wait: bool = True) -> None:
        """Publish; with ``wait`` return only once Kafka acknowledged every message."""
        await self.publish()
        pending, self._pending = self._pending, []
        if pending and wait:
            await asyncio.gather(*pending)


# Well under Kafka's default 1 MB record limit (max.message.bytes, max.request.size).
BUNDLE_BYTES = 256 * 1024


def bundles(items: list[bytes], limit: int = BUNDLE_BYTES) -> Iterator[bytes]:
    """:class:`RoutedBatch` records of serialized :class:`Routed` items, in order, each
    under ``limit`` bytes unless a single item is larger. Joined as bytes: the items are
    serialized once."""
    head, tail = b'{"items":[', b"]}"
    start, size = 0, len(head) + len(tail)
    for i, item in enumerate(items):
        if i > start and size + len(item) > limit:
            yield head + b",".join(items[start:i]) + tail
            start, size = i, len(head) + len(tail)
        size += len(item) + 1  # and its comma
    if start < len(items):
        yield head + b",".join(items[start:]) + tail


async def retrying(handler: Any, *args: Any) -> None:
    """Run a batch handler until it succeeds.

    An exception escaping an agent would make Faust ack the batch (``take_events`` acks in
    ``finally``) and restart the agent: the batch would be lost. Failures here are
    infrastructure (Kafka, SES, disk), so the partition waits and retries instead.
    """
    delay = 0.5
    while True:
        try:
            await handler(*args)
            return
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.exception("%s failed; retrying the batch in %.1fs", handler.__name__, delay)
            if isinstance(exc, BrokenExecutor):
                _drop_segment_pool()  # its child died (e.g. OOM-killed): start a new one
            planning.staged.discard()
            planning.reset()
            _needs_settle.set()  # jobs may have been left in SENDING
            await asyncio.sleep(delay)
            delay = min(delay * 2, 30.0)


# -- stage 1a: addresses -> routes ------------------------------------------------------------


def _parse(event: EventT, expect: type | tuple[type, ...], outbox: Outbox) -> Any:
    try:
        parsed = parse_event(event.value)
        if not isinstance(parsed, expect):
            raise InvalidEvent(f"{parsed.type} event does not belong on {event.message.topic}")
        return parsed
    except InvalidEvent as exc:
        outbox.dead_letter(
            DeadLetter(source=_source(event), reason=exc.reason, payload=_payload(event.value))
        )
        return None


class ChunkedResults:
    """``fn(chunk, *args)`` over a batch's items, chunk by chunk in the executor, in order.

    Every chunk is submitted at once, so the child works through them back to back while
    the event loop routes the chunks already done (and plans): the two overlap instead of
    taking turns. Results are awaited in input order.
    """

    def __init__(
        self, executor: Executor, fn: Any, items: list[Any], chunk: int, *args: Any
    ) -> None:
        loop = asyncio.get_running_loop()
        self._futures = deque(
            loop.run_in_executor(executor, fn, items[i : i + chunk], *args)
            for i in range(0, len(items), chunk)
        )
        self._ready: deque[Any] = deque()

    @property
    def chunk_done(self) -> bool:
        """True when the results of the chunk taken last are all used."""
        return not self._ready

    async def next(self) -> Any:
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
        _segment_executor(),
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
    _count("segment", outcomes)


async def _route_addresses(
    events: Sequence[EventT], prepared: ChunkedResults, outbox: Outbox
) -> tuple[dict[str, tuple[EventT, dict[str, str] | None]], bool, Counter[str]]:
    """Route each event (in order) to the outbox; the route records to write."""
    routes: dict[str, tuple[EventT, dict[str, str] | None]] = {}  # staged route writes
    moves = False
    outcomes: Counter[str] = Counter()  # metrics once per batch: labels() per event shows
    for event in events:
        if prepared.chunk_done:
            await outbox.publish()  # routed so far: on its way while the next chunk is awaited
        address: PreparedAddress = await prepared.next()
        if address.error is not None:
            outbox.dead_letter(
                DeadLetter(
                    source=_source(event), reason=address.error, payload=_payload(event.value)
                )
            )
            continue
        assert address.occurred_at is not None
        enter_event(event)
        key = address.key
        staged = routes.get(key)
        previous = staged[1] if staged else address_routes.get(key)
        at = address.occurred_at.isoformat()
        if previous and datetime.fromisoformat(previous["at"]) > address.occurred_at:
            outcomes["stale"] += 1
            continue
        if address.deleted:
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


def _count(stage: str, outcomes: Counter[str]) -> None:
    for outcome, n in outcomes.items():
        metrics.events_processed.labels(stage=stage, outcome=outcome).inc(n)


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
    parsed = _parse(event, (QuarantineRegistered, QuarantineUpdated, QuarantineLifted), outbox)
    record = None
    if parsed is not None:
        previous = building_routes.get(parsed.building_id)
        if isinstance(parsed, QuarantineRegistered) and not (previous and previous["active"]):
            route = route_for(parsed.city, parsed.pincode)  # a new episode goes where it is now
        elif previous:
            route = previous["route"]  # updates and lifts follow the episode (sticky)
        else:
            route = route_for(getattr(parsed, "city", None), getattr(parsed, "pincode", None))
        if not route:
            reason = (
                "lift for a building that is not quarantined"
                if isinstance(parsed, QuarantineLifted)
                else "building city is not recognised"
            )
            outbox.dead_letter(
                DeadLetter(source=_source(event), reason=reason, payload=_payload(event.value))
            )
        else:
            outbox.route(route, Routed(event=parsed.to_json()))
            record = {"route": route, "active": not isinstance(parsed, QuarantineLifted)}
            metrics.events_processed.labels(stage="quarantine", outcome="routed").inc()
    await outbox.flush()
    if record is not None:
        enter_event(event)
        building_routes[parsed.building_id] = record


@app.agent(quarantine_topic)
async def route_quarantines(stream: Any) -> Any:
    async for event in stream.events():
        await retrying(handle_quarantine, event)


# -- stage 2: plan --------------------------------------------------------------------------


async def handle_routed(events: Sequence[EventT]) -> None:
    outbox = Outbox()
    outcomes: Counter[str] = Counter()
    queued: Counter[str] = Counter()
    for event in events:
        try:
            if not event.key:
                raise ValueError("routed message without a route key")
            batch = RoutedBatch.model_validate_json(event.value)
        except (ValidationError, ValueError) as exc:
            outbox.dead_letter(
                DeadLetter(
                    source=_source(event),
                    reason=f"bad routed message: {type(exc).__name__}",
                    payload=_payload(event.value),
                )
            )
            continue
        enter_event(event)  # RocksDB reads this event's partition: the route's records are there
        for message in batch.items:
            applied = planning.apply(event.key, message, context=event)
            outcomes[applied.kind] += 1
            for job in applied.jobs:
                outbox.add(jobs_topic, job.job.job_id, job.model_dump_json().encode())
                queued[job.job.kind.value] += 1
            for control in applied.cancels:
                outbox.add(control_topic, control.job_id, control.model_dump_json().encode())
            for letter in applied.dead_letters:
                outbox.dead_letter(letter)
            if applied.outcome.reviews:
                metrics.reviews_opened.inc(len(applied.outcome.reviews))
    await outbox.flush()
    planning.staged.commit(enter=enter_event)
    # counted once the batch's jobs are acknowledged (bench/stream.py waits on these)
    _count("plan", outcomes)
    for kind, n in queued.items():
        metrics.emails_queued.labels(kind=kind).inc(n)


@app.agent(routed_topic)
async def plan(stream: Any) -> Any:
    async for events in stream.take_events(stream_settings.plan_batch, within=0.01):
        with metrics.batch_seconds.labels(agent="plan").time():
            await retrying(handle_routed, events)
        metrics.batch_events.labels(agent="plan").inc(len(events))


# -- stage 3: send --------------------------------------------------------------------------


def _owned(job_id: str) -> bool:
    assigned = app.assignor.assigned_actives()
    return any(
        tp.topic == jobs_topic.get_topic_name() and tp.partition == job_partition(job_id)
        for tp in assigned
    )


async def send_envelopes(envelopes: Iterable[JobEnvelope], outbox: Outbox) -> None:
    """prepare (SENDING) -> flush the changelog -> SES in a thread -> record."""
    to_send: list[JobEnvelope] = []
    for envelope in envelopes:
        go, feedback = sender.prepare(envelope)
        if go:
            to_send.append(envelope)
        elif feedback is not None:
            outbox.feedback([feedback])
            if feedback.status.state is JobState.SUPPRESSED:
                metrics.emails.labels(state="suppressed").inc()
    if not to_send:
        return
    # The SENDING marks must be in Kafka before SES is called: a crash after the call then
    # leaves a job in doubt (settled with the ledger), never a job that looks unsent.
    await app.producer.flush()
    messenger, _ledger = _messenger()
    loop = asyncio.get_running_loop()
    results = await loop.run_in_executor(_send_pool, sender.push_all, messenger, to_send)
    retry: list[JobEnvelope] = []
    for envelope, result in zip(to_send, results, strict=True):
        feedback = sender.record(envelope, result)
        if result.state is JobState.SENT:
            tracking.remember_sent(job_states.get(envelope.job.job_id))
        if feedback is not None:
            outbox.feedback([feedback])
            metrics.emails.labels(state=feedback.status.state.value).inc()
        elif result.retry_after:
            retry.append(envelope)
        else:
            _needs_settle.set()  # ambiguous: the ledger decides later
    if retry:
        # Back in PENDING; re-published after the provider's pause (bounded, to keep the
        # partition moving). They are new messages with the same key: order is kept per job.
        await asyncio.sleep(min(max(r.retry_after for r in results if r.retry_after), 5.0))
        for envelope in retry:
            outbox.add(jobs_topic, envelope.job.job_id, envelope.model_dump_json().encode())


async def settle_in_doubt() -> None:
    """Settle this worker's SENDING jobs with the ledger; resend those it does not know."""
    _needs_settle.clear()
    enter_event(None)
    doubtful = sender.in_doubt(_owned)
    if not doubtful:
        return
    _unused, ledger = _messenger()
    if ledger is None:
        # Production without a ledger: never guess; ops settle these by hand.
        log.warning("%d jobs in doubt and no sent-ledger: left unsent", len(doubtful))
        return
    ids = [e.job.job_id for e in doubtful]
    loop = asyncio.get_running_loop()
    try:
        accepted = await loop.run_in_executor(_send_pool, ledger.find_sent, ids)
    except LedgerUnavailable as exc:
        log.warning("cannot settle %d in-doubt jobs yet: %s", len(doubtful), exc)
        _needs_settle.set()
        return
    confirmed, resend = sender.settle(accepted, doubtful)
    for item in confirmed:
        tracking.remember_sent(job_states.get(item.status.job_id))
    outbox = Outbox()
    outbox.feedback(confirmed)
    metrics.emails.labels(state="sent").inc(len(confirmed))
    await send_envelopes(resend, outbox)
    await outbox.flush()


async def handle_jobs(events: Sequence[EventT]) -> None:
    async with _send_lock:
        if _needs_settle.is_set():
            await settle_in_doubt()
        outbox = Outbox()
        envelopes: list[JobEnvelope] = []
        # Job-state reads search every local partition (the batch spans several); writes go
        # to the job's own partition (JobTable).
        enter_event(None)
        for event in events:
            try:
                envelopes.append(JobEnvelope.model_validate_json(event.value))
            except ValidationError as exc:
                outbox.dead_letter(
                    DeadLetter(
                        source=_source(event),
                        reason=f"bad email job: {exc.error_count()} validation errors",
                        payload=_payload(event.value),
                    )
                )
        await send_envelopes(envelopes, outbox)
        await outbox.flush()


@app.agent(jobs_topic)
async def send_emails(stream: Any) -> Any:
    async for events in stream.take_events(stream_settings.send_batch, within=0.05):
        with metrics.batch_seconds.labels(agent="send_emails").time():
            await retrying(handle_jobs, events)
        metrics.batch_events.labels(agent="send_emails").inc(len(events))


async def handle_control(event: EventT) -> None:
    try:
        control = JobControl.model_validate_json(event.value)
    except ValidationError as exc:
        outbox = Outbox()
        outbox.dead_letter(
            DeadLetter(
                source=_source(event),
                reason=f"bad job control: {exc.error_count()} validation errors",
                payload=_payload(event.value),
            )
        )
        await outbox.flush()
        return
    if control.action == "cancel":
        if sender.cancel(control.job_id):
            metrics.emails.labels(state="cancelled").inc()
        return
    record = job_states.get(control.job_id)
    if record and record.get("envelope"):
        email = record["envelope"]["job"]["email"]
        suppressions[_email_key(email)] = control.reason or "suppressed"


@app.agent(control_topic)
async def control_jobs(stream: Any) -> Any:
    async for event in stream.events():
        await retrying(handle_control, event)


# -- SES events -----------------------------------------------------------------------------


async def handle_ses_event(event: EventT) -> None:
    outbox = Outbox()
    try:
        ses_event = SesEvent.model_validate_json(event.value)
    except ValidationError as exc:
        outbox.dead_letter(
            DeadLetter(
                source=_source(event),
                reason=f"bad SES event: {exc.error_count()} validation errors",
                payload=_payload(event.value),
            )
        )
        await outbox.flush()
        return
    metrics.ses_events.labels(type=ses_event.event_type.value).inc()
    job_id = ses_event.tags.get("job") or tracking.job_of(ses_event.message_id)
    reason = suppression_reason(ses_event)
    if reason and job_id:
        # Re-keyed by job id: the control agent owns that job's record (and its address).
        control = JobControl(job_id=job_id, action="suppress", reason=reason)
        outbox.add(control_topic, job_id, control.model_dump_json().encode())
        await outbox.flush()
    tracking.track(ses_event)  # after the suppression is in Kafka: a replay repeats both


@app.agent(ses_topic)
async def track_ses_events(stream: Any) -> Any:
    async for event in stream.events():
        await retrying(handle_ses_event, event)


# -- rebalances, timers, metrics --------------------------------------------------------------


@app.on_partitions_assigned.connect
async def _on_assigned(sender_: Any, assigned: Any = None, **kwargs: Any) -> None:
    planning.reset()  # the matchers are rebuilt from the tables of the new assignment
    _needs_settle.set()  # jobs of new partitions may have been left in SENDING


@app.on_rebalance_complete.connect
async def _on_rebalance_complete(sender_: Any, **kwargs: Any) -> None:
    # Sent after table recovery, before the streams resume: rebuild from complete tables
    # (a batch still in flight at assignment may have rebuilt them from partial ones).
    planning.reset()
    _needs_settle.set()


@app.on_partitions_revoked.connect
async def _on_revoked(sender_: Any, revoked: Any = None, **kwargs: Any) -> None:
    # Let an in-flight send batch record its results before another worker takes the
    # partitions over (and settles whatever it finds in SENDING).
    try:
        await asyncio.wait_for(_send_lock.acquire(), timeout=30)
    except TimeoutError:
        log.warning("send batch still running at rebalance; its jobs will be settled")
        return
    _send_lock.release()


@app.timer(interval=stream_settings.settle_interval)
async def settle_timer() -> None:
    # Also settles when no new job arrives to trigger it. Never raise: a crashed timer
    # stops the worker.
    if _needs_settle.is_set():
        async with _send_lock:
            try:
                await settle_in_doubt()
            except Exception:
                log.exception("settling in-doubt jobs failed; will retry")
                _needs_settle.set()


def _lag() -> Iterator[tuple[str, int, int]]:
    consumer = app.consumer
    changelogs = app.tables.changelog_topics
    for tp in sorted(consumer.assignment()):
        if tp.topic in changelogs:
            continue
        try:
            highwater = consumer.highwater(tp)
        except Exception:  # not fetched yet
            continue
        if highwater is not None:
            yield (
                tp.topic,
                tp.partition,
                max(0, highwater - (faust_compat.next_to_deliver(consumer, tp) or 0)),
            )


metrics.consumer_lag.source = _lag


@app.page("/metrics")
async def metrics_page(web: Any, request: Any) -> Any:
    # aiohttp sets the charset itself and refuses one inside content_type
    return web.bytes(metrics.render(), content_type=CONTENT_TYPE_LATEST.split("; charset")[0])


@app.command()
async def create_topics(self: Any) -> None:
    """Create every topic and changelog of this app (run once before the first worker)."""
    topics = [address_topic, quarantine_topic, jobs_topic, ses_topic, dead_letter_topic]
    topics += [routed_topic, control_topic]
    topics += [table.changelog_topic for table in app.tables.values()]
    for topic in topics:
        await topic.maybe_declare()
        self.say(f"ok {topic.get_topic_name()}")


__all__ = [
    "address_topic",
    "dead_letter_topic",
    "enter_event",
    "jobs_topic",
    "quarantine_topic",
    "routed_topic",
    "ses_topic",
]
