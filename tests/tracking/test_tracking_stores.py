"""The SQLite store and a plain mapping (what a Faust table is) fold events to the same states."""

from __future__ import annotations

import json
from datetime import datetime

from notifier.reporting.report import build_report
from notifier.runtime.sqlite_store import SqliteStore
from notifier.tracking.ingest import Tracker, ingest_records
from notifier.tracking.simulate import sent_messages, simulate_events
from notifier.tracking.store import (
    MappingTrackingStore,
    SqliteTrackingStore,
    TrackingStore,
    sent_record,
)
from tests.tracking.support import send_campaign, sending_runtime


def test_both_stores_fold_to_the_same_states(tmp_path) -> None:
    runtime, _ = sending_runtime(tmp_path)
    try:
        send_campaign(runtime, per_building=60)
        messages = sent_messages(runtime.db)
        records = list(simulate_events(messages, seed=13))
        sqlite_stats = ingest_records(records, runtime)

        table: dict[str, dict] = {}  # stands in for a Faust table
        sent = {
            m.message_id: {"email": m.email, "job_id": m.tags["job"], "sent_at": None}
            for m in messages
        }
        store: TrackingStore = MappingTrackingStore(table, sent)
        suppressed: list[str] = []

        class Sink:
            def suppress(self, email: str, reason: str) -> None:
                suppressed.append(email)

            def dead_letter(self, letter) -> None:
                raise AssertionError("no dead letters expected")

        mapping_stats = ingest_records(reversed(records), Tracker(store, Sink()))  # any order
        assert mapping_stats.recorded == sqlite_stats.recorded
        assert mapping_stats.suppressed == sqlite_stats.suppressed == len(suppressed)
        json.dumps(table)  # JSON-safe values, as a Faust table needs

        by_sqlite = {s.message_id: s for s in SqliteTrackingStore(runtime.db).states()}
        by_mapping = {s.message_id: s for s in store.states()}
        assert by_sqlite.keys() == by_mapping.keys()
        for mid, state in by_sqlite.items():
            other = by_mapping[mid]
            assert other.opens == state.opens and other.clicks == state.clicks
            assert other.delivered_at == state.delivered_at
            assert (other.bounce_type, other.complained) == (state.bounce_type, state.complained)
            assert other.human_opened == state.human_opened
        core = SqliteStore(runtime.db)
        assert all(core.is_suppressed(email) for email in suppressed)
    finally:
        runtime.close()


def test_a_report_from_faust_style_tables_has_the_sqlite_report_figures(tmp_path) -> None:
    runtime, _ = sending_runtime(tmp_path)
    try:
        send_campaign(runtime, per_building=40)
        records = list(simulate_events(sent_messages(runtime.db), seed=21))
        ingest_records(records, runtime)
        sqlite = SqliteTrackingStore(runtime.db)
        campaigns = sqlite.campaigns()
        # What the Kafka runtime's sent-messages table holds for the same messages.
        sent = {}
        for m in sqlite.sent_messages():
            info = campaigns[m.campaign_id]
            sent[m.message_id] = sent_record(
                m.message_id,
                job_id=m.job_id,
                campaign_id=m.campaign_id,
                building_id=m.building_id,
                language=m.language,
                kind=m.kind,
                sent_at=m.sent_at,
                name=info.name,
                city=info.city,
                started=datetime.fromisoformat(info.started),
            )
        table: dict[str, dict] = {}
        tables = MappingTrackingStore(table, json.loads(json.dumps(sent)))
        ingest_records(reversed(records), Tracker(tables, runtime.store))

        by_sqlite, by_tables = build_report(sqlite), build_report(tables)
        assert by_sqlite.totals.sent == len(sent) == 80
        assert by_tables.totals.as_dict() == by_sqlite.totals.as_dict()
        for section in ("campaign", "building", "city", "language"):
            mine = [row.as_dict() for row in by_tables.rows(section)]
            assert mine == [row.as_dict() for row in by_sqlite.rows(section)], section
        assert by_tables.timeline == by_sqlite.timeline
    finally:
        runtime.close()
