"""Per-message tracking state, folded from SES events: plain data, order-independent, idempotent.

The same fold runs in the embedded runtime (SQLite rows of JSON) and can run in a Faust table
(``to_dict``/``from_dict`` are JSON-safe). Folding an event twice changes nothing (SES delivers
at least once), and events may arrive in any order (an Open before its Delivery): timing rules
are applied when the state is summarised, not when an event is folded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from notifier.events.contracts import SesEvent, SesEventType
from notifier.tracking.machine import (
    SCANNER_BURST_SECONDS,
    click_machine_reason,
    is_prefetch,
    is_scanner_click,
    open_machine_reason,
)

# Repeat opens are counted but only the first few are kept in full (a forwarded newsletter
# can be opened thousands of times).
MAX_KEPT = 50
ATTRIBUTION_TAGS = ("campaign", "building", "language", "kind", "job")


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


@dataclass(slots=True)
class Hit:
    """One open or click: when, and why it looks automated (None: maybe a person)."""

    at: datetime
    machine: str | None
    link: str = ""
    key: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "machine": self.machine,
            "link": self.link,
            "key": self.key,
        }

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Hit:
        return cls(
            at=datetime.fromisoformat(raw["at"]),
            machine=raw.get("machine"),
            link=raw.get("link", ""),
            key=raw.get("key", ""),
        )


@dataclass(slots=True)
class MessageState:
    message_id: str
    tags: dict[str, str] = field(default_factory=dict)
    sent_at: datetime | None = None
    # Whether SES's own Send event was folded: sent_at may already be known from the send log,
    # so "sent_at is set" cannot tell a first Send event from a redelivered one.
    send_seen: bool = False
    delivered_at: datetime | None = None
    bounce_type: str | None = None  # "Permanent" / "Transient" / "Undetermined"
    bounce_sub_type: str | None = None
    complained: bool = False
    rejected: bool = False
    render_failed: bool = False
    delays: list[str] = field(default_factory=list)  # keys of DeliveryDelay events
    unsubscribed: bool = False
    opens: list[Hit] = field(default_factory=list)
    clicks: list[Hit] = field(default_factory=list)
    extra_opens: int = 0  # repeats beyond MAX_KEPT (counted, not kept)
    extra_clicks: int = 0

    # -- folding -------------------------------------------------------------------------

    def fold(self, event: SesEvent, key: str) -> bool:
        """Apply one event; False if it was already folded (a duplicate delivery)."""
        kind = event.event_type
        for name in ATTRIBUTION_TAGS:
            if name in event.tags and name not in self.tags:
                self.tags[name] = event.tags[name]
        if kind is SesEventType.OPEN or kind is SesEventType.CLICK:
            return self._fold_hit(event, key)
        if kind is SesEventType.SEND:
            _set_first(self, "sent_at", event.timestamp)
            return _set_flag(self, "send_seen")
        if kind is SesEventType.DELIVERY:
            return _set_first(self, "delivered_at", event.timestamp)
        if kind is SesEventType.BOUNCE:
            new = (event.detail.get("bounce_type"), event.detail.get("bounce_sub_type") or None)
            old = (self.bounce_type, self.bounce_sub_type)
            # A permanent verdict wins over an earlier transient one.
            if old == new or self.bounce_type == "Permanent":
                return False
            self.bounce_type, self.bounce_sub_type = new
            return True
        if kind is SesEventType.COMPLAINT:
            return _set_flag(self, "complained")
        if kind is SesEventType.REJECT:
            return _set_flag(self, "rejected")
        if kind is SesEventType.RENDERING_FAILURE:
            return _set_flag(self, "render_failed")
        if kind is SesEventType.SUBSCRIPTION:
            return bool(event.detail.get("unsubscribe_all")) and _set_flag(self, "unsubscribed")
        if kind is SesEventType.DELIVERY_DELAY:
            if key in self.delays or len(self.delays) >= MAX_KEPT:
                return False
            self.delays.append(key)
            return True
        return False

    def _fold_hit(self, event: SesEvent, key: str) -> bool:
        hits = self.opens if event.event_type is SesEventType.OPEN else self.clicks
        if any(h.key == key for h in hits):
            return False
        agent, ip = str(event.detail.get("user_agent", "")), str(event.detail.get("ip", ""))
        if event.event_type is SesEventType.OPEN:
            machine = open_machine_reason(agent, ip)
        else:
            machine = click_machine_reason(agent, ip)
        hit = Hit(event.timestamp, machine, str(event.detail.get("link", "")), key)
        if len(hits) < MAX_KEPT:
            hits.append(hit)
            hits.sort(key=lambda h: h.at)
        elif event.event_type is SesEventType.OPEN:
            self.extra_opens += 1
        else:
            self.extra_clicks += 1
        return True

    # -- what it adds up to --------------------------------------------------------------

    @property
    def delivered(self) -> bool:
        # An open or click proves delivery even if the Delivery event was lost.
        return bool(self.delivered_at or self.opens or self.clicks) and self.bounce_type is None

    @property
    def hard_bounced(self) -> bool:
        return self.bounce_type == "Permanent"

    def _anchor(self) -> datetime | None:
        return self.delivered_at or self.sent_at

    def human_clicks(self) -> list[Hit]:
        anchor = self._anchor()
        people = [
            h for h in self.clicks if h.machine is None and not is_scanner_click(h.at, anchor)
        ]
        # Several different links within a second or two: a scanner walking the message.
        if len({h.link for h in people}) > 1:
            span = (people[-1].at - people[0].at).total_seconds()
            if span < SCANNER_BURST_SECONDS:
                return []
        return people

    def human_opens(self) -> list[Hit]:
        anchor = self._anchor()
        return [h for h in self.opens if h.machine is None and not is_prefetch(h.at, anchor)]

    @property
    def opened(self) -> bool:
        return bool(self.opens)

    @property
    def clicked(self) -> bool:
        return bool(self.clicks)

    @property
    def human_opened(self) -> bool:
        # A person's click means they opened it, even if images were blocked.
        return bool(self.human_opens() or self.human_clicks())

    @property
    def human_clicked(self) -> bool:
        return bool(self.human_clicks())

    @property
    def open_count(self) -> int:
        return len(self.opens) + self.extra_opens

    def first_open(self, human: bool = False) -> datetime | None:
        hits = self.human_opens() if human else self.opens
        return hits[0].at if hits else None

    def first_human_at(self) -> datetime | None:
        """When a person first showed interest: a human-likely open or click."""
        times = [h.at for h in self.human_opens()] + [h.at for h in self.human_clicks()]
        return min(times) if times else None

    def seconds_to_first_open(self, human: bool = True) -> float | None:
        """From delivery (or send) to the first open; ``human``: to a person's first sign."""
        first = self.first_human_at() if human else self.first_open()
        anchor = self._anchor()
        if first is None or anchor is None:
            return None
        return max(0.0, (first - anchor).total_seconds())

    # -- serialisation -------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {
            "message_id": self.message_id,
            "tags": dict(self.tags),
            "sent_at": _iso(self.sent_at),
            "send_seen": self.send_seen,
            "delivered_at": _iso(self.delivered_at),
            "bounce_type": self.bounce_type,
            "bounce_sub_type": self.bounce_sub_type,
            "complained": self.complained,
            "rejected": self.rejected,
            "render_failed": self.render_failed,
            "delays": list(self.delays),
            "unsubscribed": self.unsubscribed,
            "opens": [h.to_dict() for h in self.opens],
            "clicks": [h.to_dict() for h in self.clicks],
            "extra_opens": self.extra_opens,
            "extra_clicks": self.extra_clicks,
        }

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> MessageState:
        return cls(
            message_id=raw["message_id"],
            tags=dict(raw.get("tags", {})),
            sent_at=_dt(raw.get("sent_at")),
            send_seen=bool(raw.get("send_seen")),
            delivered_at=_dt(raw.get("delivered_at")),
            bounce_type=raw.get("bounce_type"),
            bounce_sub_type=raw.get("bounce_sub_type"),
            complained=bool(raw.get("complained")),
            rejected=bool(raw.get("rejected")),
            render_failed=bool(raw.get("render_failed")),
            delays=list(raw.get("delays", [])),
            unsubscribed=bool(raw.get("unsubscribed")),
            opens=[Hit.from_dict(h) for h in raw.get("opens", [])],
            clicks=[Hit.from_dict(h) for h in raw.get("clicks", [])],
            extra_opens=int(raw.get("extra_opens", 0)),
            extra_clicks=int(raw.get("extra_clicks", 0)),
        )


def _set_first(state: MessageState, name: str, when: datetime) -> bool:
    current = getattr(state, name)
    if current is not None and current <= when:
        return False
    setattr(state, name, when)
    return True


def _set_flag(state: MessageState, name: str) -> bool:
    if getattr(state, name):
        return False
    setattr(state, name, True)
    return True
