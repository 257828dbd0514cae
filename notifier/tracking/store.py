"""Where tracking keeps message states: a small protocol and its SQLite implementation.

The Kafka runtime can implement :class:`TrackingStore` over a Faust table keyed by message id
(``MessageState.to_dict`` is JSON-safe) and a table of sent jobs.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, MutableMapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from notifier.runtime.database import Database
from notifier.tracking.state import MessageState

SCHEMA = """
CREATE TABLE IF NOT EXISTS message_tracking (
    message_id TEXT PRIMARY KEY, data TEXT NOT NULL, updated_at TEXT NOT NULL);
"""


@dataclass(frozen=True, slots=True)
class SentInfo:
    """What the outbox knows about a sent message (the email is used only to suppress it)."""

    message_id: str
    job_id: str
    email: str
    campaign_id: str
    building_id: str
    language: str
    kind: str
    sent_at: datetime | None


class TrackingStore(Protocol):
    def atomic(self) -> AbstractContextManager[object]:
        """Group writes (one transaction in SQLite; a no-op where writes are per key)."""
        ...

    def get_state(self, message_id: str) -> MessageState | None: ...
    def put_state(self, state: MessageState) -> None: ...
    def states(self) -> Iterator[MessageState]: ...
    def sent_info(self, message_id: str, job_id: str | None = None) -> SentInfo | None: ...


class SqliteTrackingStore:
    """Message states as JSON rows beside the runtime's tables (``jobs`` gives attribution)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        db.migrate(SCHEMA)

    def atomic(self) -> AbstractContextManager[object]:
        return self.db.transaction()

    def get_state(self, message_id: str) -> MessageState | None:
        rows = self.db.query(
            "SELECT data FROM message_tracking WHERE message_id = ?", (message_id,)
        )
        return MessageState.from_dict(json.loads(rows[0]["data"])) if rows else None

    def put_state(self, state: MessageState) -> None:
        self.db.execute(
            "INSERT INTO message_tracking (message_id, data, updated_at) VALUES (?,?,?) "
            "ON CONFLICT(message_id) DO UPDATE SET data = excluded.data, "
            "updated_at = excluded.updated_at",
            (state.message_id, json.dumps(state.to_dict()), datetime.now(UTC).isoformat()),
        )

    def states(self) -> Iterator[MessageState]:
        for row in self.db.query("SELECT data FROM message_tracking"):
            yield MessageState.from_dict(json.loads(row["data"]))

    def count(self) -> int:
        return int(self.db.query("SELECT count(*) AS n FROM message_tracking")[0]["n"])

    def sent_info(self, message_id: str, job_id: str | None = None) -> SentInfo | None:
        rows = self.db.query(
            "SELECT job_id, email, campaign_id, building_id, language, kind, sent_at, message_id "
            "FROM jobs WHERE message_id = ?",
            (message_id,),
        )
        if not rows and job_id:
            # The SES event can beat the outbox's own record of the message id (crash window).
            rows = self.db.query(
                "SELECT job_id, email, campaign_id, building_id, language, kind, sent_at, "
                "message_id FROM jobs WHERE job_id = ?",
                (job_id,),
            )
        if not rows:
            return None
        r = rows[0]
        return SentInfo(
            message_id=message_id,
            job_id=r["job_id"],
            email=r["email"],
            campaign_id=r["campaign_id"],
            building_id=r["building_id"],
            language=r["language"],
            kind=r["kind"],
            sent_at=datetime.fromisoformat(r["sent_at"]) if r["sent_at"] else None,
        )


class MappingTrackingStore:
    """States in any mutable mapping of message id -> ``MessageState.to_dict()``.

    A plain dict for tests and tools; a Faust ``Table`` (also a MutableMapping, JSON values) in
    the Kafka runtime. ``sent`` maps message ids (or job ids, for the crash window) to
    ``SentInfo``-shaped dicts; without it, events are attributed by their SES tags only.
    """

    def __init__(
        self,
        states: MutableMapping[str, dict[str, Any]],
        sent: Mapping[str, dict[str, Any]] | None = None,
    ) -> None:
        self._states = states
        self._sent = sent if sent is not None else {}

    def atomic(self) -> AbstractContextManager[object]:
        return nullcontext()

    def get_state(self, message_id: str) -> MessageState | None:
        raw = self._states.get(message_id)
        return MessageState.from_dict(raw) if raw is not None else None

    def put_state(self, state: MessageState) -> None:
        self._states[state.message_id] = state.to_dict()

    def states(self) -> Iterator[MessageState]:
        for raw in list(self._states.values()):
            yield MessageState.from_dict(raw)

    def sent_info(self, message_id: str, job_id: str | None = None) -> SentInfo | None:
        raw = self._sent.get(message_id) or (self._sent.get(job_id) if job_id else None)
        if raw is None:
            return None
        sent_at = raw.get("sent_at")
        return SentInfo(
            message_id=message_id,
            job_id=str(raw.get("job_id", "")),
            email=str(raw.get("email", "")),
            campaign_id=str(raw.get("campaign_id", "")),
            building_id=str(raw.get("building_id", "")),
            language=str(raw.get("language", "")),
            kind=str(raw.get("kind", "")),
            sent_at=datetime.fromisoformat(sent_at) if isinstance(sent_at, str) else sent_at,
        )
