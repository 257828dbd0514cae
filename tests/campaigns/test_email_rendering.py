"""Rendering the three campaign emails in every language, safely."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

import notifier
from notifier.campaigns.cli import sample_context
from notifier.campaigns.renderer import (
    Renderer,
    TemplateError,
    default_templates_dir,
    load_strings,
    to_outgoing,
)
from notifier.events.contracts import EmailJob, EmailKind, Language, PickupPoint

RENDERER = Renderer()
STRINGS = load_strings()


@pytest.mark.parametrize("language", list(Language))
@pytest.mark.parametrize("kind", list(EmailKind))
def test_every_email_says_where_when_how_and_can_be_unsubscribed(
    kind: EmailKind, language: Language
) -> None:
    ctx = sample_context()
    email = RENDERER.render(kind, language, ctx)
    strings = STRINGS[language]
    assert email.language is language
    assert ctx.building_name in email.subject
    assert "\n" not in email.subject
    for body in (email.text, email.html):
        assert ctx.building_name in body
        assert ctx.pickup.name in body
        assert strings["unsubscribe"] in body
        assert strings["closing"] in body
    assert ctx.unsubscribe_url in email.text
    assert f'href="{ctx.unsubscribe_url.replace("&", "&amp;")}"' in email.html
    assert f'<html lang="{language.value}">' in email.html
    if kind is not EmailKind.LIFTED:
        for body in (email.text, email.html):
            assert ctx.pickup.location in body
            assert ctx.pickup.hours in body
            assert ctx.pickup.instructions in body
            assert strings["how_default"] in body
            assert "20/11/2026" in body and "04/12/2026" in body  # IST dates


def test_update_lists_what_changed_and_ignores_unknown_changes() -> None:
    ctx = replace(sample_context(), changes=("hours", "colour", "hours", "location"))
    email = RENDERER.render(EmailKind.UPDATE, Language.HI, ctx)
    hi = STRINGS[Language.HI]
    assert f"* {hi['change_hours']}\n* {hi['change_location']}\n" in email.text
    assert email.html.count("<li>") == 2
    assert "colour" not in email.text


def test_ops_text_cannot_inject_html() -> None:
    evil = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'
    ctx = replace(
        sample_context(building=evil),
        recipient_name="<b>Asha</b>",
        pickup=PickupPoint(name=evil, location=evil, hours=evil, instructions=evil),
        unsubscribe_url='https://notify.example.in/u?token=a"onmouseover="alert(1)',
    )
    for kind in EmailKind:
        email = RENDERER.render(kind, Language.TA, ctx)
        assert "<script" not in email.html
        assert "<img" not in email.html
        assert "<b>Asha" not in email.html
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;img" in email.html
        assert 'token=a&#34;onmouseover=&#34;alert(1)"' in email.html
        # Plain text is not markup: it shows what ops typed, unescaped.
        assert evil in email.text
        assert "&lt;" not in email.text


def test_newlines_in_names_never_reach_the_subject() -> None:
    ctx = sample_context(building="Tower B\r\nBcc: someone@example.org")
    email = RENDERER.render(EmailKind.ANNOUNCEMENT, Language.EN, ctx)
    assert "\r" not in email.subject and "\n" not in email.subject
    assert "Tower B Bcc: someone@example.org" in email.subject


def test_missing_details_have_sensible_wording() -> None:
    ctx = replace(
        sample_context(),
        recipient_name="  ",
        pickup=PickupPoint(name="Gate 2", location="Main gate"),
        starts_at=datetime(2026, 11, 30, 20, 0, tzinfo=UTC),  # already 1 Dec in India
        ends_at=None,
    )
    email = RENDERER.render(EmailKind.ANNOUNCEMENT, Language.EN, ctx)
    assert email.text.startswith("Hello,\n")
    assert "Hours: We will tell you the opening hours soon." in email.text
    assert "Quarantine period: From 01/12/2026" in email.text


@pytest.mark.parametrize("preference", ["fr", "", "hi-IN", "Kannada", None])
def test_language_preference_falls_back_to_english(preference: str | None) -> None:
    email = RENDERER.render(EmailKind.LIFTED, preference, sample_context())  # type: ignore[arg-type]
    assert email.language is Language.coerce(preference)
    assert STRINGS[email.language]["lifted_thanks"] in email.text


def test_language_without_a_strings_file_renders_english(tmp_path: Path) -> None:
    copy = tmp_path / "templates"
    shutil.copytree(default_templates_dir(), copy)
    (copy / "i18n" / "gu.json").unlink()
    email = Renderer(copy).render(EmailKind.ANNOUNCEMENT, Language.GU, sample_context())
    assert email.language is Language.EN
    assert email.text.startswith("Hello Asha,")


def test_installed_templates_are_preferred_over_the_repo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo_templates = default_templates_dir()
    assert repo_templates == Path(notifier.__file__).resolve().parent.parent / "templates"
    installed = tmp_path / "site-packages" / "notifier"
    shutil.copytree(repo_templates, installed / "templates")
    (installed / "__init__.py").write_text("")
    monkeypatch.setattr(notifier, "__file__", str(installed / "__init__.py"))
    assert default_templates_dir() == installed / "templates"


def test_to_outgoing_carries_the_campaign_headers_and_tags() -> None:
    job = EmailJob(
        job_id="j-1",
        kind=EmailKind.UPDATE,
        campaign_id="camp",
        building_id="B1",
        episode_id="e",
        customer_id="c",
        address_id="a",
        email="c@example.org",
        language=Language.MR,
    )
    ctx = sample_context()
    rendered = RENDERER.render(job.kind, job.language, ctx)
    out = to_outgoing(rendered, job, unsubscribe_url=ctx.unsubscribe_url, reply_to="help@x.in")
    assert out.headers == {
        "List-Unsubscribe": f"<{ctx.unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "X-Notifier-Job": "j-1",
        "Reply-To": "help@x.in",
    }
    assert out.tags == {
        "campaign": "camp",
        "building": "B1",
        "language": "mr",
        "kind": "update",
        "job": "j-1",
    }
    assert (out.to, out.language) == ("c@example.org", "mr")


def test_a_broken_strings_file_is_a_clear_error(tmp_path: Path) -> None:
    copy = tmp_path / "templates"
    shutil.copytree(default_templates_dir(), copy)
    (copy / "i18n" / "ta.json").write_text('{"greeting": "வணக்கம்', encoding="utf-8")
    with pytest.raises(TemplateError, match=r"ta\.json"):
        Renderer(copy)
