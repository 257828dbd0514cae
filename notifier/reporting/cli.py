"""``notifier report``: open-rate tables (or CSV/JSON) and an optional HTML page."""

from __future__ import annotations

from pathlib import Path

import click

from notifier.config import Settings


@click.command()
@click.option("--campaign", help="One campaign: an episode id or a building id.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
)
@click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write a self-contained HTML page with charts.",
)
@click.option(
    "--url",
    help="Read the figures from a Kafka worker's web server (e.g. http://worker:6066) "
    "with $NOTIFIER_API_TOKEN, instead of the embedded runtime's state.",
)
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="State folder (default: $NOTIFIER_DATA_DIR or .notifier).",
)
def report(
    campaign: str | None,
    fmt: str,
    html_path: Path | None,
    url: str | None,
    data_dir: Path | None,
) -> None:
    """Open, click, bounce and complaint rates per campaign, building, city and language."""
    from notifier.reporting.html import write_html
    from notifier.reporting.report import build_report
    from notifier.reporting.tables import print_report, to_csv, to_json
    from notifier.runtime.database import Database

    settings = Settings(data_dir=data_dir) if data_dir else Settings()
    if url:
        from notifier.reporting.remote import ReportUnavailable, fetch_report

        try:
            result = fetch_report(url, settings.api_token, campaign)
        except ReportUnavailable as exc:
            raise click.ClickException(str(exc)) from exc
    else:
        if not settings.db_path.exists():
            raise click.ClickException(
                f"no notifier state in {settings.data_dir} (run something first)"
            )
        db = Database(settings.db_path)
        try:
            result = build_report(db, campaign)
        finally:
            db.close()
    if campaign and not result.totals.sent:
        raise click.ClickException(f"no sent emails for campaign {campaign!r}")
    if fmt == "csv":
        click.echo(to_csv(result), nl=False)
    elif fmt == "json":
        click.echo(to_json(result))
    else:
        print_report(result)
    if html_path:
        write_html(result, html_path)
        click.echo(f"HTML report written to {html_path}", err=fmt != "table")
