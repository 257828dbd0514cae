"""The engine's ``Outbox`` and ``Suppressions`` over the Kafka runtime's tables.

Job states live in a changelogged table keyed like the jobs topic (``job_id``), so the worker
that owns a job's partition owns its state; a record is ``{"state", "envelope", "since",
"message_id", "reason"}`` (the envelope is kept from SENDING on, so an in-doubt job can be
sent again by whoever takes the partition over). Suppressions are a table keyed by
``notifier.engine.keys.email_key``, read in full on every worker (``streams.global_view``).
Plain dicts work as tables (unit tests).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping
from datetime import UTC, datetime
from typing import Any

from notifier.campaigns.store import JobState
from notifier.engine.jobs import OutboxJob
from notifier.engine.keys import email_key
from notifier.engine.ports import InDoubt

# A SENDING record written before "since" was kept: treat it as in doubt for long enough.
_LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)


class TableOutbox:
    def __init__(
        self,
        table: MutableMapping[str, Any],
        owned: Callable[[str], bool] = lambda job_id: True,
    ) -> None:
        self.table = table
        # Which jobs this worker may settle: another worker's partitions are its business.
        self.owned = owned

    def _put(self, job_id: str, state: JobState, **extra: Any) -> None:
        record = dict(self.table.get(job_id) or {})
        record["state"] = state.value
        record.update(extra)
        self.table[job_id] = record

    def job_state(self, job_id: str) -> JobState | None:
        record = self.table.get(job_id)
        return JobState(record["state"]) if record else None

    def envelope(self, job_id: str) -> OutboxJob | None:
        record = self.table.get(job_id)
        raw = record.get("envelope") if record else None
        return OutboxJob.model_validate(raw) if raw else None

    def begin_send(self, item: OutboxJob, now: datetime) -> bool:
        state = self.job_state(item.job.job_id)
        if state not in (None, JobState.PENDING):
            return False
        # Durable once the driver flushed the changelog (before the provider call).
        self._put(
            item.job.job_id,
            JobState.SENDING,
            envelope=item.model_dump(mode="json"),
            since=now.isoformat(),
        )
        return True

    def mark_sent(self, job_id: str, message_id: str) -> None:
        self._put(job_id, JobState.SENT, message_id=message_id)

    def mark_final(self, job_id: str, state: JobState, reason: str) -> None:
        self._put(job_id, state, reason=reason[:500])

    def retry_later(self, job_id: str, not_before: datetime, reason: str) -> None:
        # The driver re-publishes the job after the provider's pause (``not_before``).
        self._put(job_id, JobState.PENDING, reason=reason[:500])

    def in_doubt(self) -> list[InDoubt]:
        found = []
        for job_id, record in list(self.table.items()):
            if record.get("state") != JobState.SENDING.value or not self.owned(job_id):
                continue
            item = OutboxJob.model_validate(record["envelope"])
            since = record.get("since")
            found.append(
                InDoubt(item.job, datetime.fromisoformat(since) if since else _LONG_AGO, item)
            )
        return found


class TableSuppressions:
    """Writes go to ``table``; reads to ``view`` (every worker's suppressions, see
    ``streams.global_view``), or to ``table`` without one."""

    def __init__(
        self, table: MutableMapping[str, Any], view: Mapping[str, Any] | None = None
    ) -> None:
        self.table = table
        self.view = view if view is not None else table

    def is_suppressed(self, email: str) -> bool:
        return email_key(email) in self.view

    def suppress(self, email: str, reason: str) -> None:
        self.table[email_key(email)] = reason
