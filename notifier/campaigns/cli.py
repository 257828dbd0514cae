"""``notifier preview``: render a campaign email with sample data, to review copy and layout."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from notifier.campaigns.renderer import MessageContext, Renderer, TemplateError
from notifier.campaigns.unsubscribe import make_token, unsubscribe_url
from notifier.events.contracts import EmailKind, Language, PickupPoint


def sample_context(building: str = "Prestige Lakeside Habitat, Tower B") -> MessageContext:
    """Realistic but made-up data (no real person) for previews and tests."""
    token = make_token(
        "preview-customer", b"preview-only-secret", now=datetime(2026, 11, 1, tzinfo=UTC)
    )
    return MessageContext(
        recipient_name="Asha",
        building_name=building,
        locality="Varthur Road",
        city="Bengaluru",
        pickup=PickupPoint(
            name="Clubhouse lobby",
            location="Ground floor, clubhouse next to Gate 2",
            hours="08:00-20:00 every day",
            instructions="Show the delivery OTP sent to your phone to the volunteer at the desk.",
        ),
        unsubscribe_url=unsubscribe_url("https://notify.example.in/unsubscribe", token),
        starts_at=datetime(2026, 11, 20, 4, 30, tzinfo=UTC),
        ends_at=datetime(2026, 12, 4, 4, 30, tzinfo=UTC),
        changes=("location", "hours"),
    )


def _language(ctx: click.Context, param: click.Parameter, value: str) -> Language:
    """A language the templates have, else a usage error: a preview must show what was asked.

    (A customer's unsupported preference still falls back to English when emails are planned.)
    """
    language = Language.coerce(value)
    text = value.strip().lower().replace("_", "-")
    if language is Language.EN and text.split("-", 1)[0] not in ("en", "english"):
        supported = ", ".join(lang.value for lang in Language)
        raise click.BadParameter(f"unknown language {value!r} (supported: {supported})")
    return language


@click.command()
@click.option(
    "--message",
    "kind",
    type=click.Choice([k.value for k in EmailKind]),
    default=EmailKind.ANNOUNCEMENT.value,
    show_default=True,
    help="Which email to render.",
)
@click.option(
    "--lang",
    default="en",
    show_default=True,
    callback=_language,
    help="Language code or name (en, hi, kn, ta, te, mr, bn, gu, hi-IN, Hindi, ...).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the HTML part here; the subject and plain text still go to stdout.",
)
@click.option("--html", "html_stdout", is_flag=True, help="Print the HTML part instead of text.")
@click.option("--building", default=None, help="Try a different building name (e.g. with <b>).")
def preview(
    kind: str, lang: Language, out: Path | None, html_stdout: bool, building: str | None
) -> None:
    """Render MESSAGE in LANG with sample data: subject and text to stdout, HTML to --out."""
    try:
        renderer = Renderer()
    except TemplateError as exc:
        raise click.ClickException(str(exc)) from exc
    ctx = sample_context(building) if building else sample_context()
    email = renderer.render(EmailKind(kind), lang, ctx)
    click.echo(f"Subject: {email.subject}")
    click.echo(f"Language: {email.language.value}")
    click.echo("")
    click.echo(email.html if html_stdout else email.text)
    if out is not None:
        out.write_text(email.html, encoding="utf-8")
        click.echo(f"HTML written to {out}", err=True)
