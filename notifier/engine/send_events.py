"""The sent ledger of production: SES ``Send`` events, keyed by the job id in their ``job`` tag.

SES event publishing delivers a ``Send`` event for every message it accepted (the messenger
tags each message with its job id, ``notifier.messengers.ses``). Both runtimes keep the pairs
they see (job id -> message id: a SQLite table, a Faust table keyed like the jobs topic) and
settle jobs left in doubt by a crash with them. Events arrive some time after SES accepted
the message, so a job not found is resent only after a grace period (``notifier.engine.settling``).
"""

from __future__ import annotations

from collections.abc import MutableMapping, Sequence
from typing import Any, Protocol, runtime_checkable

from notifier.events.contracts import SesEvent, SesEventType

# SES publishes a Send event within seconds; minutes of SNS/SQS delivery delay are possible.
SEND_EVENT_GRACE_SECONDS = 300.0


def accepted_send(event: SesEvent) -> tuple[str, str] | None:
    """(job id, message id) when ``event`` is SES's Send of one of our jobs, else None."""
    if event.event_type is not SesEventType.SEND:
        return None
    job_id = event.tags.get("job")
    return (job_id, event.message_id) if job_id else None


@runtime_checkable
class SentRecords(Protocol):
    """Where a runtime keeps the Send events it saw."""

    def record_send(self, job_id: str, message_id: str) -> None: ...
    def sent_message_ids(self, job_ids: Sequence[str]) -> dict[str, str]: ...


class MappingSentRecords:
    """Send events in any mapping of job id -> message id (a Faust table, a dict)."""

    def __init__(self, table: MutableMapping[str, Any]) -> None:
        self.table = table

    def record_send(self, job_id: str, message_id: str) -> None:
        if job_id not in self.table:  # the first accepted message is the one that counts
            self.table[job_id] = message_id

    def sent_message_ids(self, job_ids: Sequence[str]) -> dict[str, str]:
        found = {}
        for job_id in job_ids:
            message_id = self.table.get(job_id)
            if message_id:
                found[job_id] = str(message_id)
        return found


class SendEventLedger:
    """``SentLedger`` over the Send events a runtime recorded (no network: reads are local)."""

    grace_seconds = SEND_EVENT_GRACE_SECONDS
    blocking = False  # the Kafka driver may read it on the event loop

    def __init__(self, records: SentRecords) -> None:
        self.records = records

    def find_sent(self, job_ids: Sequence[str]) -> dict[str, str]:
        return self.records.sent_message_ids(job_ids)


def feed_sent_ledger(target: object, event: SesEvent) -> bool:
    """Record ``event`` in ``target``'s sent ledger if it is a Send of one of our jobs (the
    tracking ingest calls this for every SES event; ``target`` is the runtime's store)."""
    pair = accepted_send(event)
    if pair is None or not isinstance(target, SentRecords):
        return False
    target.record_send(*pair)
    return True
