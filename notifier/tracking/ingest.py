"""Record SES events: parse, deduplicate, fold into the message's state, act on bad news.

Hard bounces, complaints and list unsubscribes put the recipient on the suppression list, so
no later email of any campaign goes to them. Invalid records become dead letters with the reason.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

from notifier.engine.send_events import feed_sent_ledger
from notifier.events.contracts import DeadLetter, InvalidEvent, SesEvent, SesEventType
from notifier.messengers.ses import BounceAction, bounce_action
from notifier.tracking.ses_events import event_key, parse_ses_record
from notifier.tracking.state import MessageState
from notifier.tracking.store import SqliteTrackingStore, TrackingStore

if TYPE_CHECKING:
    from notifier.runtime.embedded import EmbeddedRuntime

log = logging.getLogger(__name__)

Record = str | bytes | dict[str, Any]


class Outcome(StrEnum):
    RECORDED = "recorded"
    DUPLICATE = "duplicate"
    INVALID = "invalid"


class SuppressionSink(Protocol):
    """The bits of the campaign ``Store`` tracking writes to."""

    def suppress(self, email: str, reason: str) -> None: ...
    def dead_letter(self, letter: DeadLetter) -> None: ...


@dataclass(slots=True)
class TrackingStats:
    records: int = 0
    recorded: int = 0
    duplicates: int = 0
    invalid: int = 0
    unattributed: int = 0  # not a message this system sent (kept, but in no campaign)
    suppressed: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def payload_text(raw: Record) -> str:
    """The record as stored in a dead letter (bounded)."""
    if isinstance(raw, dict):
        return json.dumps(raw)[:10_000]
    if isinstance(raw, (bytes, bytearray)):
        return raw.decode("utf-8", errors="replace")[:10_000]
    return str(raw)[:10_000]


def suppression_reason(event: SesEvent) -> str | None:
    """Why this event puts its recipient on the suppression list (None: it does not)."""
    if event.event_type is SesEventType.COMPLAINT:
        return "complaint"
    if event.event_type is SesEventType.BOUNCE:
        action = bounce_action(
            str(event.detail.get("bounce_type", "")), str(event.detail.get("bounce_sub_type", ""))
        )
        if action is BounceAction.SUPPRESS:
            return "hard bounce"
    if event.event_type is SesEventType.SUBSCRIPTION and event.detail.get("unsubscribe_all"):
        return "unsubscribed"
    return None


class Tracker:
    def __init__(self, store: TrackingStore, sink: SuppressionSink) -> None:
        self.store = store
        self.sink = sink

    @classmethod
    def for_runtime(cls, runtime: EmbeddedRuntime) -> Tracker:
        return cls(SqliteTrackingStore(runtime.db), runtime.store)

    def record(self, raw: Record, stats: TrackingStats, *, source: str = "ses") -> Outcome:
        """Record one SES record (or SNS envelope); never raises for bad input."""
        stats.records += 1
        try:
            event = parse_ses_record(raw)
        except InvalidEvent as exc:
            stats.invalid += 1
            self.sink.dead_letter(
                DeadLetter(source=source, reason=exc.reason, payload=payload_text(raw))
            )
            log.warning("SES event dead-lettered from %s: %s", source, exc.reason)
            return Outcome.INVALID
        return self.record_event(event, stats)

    def record_event(self, event: SesEvent, stats: TrackingStats) -> Outcome:
        with self.store.atomic():
            feed_sent_ledger(self.sink, event)  # settles jobs left in doubt by a crash
            state = self.store.get_state(event.message_id) or MessageState(event.message_id)
            info = self.store.sent_info(event.message_id, event.tags.get("job"))
            if info is not None and state.sent_at is None and info.sent_at is not None:
                state.sent_at = info.sent_at
            if not state.fold(event, event_key(event)):
                stats.duplicates += 1
                return Outcome.DUPLICATE
            self.store.put_state(state)
            stats.recorded += 1
            if info is None and "campaign" not in state.tags:
                stats.unattributed += 1
            reason = suppression_reason(event)
            if reason and info is not None:
                self.sink.suppress(info.email, reason)
                stats.suppressed += 1
                log.info("address suppressed after SES %s (message %s)", reason, event.message_id)
        return Outcome.RECORDED


def ingest_records(
    records: Iterable[Record],
    target: EmbeddedRuntime | Tracker,
    *,
    source: str = "ses",
    batch_size: int = 500,
) -> TrackingStats:
    """Record many SES event records (dicts, JSON text or SNS envelopes); returns the counts.

    ``target`` is the embedded runtime (its SQLite file holds the states) or a ``Tracker``.
    Records are committed in batches; re-ingesting the same records changes nothing.
    """
    tracker = target if isinstance(target, Tracker) else Tracker.for_runtime(target)
    stats = TrackingStats()
    batch: list[Record] = []

    def flush() -> None:
        with tracker.store.atomic():
            for raw in batch:
                tracker.record(raw, stats, source=source)
        batch.clear()

    for raw in records:
        batch.append(raw)
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    return stats
