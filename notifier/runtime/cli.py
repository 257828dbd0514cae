"""``notifier run``: the embedded runtime over JSONL event files or stdin."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from notifier.config import Settings


@click.command()
@click.argument("events", nargs=-1, type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="State folder (default: $NOTIFIER_DATA_DIR or .notifier).",
)
@click.option("--send/--no-send", default=True, help="Send the queued emails after ingesting.")
@click.option("--follow", is_flag=True, help="Keep reading files as they grow (Ctrl-C to stop).")
@click.option("--poll", default=1.0, show_default=True, help="Seconds between reads with --follow.")
def run(
    events: tuple[str, ...], data_dir: Path | None, send: bool, follow: bool, poll: float
) -> None:
    """Apply address and quarantine events (JSONL; '-' or none for stdin), then send emails.

    State lives in SQLite under the data folder, so a restart resumes where it stopped and
    never repeats an email. Invalid lines become dead letters with the reason.
    """
    from notifier.runtime.wiring import open_runtime

    settings = Settings(data_dir=data_dir) if data_dir else Settings()
    sources = list(events) or ["-"]
    if follow and "-" in sources:
        raise click.UsageError("--follow needs event files, not stdin")
    with open_runtime(settings, send=send) as runtime:
        while True:
            for source in sources:
                if source == "-":
                    stats = runtime.ingest(sys.stdin)
                else:
                    path = Path(source)
                    if not path.exists():
                        raise click.ClickException(f"no such events file: {source}")
                    with path.open(encoding="utf-8", errors="replace") as lines:
                        stats = runtime.ingest(lines, source=str(path.resolve()))
                if stats.events or stats.invalid:
                    click.echo(
                        f"{source}: {stats.events} events applied, {stats.invalid} dead-lettered, "
                        f"{stats.jobs_queued} emails queued, {stats.reviews} sent to review"
                    )
            if send:
                sent = runtime.dispatch()
                if sum(sent.counts.values()):
                    summary = ", ".join(f"{n} {state}" for state, n in sorted(sent.counts.items()))
                    click.echo(f"emails: {summary}")
            if not follow:
                break
            time.sleep(poll)
