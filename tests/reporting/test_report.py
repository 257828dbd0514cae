from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import pytest
from click.testing import CliRunner

from notifier.reporting.cli import report as report_cmd
from notifier.reporting.report import build_report
from notifier.reporting.tables import print_report, to_csv, to_json
from notifier.tracking.ingest import ingest_records
from tests.helpers import T0
from tests.tracking import aws_examples as aws
from tests.tracking.support import send_campaign, sending_runtime

H = timedelta(hours=1)


@pytest.fixture
def tracked(tmp_path):
    """12 messages (2 buildings x 6; languages en/hi/ta); known opens per message."""
    runtime, _ = sending_runtime(tmp_path)
    sent = send_campaign(runtime, per_building=6)
    records = []
    for i, m in enumerate(sent):
        records.append(aws.delivery(m.message_id, T0))
        if m.language == "hi" or (m.language == "en" and m.city == "Mumbai"):
            records.append(aws.open_(m.message_id, T0 + (i + 1) * H))
        if m.language == "ta" and m.city == "Bengaluru":
            records.append(aws.open_(m.message_id, T0 + 2 * 1e-6 * H, agent="Mozilla/5.0"))
    ingest_records(records, runtime)
    yield runtime, sent, tmp_path
    runtime.close()


def _expected(sent, key) -> dict[str, tuple[int, int, int]]:
    """(sent, opened, human-opened) per group, straight from the scenario's rules."""
    out: dict[str, list[int]] = {}
    for m in sent:
        human = m.language == "hi" or (m.language == "en" and m.city == "Mumbai")
        machine = m.language == "ta" and m.city == "Bengaluru"
        row = out.setdefault(key(m), [0, 0, 0])
        row[0] += 1
        row[1] += int(human or machine)
        row[2] += int(human)
    return {k: tuple(v) for k, v in out.items()}


@pytest.mark.parametrize(
    ("section", "key"),
    [
        ("language", lambda m: m.language),
        ("city", lambda m: m.city),
        ("building", lambda m: m.building),
    ],
)
def test_groupings_match_the_scenario(tracked, section, key) -> None:
    runtime, sent, _ = tracked
    report = build_report(runtime.db)
    got = {
        row.key: (row.counts.sent, row.counts.opened, row.counts.human_opened)
        for row in report.rows(section)
    }
    assert got == _expected(sent, key)
    for row in report.rows(section):
        assert row.counts.open_rate == pytest.approx(row.counts.opened / row.counts.delivered)


def test_one_campaign_by_episode_or_building(tracked) -> None:
    runtime, sent, _ = tracked
    whole = build_report(runtime.db)
    episode = next(r.key for r in whole.rows("campaign") if r.key.startswith("B2"))
    for selector in (episode, "B2"):
        one = build_report(runtime.db, selector)
        assert one.totals.sent == sum(m.building == "B2" for m in sent)
        assert [r.key for r in one.rows("building")] == ["B2"]
    assert build_report(runtime.db, "nope").totals.sent == 0


def test_csv_and_json_carry_the_same_figures(tracked) -> None:
    runtime, sent, _ = tracked
    report = build_report(runtime.db)
    rows = list(csv.DictReader(io.StringIO(to_csv(report))))
    total = next(r for r in rows if r["section"] == "total")
    assert int(total["sent"]) == len(sent) and int(total["unique_opens"]) == report.totals.opened
    data = json.loads(to_json(report))
    assert data["totals"]["human_opens"] == report.totals.human_opened
    assert {r["key"] for r in data["language"]} == {"en", "hi", "ta"}
    assert len(data["timeline"]) >= 1


def test_rich_tables_print(tracked) -> None:
    from rich.console import Console

    runtime, _, _ = tracked
    console = Console(record=True, width=200)
    print_report(build_report(runtime.db), console)
    text = console.export_text()
    for title in ("By campaign", "By building", "By city", "By email language", "Hindi"):
        assert title in text


def test_report_command(tracked, tmp_path) -> None:
    _runtime, sent, data_dir = tracked
    runner = CliRunner()
    out = runner.invoke(report_cmd, ["--data-dir", str(data_dir), "--format", "json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["totals"]["sent"] == len(sent)
    html = tmp_path / "out" / "r.html"
    out = runner.invoke(report_cmd, ["--data-dir", str(data_dir), "--html", str(html)])
    assert out.exit_code == 0, out.output
    assert "By email language" in out.output and html.exists()
    out = runner.invoke(report_cmd, ["--data-dir", str(data_dir), "--campaign", "nope"])
    assert out.exit_code == 1 and "no sent emails for campaign 'nope'" in out.output
    out = runner.invoke(report_cmd, ["--data-dir", str(tmp_path / "empty")])
    assert out.exit_code == 1 and "no notifier state" in out.output


def test_a_report_read_back_from_its_json_prints_the_same(tracked) -> None:
    # What `notifier report --url` does with a Kafka worker's /report?format=json.
    from notifier.reporting.html import render_html
    from notifier.reporting.report import Report

    runtime, _sent, _ = tracked
    for campaign in (None, "B2"):
        original = build_report(runtime.db, campaign)
        assert original.totals.sent and original.timeline
        raw = json.loads(json.dumps(original.as_dict()))
        back = Report.from_dict(raw, campaign)
        assert back.as_dict() == original.as_dict()
        assert to_csv(back) == to_csv(original)
        assert render_html(back) == render_html(original)
