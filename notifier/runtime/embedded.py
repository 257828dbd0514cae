"""The embedded runtime: one process, state in SQLite, events from JSONL files or stdin.

Events are applied in input order, in batches: the address texts of a batch are segmented
together (``nlp.pipe``), then every event of the batch is applied and the input offset is
advanced in the same SQLite transaction. A crash therefore replays at most one batch, and
replays are harmless (events are deduplicated by id, email jobs by their deterministic id).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from itertools import islice
from typing import TYPE_CHECKING, Protocol

from notifier.address.matcher import MatchConfig
from notifier.address.segments import Segments
from notifier.campaigns.dispatcher import Dispatcher, DispatchSettings, DispatchStats
from notifier.campaigns.planner import Outcome
from notifier.campaigns.renderer import Renderer
from notifier.config import Settings
from notifier.engine.engine import Engine
from notifier.engine.send_events import SendEventLedger
from notifier.engine.settings import choose_ledger, grace_for
from notifier.events.contracts import AddressChanged, DeadLetter, Event, InvalidEvent, parse_event
from notifier.runtime.database import Database
from notifier.runtime.sqlite_store import SqliteStore

if TYPE_CHECKING:
    from notifier.messengers.base import Messenger
    from notifier.messengers.ledger import SentLedger

log = logging.getLogger(__name__)


class SegmenterLike(Protocol):
    def segment_many(self, texts: Iterable[str], batch_size: int = ...) -> Iterator[Segments]: ...


@dataclass(slots=True)
class IngestStats:
    events: int = 0
    addresses: int = 0
    quarantine_events: int = 0
    invalid: int = 0
    duplicates: int = 0
    jobs_queued: int = 0
    reviews: int = 0
    cancelled: int = 0
    skipped_lines: int = 0  # already applied before a restart

    def add(self, out: Outcome) -> None:
        self.jobs_queued += len(out.jobs)
        self.reviews += len(out.reviews)
        self.cancelled += out.cancelled
        self.invalid += out.dead_letters
        self.duplicates += int(out.duplicate)


def match_config(settings: Settings) -> MatchConfig:
    config = MatchConfig()
    if settings.match_threshold is not None:
        config = replace(config, match_threshold=settings.match_threshold)
    if settings.review_threshold is not None:
        config = replace(config, review_threshold=settings.review_threshold)
    return config


class EmbeddedRuntime:
    """Drives the engine over SQLite: owns the store, the engine and (when given a messenger)
    the dispatcher."""

    def __init__(
        self,
        settings: Settings,
        *,
        messenger: Messenger | None = None,
        ledger: SentLedger | None = None,
        segmenter: SegmenterLike | None = None,
        renderer: Renderer | None = None,
        grace_seconds: float | None = None,
    ) -> None:
        """``ledger``: the provider's record of what it accepted (moto's), which settles jobs
        left in doubt by a crash; without one (or with ``NOTIFIER_SENT_LEDGER=ses-events``)
        the SES Send events this runtime recorded (``notifier ses-bridge``) settle them.
        ``grace_seconds``: how long a job in doubt waits for its Send event (default:
        ``grace_for(ledger)``)."""
        self.settings = settings
        self.db = Database(settings.db_path)
        self.store = SqliteStore(self.db)
        self.engine = Engine(self.store, match_config(settings))
        self.planner = self.engine.planner
        self._segmenter = segmenter
        self.dispatcher: Dispatcher | None = None
        if messenger is not None:
            ledger = choose_ledger(ledger, SendEventLedger(self.store))
            self.dispatcher = Dispatcher(
                self.store,
                renderer or Renderer(),
                messenger,
                DispatchSettings(
                    unsubscribe_secret=settings.unsubscribe_secret.encode(),
                    public_base_url=settings.public_base_url,
                    reply_to=settings.reply_to,
                ),
                ledger=ledger,
                grace_seconds=grace_for(ledger) if grace_seconds is None else grace_seconds,
            )
            self.dispatcher.recover()

    @property
    def segmenter(self) -> SegmenterLike:
        if self._segmenter is None:
            from notifier.address.segmenter import get_segmenter

            self._segmenter = get_segmenter()
        return self._segmenter

    # -- ingest --------------------------------------------------------------------------

    def ingest(
        self,
        lines: Iterable[str],
        *,
        source: str | None = None,
        batch_size: int = 256,
        on_batch: Callable[[int], None] | None = None,
    ) -> IngestStats:
        """Apply JSONL events. With ``source`` the position is remembered across restarts."""
        stats = IngestStats()
        offset = self.store.get_offset(source) if source else 0
        numbered = enumerate(lines)
        if offset:
            stats.skipped_lines = sum(1 for _ in islice(numbered, offset))
        while batch := list(islice(numbered, batch_size)):
            with self.db.transaction():
                self._apply_batch(batch, stats, source or "stdin")
                if source:
                    self.store.set_offset(source, batch[-1][0] + 1)
            if on_batch:
                on_batch(len(batch))
        return stats

    def _apply_batch(self, batch: list[tuple[int, str]], stats: IngestStats, source: str) -> None:
        events: list[Event] = []
        for number, line in batch:
            if not line.strip():
                continue
            try:
                events.append(parse_event(line))
            except InvalidEvent as exc:
                stats.invalid += 1
                self.store.dead_letter(
                    DeadLetter(
                        source=f"{source}:{number + 1}", reason=exc.reason, payload=line[:10_000]
                    )
                )
                log.warning("dead letter %s:%d: %s", source, number + 1, exc.reason)
        live = [e for e in events if isinstance(e, AddressChanged) and not e.deleted]
        segments = dict(
            zip(
                (id(e) for e in live),
                self.segmenter.segment_many(e.text for e in live),
                strict=True,
            )
        )
        for event in events:
            stats.events += 1
            stats.add(self.apply(event, segments.get(id(event))))
            if isinstance(event, AddressChanged):
                stats.addresses += 1
            else:
                stats.quarantine_events += 1

    def apply(self, event: Event, segments: Segments | None = None) -> Outcome:
        """Apply one validated event (the ops API calls this too)."""
        if isinstance(event, AddressChanged) and segments is None and not event.deleted:
            segments = next(iter(self.segmenter.segment_many([event.text])))
        with self.db.transaction():
            return self.engine.apply(event, segments)[0]

    # -- sending -------------------------------------------------------------------------

    def dispatch(
        self,
        *,
        max_wait: float = 5.0,
        on_progress: Callable[[DispatchStats], None] | None = None,
    ) -> DispatchStats:
        """Send every due job; waits up to ``max_wait`` seconds in total for provider pauses."""
        if self.dispatcher is None:
            raise RuntimeError("no messenger configured")
        total = DispatchStats()
        waited = 0.0
        while True:
            stats = self.dispatcher.run_once()
            total.counts.update(stats.counts)
            if on_progress:
                on_progress(stats)
            if stats.pause_seconds:
                if waited + stats.pause_seconds > max_wait:
                    total.pause_seconds = stats.pause_seconds
                    return total
                time.sleep(stats.pause_seconds)
                waited += stats.pause_seconds
                continue
            if not sum(stats.counts.values()) or not self.store.count_due():
                return total

    def close(self) -> None:
        if self.dispatcher is not None:
            self.dispatcher.messenger.close()
        self.db.close()
