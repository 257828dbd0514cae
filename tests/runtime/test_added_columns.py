"""A data folder written before a column existed is upgraded in place when it is opened."""

from __future__ import annotations

from notifier.events.contracts import EmailJob, EmailKind
from notifier.runtime.database import Database
from notifier.runtime.sqlite_rows import ADDED_COLUMNS, SCHEMA
from notifier.runtime.sqlite_store import SqliteStore
from notifier.tracking.store import SqliteTrackingStore


def _old_schema() -> str:
    schema = SCHEMA
    for _table, column, declaration in ADDED_COLUMNS:
        schema = schema.replace(f",\n    {column} {declaration}", "", 1)
        schema = schema.replace(f", {column} {declaration}", "", 1)
    assert all(column not in schema for _t, column, _d in ADDED_COLUMNS)
    return schema


def _columns(db: Database, table: str) -> set[str]:
    return {r["name"] for r in db.query(f"PRAGMA table_info({table})")}


def test_an_old_data_folder_gets_the_new_columns(tmp_path) -> None:
    db = Database(tmp_path / "old.sqlite")
    db.migrate(_old_schema())
    store = SqliteStore(db)
    for table, column, _ in ADDED_COLUMNS:
        assert column in _columns(db, table)
    job = EmailJob(
        job_id="j1",
        kind=EmailKind.ANNOUNCEMENT,
        campaign_id="E1",
        building_id="B1",
        episode_id="E1",
        customer_id="c1",
        address_id="home",
        email="c1@example.org",
        language_fallback="fr",
    )
    assert store.enqueue(job)
    assert store.get_job("j1") == job
    SqliteStore(db)  # opening again changes nothing


def test_the_report_reader_upgrades_an_old_jobs_table_too(tmp_path) -> None:
    db = Database(tmp_path / "old.sqlite")
    db.migrate(_old_schema())
    assert list(SqliteTrackingStore(db).sent_messages()) == []
    assert "language_fallback" in _columns(db, "jobs")
