"""Helpers for the SES tests: emails to send and what moto recorded."""

from __future__ import annotations

import json
import urllib.request
from collections import Counter
from email import message_from_string, policy
from email.message import EmailMessage
from typing import Any

from notifier.campaigns.cli import sample_context
from notifier.campaigns.renderer import Renderer, to_outgoing
from notifier.events.contracts import EmailJob, EmailKind, Language
from notifier.messengers.base import OutgoingEmail

SENDER_DOMAIN = "notify.example.in"
SENDER = f"alerts@{SENDER_DOMAIN}"
REPLY_TO = f"help@{SENDER_DOMAIN}"
CONFIG_SET = "pickup-campaigns"

_renderer = Renderer()


def job(customer: str, language: str = "en", kind: EmailKind = EmailKind.ANNOUNCEMENT) -> EmailJob:
    return EmailJob(
        job_id=EmailJob.make_id("episode-1", kind, 0, customer),
        kind=kind,
        campaign_id="campaign-7",
        building_id="blr:prestige.tower-b",
        episode_id="episode-1",
        customer_id=customer,
        address_id="home",
        email=f"{customer}@example.org",
        name=f"Customer {customer}",
        language=Language.coerce(language),
    )


def email(
    customer: str, language: str = "en", kind: EmailKind = EmailKind.ANNOUNCEMENT
) -> OutgoingEmail:
    j = job(customer, language, kind)
    ctx = sample_context()
    rendered = _renderer.render(j.kind, j.language, ctx)
    return to_outgoing(rendered, j, unsubscribe_url=ctx.unsubscribe_url, reply_to=REPLY_TO)


def raw_messages(moto_url: str) -> list[dict[str, Any]]:
    with urllib.request.urlopen(f"{moto_url}/moto-api/data.json") as resp:
        return list(json.load(resp).get("ses", {}).get("RawMessage", []))


def parsed(raw: dict[str, Any]) -> EmailMessage:
    return message_from_string(raw["raw_data"], policy=policy.default)  # type: ignore[return-value]


def sends_per_job(moto_url: str) -> Counter[str]:
    """How many times moto accepted each X-Notifier-Job (duplicates show up as counts > 1)."""
    return Counter(str(parsed(m)["X-Notifier-Job"]) for m in raw_messages(moto_url))
