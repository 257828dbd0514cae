"""Saved records are re-keyed when their keys change between versions."""

from __future__ import annotations

from pathlib import Path

from notifier.address.blocking import address_keys
from notifier.address.segments import Segments
from notifier.campaigns.store import StoredAddress
from notifier.engine.keys import email_key
from notifier.events.contracts import Language
from notifier.runtime.database import Database
from notifier.runtime.sqlite_store import SqliteStore
from notifier.streams.job_outbox import TableSuppressions
from tests.helpers import T0


def _keys(db: Database) -> set[str]:
    return {r["key"] for r in db.query("SELECT key FROM address_keys")}


def test_keys_from_an_older_version_are_recomputed_on_open(tmp_path) -> None:
    db = Database(tmp_path / "state.db")
    store = SqliteStore(db)
    text = "Flat 302, Prestige Shantiniketan, Whitefield, Bangalore"
    segments = Segments(
        text, building="Prestige Shantiniketan", locality="Whitefield", city="Bangalore"
    )
    address = StoredAddress("c1", "a1", "c1@example.org", "C One", Language.EN, segments, T0)
    store.put_address(address, ["stale-key"])  # as an older address_keys() would have saved
    db.execute("UPDATE store_meta SET value = 'old' WHERE name = 'address_keys_version'")

    assert SqliteStore(db).rekey_addresses() == 0  # reopening re-keyed it already
    assert _keys(db) == address_keys(segments) != {"stale-key"}
    db.execute("UPDATE store_meta SET value = 'old' WHERE name = 'address_keys_version'")
    assert SqliteStore(db).rekey_addresses("v-next") == 1


def test_suppressions_are_keyed_like_the_kafka_runtime_and_old_rows_rekeyed(
    tmp_path: Path,
) -> None:
    db = Database(tmp_path / "s.db")
    SqliteStore(db)
    db.execute(  # a row written before the list was keyed by digest
        "INSERT INTO suppressions (email, reason, at) VALUES ('old@example.org', 'x', 'now')"
    )
    store = SqliteStore(db)
    assert store.is_suppressed(" Old@Example.org ")
    keys = [r["email"] for r in db.query("SELECT email FROM suppressions")]
    assert keys == [email_key("old@example.org")]  # no address left in the table
    store.suppress("NEW@example.org", "complaint")
    assert TableSuppressions({email_key("new@example.org"): "c"}).is_suppressed("new@example.org")
    assert store.is_suppressed("new@example.org")
