"""The embedded runtime's storage on SQLite: every protocol of ``notifier.engine.ports``
(``PlanStore``, ``Outbox``, ``Suppressions``) plus the queue the embedded dispatcher claims from."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict
from datetime import datetime

from notifier.address.blocking import KEYS_VERSION, address_keys
from notifier.address.segments import Segments
from notifier.campaigns.store import (
    JobState,
    Membership,
    Quarantine,
    ReviewItem,
    ReviewStatus,
    StoredAddress,
)
from notifier.engine.jobs import OutboxJob
from notifier.engine.keys import email_key, is_email_key
from notifier.engine.ports import InDoubt
from notifier.events.contracts import DeadLetter, EmailJob
from notifier.runtime.database import Database
from notifier.runtime.sqlite_rows import (
    SCHEMA,
    add_columns,
    address_row,
    job_row,
    membership_row,
    quarantine_row,
    review_row,
    ts,
)
from notifier.runtime.sqlite_rows import now as utc_now


class SqliteStore:
    """Implements the engine's ports (checked structurally in the tests)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        db.migrate(SCHEMA)
        add_columns(db)
        self.rekey_addresses()
        self._hash_suppressions()

    def _hash_suppressions(self) -> None:
        """Suppression rows written before the list was keyed by ``email_key`` (plain
        addresses) are re-keyed once, so both runtimes store the same key."""
        rows = self.db.query("SELECT email, reason, at FROM suppressions")
        plain = [r for r in rows if not is_email_key(r["email"])]
        if not plain:
            return
        with self.db.transaction() as conn:
            for r in plain:
                conn.execute("DELETE FROM suppressions WHERE email = ?", (r["email"],))
                conn.execute(
                    "INSERT OR IGNORE INTO suppressions (email, reason, at) VALUES (?,?,?)",
                    (email_key(r["email"]), r["reason"], r["at"]),
                )

    def rekey_addresses(self, version: str = KEYS_VERSION) -> int:
        """Recompute every saved address's blocking keys if they were made by another
        version of ``address_keys``; returns how many addresses were re-keyed."""
        row = self.db.query("SELECT value FROM store_meta WHERE name = 'address_keys_version'")
        if row and row[0]["value"] == version:
            return 0
        with self.db.transaction() as conn:
            rows = conn.execute(
                "SELECT customer_id, address_id, segments FROM addresses"
            ).fetchall()
            keyed = [
                (key, r["customer_id"], r["address_id"])
                for r in rows
                for key in address_keys(Segments(**json.loads(r["segments"])))
            ]
            conn.execute("DELETE FROM address_keys")
            conn.executemany(
                "INSERT OR IGNORE INTO address_keys (key, customer_id, address_id) VALUES (?,?,?)",
                keyed,
            )
            conn.execute(
                "INSERT INTO store_meta (name, value) VALUES ('address_keys_version', ?) "
                "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                (version,),
            )
        return len(rows)

    # -- events --------------------------------------------------------------------------

    def mark_seen(self, event_id: str, *, durable: bool = True) -> bool:
        # (always durable: one small row in the same transaction costs nothing here)
        cur = self.db.execute(
            "INSERT OR IGNORE INTO seen_events (event_id, seen_at) VALUES (?, ?)",
            (event_id, utc_now()),
        )
        return cur.rowcount == 1

    def dead_letter(self, letter: DeadLetter) -> None:
        self.db.execute(
            "INSERT INTO dead_letters (source, reason, payload, received_at) VALUES (?, ?, ?, ?)",
            (letter.source, letter.reason, letter.payload, ts(letter.received_at)),
        )

    def dead_letters(self, limit: int = 100) -> list[DeadLetter]:
        rows = self.db.query(
            "SELECT source, reason, payload, received_at FROM dead_letters "
            "ORDER BY id DESC LIMIT ?",
            (limit,),
        )
        return [
            DeadLetter(
                source=r["source"],
                reason=r["reason"],
                payload=r["payload"],
                received_at=datetime.fromisoformat(r["received_at"]),
            )
            for r in rows
        ]

    def get_offset(self, source: str) -> int:
        rows = self.db.query("SELECT offset FROM source_offsets WHERE source = ?", (source,))
        return int(rows[0]["offset"]) if rows else 0

    def set_offset(self, source: str, offset: int) -> None:
        self.db.execute(
            "INSERT INTO source_offsets (source, offset) VALUES (?, ?) "
            "ON CONFLICT(source) DO UPDATE SET offset = excluded.offset",
            (source, offset),
        )

    # -- quarantines ---------------------------------------------------------------------

    def get_quarantine(self, building_id: str) -> Quarantine | None:
        rows = self.db.query("SELECT data FROM quarantines WHERE building_id = ?", (building_id,))
        return quarantine_row(rows[0]["data"]) if rows else None

    def put_quarantine(self, quarantine: Quarantine) -> None:
        data = asdict(quarantine)
        data["pickup"] = quarantine.pickup.model_dump()
        data["starts_at"] = ts(quarantine.starts_at)
        data["ends_at"] = ts(quarantine.ends_at)
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT INTO quarantines (building_id, episode_id, active, data) VALUES (?,?,?,?) "
                "ON CONFLICT(building_id) DO UPDATE SET episode_id = excluded.episode_id, "
                "active = excluded.active, data = excluded.data",
                (
                    quarantine.building_id,
                    quarantine.episode_id,
                    int(quarantine.active),
                    json.dumps(data),
                ),
            )
            conn.execute(
                "INSERT INTO episodes (episode_id, building_id, name, locality, city, pincode, "
                "started_at, ended_at, active) VALUES (?,?,?,?,?,?,?,?,?) "
                "ON CONFLICT(episode_id) DO UPDATE SET name = excluded.name, "
                "locality = excluded.locality, city = excluded.city, pincode = excluded.pincode, "
                "ended_at = excluded.ended_at, active = excluded.active",
                (
                    quarantine.episode_id,
                    quarantine.building_id,
                    quarantine.name,
                    quarantine.locality,
                    quarantine.city,
                    quarantine.pincode,
                    data["starts_at"] or utc_now(),
                    None if quarantine.active else (data["ends_at"] or utc_now()),
                    int(quarantine.active),
                ),
            )

    def active_quarantines(self) -> list[Quarantine]:
        rows = self.db.query("SELECT data FROM quarantines WHERE active = 1 ORDER BY building_id")
        return [quarantine_row(r["data"]) for r in rows]

    def all_quarantines(self) -> list[Quarantine]:
        rows = self.db.query("SELECT data FROM quarantines ORDER BY building_id")
        return [quarantine_row(r["data"]) for r in rows]

    # -- addresses -----------------------------------------------------------------------

    def get_address(self, customer_id: str, address_id: str) -> StoredAddress | None:
        rows = self.db.query(
            "SELECT * FROM addresses WHERE customer_id = ? AND address_id = ?",
            (customer_id, address_id),
        )
        return address_row(rows[0]) if rows else None

    def put_address(self, address: StoredAddress, keys: Iterable[str]) -> None:
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT INTO addresses (customer_id, address_id, email, name, language, segments, "
                "occurred_at, requested_language) VALUES (?,?,?,?,?,?,?,?) "
                "ON CONFLICT(customer_id, address_id) DO UPDATE "
                "SET email = excluded.email, name = excluded.name, language = excluded.language, "
                "segments = excluded.segments, occurred_at = excluded.occurred_at, "
                "requested_language = excluded.requested_language",
                (
                    address.customer_id,
                    address.address_id,
                    address.email,
                    address.name,
                    address.language.value,
                    json.dumps(address.segments.to_dict()),
                    ts(address.occurred_at),
                    address.requested_language,
                ),
            )
            conn.execute(
                "DELETE FROM address_keys WHERE customer_id = ? AND address_id = ?",
                (address.customer_id, address.address_id),
            )
            conn.executemany(
                "INSERT OR IGNORE INTO address_keys (key, customer_id, address_id) VALUES (?,?,?)",
                [(key, address.customer_id, address.address_id) for key in keys],
            )

    def delete_address(self, customer_id: str, address_id: str) -> None:
        with self.db.transaction() as conn:
            conn.execute(
                "DELETE FROM addresses WHERE customer_id = ? AND address_id = ?",
                (customer_id, address_id),
            )
            conn.execute(
                "DELETE FROM address_keys WHERE customer_id = ? AND address_id = ?",
                (customer_id, address_id),
            )

    def addresses_for_keys(
        self, keys: Iterable[str], keep: Callable[[Segments], bool] | None = None
    ) -> list[StoredAddress]:
        keys = list(keys)
        if not keys:
            return []
        marks = ",".join("?" * len(keys))
        rows = self.db.query(
            "SELECT a.* FROM addresses a JOIN (SELECT DISTINCT customer_id, address_id FROM "
            f"address_keys WHERE key IN ({marks})) k USING (customer_id, address_id)",
            tuple(keys),
        )
        found = (address_row(r) for r in rows)
        return [a for a in found if keep is None or keep(a.segments)]

    def count_addresses(self) -> int:
        return int(self.db.query("SELECT count(*) AS n FROM addresses")[0]["n"])

    # -- memberships ---------------------------------------------------------------------

    def put_membership(self, membership: Membership) -> None:
        self.db.execute(
            "INSERT INTO memberships "
            "(episode_id, building_id, customer_id, address_id, score, active)"
            " VALUES (?,?,?,?,?,?) ON CONFLICT(episode_id, customer_id, address_id) DO UPDATE SET "
            "score = excluded.score, active = excluded.active",
            (
                membership.episode_id,
                membership.building_id,
                membership.customer_id,
                membership.address_id,
                membership.score,
                int(membership.active),
            ),
        )

    def members(self, episode_id: str) -> list[Membership]:
        rows = self.db.query(
            "SELECT * FROM memberships WHERE episode_id = ? ORDER BY customer_id", (episode_id,)
        )
        return [membership_row(r) for r in rows]

    def memberships_of(self, customer_id: str, address_id: str) -> list[Membership]:
        rows = self.db.query(
            "SELECT * FROM memberships WHERE customer_id = ? AND address_id = ?",
            (customer_id, address_id),
        )
        return [membership_row(r) for r in rows]

    # -- jobs ----------------------------------------------------------------------------

    def enqueue(self, job: EmailJob) -> bool:
        now = utc_now()
        cur = self.db.execute(
            "INSERT OR IGNORE INTO jobs "
            "(job_id, state, kind, campaign_id, building_id, episode_id, "
            "revision, customer_id, address_id, email, name, language, created_at, not_before, "
            "updated_at, language_fallback) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                job.job_id,
                JobState.PENDING.value,
                job.kind.value,
                job.campaign_id,
                job.building_id,
                job.episode_id,
                job.revision,
                job.customer_id,
                job.address_id,
                job.email,
                job.name,
                job.language.value,
                ts(job.created_at),
                now,
                now,
                job.language_fallback,
            ),
        )
        return cur.rowcount == 1

    def job_state(self, job_id: str) -> JobState | None:
        rows = self.db.query("SELECT state FROM jobs WHERE job_id = ?", (job_id,))
        return JobState(rows[0]["state"]) if rows else None

    def get_job(self, job_id: str) -> EmailJob | None:
        rows = self.db.query("SELECT * FROM jobs WHERE job_id = ?", (job_id,))
        return job_row(rows[0]) if rows else None

    def cancel_pending(
        self,
        *,
        episode_id: str | None = None,
        customer_id: str | None = None,
        address_id: str | None = None,
    ) -> int:
        where, params = ["state = ?"], [JobState.PENDING.value]
        for column, value in (
            ("episode_id", episode_id),
            ("customer_id", customer_id),
            ("address_id", address_id),
        ):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        cur = self.db.execute(
            "UPDATE jobs SET state = ?, reason = 'cancelled', updated_at = ? "
            f"WHERE {' AND '.join(where)}",
            (JobState.CANCELLED.value, utc_now(), *params),
        )
        return cur.rowcount

    def claim_due(self, limit: int, now: datetime) -> list[EmailJob]:
        rows = self.db.query(
            "SELECT * FROM jobs WHERE state = ? AND not_before <= ? "
            "ORDER BY not_before, created_at "
            "LIMIT ?",
            (JobState.PENDING.value, ts(now), limit),
        )
        return [job_row(r) for r in rows]

    def count_due(self) -> int:
        rows = self.db.query(
            "SELECT count(*) AS n FROM jobs WHERE state = ?", (JobState.PENDING.value,)
        )
        return int(rows[0]["n"])

    def begin_send(self, item: OutboxJob, now: datetime) -> bool:
        # committed at once (autocommit): the SENDING mark is durable before the provider call
        cur = self.db.execute(
            "UPDATE jobs SET state = ?, attempts = attempts + 1, updated_at = ? "
            "WHERE job_id = ? AND state = ?",
            (JobState.SENDING.value, ts(now), item.job.job_id, JobState.PENDING.value),
        )
        return cur.rowcount == 1

    def mark_sent(self, job_id: str, message_id: str) -> None:
        now = utc_now()
        self.db.execute(
            "UPDATE jobs SET state = ?, message_id = ?, sent_at = ?, reason = NULL, updated_at = ? "
            "WHERE job_id = ?",
            (JobState.SENT.value, message_id, now, now, job_id),
        )

    def mark_final(self, job_id: str, state: JobState, reason: str) -> None:
        self.db.execute(
            "UPDATE jobs SET state = ?, reason = ?, updated_at = ? WHERE job_id = ?",
            (state.value, reason[:500], utc_now(), job_id),
        )

    def retry_later(self, job_id: str, not_before: datetime, reason: str) -> None:
        self.db.execute(
            "UPDATE jobs SET state = ?, not_before = ?, reason = ?, updated_at = ? "
            "WHERE job_id = ?",
            (JobState.PENDING.value, ts(not_before), reason[:500], utc_now(), job_id),
        )

    def in_doubt(self) -> list[InDoubt]:
        rows = self.db.query("SELECT * FROM jobs WHERE state = ?", (JobState.SENDING.value,))
        return [InDoubt(job_row(r), datetime.fromisoformat(r["updated_at"])) for r in rows]

    def job_counts(self) -> dict[str, int]:
        rows = self.db.query("SELECT state, count(*) AS n FROM jobs GROUP BY state")
        return {r["state"]: int(r["n"]) for r in rows}

    def sent_by_building(self) -> list[tuple[str, str, int]]:
        """(building_id, building name, emails sent) for every building that got any."""
        rows = self.db.query(
            "SELECT j.building_id AS building_id, e.name AS name, count(*) AS n FROM jobs j "
            "JOIN episodes e ON e.episode_id = j.episode_id WHERE j.state = ? "
            "GROUP BY j.building_id, e.name ORDER BY n DESC, j.building_id",
            (JobState.SENT.value,),
        )
        return [(r["building_id"], r["name"], int(r["n"])) for r in rows]

    # -- the sent ledger: SES Send events (notifier.engine.send_events) ----------------

    def record_send(self, job_id: str, message_id: str) -> None:
        self.db.execute(
            "INSERT OR IGNORE INTO sent_ledger (job_id, message_id, at) VALUES (?,?,?)",
            (job_id, message_id, utc_now()),
        )

    def sent_message_ids(self, job_ids: Sequence[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        ids = list(job_ids)
        for i in range(0, len(ids), 500):  # under SQLite's bound-parameter limit
            chunk = ids[i : i + 500]
            rows = self.db.query(
                "SELECT job_id, message_id FROM sent_ledger "
                f"WHERE job_id IN ({','.join('?' * len(chunk))})",
                tuple(chunk),
            )
            found.update({r["job_id"]: r["message_id"] for r in rows})
        return found

    # -- reviews -------------------------------------------------------------------------

    def add_review(self, item: ReviewItem) -> bool:
        cur = self.db.execute(
            "INSERT OR IGNORE INTO reviews (review_id, episode_id, building_id, customer_id, "
            "address_id, score, explanation, status, created_at) VALUES (?,?,?,?,?,?,?,?,?)",
            (
                item.review_id,
                item.episode_id,
                item.building_id,
                item.customer_id,
                item.address_id,
                item.score,
                json.dumps(item.explanation, default=str),
                item.status.value,
                utc_now(),
            ),
        )
        return cur.rowcount == 1

    def get_review(self, review_id: str) -> ReviewItem | None:
        rows = self.db.query("SELECT * FROM reviews WHERE review_id = ?", (review_id,))
        return review_row(rows[0]) if rows else None

    def list_reviews(self, status: ReviewStatus | None = ReviewStatus.OPEN) -> list[ReviewItem]:
        if status is None:
            rows = self.db.query("SELECT * FROM reviews ORDER BY created_at")
        else:
            rows = self.db.query(
                "SELECT * FROM reviews WHERE status = ? ORDER BY created_at", (status.value,)
            )
        return [review_row(r) for r in rows]

    def open_reviews_of(self, customer_id: str, address_id: str) -> list[ReviewItem]:
        rows = self.db.query(
            "SELECT * FROM reviews WHERE customer_id = ? AND address_id = ? AND status = ?",
            (customer_id, address_id, ReviewStatus.OPEN.value),
        )
        return [review_row(r) for r in rows]

    def set_review_status(self, review_id: str, status: ReviewStatus) -> None:
        self.db.execute(
            "UPDATE reviews SET status = ?, decided_at = ? WHERE review_id = ?",
            (status.value, utc_now(), review_id),
        )

    def was_rejected(self, building_id: str, customer_id: str, address_id: str) -> bool:
        rows = self.db.query(
            "SELECT 1 FROM reviews WHERE customer_id = ? AND address_id = ? AND building_id = ? "
            "AND status = ? LIMIT 1",
            (customer_id, address_id, building_id, ReviewStatus.REJECTED.value),
        )
        return bool(rows)

    # -- suppression ---------------------------------------------------------------------

    def is_suppressed(self, email: str) -> bool:
        rows = self.db.query("SELECT 1 FROM suppressions WHERE email = ?", (email_key(email),))
        return bool(rows)

    def suppress(self, email: str, reason: str) -> None:
        self.db.execute(
            "INSERT OR IGNORE INTO suppressions (email, reason, at) VALUES (?,?,?)",
            (email_key(email), reason, utc_now()),
        )
