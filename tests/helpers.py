"""Builders shared by the core tests (plain functions, no fixtures magic)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from itertools import count
from typing import Any

from notifier.address.segments import Segments

_ids = count(1)
T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


class PipeSegmenter:
    """A stand-in for the NLP model in core tests: "building | locality | city | pincode".

    The real model is tested in tests/nlp and end to end in tests/runtime; here the core's
    decisions are under test, so the segmentation is made exact and obvious.
    """

    def segment_many(self, texts: Iterable[str], batch_size: int = 256) -> Iterator[Segments]:
        for text in texts:
            parts = [p.strip() or None for p in text.split("|")] + [None] * 4
            building, locality, city, pincode = parts[:4]
            yield Segments(
                text=text, building=building, locality=locality, city=city, pincode=pincode
            )


def address(
    customer: str,
    text: str,
    *,
    address_id: str = "home",
    language: str = "en",
    deleted: bool = False,
    minutes: int | None = None,
) -> dict[str, Any]:
    n = next(_ids)
    return {
        "type": "address.changed",
        "event_id": f"addr-{n}",
        "customer_id": customer,
        "address_id": address_id,
        "email": f"{customer}@example.org",
        "name": f"Customer {customer}",
        "language": language,
        "text": text,
        "deleted": deleted,
        "occurred_at": (T0 + timedelta(minutes=n if minutes is None else minutes)).isoformat(),
    }


def quarantine(
    building_id: str,
    name: str,
    *,
    kind: str = "registered",
    locality: str = "Whitefield",
    city: str = "Bengaluru",
    pincode: str | None = "560066",
    pickup_location: str = "Main gate",
    event_id: str | None = None,
) -> dict[str, Any]:
    n = next(_ids)
    event: dict[str, Any] = {
        "type": f"quarantine.{kind}",
        "event_id": event_id or f"q-{n}",
        "building_id": building_id,
        "occurred_at": (T0 + timedelta(minutes=n)).isoformat(),
    }
    if kind != "lifted":
        event |= {
            "name": name,
            "locality": locality,
            "city": city,
            "pincode": pincode,
            "pickup": {
                "name": "Society office",
                "location": pickup_location,
                "hours": "9:00-18:00",
                "instructions": "Bring your order id",
            },
        }
    return event
