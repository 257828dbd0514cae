from __future__ import annotations

from notifier.reporting.report import build_report
from notifier.tracking.simulate import sent_messages, simulate_events
from tests.api.conftest import AUTH
from tests.tracking.support import send_campaign


async def test_ses_events_campaign_stats_and_html_report(api) -> None:
    sent = send_campaign(api.runtime, per_building=40)
    records = list(simulate_events(sent_messages(api.runtime.db), seed=9))
    resp = await api.client.post("/ses-events", json=[*records, {"junk": True}], headers=AUTH)
    assert resp.status == 200
    counts = await resp.json()
    # SES may repeat an event to the millisecond; the repeat is recognised, not counted twice.
    assert counts["recorded"] + counts["duplicates"] == len(records)
    assert counts["invalid"] == 1 and counts["duplicates"] <= 2

    expected = build_report(api.runtime.db)
    listing = await (await api.client.get("/campaigns", headers=AUTH)).json()
    assert listing["totals"]["sent"] == len(sent)
    assert listing["totals"]["unique_opens"] == expected.totals.opened
    assert len(listing["campaigns"]) == 2

    campaign = listing["campaigns"][0]["key"]
    one = await (await api.client.get(f"/campaigns/{campaign}", headers=AUTH)).json()
    row = next(r for r in expected.rows("campaign") if r.key == campaign)
    assert one["totals"]["sent"] == row.counts.sent
    assert one["totals"]["human_open_rate"] == row.counts.human_open_rate
    assert {r["key"] for r in one["language"]} == {"en", "hi", "ta"}
    missing = await api.client.get("/campaigns/nope", headers=AUTH)
    assert missing.status == 404

    page = await api.client.get(f"/report?campaign={campaign}", headers=AUTH)
    assert page.status == 200 and page.content_type == "text/html"
    html = await page.text()
    assert "id='chart-building'" in html and "id='chart-time'" in html
