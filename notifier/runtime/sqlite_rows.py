"""The embedded runtime's SQLite schema and how its rows become the engine's records."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from notifier.address.segments import Segments
from notifier.campaigns.store import (
    Membership,
    Quarantine,
    ReviewItem,
    ReviewStatus,
    StoredAddress,
)
from notifier.events.contracts import EmailJob, EmailKind, Language, PickupPoint
from notifier.runtime.database import Database

SCHEMA = """
CREATE TABLE IF NOT EXISTS seen_events (
    event_id TEXT PRIMARY KEY, seen_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS dead_letters (
    id INTEGER PRIMARY KEY AUTOINCREMENT, source TEXT NOT NULL, reason TEXT NOT NULL,
    payload TEXT NOT NULL, received_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS quarantines (
    building_id TEXT PRIMARY KEY, episode_id TEXT NOT NULL, active INTEGER NOT NULL,
    data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS episodes (
    episode_id TEXT PRIMARY KEY, building_id TEXT NOT NULL, name TEXT NOT NULL,
    locality TEXT NOT NULL, city TEXT NOT NULL, pincode TEXT,
    started_at TEXT, ended_at TEXT, active INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS addresses (
    customer_id TEXT NOT NULL, address_id TEXT NOT NULL, email TEXT NOT NULL, name TEXT NOT NULL,
    language TEXT NOT NULL, segments TEXT NOT NULL, occurred_at TEXT NOT NULL,
    requested_language TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (customer_id, address_id));
CREATE TABLE IF NOT EXISTS address_keys (
    key TEXT NOT NULL, customer_id TEXT NOT NULL, address_id TEXT NOT NULL,
    PRIMARY KEY (key, customer_id, address_id));
CREATE INDEX IF NOT EXISTS address_keys_owner ON address_keys (customer_id, address_id);
CREATE TABLE IF NOT EXISTS memberships (
    episode_id TEXT NOT NULL, building_id TEXT NOT NULL, customer_id TEXT NOT NULL,
    address_id TEXT NOT NULL, score REAL NOT NULL, active INTEGER NOT NULL,
    PRIMARY KEY (episode_id, customer_id, address_id));
CREATE INDEX IF NOT EXISTS memberships_owner ON memberships (customer_id, address_id);
CREATE TABLE IF NOT EXISTS jobs (
    job_id TEXT PRIMARY KEY, state TEXT NOT NULL, kind TEXT NOT NULL, campaign_id TEXT NOT NULL,
    building_id TEXT NOT NULL, episode_id TEXT NOT NULL, revision INTEGER NOT NULL,
    customer_id TEXT NOT NULL, address_id TEXT NOT NULL, email TEXT NOT NULL, name TEXT NOT NULL,
    language TEXT NOT NULL, created_at TEXT NOT NULL, not_before TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0, message_id TEXT, reason TEXT, sent_at TEXT,
    updated_at TEXT NOT NULL, language_fallback TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS jobs_due ON jobs (state, not_before);
CREATE INDEX IF NOT EXISTS jobs_episode ON jobs (episode_id, state);
CREATE INDEX IF NOT EXISTS jobs_owner ON jobs (customer_id, address_id);
CREATE UNIQUE INDEX IF NOT EXISTS jobs_message ON jobs (message_id) WHERE message_id IS NOT NULL;
CREATE TABLE IF NOT EXISTS reviews (
    review_id TEXT PRIMARY KEY, episode_id TEXT NOT NULL, building_id TEXT NOT NULL,
    customer_id TEXT NOT NULL, address_id TEXT NOT NULL, score REAL NOT NULL,
    explanation TEXT NOT NULL, status TEXT NOT NULL, created_at TEXT NOT NULL,
    decided_at TEXT);
CREATE INDEX IF NOT EXISTS reviews_status ON reviews (status);
CREATE INDEX IF NOT EXISTS reviews_owner ON reviews (customer_id, address_id, status);
CREATE TABLE IF NOT EXISTS suppressions (
    email TEXT PRIMARY KEY, reason TEXT NOT NULL, at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS source_offsets (
    source TEXT PRIMARY KEY, offset INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS sent_ledger (
    job_id TEXT PRIMARY KEY, message_id TEXT NOT NULL, at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS store_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
# Columns added after the first release: (table, column, declaration) for ``add_columns``.
ADDED_COLUMNS = (
    ("addresses", "requested_language", "TEXT NOT NULL DEFAULT ''"),
    ("jobs", "language_fallback", "TEXT NOT NULL DEFAULT ''"),
)


def add_columns(db: Database) -> None:
    """A data folder made before a column existed gets it (CREATE IF NOT EXISTS won't)."""
    for table, column, declaration in ADDED_COLUMNS:
        have = {r["name"] for r in db.query(f"PRAGMA table_info({table})")}
        if have and column not in have:  # (no table yet: the schema will make it whole)
            db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {declaration}")


def now() -> str:
    return datetime.now(UTC).isoformat()


def ts(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value else None


def dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def quarantine_row(data: str) -> Quarantine:
    raw: dict[str, Any] = json.loads(data)
    raw["pickup"] = PickupPoint(**raw["pickup"])
    raw["starts_at"] = dt(raw["starts_at"])
    raw["ends_at"] = dt(raw["ends_at"])
    raw["aliases"] = tuple(raw.get("aliases") or ())
    return Quarantine(**raw)


def address_row(row: Any) -> StoredAddress:
    return StoredAddress(
        customer_id=row["customer_id"],
        address_id=row["address_id"],
        email=row["email"],
        name=row["name"],
        language=Language(row["language"]),
        segments=Segments(**json.loads(row["segments"])),
        occurred_at=datetime.fromisoformat(row["occurred_at"]),
        requested_language=row["requested_language"],
    )


def membership_row(row: Any) -> Membership:
    return Membership(
        episode_id=row["episode_id"],
        building_id=row["building_id"],
        customer_id=row["customer_id"],
        address_id=row["address_id"],
        score=row["score"],
        active=bool(row["active"]),
    )


def job_row(row: Any) -> EmailJob:
    return EmailJob(
        job_id=row["job_id"],
        kind=EmailKind(row["kind"]),
        campaign_id=row["campaign_id"],
        building_id=row["building_id"],
        episode_id=row["episode_id"],
        revision=row["revision"],
        customer_id=row["customer_id"],
        address_id=row["address_id"],
        email=row["email"],
        name=row["name"],
        language=Language(row["language"]),
        language_fallback=row["language_fallback"],
        created_at=datetime.fromisoformat(row["created_at"]),
    )


def review_row(row: Any) -> ReviewItem:
    return ReviewItem(
        review_id=row["review_id"],
        episode_id=row["episode_id"],
        building_id=row["building_id"],
        customer_id=row["customer_id"],
        address_id=row["address_id"],
        score=row["score"],
        explanation=json.loads(row["explanation"]),
        status=ReviewStatus(row["status"]),
    )
