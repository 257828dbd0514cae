"""The report as rich tables (terminal), CSV and JSON."""

from __future__ import annotations

import csv
import io
import json

from rich import box
from rich.console import Console
from rich.table import Table

from notifier.reporting.formatting import duration, fallback, pct
from notifier.reporting.report import SECTIONS, Report, Row

__all__ = ["CSV_FIELDS", "TITLES", "print_report", "to_csv", "to_json"]

# Piped output (a log file, `make demo > log`) is not squeezed to the 80 columns rich assumes
# without a terminal: tables keep their natural width, in plain ASCII, with full names.
PIPED_WIDTH = 1000

TITLES = {
    "campaign": "By campaign (quarantine episode)",
    "building": "By building",
    "city": "By city",
    "language": "By email language",
}
CSV_FIELDS = (
    "section",
    "key",
    "label",
    "sent",
    "delivered",
    "unique_opens",
    "human_opens",
    "open_rate",
    "human_open_rate",
    "clicks",
    "click_rate",
    "click_to_open",
    "bounced",
    "hard_bounced",
    "bounce_rate",
    "complaints",
    "complaint_rate",
    "median_first_open_seconds",
    "english_fallback",
    "fallback_languages",
    "warnings",
)


def _table(title: str, rows: list[Row], total: Row | None = None, *, plain: bool = False) -> Table:
    table = Table(
        title=title,
        title_justify="left",
        header_style="bold",
        box=box.ASCII if plain else box.HEAVY_HEAD,
    )
    table.add_column("name", overflow="ellipsis", max_width=None if plain else 36, no_wrap=True)
    for name in ("sent", "deliv.", "opens", "open %", "human %", "clicks", "CTR", "CTO"):
        table.add_column(name, justify="right", no_wrap=True)
    for name in ("bounces", "complaints", "1st open", "EN fallback"):
        table.add_column(name, justify="right", no_wrap=True)
    warned = []
    for row in [*rows, *([total] if total else [])]:
        c = row.counts
        table.add_row(
            row.label,
            str(c.sent),
            str(c.delivered),
            str(c.opened),
            pct(c.open_rate),
            pct(c.human_open_rate),
            str(c.clicked),
            pct(c.click_rate),
            pct(c.click_to_open),
            f"{c.bounced} ({pct(c.bounce_rate)})",
            f"{c.complaints} ({pct(c.complaint_rate, 2)})",
            duration(c.median_first_open_seconds),
            fallback(row.fallback),
            end_section=row is total,
            style="bold" if row is total else None,
        )
        if c.warnings() and row is not total:
            warned.append(f"{row.label}: {'; '.join(c.warnings())}")
    if warned:
        table.caption = "\n".join(warned)
        table.caption_style = "red"
        table.caption_justify = "left"
    return table


def print_report(report: Report, console: Console | None = None) -> None:
    """Print one table per grouping (campaign, building, city, language) plus totals."""
    console = console or Console()
    plain = not console.is_terminal
    if plain:
        saved_width, console.width = console.width, PIPED_WIDTH
        try:
            _print_report(report, console, plain=True)
        finally:
            console.width = saved_width
    else:
        _print_report(report, console, plain=False)


def _print_report(report: Report, console: Console, *, plain: bool) -> None:
    total = report.total_row()
    if not report.totals.sent:
        console.print("[yellow]no sent messages to report on yet[/yellow]")
        return
    for section in SECTIONS:
        table = _table(TITLES[section], report.rows(section), total, plain=plain)
        console.print(table)
    t = report.totals
    console.print(
        f"[bold]{t.sent}[/bold] sent, {t.delivered} delivered; unique open rate "
        f"[bold]{pct(t.open_rate)}[/bold], human-likely [bold]{pct(t.human_open_rate)}[/bold] "
        f"({t.machine_only} opens were only proxies, prefetches or scanners); "
        f"median time to a person's first open {duration(t.median_first_open_seconds)}.",
        soft_wrap=plain,
    )
    for warning in t.warnings():
        console.print(f"[bold red]warning:[/bold red] {warning}")


def to_csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, extrasaction="ignore")
    writer.writeheader()
    total = report.total_row()
    for section in (*SECTIONS, "total"):
        rows = [total] if section == "total" else report.rows(section)
        for row in rows:
            data = row.as_dict()
            data["warnings"] = "; ".join(data["warnings"])
            data["fallback_languages"] = " ".join(
                f"{code}:{n}" for code, n in sorted(data["fallback_languages"].items())
            )
            writer.writerow({"section": section, **data})
    return out.getvalue()


def to_json(report: Report) -> str:
    return json.dumps(report.as_dict(), indent=2, ensure_ascii=False)
