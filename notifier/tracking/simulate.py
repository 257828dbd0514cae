"""Seeded SES event records for sent messages, in AWS's event-publishing JSON shape.

moto accepts sends but never emits delivery, open or click events, so the demo and the tests
feed these to tracking instead. The mix is roughly what a transactional notice sees: ~97%
delivered, ~2% bounced (mostly permanent), rare complaints, 40-55% opened (with repeat opens),
Apple Mail Privacy Protection and Gmail proxy loads, prefetches, a few link scanners and some
real clicks; open rates vary a little by language and city so a report has something to show.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from notifier.runtime.database import Database

if TYPE_CHECKING:
    from notifier.runtime.embedded import EmbeddedRuntime
    from notifier.tracking.ingest import TrackingStats

ACCOUNT = "123456789012"
SOURCE = "pickup@notices.example.in"
HUMAN_AGENTS = (
    "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.6367.113 Mobile Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Mobile/15E148",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Linux; Android 13; Redmi Note 12) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/123.0.6312.99 Mobile Safari/537.36",
)
GOOGLE_PROXY = (
    "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)"
)
SCANNER_AGENT = "Mozilla/5.0 (compatible; Proofpoint URL Defense)"
# Relative readiness to open, by template language (made up, but stable and plausible).
LANGUAGE_FACTOR = {
    "en": 1.0,
    "hi": 1.08,
    "kn": 0.95,
    "ta": 1.04,
    "te": 0.97,
    "mr": 1.02,
    "bn": 0.92,
    "gu": 1.0,
}


@dataclass(frozen=True, slots=True)
class SentMessage:
    message_id: str
    sent_at: datetime
    tags: dict[str, str] = field(default_factory=dict)  # campaign, building, language, kind, job
    city: str = ""
    email: str = "recipient@example.com"


def sent_messages(db: Database, campaign: str | None = None) -> list[SentMessage]:
    """Every message the embedded runtime sent (for the demo: feed them to the simulator)."""
    from notifier.messengers.ses import ses_tag_value

    sql = (
        "SELECT j.message_id, j.sent_at, j.campaign_id, j.building_id, j.language, j.kind, "
        "j.job_id, j.email, e.city FROM jobs j LEFT JOIN episodes e ON e.episode_id = j.episode_id "
        "WHERE j.state = 'sent' AND j.message_id IS NOT NULL"
    )
    params: tuple[str, ...] = ()
    if campaign:
        sql += " AND j.campaign_id = ?"
        params = (campaign,)
    out = []
    for r in db.query(sql + " ORDER BY j.sent_at, j.job_id", params):
        tags = {
            "campaign": r["campaign_id"],
            "building": r["building_id"],
            "language": r["language"],
            "kind": r["kind"],
            "job": r["job_id"],
        }
        out.append(
            SentMessage(
                message_id=r["message_id"],
                sent_at=datetime.fromisoformat(r["sent_at"]),
                tags={k: ses_tag_value(v) for k, v in tags.items()},
                city=r["city"] or "",
                email=r["email"],
            )
        )
    return out


def _factor(text: str, spread: float) -> float:
    """A stable pseudo-random factor in [1 - spread, 1 + spread] for a name (city, building)."""
    digest = int(hashlib.sha256(text.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    return 1.0 + spread * (2 * digest - 1)


def _ts(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


def _mail(message: SentMessage) -> dict[str, Any]:
    tags = {
        "ses:configuration-set": ["pickup-notifier"],
        "ses:source-ip": ["192.0.2.10"],
        "ses:from-domain": ["notices.example.in"],
        "ses:caller-identity": ["pickup-notifier"],
    }
    tags.update({k: [v] for k, v in message.tags.items()})
    return {
        "timestamp": _ts(message.sent_at),
        "source": f"Pickup Notices <{SOURCE}>",
        "sourceArn": f"arn:aws:ses:ap-south-1:{ACCOUNT}:identity/notices.example.in",
        "sendingAccountId": ACCOUNT,
        "messageId": message.message_id,
        "destination": [message.email],
        "headersTruncated": False,
        "commonHeaders": {"from": [f"Pickup Notices <{SOURCE}>"], "to": [message.email]},
        "tags": tags,
    }


def _record(kind: str, message: SentMessage, block_name: str, block: dict[str, Any]) -> dict:
    return {"eventType": kind, "mail": _mail(message), block_name: block}


def _ip(rng: random.Random, apple: bool = False) -> str:
    if apple:
        return f"17.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    first = rng.choice((49, 103, 106, 117, 122, 157))
    return f"{first}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"


def _events_for(message: SentMessage, rng: random.Random) -> list[tuple[datetime, dict]]:
    out: list[tuple[datetime, dict]] = []
    sent = message.sent_at
    out.append((sent, _record("Send", message, "send", {})))
    roll = rng.random()
    if roll < 0.02:
        permanent = rng.random() < 0.8
        when = sent + timedelta(seconds=rng.uniform(1, 90))
        block = {
            "bounceType": "Permanent" if permanent else "Transient",
            "bounceSubType": "General" if permanent or rng.random() < 0.5 else "MailboxFull",
            "bouncedRecipients": [
                {
                    "emailAddress": message.email,
                    "action": "failed",
                    "status": "5.1.1",
                    "diagnosticCode": "smtp; 550 5.1.1 user unknown",
                }
            ],
            "timestamp": _ts(when),
            "feedbackId": f"0100{rng.getrandbits(64):016x}-000000",
            "reportingMTA": "dsn; mta.example.in",
        }
        out.append((when, _record("Bounce", message, "bounce", block)))
        return out
    if roll < 0.03:
        # Neither delivered nor bounced yet: a delay (the rest of the 3% are simply unknown).
        if rng.random() < 0.5:
            when = sent + timedelta(minutes=rng.uniform(5, 60))
            block = {
                "timestamp": _ts(when),
                "delayType": "TransientCommunicationFailure",
                "expirationTime": _ts(when + timedelta(hours=12)),
                "delayedRecipients": [{"emailAddress": message.email, "status": "4.4.1"}],
            }
            out.append((when, _record("DeliveryDelay", message, "deliveryDelay", block)))
        return out
    delivered = sent + timedelta(seconds=rng.uniform(0.5, 8))
    out.append(
        (
            delivered,
            _record(
                "Delivery",
                message,
                "delivery",
                {
                    "timestamp": _ts(delivered),
                    "processingTimeMillis": int((delivered - sent).total_seconds() * 1000),
                    "recipients": [message.email],
                    "smtpResponse": "250 2.6.0 Message received",
                    "reportingMTA": "a8-70.smtp-out.amazonses.com",
                },
            ),
        )
    )

    def hit(kind: str, when: datetime, agent: str, ip: str, link: str = "") -> None:
        block: dict[str, Any] = {"ipAddress": ip, "timestamp": _ts(when), "userAgent": agent}
        if kind == "Click":
            block["link"] = link
            block["linkTags"] = {"purpose": ["pickup"]}
        out.append((when, _record(kind, message, kind.lower(), block)))

    language = message.tags.get("language", "en")
    p_open = 0.40 * LANGUAGE_FACTOR.get(language, 1.0) * _factor(message.city or "?", 0.12)
    links = [
        f"https://notices.example.in/pickup/{message.tags.get('building', 'b')}",
        "https://maps.example.in/pickup",
    ]
    client = rng.random()
    if client < 0.15:  # Apple Mail with Privacy Protection: a proxy load at delivery
        hit(
            "Open",
            delivered + timedelta(seconds=rng.uniform(1, 40)),
            "Mozilla/5.0",
            _ip(rng, apple=True),
        )
    elif client < 0.19:  # a mail client that prefetches images on arrival
        hit(
            "Open",
            delivered + timedelta(seconds=rng.uniform(0.2, 4)),
            rng.choice(HUMAN_AGENTS),
            _ip(rng),
        )
    if rng.random() < 0.01:  # a security gateway follows every link within seconds
        t = delivered + timedelta(seconds=rng.uniform(1, 5))
        for i, link in enumerate(links):
            hit("Click", t + timedelta(milliseconds=150 * i), SCANNER_AGENT, _ip(rng), link)
    if rng.random() < p_open:
        gmail = rng.random() < 0.2
        agent = GOOGLE_PROXY if gmail else rng.choice(HUMAN_AGENTS)
        ip = f"66.249.{rng.randint(80, 95)}.{rng.randint(1, 254)}" if gmail else _ip(rng)
        first = delivered + timedelta(minutes=min(rng.lognormvariate(4.2, 1.1), 60 * 48))
        hit("Open", first, agent, ip)
        when = first
        for _ in range(rng.choice((0, 0, 0, 1, 1, 2, 3))):  # repeat opens
            when += timedelta(minutes=rng.uniform(2, 600))
            hit("Open", when, agent, ip)
        if rng.random() < 0.28:
            hit(
                "Click",
                first + timedelta(seconds=rng.uniform(8, 240)),
                agent,
                ip,
                rng.choice(links),
            )
        if rng.random() < 0.002:  # about 0.1% of delivered messages draw a complaint
            when = first + timedelta(minutes=rng.uniform(1, 30))
            out.append(
                (
                    when,
                    _record(
                        "Complaint",
                        message,
                        "complaint",
                        {
                            "complainedRecipients": [{"emailAddress": message.email}],
                            "timestamp": _ts(when),
                            "feedbackId": f"0100{rng.getrandbits(64):016x}-000000",
                            "userAgent": "Yahoo!-Mail-Feedback/2.0",
                            "complaintFeedbackType": "abuse",
                            "arrivalDate": _ts(when),
                        },
                    ),
                )
            )
    return out


def simulate_events(sent: Iterable[SentMessage], seed: int = 7) -> Iterator[dict[str, Any]]:
    """SES event-publishing records for ``sent``, in time order; the same seed gives the same."""
    rng = random.Random(seed)
    events: list[tuple[datetime, int, dict]] = []
    for message in sent:
        for when, record in _events_for(message, rng):
            events.append((when, len(events), record))
    events.sort(key=lambda item: (item[0], item[1]))
    for _when, _n, record in events:
        yield record


def feed_simulated_events(runtime: EmbeddedRuntime, seed: int = 7) -> TrackingStats:
    """Simulate SES events for every message the runtime sent and record them (the demo)."""
    from notifier.tracking.ingest import ingest_records

    return ingest_records(
        simulate_events(sent_messages(runtime.db), seed=seed), runtime, source="simulated-ses"
    )
