"""Open the HTML report in headless Chromium and read the charts back (never skipped)."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from notifier.reporting.html import write_html
from notifier.reporting.report import build_report
from notifier.tracking.ingest import ingest_records
from notifier.tracking.simulate import sent_messages, simulate_events
from tests.tracking.support import send_campaign, sending_runtime

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
pytestmark = pytest.mark.browser


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    pytest.fail("headless Chromium is required: apt-get install -y chromium (make browser)")


def run_chromium(args: list[str], profile: Path) -> subprocess.CompletedProcess[str]:
    base = [
        chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--window-size=1400,1800",
    ]
    return subprocess.run(base + args, capture_output=True, text=True, timeout=90, check=False)


class Marks(HTMLParser):
    """Collects the chart marks, KPI cards and the readiness flag from the dumped DOM."""

    def __init__(self) -> None:
        super().__init__()
        self.svgs: dict[str, dict[str, str]] = {}
        self.bars: list[dict[str, str]] = []
        self.lines: list[dict[str, str]] = []
        self.kpis: dict[str, str] = {}
        self.ready = False
        self._svg = ""
        self._kpi: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "body":
            self.ready = a.get("data-ready") == "1"
        if tag == "svg" and "chart" in a.get("class", ""):
            self._svg = a["id"]
            self.svgs[a["id"]] = a
        if tag == "rect" and a.get("class") == "bar":
            self.bars.append({**a, "chart": self._svg})
        if tag == "polyline":
            self.lines.append({**a, "chart": self._svg})
        if tag == "div" and "data-metric" in a:
            self._kpi = a["data-metric"]

    def handle_data(self, data: str) -> None:
        if self._kpi and data.strip():
            self.kpis[self._kpi] = data.strip()
            self._kpi = None


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", head[16:24])


def test_report_renders_in_chromium(tmp_path) -> None:
    runtime, _ = sending_runtime(tmp_path / "state")
    try:
        send_campaign(runtime, per_building=120)
        messages = sent_messages(runtime.db)
        records = list(simulate_events(messages, seed=21))
        ingest_records(records, runtime)
        report = build_report(runtime.db)
    finally:
        runtime.close()

    # Expected figures computed here from the raw records, independently of the report code.
    delivered = {r["mail"]["messageId"] for r in records if r["eventType"] == "Delivery"}
    opened = {r["mail"]["messageId"] for r in records if r["eventType"] == "Open"}
    language = {m.message_id: m.tags["language"] for m in messages}
    expected_rate = {}
    for lang in set(language.values()):
        ids = {mid for mid, lg in language.items() if lg == lang}
        expected_rate[lang] = len(ids & opened & delivered) / len(ids & delivered)

    ARTIFACTS.mkdir(exist_ok=True)
    page = write_html(report, ARTIFACTS / "open-rate-report.html")
    html = page.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html), "external asset"

    dom = run_chromium(["--dump-dom", page.as_uri()], tmp_path / "profile")
    assert dom.returncode == 0, dom.stderr[-2000:]
    marks = Marks()
    marks.feed(dom.stdout)
    assert marks.ready, "the page's load script did not run"

    for chart in ("chart-building", "chart-language", "chart-city", "chart-time"):
        svg = marks.svgs[chart]
        width, height = (int(x) for x in svg["data-rendered"].split("x"))
        assert width > 300 and height > 100, f"{chart} laid out at {width}x{height}"
        assert int(svg["data-drawn"]) > 0, f"{chart} drew nothing"

    unique = {
        b["data-key"]: float(b["data-value"])
        for b in marks.bars
        if b["chart"] == "chart-language" and b["data-series"] == "unique open rate"
    }
    assert unique.keys() == expected_rate.keys()
    for lang, rate in expected_rate.items():
        assert unique[lang] == pytest.approx(rate, abs=1e-6)
    buildings = {b["data-key"] for b in marks.bars if b["chart"] == "chart-building"}
    assert buildings == {"B1", "B2"}
    final = {line["data-series"]: float(line["data-final"]) for line in marks.lines}
    assert final["unique open rate"] == pytest.approx(
        len(opened & delivered) / len(delivered), abs=0.01
    )
    assert marks.kpis["sent"] == str(len(messages))
    assert marks.kpis["open_rate"] == f"{len(opened & delivered) / len(delivered) * 100:.1f}%"

    shot = ARTIFACTS / "open-rate-report.png"
    shot.unlink(missing_ok=True)
    done = run_chromium([f"--screenshot={shot}", page.as_uri()], tmp_path / "profile2")
    assert done.returncode == 0, done.stderr[-2000:]
    assert png_size(shot) == (1400, 1800)
    assert shot.stat().st_size > 30_000  # a blank page compresses to a few KB
