"""Build the open-rate report from what a ``TrackingStore`` knows: the sent messages, how
campaigns are named, and tracking's message states (SQLite or Faust tables alike).

Every sent message counts once, in each grouping: campaign (a quarantine episode), building,
city and template language. Messages SES reported but the outbox does not know (e.g. state
restored from another runtime) are attributed through their SES tags. Every row also counts the
emails sent in English because the language the customer asked for has no templates
(``english_fallback``), by asked-for code (``fallback_languages``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from notifier.events.contracts import Language
from notifier.messengers.ses import ses_tag_value
from notifier.runtime.database import Database
from notifier.tracking.metrics import Counts
from notifier.tracking.state import MessageState
from notifier.tracking.store import CampaignInfo, SqliteTrackingStore, TrackingStore

LANGUAGE_NAMES = {
    "en": "English",
    "hi": "Hindi",
    "kn": "Kannada",
    "ta": "Tamil",
    "te": "Telugu",
    "mr": "Marathi",
    "bn": "Bengali",
    "gu": "Gujarati",
}
SECTIONS = ("campaign", "building", "city", "language")


@dataclass(slots=True)
class Row:
    key: str
    label: str
    counts: Counts = field(default_factory=Counts)
    # Asked-for language code -> emails sent in English instead (no templates for it).
    fallback: dict[str, int] = field(default_factory=dict)

    @property
    def english_fallback(self) -> int:
        return sum(self.fallback.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            **self.counts.as_dict(),
            **fallback_dict(self.fallback),
        }

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> Row:
        return cls(
            str(raw["key"]),
            str(raw["label"]),
            Counts.from_dict(raw),
            fallback_from_dict(raw),
        )


def fallback_dict(fallback: Mapping[str, int]) -> dict[str, Any]:
    """The fallback figures as report JSON carries them (on rows and totals)."""
    return {"english_fallback": sum(fallback.values()), "fallback_languages": dict(fallback)}


def fallback_from_dict(raw: Mapping[str, Any]) -> dict[str, int]:
    languages = raw.get("fallback_languages") or {}
    return {str(code): int(n) for code, n in languages.items()}


@dataclass(frozen=True, slots=True)
class TimeBucket:
    start: datetime
    hours: float  # since the first message was sent
    opens: int  # messages first opened in this bucket
    human_opens: int


@dataclass(slots=True)
class Report:
    generated_at: datetime
    campaign: str | None
    totals: Counts
    sections: dict[str, list[Row]]
    timeline: list[TimeBucket]
    bucket_hours: float
    fallback: dict[str, int] = field(default_factory=dict)  # over all messages, as on Row

    def total_row(self) -> Row:
        return Row("total", "all messages", self.totals, self.fallback)

    def totals_dict(self) -> dict[str, Any]:
        """The totals as every JSON answer carries them (counts and the English fallback)."""
        return {**self.totals.as_dict(), **fallback_dict(self.fallback)}

    def rows(self, section: str) -> list[Row]:
        return self.sections[section]

    def as_dict(self) -> dict[str, Any]:
        return {
            "generated_at": self.generated_at.isoformat(),
            "campaign": self.campaign,
            "totals": self.totals_dict(),
            **{name: [row.as_dict() for row in rows] for name, rows in self.sections.items()},
            "timeline": [
                {
                    "start": b.start.isoformat(),
                    "hours": b.hours,
                    "opens": b.opens,
                    "human_opens": b.human_opens,
                }
                for b in self.timeline
            ],
            "bucket_hours": self.bucket_hours,
        }

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any], campaign: str | None = None) -> Report:
        """A report back from :meth:`as_dict` (e.g. fetched from a Kafka worker's /report).

        ``as_dict`` lets the campaign rows take the ``campaign`` key: say which one was asked.
        """
        return cls(
            generated_at=datetime.fromisoformat(raw["generated_at"]),
            campaign=campaign,
            totals=Counts.from_dict(raw["totals"]),
            sections={name: [Row.from_dict(r) for r in raw.get(name, [])] for name in SECTIONS},
            timeline=[
                TimeBucket(
                    datetime.fromisoformat(b["start"]), b["hours"], b["opens"], b["human_opens"]
                )
                for b in raw.get("timeline", [])
            ],
            bucket_hours=float(raw.get("bucket_hours", 1.0)),
            fallback=fallback_from_dict(raw["totals"]),
        )


@dataclass(frozen=True, slots=True)
class _Sent:
    message_id: str
    campaign: str
    campaign_label: str
    building: str
    building_label: str
    city: str
    language: str
    sent_at: datetime | None
    fallback: str = ""  # the language asked for, when sent in English instead


def _describe(
    message_id: str,
    campaign: str,
    building: str,
    language: str,
    sent_at: datetime | None,
    campaigns: Mapping[str, CampaignInfo],
    fallback: str = "",
) -> _Sent:
    info = campaigns.get(campaign)
    name = info.name if info else building
    city = info.city if info else "unknown"
    started = info.started if info else ""
    return _Sent(
        message_id=message_id,
        campaign=campaign,
        campaign_label=f"{name}, {city}" + (f" (from {started})" if started else ""),
        building=building,
        building_label=f"{name}, {city}",
        city=city,
        language=language,
        sent_at=sent_at,
        fallback=fallback,
    )


def _from_tags(
    state: MessageState, campaigns: Mapping[str, CampaignInfo], by_tag: dict[str, str]
) -> _Sent:
    tags = state.tags
    campaign = by_tag.get(tags.get("campaign", ""), tags.get("campaign", "unattributed"))
    language = Language.coerce(tags.get("language")).value
    return _describe(
        state.message_id,
        campaign,
        tags.get("building", "unknown"),
        language,
        state.sent_at,
        campaigns,
    )


def build_report(
    source: Database | TrackingStore,
    campaign: str | None = None,
    *,
    now: datetime | None = None,
    max_buckets: int = 48,
) -> Report:
    """Figures for every sent message (or one campaign: an episode id or a building id).

    ``source`` is any :class:`TrackingStore` (SQLite or Faust tables); a ``Database`` is
    read through :class:`SqliteTrackingStore`.
    """
    store = SqliteTrackingStore(source) if isinstance(source, Database) else source
    campaigns = store.campaigns()
    states = {s.message_id: s for s in store.states()}
    sent = [
        _describe(
            m.message_id,
            m.campaign_id,
            m.building_id,
            m.language,
            m.sent_at,
            campaigns,
            m.language_fallback,
        )
        for m in store.sent_messages()
    ]
    known = {s.message_id for s in sent}
    # SES tag values are sanitised (``~`` -> ``_``): map them back to episode ids.
    by_tag = {ses_tag_value(e): e for e in campaigns}
    for state in states.values():
        if state.message_id not in known and "campaign" in state.tags:
            sent.append(_from_tags(state, campaigns, by_tag))
    if campaign:
        sent = [s for s in sent if campaign in (s.campaign, s.building)]

    totals = Counts()
    fallback: dict[str, int] = {}
    groups: dict[str, dict[str, Row]] = {name: {} for name in SECTIONS}
    first_opens: list[datetime] = []
    first_human: list[datetime] = []
    start: datetime | None = None
    for item in sent:
        state = states.get(item.message_id) or MessageState(item.message_id, sent_at=item.sent_at)
        if state.sent_at is None:
            state.sent_at = item.sent_at
        totals.add(state)
        if item.fallback:
            fallback[item.fallback] = fallback.get(item.fallback, 0) + 1
        keys = {
            "campaign": (item.campaign, item.campaign_label),
            "building": (item.building, item.building_label),
            "city": (item.city, item.city),
            "language": (item.language, LANGUAGE_NAMES.get(item.language, item.language)),
        }
        for section, (key, label) in keys.items():
            row = groups[section].setdefault(key, Row(key, label))
            row.counts.add(state)
            if item.fallback:
                row.fallback[item.fallback] = row.fallback.get(item.fallback, 0) + 1
        if state.sent_at and (start is None or state.sent_at < start):
            start = state.sent_at
        first, human = state.first_open(), state.first_human_at()
        if first is not None or human is not None:
            first_opens.append(min(t for t in (first, human) if t is not None))
        if human is not None:
            first_human.append(human)

    sections = {
        name: sorted(rows.values(), key=lambda r: (-r.counts.sent, r.label))
        for name, rows in groups.items()
    }
    timeline, bucket_hours = _timeline(start, first_opens, first_human, max_buckets)
    return Report(
        generated_at=now or datetime.now(UTC),
        campaign=campaign,
        totals=totals,
        sections=sections,
        timeline=timeline,
        bucket_hours=bucket_hours,
        fallback=fallback,
    )


def _timeline(
    start: datetime | None,
    first_opens: list[datetime],
    first_human: list[datetime],
    max_buckets: int,
) -> tuple[list[TimeBucket], float]:
    """First opens per time bucket since the first send (1 h buckets, wider for long spans)."""
    if start is None or not first_opens:
        return [], 1.0
    end = max(first_opens)
    span_hours = max((end - start).total_seconds() / 3600, 1.0)
    # Readable bucket sizes; odd timestamps (years apart) still give at most max_buckets.
    size = next(
        (s for s in (1.0, 2.0, 3.0, 6.0, 12.0, 24.0, 48.0, 168.0) if span_hours / s <= max_buckets),
        span_hours / max_buckets,
    )
    count = int(span_hours // size) + 1
    opens = [0] * count
    human = [0] * count

    def index(when: datetime) -> int:
        return min(max(int((when - start).total_seconds() / 3600 // size), 0), count - 1)

    for when in first_opens:
        opens[index(when)] += 1
    for when in first_human:
        human[index(when)] += 1
    buckets = [
        TimeBucket(start + timedelta(hours=i * size), i * size, opens[i], human[i])
        for i in range(count)
    ]
    return buckets, float(size)
