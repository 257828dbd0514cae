"""Inline SVG charts drawn in Python: the HTML report needs no script, CDN or network.

Every mark carries ``data-*`` attributes with its exact figure, so a browser test can read
the rendered chart back and compare it with the data.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

FONT = "font-family='system-ui, -apple-system, Segoe UI, Roboto, sans-serif'"


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    color: str


@dataclass(frozen=True, slots=True)
class Bar:
    key: str
    label: str
    values: tuple[float | None, ...]  # one per series, 0..1
    note: str = ""  # e.g. "n=120"


def _title(title: str) -> str:
    return (
        f"<text x='0' y='18' font-size='15' font-weight='600' fill='#1f2937'>{escape(title)}</text>"
    )


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.1f}%"


def bar_chart(chart_id: str, title: str, bars: list[Bar], series: list[Series]) -> str:
    """Horizontal grouped bars of rates (0..1), one group per item."""
    label_w, plot_w, right = 230, 430, 70
    bar_h, gap = 14, 10
    group_h = bar_h * len(series) + gap
    top = 56
    height = top + max(len(bars), 1) * group_h + 30
    width = label_w + plot_w + right
    parts = [
        f"<svg id='{escape(chart_id)}' class='chart' role='img' viewBox='0 0 {width} {height}' "
        f"width='100%' preserveAspectRatio='xMinYMin meet' {FONT} "
        f"aria-label='{escape(title)}' data-bars='{len(bars)}'>",
        _title(title),
    ]
    for i, s in enumerate(series):  # legend
        x: float = label_w + i * 170
        parts.append(
            f"<rect x='{x}' y='30' width='12' height='12' rx='2' fill='{s.color}'/>"
            f"<text x='{x + 18}' y='40' font-size='12' fill='#374151'>{escape(s.name)}</text>"
        )
    for tick in (0, 0.25, 0.5, 0.75, 1.0):
        x = label_w + tick * plot_w
        parts.append(
            f"<line x1='{x:.1f}' y1='{top - 4}' x2='{x:.1f}' y2='{height - 24}' "
            f"stroke='#e5e7eb'/><text x='{x:.1f}' y='{height - 8}' font-size='10' "
            f"text-anchor='middle' fill='#6b7280'>{int(tick * 100)}%</text>"
        )
    if not bars:
        parts.append(
            f"<text x='{label_w}' y='{top + 16}' font-size='12' fill='#6b7280'>no data yet</text>"
        )
    for gi, bar in enumerate(bars):
        y0 = top + gi * group_h
        label = bar.label if len(bar.label) <= 30 else bar.label[:29] + "…"
        parts.append(
            f"<text x='{label_w - 8}' y='{y0 + group_h / 2 - 1:.1f}' font-size='12' "
            f"text-anchor='end' fill='#111827'>{escape(label)}"
            f"<title>{escape(bar.label)} {escape(bar.note)}</title></text>"
        )
        if bar.note:
            parts.append(
                f"<text x='{label_w - 8}' y='{y0 + group_h / 2 + 11:.1f}' font-size='9' "
                f"text-anchor='end' fill='#6b7280'>{escape(bar.note)}</text>"
            )
        for si, (s, value) in enumerate(zip(series, bar.values, strict=True)):
            y = y0 + si * bar_h
            w = max((value or 0.0) * plot_w, 0.0)
            parts.append(
                f"<rect class='bar' x='{label_w}' y='{y}' width='{w:.1f}' height='{bar_h - 2}' "
                f"rx='2' fill='{s.color}' data-key='{escape(bar.key)}' "
                f"data-series='{escape(s.name)}' "
                f"data-value='{'' if value is None else f'{value:.6f}'}'>"
                f"<title>{escape(bar.label)}: {escape(s.name)} {_pct(value)}</title></rect>"
                f"<text x='{label_w + w + 4:.1f}' y='{y + bar_h - 4}' font-size='10' "
                f"fill='#374151'>{_pct(value)}</text>"
            )
    parts.append("</svg>")
    return "".join(parts)


def line_chart(
    chart_id: str,
    title: str,
    xs: list[float],
    lines: list[tuple[Series, list[float]]],
    x_label: str,
) -> str:
    """Lines of rates (0..1) against hours since the first send."""
    left, plot_w, plot_h, top = 48, 620, 230, 56
    width, height = left + plot_w + 30, top + plot_h + 44
    x_max = max(xs[-1] if xs else 1.0, 1.0)
    y_max = max([max(v) for _, v in lines if v] + [0.05])
    y_max = min(1.0, (int(y_max * 10) + 1) / 10)

    def px(x: float) -> float:
        return left + x / x_max * plot_w

    def py(y: float) -> float:
        return top + plot_h - y / y_max * plot_h

    parts = [
        f"<svg id='{escape(chart_id)}' class='chart' role='img' viewBox='0 0 {width} {height}' "
        f"width='100%' preserveAspectRatio='xMinYMin meet' {FONT} "
        f"aria-label='{escape(title)}' data-points='{len(xs)}'>",
        _title(title),
    ]
    for i, (s, _values) in enumerate(lines):
        x: float = left + i * 200
        parts.append(
            f"<rect x='{x}' y='30' width='12' height='12' rx='2' fill='{s.color}'/>"
            f"<text x='{x + 18}' y='40' font-size='12' fill='#374151'>{escape(s.name)}</text>"
        )
    steps = 5
    for i in range(steps + 1):
        y = y_max * i / steps
        parts.append(
            f"<line x1='{left}' y1='{py(y):.1f}' x2='{left + plot_w}' y2='{py(y):.1f}' "
            f"stroke='#e5e7eb'/><text x='{left - 6}' y='{py(y) + 3:.1f}' font-size='10' "
            f"text-anchor='end' fill='#6b7280'>{y * 100:.0f}%</text>"
        )
    step = next((s for s in (1, 2, 3, 6, 12, 24, 48, 168) if x_max / s <= 8), x_max / 8)
    for i in range(int(x_max / step) + 1):
        x = i * step
        parts.append(
            f"<text x='{px(x):.1f}' y='{top + plot_h + 16}' font-size='10' text-anchor='middle' "
            f"fill='#6b7280'>{x:.0f}</text>"
        )
    parts.append(
        f"<text x='{left + plot_w / 2}' y='{height - 6}' font-size='11' text-anchor='middle' "
        f"fill='#374151'>{escape(x_label)}</text>"
    )
    if not xs:
        parts.append(f"<text x='{left + 10}' y='{top + 20}' font-size='12'>no opens yet</text>")
    for s, values in lines:
        points = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in zip(xs, values, strict=True))
        final = f"{values[-1]:.6f}" if values else ""
        parts.append(
            f"<polyline class='line' fill='none' stroke='{s.color}' stroke-width='2.5' "
            f"points='{points}' data-series='{escape(s.name)}' data-final='{final}'/>"
        )
    parts.append("</svg>")
    return "".join(parts)
