"""Where tracking keeps message states, and what reporting reads: one small protocol.

:class:`TrackingStore` is what both runtimes fill in: the embedded one over its SQLite file
(:class:`SqliteTrackingStore`: message states beside the outbox's ``jobs`` and ``episodes``),
the Kafka one over Faust tables (:class:`MappingTrackingStore`: a table of message states keyed
by message id, ``MessageState.to_dict`` is JSON-safe, and a table of sent messages,
``notifier.streams.tracking``). Folding (``ingest.Tracker``, ``state.MessageState``) and
reporting (``reporting.report.build_report``) only talk to the protocol, so both runtimes
report the same figures for the same events.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, MutableMapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from notifier.runtime.database import Database
from notifier.runtime.sqlite_rows import add_columns
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
    language_fallback: str = ""  # the language asked for when sent in English instead


@dataclass(frozen=True, slots=True)
class CampaignInfo:
    """How a report names a campaign (a quarantine episode)."""

    campaign_id: str
    building_id: str
    name: str
    city: str
    started: str = ""  # ISO date the episode started, "" if unknown


class TrackingStore(Protocol):
    # -- what tracking writes and reads while folding SES events --
    def atomic(self) -> AbstractContextManager[object]:
        """Group writes (one transaction in SQLite; a no-op where writes are per key)."""
        ...

    def get_state(self, message_id: str) -> MessageState | None: ...
    def put_state(self, state: MessageState) -> None: ...
    def sent_info(self, message_id: str, job_id: str | None = None) -> SentInfo | None:
        """The sent message an SES event is about (by message id, else by its job tag)."""
        ...

    # -- what reporting reads --
    def states(self) -> Iterator[MessageState]: ...
    def sent_messages(self) -> Iterator[SentInfo]:
        """Every message the outbox knows as sent (the email may be left empty)."""
        ...

    def campaigns(self) -> Mapping[str, CampaignInfo]:
        """Campaign id -> how to name it."""
        ...


class SqliteTrackingStore:
    """Message states as JSON rows beside the runtime's tables (``jobs`` gives attribution)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        db.migrate(SCHEMA)
        add_columns(db)  # a data folder from before ``jobs.language_fallback``

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

    def sent_messages(self) -> Iterator[SentInfo]:
        rows = self.db.query(
            "SELECT message_id, job_id, campaign_id, building_id, language, kind, sent_at, "
            "language_fallback FROM jobs WHERE message_id IS NOT NULL AND state = 'sent'"
        )
        for r in rows:
            yield SentInfo(
                message_id=r["message_id"],
                job_id=r["job_id"],
                email="",
                campaign_id=r["campaign_id"],
                building_id=r["building_id"],
                language=r["language"],
                kind=r["kind"],
                sent_at=datetime.fromisoformat(r["sent_at"]) if r["sent_at"] else None,
                language_fallback=r["language_fallback"],
            )

    def campaigns(self) -> dict[str, CampaignInfo]:
        return {
            r["episode_id"]: CampaignInfo(
                campaign_id=r["episode_id"],
                building_id=r["building_id"],
                name=r["name"],
                city=r["city"],
                started=(r["started_at"] or "")[:10],
            )
            for r in self.db.query(
                "SELECT episode_id, building_id, name, city, started_at FROM episodes"
            )
        }

    def sent_info(self, message_id: str, job_id: str | None = None) -> SentInfo | None:
        rows = self.db.query(
            "SELECT job_id, email, campaign_id, building_id, language, kind, sent_at, message_id, "
            "language_fallback FROM jobs WHERE message_id = ?",
            (message_id,),
        )
        if not rows and job_id:
            # The SES event can beat the outbox's own record of the message id (crash window).
            rows = self.db.query(
                "SELECT job_id, email, campaign_id, building_id, language, kind, sent_at, "
                "message_id, language_fallback FROM jobs WHERE job_id = ?",
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
            language_fallback=r["language_fallback"],
        )


class MappingTrackingStore:
    """States in any mutable mapping of message id -> ``MessageState.to_dict()``.

    A plain dict for tests and tools; a Faust ``Table`` (also a MutableMapping, JSON values) in
    the Kafka runtime. ``sent`` maps message ids (or job ids, for the crash window) to
    ``SentInfo``-shaped dicts (see :func:`sent_record`; ``name``/``city``/``started`` name the
    campaign); without it, events are attributed by their SES tags only.
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
        return None if raw is None else _sent_info(message_id, raw)

    def sent_messages(self) -> Iterator[SentInfo]:
        seen: set[str] = set()
        for key, raw in list(self._sent.items()):
            message_id = str(raw.get("message_id") or key)
            if message_id not in seen:  # a record may be filed under its job id too
                seen.add(message_id)
                yield _sent_info(message_id, raw)

    def campaigns(self) -> dict[str, CampaignInfo]:
        found: dict[str, CampaignInfo] = {}
        for raw in list(self._sent.values()):
            campaign = str(raw.get("campaign_id", ""))
            if campaign and raw.get("name") and campaign not in found:
                found[campaign] = CampaignInfo(
                    campaign_id=campaign,
                    building_id=str(raw.get("building_id", "")),
                    name=str(raw["name"]),
                    city=str(raw.get("city", "")),
                    started=str(raw.get("started") or "")[:10],
                )
        return found

    def snapshot(self) -> MappingTrackingStore:
        """A copy to read from another thread while the tables keep changing."""
        return MappingTrackingStore(dict(self._states.items()), dict(self._sent.items()))


def sent_record(
    message_id: str,
    *,
    job_id: str,
    campaign_id: str,
    building_id: str,
    language: str,
    kind: str,
    sent_at: datetime,
    name: str = "",
    city: str = "",
    started: datetime | None = None,
    language_fallback: str = "",
) -> dict[str, Any]:
    """A sent message as :class:`MappingTrackingStore` keeps it (JSON-safe, no email)."""
    return {
        "message_id": message_id,
        "job_id": job_id,
        "campaign_id": campaign_id,
        "building_id": building_id,
        "language": language,
        "kind": kind,
        "sent_at": sent_at.isoformat(),
        "name": name,
        "city": city,
        "started": (started or sent_at).date().isoformat(),
        "language_fallback": language_fallback,
    }


def _sent_info(message_id: str, raw: Mapping[str, Any]) -> SentInfo:
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
        language_fallback=str(raw.get("language_fallback") or ""),
    )
