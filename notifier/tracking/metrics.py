"""Add message states up into campaign figures (plain Python; shared by reports and the API).

Rates follow the usual email-marketing definitions:

* open rate = messages with at least one open / delivered (unique, not every repeat open)
* human-likely open rate = messages with an open or click that does not look automated / delivered
* click rate (CTR) = messages with a click / delivered; click-to-open = clickers / openers
* bounce rate = bounced / sent; complaint rate = complaints / delivered
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from notifier.tracking.state import MessageState

# SES puts an account under review above these (and may pause sending well before 10% / 0.5%).
BOUNCE_WARN = 0.05
COMPLAINT_WARN = 0.001
# A rate is only judged on enough messages: one bounce in a ten-flat building is not a trend.
MIN_SENT_FOR_BOUNCE_WARNING = 50
MIN_DELIVERED_FOR_COMPLAINT_WARNING = 200


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(slots=True)
class Counts:
    sent: int = 0
    delivered: int = 0
    bounced: int = 0
    hard_bounced: int = 0
    complaints: int = 0
    rejected: int = 0
    opened: int = 0  # unique: messages with an open
    human_opened: int = 0
    machine_only: int = 0  # opened, but only by proxies, prefetches or scanners
    open_events: int = 0  # every open SES reported, repeats included
    clicked: int = 0
    human_clicked: int = 0
    unsubscribed: int = 0
    first_open_seconds: list[float] = field(default_factory=list)

    def add(self, state: MessageState, *, sent: bool = True) -> None:
        self.sent += int(sent)
        self.delivered += int(state.delivered)
        self.bounced += int(state.bounce_type is not None)
        self.hard_bounced += int(state.hard_bounced)
        self.complaints += int(state.complained)
        self.rejected += int(state.rejected)
        self.unsubscribed += int(state.unsubscribed)
        self.open_events += state.open_count
        human = state.human_opened
        if state.opened or human:
            self.opened += 1
            self.human_opened += int(human)
            self.machine_only += int(not human)
        self.clicked += int(state.clicked)
        self.human_clicked += int(state.human_clicked)
        seconds = state.seconds_to_first_open(human=True)
        if seconds is not None:
            self.first_open_seconds.append(seconds)

    def merge(self, other: Counts) -> None:
        for item in fields(self):
            name = item.name
            mine = getattr(self, name)
            if isinstance(mine, list):
                mine.extend(getattr(other, name))
            else:
                setattr(self, name, mine + getattr(other, name))

    # -- rates ---------------------------------------------------------------------------

    @property
    def open_rate(self) -> float | None:
        return _rate(self.opened, self.delivered)

    @property
    def human_open_rate(self) -> float | None:
        return _rate(self.human_opened, self.delivered)

    @property
    def click_rate(self) -> float | None:
        return _rate(self.clicked, self.delivered)

    @property
    def click_to_open(self) -> float | None:
        return _rate(self.clicked, self.opened)

    @property
    def bounce_rate(self) -> float | None:
        return _rate(self.bounced, self.sent)

    @property
    def complaint_rate(self) -> float | None:
        return _rate(self.complaints, self.delivered)

    @property
    def median_first_open_seconds(self) -> float | None:
        return statistics.median(self.first_open_seconds) if self.first_open_seconds else None

    def warnings(self) -> list[str]:
        out = []
        rate = self.bounce_rate
        if rate is not None and rate > BOUNCE_WARN and self.sent >= MIN_SENT_FOR_BOUNCE_WARNING:
            out.append(f"bounce rate {rate:.1%} is above SES's 5% review threshold")
        rate = self.complaint_rate
        if (
            rate is not None
            and rate > COMPLAINT_WARN
            and self.delivered >= MIN_DELIVERED_FOR_COMPLAINT_WARNING
        ):
            out.append(f"complaint rate {rate:.2%} is above SES's 0.1% review threshold")
        return out

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> Counts:
        """Counts back from :meth:`as_dict` (a report fetched from a worker): the same
        figures, rates and warnings; the first-open times keep only their median."""
        median = raw.get("median_first_open_seconds")
        return cls(
            sent=int(raw["sent"]),
            delivered=int(raw["delivered"]),
            bounced=int(raw["bounced"]),
            hard_bounced=int(raw["hard_bounced"]),
            complaints=int(raw["complaints"]),
            rejected=int(raw.get("rejected", 0)),
            opened=int(raw["unique_opens"]),
            human_opened=int(raw["human_opens"]),
            machine_only=int(raw["machine_only_opens"]),
            open_events=int(raw["open_events"]),
            clicked=int(raw["clicks"]),
            human_clicked=int(raw["human_clicks"]),
            unsubscribed=int(raw["unsubscribed"]),
            first_open_seconds=[float(median)] if median is not None else [],
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "sent": self.sent,
            "delivered": self.delivered,
            "bounced": self.bounced,
            "hard_bounced": self.hard_bounced,
            "complaints": self.complaints,
            "unique_opens": self.opened,
            "human_opens": self.human_opened,
            "machine_only_opens": self.machine_only,
            "open_events": self.open_events,
            "clicks": self.clicked,
            "human_clicks": self.human_clicked,
            "unsubscribed": self.unsubscribed,
            "open_rate": self.open_rate,
            "human_open_rate": self.human_open_rate,
            "click_rate": self.click_rate,
            "click_to_open": self.click_to_open,
            "bounce_rate": self.bounce_rate,
            "complaint_rate": self.complaint_rate,
            "median_first_open_seconds": self.median_first_open_seconds,
            "warnings": self.warnings(),
        }
