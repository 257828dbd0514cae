"""A customer asking for a language with no templates gets English, and the report counts it."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime

import pytest
from rich.console import Console

from notifier.reporting.html import render_html
from notifier.reporting.report import Report, build_report
from notifier.reporting.tables import print_report, to_csv, to_json
from notifier.tracking.store import MappingTrackingStore, SqliteTrackingStore, sent_record
from tests.helpers import address, quarantine
from tests.tracking.support import sending_runtime

B1 = "Prestige Lakeside | Whitefield | Bengaluru"
B2 = "Hiranandani Gardens | Powai | Mumbai"
# customer -> (address, asked-for language); fr, Urdu have no templates, "" is no preference.
ASKS = {
    "c1": (B1, "fr-FR"),
    "c2": (B1, "fr"),
    "c3": (B1, "Urdu"),
    "c4": (B1, "hi"),
    "c5": (B1, ""),
    "c6": (B2, "en-IN"),
    "c7": (B2, "de"),
}


@pytest.fixture
def sent(tmp_path):
    runtime, messenger = sending_runtime(tmp_path)
    lines = [
        json.dumps(quarantine("B1", "Prestige Lakeside", pincode=None)),
        json.dumps(
            quarantine("B2", "Hiranandani Gardens", locality="Powai", city="Mumbai", pincode=None)
        ),
    ]
    lines += [json.dumps(address(c, text, language=lang)) for c, (text, lang) in ASKS.items()]
    stats = runtime.ingest(lines)
    runtime.dispatch()
    yield runtime, messenger, stats
    runtime.close()


def _campaign(report: Report, building: str):
    return next(row for row in report.rows("campaign") if row.key.startswith(building))


def test_unknown_languages_are_accepted_and_sent_in_english(sent) -> None:
    runtime, messenger, _ = sent
    assert runtime.db.query("SELECT count(*) AS n FROM dead_letters")[0]["n"] == 0
    languages = {email.to.split("@")[0]: email.language for _, email in messenger.sent}
    assert languages == {
        "c1": "en",
        "c2": "en",
        "c3": "en",
        "c4": "hi",
        "c5": "en",
        "c6": "en",
        "c7": "en",
    }
    by_customer = {
        r["customer_id"]: r["language_fallback"]
        for r in runtime.db.query("SELECT customer_id, language_fallback FROM jobs")
    }
    # Only asks that were not met count: no preference and English itself are no fallback.
    assert by_customer == {
        "c1": "fr",
        "c2": "fr",
        "c3": "urdu",
        "c4": "",
        "c5": "",
        "c6": "",
        "c7": "de",
    }


def test_the_embedded_report_counts_the_fallback_per_campaign(sent) -> None:
    runtime, _, _ = sent
    report = build_report(runtime.db)
    b1, b2 = _campaign(report, "B1"), _campaign(report, "B2")
    assert (b1.counts.sent, b1.english_fallback, b1.fallback) == (5, 3, {"fr": 2, "urdu": 1})
    assert (b2.counts.sent, b2.english_fallback, b2.fallback) == (2, 1, {"de": 1})
    assert report.fallback == {"fr": 2, "urdu": 1, "de": 1}
    assert report.totals_dict()["english_fallback"] == 4  # what /campaigns answers as totals
    english = next(row for row in report.rows("language") if row.key == "en")
    assert english.english_fallback == 4
    assert next(r for r in report.rows("language") if r.key == "hi").english_fallback == 0
    assert build_report(runtime.db, "B2").fallback == {"de": 1}


def test_every_report_format_shows_the_fallback(sent) -> None:
    runtime, _, _ = sent
    report = build_report(runtime.db)

    rows = list(csv.DictReader(io.StringIO(to_csv(report))))
    b1 = next(r for r in rows if r["section"] == "campaign" and r["key"].startswith("B1"))
    assert (b1["english_fallback"], b1["fallback_languages"]) == ("3", "fr:2 urdu:1")
    total = next(r for r in rows if r["section"] == "total")
    assert total["english_fallback"] == "4"

    data = json.loads(to_json(report))
    assert data["totals"]["english_fallback"] == 4
    assert data["totals"]["fallback_languages"] == {"fr": 2, "urdu": 1, "de": 1}
    back = Report.from_dict(data)
    assert back.fallback == report.fallback
    assert [r.fallback for r in back.rows("campaign")] == [
        r.fallback for r in report.rows("campaign")
    ]

    console = Console(file=io.StringIO(), width=200, force_terminal=False)
    print_report(report, console)
    text = console.file.getvalue()
    assert "EN fallback" in text and "3 (fr 2, urdu 1)" in text and "4 (fr 2, de 1, urdu 1)" in text

    html = render_html(report)
    assert 'data-english-fallback="3"' in html and "3 (fr 2, urdu 1)" in html


def test_the_faust_table_store_reports_the_same_fallback(sent) -> None:
    """The Kafka runtime's sent-messages table (``sent_record``) carries the same figure."""
    runtime, _, _ = sent
    sqlite = SqliteTrackingStore(runtime.db)
    campaigns = sqlite.campaigns()
    table = {}
    for m in sqlite.sent_messages():
        info = campaigns[m.campaign_id]
        table[m.message_id] = sent_record(
            m.message_id,
            job_id=m.job_id,
            campaign_id=m.campaign_id,
            building_id=m.building_id,
            language=m.language,
            kind=m.kind,
            sent_at=m.sent_at or datetime.now(),
            name=info.name,
            city=info.city,
            language_fallback=m.language_fallback,
        )
    tables = MappingTrackingStore({}, json.loads(json.dumps(table)))  # JSON-safe, as Faust keeps
    by_sqlite, by_tables = build_report(sqlite), build_report(tables)
    assert by_tables.fallback == by_sqlite.fallback == {"fr": 2, "urdu": 1, "de": 1}
    for section in ("campaign", "language"):
        mine = [(r.key, r.fallback) for r in by_tables.rows(section)]
        assert mine == [(r.key, r.fallback) for r in by_sqlite.rows(section)], section


def test_a_sent_record_from_before_the_field_reads_as_no_fallback() -> None:
    record = sent_record(
        "m1",
        job_id="j1",
        campaign_id="E1",
        building_id="B1",
        language="en",
        kind="announcement",
        sent_at=datetime(2026, 11, 1),
        name="Prestige Lakeside",
        city="Bengaluru",
    )
    del record["language_fallback"]
    report = build_report(MappingTrackingStore({}, {"m1": record}))
    assert report.totals.sent == 1 and report.fallback == {}
