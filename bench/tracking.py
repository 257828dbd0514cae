"""Tracking and report throughput: simulate SES events for N sent emails, ingest, report.

    .venv/bin/python bench/tracking.py [--messages 20000]

Prints records/s for ingest (first pass and an idempotent replay) and the report build time.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from notifier.reporting.html import render_html
from notifier.reporting.report import build_report
from notifier.runtime.database import Database
from notifier.runtime.sqlite_store import SqliteStore
from notifier.tracking.ingest import Tracker, ingest_records
from notifier.tracking.simulate import SentMessage, simulate_events
from notifier.tracking.store import SqliteTrackingStore


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=20_000)
    args = parser.parse_args()
    start = datetime(2026, 11, 1, 9, tzinfo=UTC)
    langs = ("en", "hi", "kn", "ta", "te", "mr", "bn", "gu")
    cities = ("Bengaluru", "Mumbai", "Chennai", "Pune", "Kolkata")
    sent = [
        SentMessage(
            message_id=f"m-{i}",
            sent_at=start + timedelta(milliseconds=20 * i),
            tags={"campaign": f"B{i % 40}_x", "building": f"B{i % 40}", "language": langs[i % 8]},
            city=cities[i % 5],
        )
        for i in range(args.messages)
    ]
    t = time.perf_counter()
    records = list(simulate_events(sent, seed=1))
    simulate_s = time.perf_counter() - t
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(Path(tmp) / "bench.db")
        tracker = Tracker(SqliteTrackingStore(db), SqliteStore(db))
        t = time.perf_counter()
        stats = ingest_records(records, tracker)
        ingest_s = time.perf_counter() - t
        t = time.perf_counter()
        replay = ingest_records(records, tracker)
        replay_s = time.perf_counter() - t
        t = time.perf_counter()
        report = build_report(db)
        report_s = time.perf_counter() - t
        t = time.perf_counter()
        html = render_html(report)
        html_s = time.perf_counter() - t
        db.close()
    n = len(records)
    print(f"messages               {args.messages}")
    print(f"SES records            {n} (simulated in {simulate_s:.2f} s)")
    print(
        f"ingest                 {ingest_s:.2f} s  {n / ingest_s:,.0f} records/s "
        f"({stats.recorded} recorded)"
    )
    print(
        f"replay (all duplicate) {replay_s:.2f} s  {n / replay_s:,.0f} records/s "
        f"({replay.duplicates} duplicates)"
    )
    print(
        f"report build           {report_s:.2f} s  (open rate {report.totals.open_rate:.1%}, "
        f"human-likely {report.totals.human_open_rate:.1%})"
    )
    print(f"HTML render            {html_s:.3f} s  ({len(html) / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
