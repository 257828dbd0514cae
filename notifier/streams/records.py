"""How the planner's records are written in its tables: keys joined by :data:`SEP`, values
as JSON-able dicts (the tables' changelogs are JSON)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from notifier.address.segments import FIELDS, Segments
from notifier.campaigns.store import Quarantine, ReviewItem, ReviewStatus, StoredAddress
from notifier.events.contracts import Language, PickupPoint

SEP = "\x1f"  # the ASCII unit separator, between a key's parts (route, customer, address...)


def _dt(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _parse_dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def quarantine_to_dict(q: Quarantine) -> dict[str, Any]:
    data = asdict(q)
    data["pickup"] = q.pickup.model_dump()
    data["starts_at"], data["ends_at"] = _dt(q.starts_at), _dt(q.ends_at)
    return data


def quarantine_from_dict(data: dict[str, Any]) -> Quarantine:
    return Quarantine(
        **{
            **data,
            "pickup": PickupPoint(**data["pickup"]),
            "starts_at": _parse_dt(data["starts_at"]),
            "ends_at": _parse_dt(data["ends_at"]),
            "aliases": tuple(data.get("aliases") or ()),
        }
    )


_SEGMENT_FIELDS = ("text", *FIELDS)


def segments_to_dict(segments: Segments) -> dict[str, str | None]:
    """Like ``Segments.to_dict`` without ``dataclasses.asdict``'s deep copy (hot path)."""
    return {name: getattr(segments, name) for name in _SEGMENT_FIELDS}


def address_to_dict(a: StoredAddress, keys: list[str]) -> dict[str, Any]:
    return {
        "customer_id": a.customer_id,
        "address_id": a.address_id,
        "email": a.email,
        "name": a.name,
        "language": a.language.value,
        "segments": segments_to_dict(a.segments),
        "occurred_at": a.occurred_at.isoformat(),
        "requested_language": a.requested_language,
        "keys": keys,
    }


def address_from_dict(data: dict[str, Any], segments: Segments | None = None) -> StoredAddress:
    return StoredAddress(
        customer_id=data["customer_id"],
        address_id=data["address_id"],
        email=data["email"],
        name=data["name"],
        language=Language(data["language"]),
        segments=Segments(**data["segments"]) if segments is None else segments,
        occurred_at=datetime.fromisoformat(data["occurred_at"]),
        requested_language=str(data.get("requested_language", "")),
    )


def review_to_dict(r: ReviewItem) -> dict[str, Any]:
    return {**asdict(r), "status": r.status.value}


def review_from_dict(data: dict[str, Any]) -> ReviewItem:
    return ReviewItem(**{**data, "status": ReviewStatus(data["status"])})
