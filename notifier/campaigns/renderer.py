"""Render campaign emails (subject, text, HTML) from jinja2 templates and per-language strings.

Templates live in the top-level ``templates/`` folder (shipped as ``notifier/templates`` in the
wheel). Strings for each language are JSON files in ``templates/i18n/<code>.json`` with
``str.format`` placeholders; the HTML side escapes every placeholder value, so building and
pickup-point names typed by ops cannot inject markup.
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import escape

import notifier
from notifier.events.contracts import EmailJob, EmailKind, Language, PickupPoint
from notifier.messengers.base import OutgoingEmail

# India has one time zone and no daylight saving, so a fixed offset is exact.
IST = timezone(timedelta(hours=5, minutes=30), "IST")
FALLBACK = Language.EN
# Change names the `update` template knows how to describe; others are ignored.
KNOWN_CHANGES = ("name", "location", "hours", "instructions", "dates")


class TemplateError(RuntimeError):
    """The template folder is missing or broken (a deployment problem, not bad input)."""


@dataclass(frozen=True, slots=True)
class MessageContext:
    recipient_name: str
    building_name: str
    locality: str
    city: str
    pickup: PickupPoint
    unsubscribe_url: str
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    changes: tuple[str, ...] = ()  # for `update`: which fields changed ("location", "hours", ...)


@dataclass(frozen=True, slots=True)
class RenderedEmail:
    subject: str
    text: str
    html: str
    language: Language


def default_templates_dir() -> Path:
    """The installed copy (``notifier/templates``) first, then the repository's ``templates/``."""
    package_dir = Path(notifier.__file__).resolve().parent
    for candidate in (package_dir / "templates", package_dir.parent / "templates"):
        if (candidate / "base.html").is_file():
            return candidate
    raise TemplateError("email templates not found next to the notifier package or in the repo")


def placeholders(text: str) -> set[str]:
    """Names used as ``{name}`` placeholders in a translation string."""
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


@lru_cache(maxsize=8)
def _load_strings(i18n_dir: Path) -> dict[Language, dict[str, str]]:
    strings: dict[Language, dict[str, str]] = {}
    for language in Language:
        path = i18n_dir / f"{language.value}.json"
        if path.is_file():
            try:
                strings[language] = json.loads(path.read_text(encoding="utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise TemplateError(f"{path.name} is not valid UTF-8 JSON: {exc}") from exc
    if FALLBACK not in strings:
        raise TemplateError(f"missing fallback strings {FALLBACK.value}.json")
    return strings


def load_strings(templates_dir: Path | None = None) -> dict[Language, dict[str, str]]:
    """All translation tables found, keyed by language (English is always present)."""
    return _load_strings((templates_dir or default_templates_dir()) / "i18n")


_SPACES = re.compile(r"\s+")


def _one_line(text: str) -> str:
    # Subjects become a mail header: never let ops-typed newlines through.
    return _SPACES.sub(" ", text).strip()


def _format_date(value: datetime) -> str:
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone(IST).strftime("%d/%m/%Y")


class Renderer:
    """Renders the three campaign emails in the customer's language (English as fallback)."""

    def __init__(self, templates_dir: Path | None = None) -> None:
        self.templates_dir = templates_dir or default_templates_dir()
        loader = jinja2.FileSystemLoader(self.templates_dir)
        common: dict[str, Any] = {
            "loader": loader,
            "undefined": jinja2.StrictUndefined,
            "keep_trailing_newline": True,
        }
        self._html = jinja2.Environment(autoescape=True, **common)
        # Plain text is not markup: escaping would show "&amp;" to the reader.
        self._text = jinja2.Environment(autoescape=False, **common)
        self._strings = load_strings(self.templates_dir)

    def languages(self) -> list[Language]:
        return list(self._strings)

    def _translator(self, language: Language, *, html: bool) -> Callable[..., str]:
        table = self._strings.get(language, {})
        fallback = self._strings[FALLBACK]

        def translate(key: str, **values: Any) -> str:
            template = table.get(key) or fallback.get(key)
            if template is None:
                raise TemplateError(f"no string {key!r} in any language")
            if html:
                # escape() the trusted string too, then Markup.format escapes every value.
                return escape(template).format(**values)
            return template.format(**values)

        return translate

    def render(self, kind: EmailKind, language: Language, ctx: MessageContext) -> RenderedEmail:
        kind = EmailKind(kind)
        language = Language.coerce(language)
        if language not in self._strings:
            language = FALLBACK
        text_t = self._translator(language, html=False)
        subject = _one_line(text_t(f"subject_{kind.value}", building=_one_line(ctx.building_name)))
        try:
            text = self._text.get_template(f"{kind.value}.txt").render(
                self._variables(text_t, language, subject, ctx)
            )
            html_t = self._translator(language, html=True)
            html = self._html.get_template(f"{kind.value}.html").render(
                self._variables(html_t, language, subject, ctx)
            )
        except jinja2.TemplateError as exc:
            raise TemplateError(f"template {kind.value} failed: {exc}") from exc
        return RenderedEmail(subject=subject, text=text, html=html, language=language)

    @staticmethod
    def _variables(
        t: Callable[..., str], language: Language, subject: str, ctx: MessageContext
    ) -> dict[str, Any]:
        name = _one_line(ctx.recipient_name)
        start = _format_date(ctx.starts_at) if ctx.starts_at else ""
        end = _format_date(ctx.ends_at) if ctx.ends_at else ""
        return {
            "t": t,
            "lang": language.value,
            "subject": subject,
            "greeting": t("greeting", name=name) if name else t("greeting_no_name"),
            "building": _one_line(ctx.building_name),
            "area": ", ".join(p for p in (_one_line(ctx.locality), _one_line(ctx.city)) if p),
            "pickup": ctx.pickup,
            "unsubscribe_url": ctx.unsubscribe_url,
            "changes": [c for c in dict.fromkeys(ctx.changes) if c in KNOWN_CHANGES],
            "period": _period(t, start, end),
        }


def _period(t: Callable[..., str], start: str, end: str) -> str:
    if start and end:
        return t("period_from_to", start=start, end=end)
    if start:
        return t("period_from", start=start)
    if end:
        return t("period_until", end=end)
    return ""


def to_outgoing(
    rendered: RenderedEmail,
    job: EmailJob,
    *,
    unsubscribe_url: str,
    reply_to: str | None = None,
    extra_tags: Mapping[str, str] | None = None,
) -> OutgoingEmail:
    """Wrap a rendered email for a messenger with the headers and tags campaigns always carry."""
    headers = {
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        # RFC 8058: mailbox providers may unsubscribe with a POST, no page visit needed.
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "X-Notifier-Job": job.job_id,
    }
    if reply_to:
        headers["Reply-To"] = reply_to
    tags = {
        "campaign": job.campaign_id,
        "building": job.building_id,
        "language": rendered.language.value,
        "kind": job.kind.value,
        "job": job.job_id,
        **(extra_tags or {}),
    }
    return OutgoingEmail(
        job_id=job.job_id,
        to=job.email,
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
        language=rendered.language.value,
        headers=headers,
        tags=tags,
    )
