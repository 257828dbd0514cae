"""One self-contained HTML page: headline figures, SVG charts, tables; no external assets."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, select_autoescape
from markupsafe import Markup

from notifier import __version__
from notifier.reporting.charts import Bar, Series, bar_chart, line_chart
from notifier.reporting.formatting import duration, fallback, pct
from notifier.reporting.report import Report, Row
from notifier.reporting.tables import TITLES

UNIQUE = Series("unique open rate", "#2563eb")
HUMAN = Series("human-likely open rate", "#16a34a")
MAX_BARS = 25

_TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Pickup notices: open-rate report</title>
<style>
body{margin:0;background:#f3f4f6;color:#111827;font:14px/1.45 system-ui,-apple-system,
 "Segoe UI",Roboto,sans-serif}
header{background:#1e3a8a;color:#fff;padding:18px 28px}
header h1{margin:0;font-size:22px} header p{margin:4px 0 0;opacity:.85}
main{padding:20px 28px;max-width:1400px}
.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px}
.kpi{background:#fff;border-radius:10px;padding:12px 14px;box-shadow:0 1px 2px #0001}
.kpi .v{font-size:26px;font-weight:700} .kpi .l{color:#4b5563;font-size:12px}
.warn{background:#fef2f2;border:1px solid #fecaca;color:#991b1b;border-radius:8px;
 padding:10px 14px;margin:14px 0}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(560px,1fr));gap:16px;
 margin:18px 0}
.card{background:#fff;border-radius:10px;padding:14px;box-shadow:0 1px 2px #0001}
table{border-collapse:collapse;width:100%;background:#fff;font-size:13px}
th,td{padding:5px 8px;border-bottom:1px solid #e5e7eb;text-align:right}
th:first-child,td:first-child{text-align:left} th{background:#f9fafb}
td.w{color:#b91c1c;text-align:left} h2{font-size:17px;margin:24px 0 8px}
.note{color:#6b7280;font-size:12px}
</style></head>
<body>
<header><h1>Pickup-point notices: who read them</h1>
<p>{{ scope }} · generated {{ generated }} · pickup-notifier {{ version }}</p></header>
<main>
<section class="kpis">
{% for key, label, value in kpis %}
<div class="kpi" data-metric="{{ key }}"><div class="v">{{ value }}</div>
<div class="l">{{ label }}</div></div>
{% endfor %}
</section>
{% for w in warnings %}<div class="warn" data-warning>⚠ {{ w }}</div>{% endfor %}
<section class="charts">
<div class="card">{{ chart_building }}</div>
<div class="card">{{ chart_language }}</div>
<div class="card">{{ chart_time }}</div>
<div class="card">{{ chart_city }}</div>
</section>
<p class="note">Unique open rate: emails opened at least once ÷ delivered. Human-likely open rate
leaves out opens that look automated: Apple Mail Privacy Protection and Gmail image proxies,
images fetched within seconds of delivery, and link scanners. The truth lies between the two.</p>
{% for section, title, rows in tables %}
<h2>{{ title }}</h2>
<table data-section="{{ section }}"><thead><tr><th>name</th><th>sent</th><th>delivered</th>
<th>opens</th><th>open rate</th><th>human-likely</th><th>clicks</th><th>CTR</th>
<th>click-to-open</th><th>bounces</th><th>complaints</th><th>first open (median)</th>
<th>sent in English (asked for)</th><th>warnings</th></tr></thead><tbody>
{% for row in rows %}{% set c = row.counts %}
<tr data-key="{{ row.key }}" data-sent="{{ c.sent }}" data-delivered="{{ c.delivered }}"
 data-opens="{{ c.opened }}" data-human-opens="{{ c.human_opened }}" data-clicks="{{ c.clicked }}"
 data-bounces="{{ c.bounced }}" data-complaints="{{ c.complaints }}"
 data-english-fallback="{{ row.english_fallback }}">
<td>{{ row.label }}</td><td>{{ c.sent }}</td><td>{{ c.delivered }}</td><td>{{ c.opened }}</td>
<td>{{ pct(c.open_rate) }}</td><td>{{ pct(c.human_open_rate) }}</td><td>{{ c.clicked }}</td>
<td>{{ pct(c.click_rate) }}</td><td>{{ pct(c.click_to_open) }}</td>
<td>{{ c.bounced }} ({{ pct(c.bounce_rate) }})</td>
<td>{{ c.complaints }} ({{ pct(c.complaint_rate, 2) }})</td>
<td>{{ duration(c.median_first_open_seconds) }}</td><td>{{ fallback(row.fallback) }}</td>
<td class="w">{{ c.warnings()|join("; ") }}</td>
</tr>{% endfor %}
</tbody></table>
{% endfor %}
</main>
<script>
// Note what the browser actually laid out; the report's browser test reads it back.
addEventListener("load", function () {
  document.querySelectorAll("svg.chart").forEach(function (svg) {
    var box = svg.getBoundingClientRect(), drawn = 0;
    svg.querySelectorAll("rect.bar, polyline.line").forEach(function (mark) {
      var b = mark.getBoundingClientRect();
      if (b.width > 0) { drawn++; }
    });
    svg.setAttribute("data-rendered", Math.round(box.width) + "x" + Math.round(box.height));
    svg.setAttribute("data-drawn", String(drawn));
  });
  document.body.setAttribute("data-ready", "1");
});
</script>
</body></html>
"""

_env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
_page = _env.from_string(_TEMPLATE)


def _bars(rows: list[Row]) -> list[Bar]:
    top = sorted(rows, key=lambda r: -r.counts.delivered)[:MAX_BARS]
    top.sort(key=lambda r: -(r.counts.human_open_rate or 0.0))
    return [
        Bar(
            key=row.key,
            label=row.label,
            values=(row.counts.open_rate, row.counts.human_open_rate),
            note=f"{row.counts.delivered} delivered",
        )
        for row in top
    ]


def _timeline_chart(report: Report) -> str:
    delivered = report.totals.delivered or 1
    xs: list[float] = []
    unique: list[float] = []
    human: list[float] = []
    seen = people = 0
    for bucket in report.timeline:
        seen += bucket.opens
        people += bucket.human_opens
        xs.append(bucket.hours + report.bucket_hours)
        unique.append(seen / delivered)
        human.append(people / delivered)
    if xs:  # start the curves at zero when the first email went out
        xs, unique, human = [0.0, *xs], [0.0, *unique], [0.0, *human]
    return line_chart(
        "chart-time",
        "Opens over time (cumulative share of delivered)",
        xs,
        [(UNIQUE, unique), (HUMAN, human)],
        "hours since the first email went out",
    )


def render_html(report: Report) -> str:
    t = report.totals
    kpis = [
        ("sent", "emails sent", str(t.sent)),
        ("delivered", "delivered", str(t.delivered)),
        ("open_rate", "unique open rate", pct(t.open_rate)),
        ("human_open_rate", "human-likely open rate", pct(t.human_open_rate)),
        ("click_rate", "click rate (CTR)", pct(t.click_rate)),
        ("click_to_open", "click-to-open", pct(t.click_to_open)),
        ("bounce_rate", "bounce rate", pct(t.bounce_rate)),
        ("complaint_rate", "complaint rate", pct(t.complaint_rate, 2)),
        ("first_open", "median time to first open", duration(t.median_first_open_seconds)),
        ("english_fallback", "sent in English, asked for another", fallback(report.fallback)),
    ]
    series = [UNIQUE, HUMAN]
    return _page.render(
        scope=f"campaign {report.campaign}" if report.campaign else "all campaigns",
        generated=report.generated_at.strftime("%Y-%m-%d %H:%M UTC"),
        version=__version__,
        kpis=kpis,
        warnings=t.warnings(),
        chart_building=Markup(
            bar_chart(
                "chart-building", "Open rate by building", _bars(report.rows("building")), series
            )
        ),
        chart_language=Markup(
            bar_chart(
                "chart-language",
                "Open rate by email language",
                _bars(report.rows("language")),
                series,
            )
        ),
        chart_city=Markup(
            bar_chart("chart-city", "Open rate by city", _bars(report.rows("city")), series)
        ),
        chart_time=Markup(_timeline_chart(report)),
        tables=[
            (s, TITLES[s], report.rows(s)) for s in ("campaign", "building", "city", "language")
        ],
        pct=pct,
        duration=duration,
        fallback=fallback,
    )


def write_html(report: Report, path: Path | str) -> Path:
    """Write the self-contained page; returns the path written."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render_html(report), encoding="utf-8")
    return target
