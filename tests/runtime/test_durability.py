"""The embedded runtime's SQLite file survives a power cut with every commit (the outbox)."""

from __future__ import annotations

from pathlib import Path

from notifier.runtime.database import Database


def test_sqlite_outbox_commits_are_durable(tmp_path: Path) -> None:
    db = Database(tmp_path / "notifier.db")
    journal = db.query("PRAGMA journal_mode")[0][0]
    synchronous = db.query("PRAGMA synchronous")[0][0]
    assert (journal, synchronous) == ("wal", 2)  # 2 = FULL: a commit is fsynced before it returns
