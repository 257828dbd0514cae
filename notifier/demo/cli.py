"""``notifier demo``: the whole flow on one machine, from data the package ships.

A thin script over the real embedded runtime: the same ingest, planner, dispatcher, tracking
and reports that ``notifier run`` uses. Emails go to the configured messenger: by default the
local mail sink (``.eml`` files, no AWS account), or ``NOTIFIER_SES_ENDPOINT`` (a moto server, SES).
"""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.logging import RichHandler
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from notifier.config import Settings

if TYPE_CHECKING:
    from notifier.runtime.embedded import EmbeddedRuntime


def data_file(name: str) -> Path:
    return Path(str(resources.files("notifier.demo") / "data" / name))


def read_lines(name: str) -> list[str]:
    return data_file(name).read_text(encoding="utf-8").splitlines()


@contextmanager
def _progress(console: Console) -> Iterator[Progress]:
    with Progress(
        TextColumn("[bold]{task.description:<34}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as progress:
        yield progress


@click.command()
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Keep the demo's state here (default: a fresh temporary folder).",
)
@click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("pickup-report.html"),
    show_default=True,
    help="Where to write the HTML open-rate report.",
)
@click.option("--seed", default=7, show_default=True, help="Seed for the simulated SES events.")
def demo(data_dir: Path | None, html_path: Path, seed: int) -> None:
    """Run the whole flow end to end with no Kafka and no AWS account."""
    console = Console()
    # Log records (dead letters, quota pauses) print above the progress bars, not through them.
    logging.basicConfig(
        level=logging.WARNING,
        format="%(message)s",
        handlers=[RichHandler(console=console, show_path=False)],
        force=True,
    )
    with tempfile.TemporaryDirectory(prefix="notifier-demo-") as tmp:
        # The demo runs on the development secrets on purpose (it is a local walk-through).
        settings = Settings(data_dir=data_dir or Path(tmp), dev_mode=True)
        _run_demo(settings, html_path, seed, console)


def _run_demo(settings: Settings, html_path: Path, seed: int, console: Console) -> None:
    from notifier.runtime.wiring import open_runtime

    started = time.perf_counter()
    addresses = read_lines("addresses.jsonl")
    buildings = read_lines("buildings.jsonl")
    changes = read_lines("changes.jsonl")
    known, arriving = addresses[: len(addresses) * 2 // 3], addresses[len(addresses) * 2 // 3 :]

    console.rule("[bold]pickup-notifier demo")
    console.print(
        f"{len(buildings)} quarantined buildings, {len(addresses)} customer address changes, "
        f"state in {settings.data_dir}"
    )
    with open_runtime(settings) as runtime:
        console.print("loading the address model…")
        _ = runtime.segmenter  # loaded once, before the timed steps
        with _progress(console) as progress:

            def step(description: str, lines: list[str], source: str) -> None:
                task = progress.add_task(description, total=len(lines))
                runtime.ingest(lines, source=source, on_batch=lambda n: progress.advance(task, n))

            def send(description: str) -> None:
                task = progress.add_task(description, total=runtime.store.count_due())
                runtime.dispatch(
                    on_progress=lambda s: progress.advance(task, sum(s.counts.values()))
                )

            step("customers already known", known, "demo:addresses:known")
            step("ops register quarantines", buildings, "demo:buildings")
            step("new addresses arrive", arriving, "demo:addresses:new")
            send("sending announcements")
            step("pickup changes, a lift, bad input", changes, "demo:changes")
            send("sending follow-ups")
        _summary(runtime, console)
        _where_emails_went(runtime, console)
        _tracking_and_report(runtime, html_path, seed, console)
    console.print(f"[dim]demo finished in {time.perf_counter() - started:.1f} s[/dim]")


def _summary(runtime: EmbeddedRuntime, console: Console) -> None:
    store = runtime.store
    counts = store.job_counts()
    per_building = store.sent_by_building()
    table = Table(title="Emails sent per quarantined building", show_lines=False)
    table.add_column("building id")
    table.add_column("building")
    table.add_column("emails", justify="right")
    for building_id, name, n in per_building:
        table.add_row(building_id, name, str(n))
    console.print(table)
    reviews = len(store.list_reviews())
    dead = len(store.dead_letters())
    console.print(
        f"[bold green]{counts.get('sent', 0)} emails went out to residents of "
        f"{len(per_building)} buildings[/bold green]; "
        f"{counts.get('cancelled', 0)} cancelled by a lift, {counts.get('failed', 0)} failed, "
        f"{reviews} doubtful matches waiting in the review queue, {dead} dead letters."
    )


def _where_emails_went(runtime: EmbeddedRuntime, console: Console) -> None:
    from notifier.messengers.mailsink import MailSinkMessenger

    messenger = runtime.dispatcher.messenger if runtime.dispatcher else None
    if isinstance(messenger, MailSinkMessenger):
        written = sum(messenger.sends_per_job().values())
        console.print(
            f"{written} emails written as .eml files to {messenger.folder} (local mail sink; "
            "set NOTIFIER_SES_ENDPOINT to send through SES)"
        )


def _tracking_and_report(
    runtime: EmbeddedRuntime, html_path: Path, seed: int, console: Console
) -> None:
    """Feed simulated SES events back (neither the mail sink nor moto emits opens) and print
    the open-rate report."""
    from notifier.reporting.html import write_html
    from notifier.reporting.report import build_report
    from notifier.reporting.tables import print_report
    from notifier.tracking.simulate import feed_simulated_events

    stats = feed_simulated_events(runtime, seed)
    console.print(
        f"fed back {stats.records} simulated SES events (delivery, open, click, bounce, "
        "complaint), as SES event publishing would"
    )
    report = build_report(runtime.db)
    print_report(report, console)
    console.print(f"HTML report written to [bold]{write_html(report, html_path)}[/bold]")
