"""SES event tracking in the Kafka runtime: the :class:`~notifier.tracking.store.TrackingStore`
over two Faust tables, folded by the same ``Tracker`` as the embedded runtime.

* ``message-tracking``: message id -> ``MessageState.to_dict()``, written by the
  ``track_ses_events`` agent (the ses-events topic is keyed by message id, so each message's
  state is written by one worker at a time, in its key's partition);
* ``sent-messages``: message id -> :func:`~notifier.tracking.store.sent_record` (campaign,
  building, language, when, how the campaign is named; no email), written by the sender as
  soon as SES accepted the message.

Every worker reads both in full through their changelogs (``streams.global_view``), so
any worker's web server reports every campaign (``notifier.streams.web``) and the worker
folding a message's events knows the message whichever worker sent it. The fold itself reads
and writes the local ``message-tracking`` table: it runs on the owner of the message id's
partition. Suppression after a hard bounce or a complaint goes through the control topic by
job id (the control agent owns the job's address).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import faust
from aiokafka.partitioner import murmur2

from notifier.campaigns.store import JobState
from notifier.config import get_settings
from notifier.events.contracts import DeadLetter, SesEvent
from notifier.reporting.report import Report, build_report
from notifier.streams.app import app
from notifier.streams.faust_compat import KeyPartitioned
from notifier.streams.global_view import follow
from notifier.streams.messages import JobEnvelope
from notifier.tracking.ingest import Outcome, Tracker, TrackingStats
from notifier.tracking.store import MappingTrackingStore, sent_record

PARTITIONS = get_settings().topic_partitions


def key_partition(key: str, partitions: int = PARTITIONS) -> int:
    """The partition the producer's default (murmur2) partitioner gives a raw str key."""
    return (murmur2(key.encode()) & 0x7FFFFFFF) % partitions


class MessageKeyedTable(KeyPartitioned, faust.Table):
    """Written in the partition of its key; read on every worker through its changelog."""

    def partition_for_key(self, key: Any) -> int:
        return key_partition(str(key))


def _table(name: str) -> Any:
    return app.tables.add(
        MessageKeyedTable(
            app, name=name, beacon=app.tables.beacon, key_type=str, partitions=PARTITIONS
        )
    )


tracking_states = _table("message-tracking")
sent_messages = _table("sent-messages")
tracking_view = follow(tracking_states)
sent_view = follow(sent_messages)
# The fold's store: states of this worker's message partitions, every worker's sent messages.
store = MappingTrackingStore(tracking_states, sent_view)


class _ViaTopics:
    """Tracking's sink in this runtime: the agent publishes suppressions and dead letters."""

    def suppress(self, email: str, reason: str) -> None:
        pass  # the agent sends a JobControl "suppress" for the event's job instead

    def dead_letter(self, letter: DeadLetter) -> None:
        pass  # events on the topic are validated (and dead-lettered) by the agent


tracker = Tracker(store, _ViaTopics())


def track(event: SesEvent) -> Outcome:
    """Fold one SES event into its message's state (idempotent, any order)."""
    return tracker.record_event(event, TrackingStats())


def job_of(message_id: str) -> str | None:
    """The job a sent message was for (None: not known here)."""
    info = store.sent_info(message_id)
    return info.job_id if info is not None and info.job_id else None


def remember_sent(record: Mapping[str, Any] | None, at: datetime | None = None) -> None:
    """Note a job-state record that says SENT (with its message id) as a sent message."""
    if not record or record.get("state") != JobState.SENT.value:
        return
    message_id, raw = record.get("message_id"), record.get("envelope")
    if not message_id or not raw or message_id in sent_view:
        return
    envelope = JobEnvelope.model_validate(raw)
    job, context = envelope.job, envelope.context
    sent_messages[message_id] = sent_record(
        message_id,
        job_id=job.job_id,
        campaign_id=job.campaign_id,
        building_id=job.building_id,
        language=job.language.value,
        kind=job.kind.value,
        sent_at=at or datetime.now(UTC),
        name=context.name,
        city=context.city,
        started=context.starts_at,
        language_fallback=job.language_fallback,
    )


async def report(campaign: str | None = None) -> Report:
    """The open-rate report of every campaign this runtime sent (or of one)."""
    # every worker's figures; the tables change under the event loop: read a copy elsewhere
    copy = MappingTrackingStore(dict(tracking_view.items()), dict(sent_view.items()))
    return await asyncio.get_running_loop().run_in_executor(None, build_report, copy, campaign)
