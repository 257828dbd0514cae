"""What ops can do, as plain functions over the embedded runtime (the HTTP API and the CLI
both call these, so they validate and answer the same way)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from notifier.campaigns.store import Quarantine, ReviewItem, ReviewStatus
from notifier.events.contracts import InvalidEvent, parse_event

if TYPE_CHECKING:
    from notifier.runtime.embedded import EmbeddedRuntime

DETAIL_FIELDS = (
    "name",
    "locality",
    "city",
    "pincode",
    "starts_at",
    "ends_at",
    "pickup",
    "aliases",
    "brand",
)
PICKUP_FIELDS = ("name", "location", "hours", "instructions")


class OperationError(Exception):
    """A request ops made that cannot be done; ``status`` is the matching HTTP status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True, slots=True)
class Result:
    created: bool
    body: dict[str, Any]


def quarantine_json(q: Quarantine) -> dict[str, Any]:
    return {
        "building_id": q.building_id,
        "name": q.name,
        "locality": q.locality,
        "city": q.city,
        "pincode": q.pincode,
        "aliases": list(q.aliases),
        "brand": q.brand,
        "pickup": q.pickup.model_dump(),
        "episode_id": q.episode_id,
        "revision": q.revision,
        "active": q.active,
        "starts_at": q.starts_at.isoformat() if q.starts_at else None,
        "ends_at": q.ends_at.isoformat() if q.ends_at else None,
    }


def review_json(item: ReviewItem) -> dict[str, Any]:
    return {
        "review_id": item.review_id,
        "episode_id": item.episode_id,
        "building_id": item.building_id,
        "customer_id": item.customer_id,
        "address_id": item.address_id,
        "score": round(item.score, 4),
        "status": item.status.value,
        "explanation": item.explanation,
    }


def _object(data: object, what: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise OperationError(422, f"{what} must be a JSON object")
    return data


def _no_unknown(data: dict[str, Any], allowed: tuple[str, ...], what: str) -> None:
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise OperationError(422, f"unknown field(s) in {what}: {', '.join(unknown[:5])}")


def _apply(runtime: EmbeddedRuntime, event: dict[str, Any]) -> Any:
    try:
        parsed = parse_event(event)
    except InvalidEvent as exc:
        raise OperationError(422, exc.reason) from exc
    with runtime.db.transaction():
        return runtime.apply(parsed)


def _summary(runtime: EmbeddedRuntime, building_id: str, outcome: Any) -> dict[str, Any]:
    quarantine = runtime.store.get_quarantine(building_id)
    return {
        "building": quarantine_json(quarantine) if quarantine else None,
        "emails_queued": len(outcome.jobs),
        "sent_to_review": len(outcome.reviews),
        "emails_cancelled": outcome.cancelled,
    }


def _current(runtime: EmbeddedRuntime, building_id: str) -> Quarantine:
    current = runtime.store.get_quarantine(building_id)
    if current is None:
        raise OperationError(404, f"building {building_id!r} is not registered")
    if not current.active:
        raise OperationError(409, f"building {building_id!r} is not quarantined any more")
    return current


def register(runtime: EmbeddedRuntime, data: object) -> Result:
    """Quarantine a building and open its pickup point (an active building gets updated)."""
    body = _object(data, "request body")
    _no_unknown(body, ("building_id", "event_id", *DETAIL_FIELDS), "request body")
    if "pickup" in body:
        _no_unknown(_object(body["pickup"], "pickup"), PICKUP_FIELDS, "pickup")
    building_id = body.get("building_id")
    if not isinstance(building_id, str) or not building_id.strip():
        raise OperationError(422, "building_id: field required")
    existing = runtime.store.get_quarantine(building_id.strip())
    event = {"type": "quarantine.registered", "event_id": f"ops-{uuid.uuid4()}", **body}
    outcome = _apply(runtime, event)
    created = existing is None or not existing.active
    return Result(created, _summary(runtime, building_id.strip(), outcome))


def update(runtime: EmbeddedRuntime, building_id: str, data: object) -> Result:
    """Change some details or the pickup point; residents are told of pickup changes."""
    changes = _object(data, "request body")
    _no_unknown(changes, ("event_id", *DETAIL_FIELDS), "request body")
    current = _current(runtime, building_id)
    pickup = current.pickup.model_dump()
    if "pickup" in changes:
        patch = _object(changes["pickup"], "pickup")
        _no_unknown(patch, PICKUP_FIELDS, "pickup")
        pickup |= patch
    event = {
        "type": "quarantine.updated",
        "event_id": changes.get("event_id") or f"ops-{uuid.uuid4()}",
        "building_id": building_id,
        **{k: v for k, v in quarantine_json(current).items() if k in DETAIL_FIELDS},
        **{k: v for k, v in changes.items() if k in DETAIL_FIELDS},
        "pickup": pickup,
    }
    outcome = _apply(runtime, event)
    if outcome.dead_letters:
        raise OperationError(409, f"building {building_id!r} could not be updated")
    return Result(False, _summary(runtime, building_id, outcome))


def lift(runtime: EmbeddedRuntime, building_id: str) -> Result:
    """End the quarantine: pending emails stop, residents get a short note."""
    _current(runtime, building_id)
    event = {
        "type": "quarantine.lifted",
        "event_id": f"ops-{uuid.uuid4()}",
        "building_id": building_id,
    }
    outcome = _apply(runtime, event)
    return Result(False, _summary(runtime, building_id, outcome))


def list_buildings(runtime: EmbeddedRuntime, active: bool | None = None) -> list[dict[str, Any]]:
    quarantines = runtime.store.all_quarantines()
    return [quarantine_json(q) for q in quarantines if active is None or q.active is active]


def get_building(runtime: EmbeddedRuntime, building_id: str) -> dict[str, Any]:
    quarantine = runtime.store.get_quarantine(building_id)
    if quarantine is None:
        raise OperationError(404, f"building {building_id!r} is not registered")
    return quarantine_json(quarantine)


def list_reviews(runtime: EmbeddedRuntime, status: str | None = "open") -> list[dict[str, Any]]:
    if status in (None, "all"):
        wanted = None
    else:
        try:
            wanted = ReviewStatus(status)
        except ValueError as exc:
            choices = ", ".join([*(s.value for s in ReviewStatus), "all"])
            raise OperationError(422, f"status must be one of: {choices}") from exc
    return [review_json(item) for item in runtime.store.list_reviews(wanted)]


def decide_review(runtime: EmbeddedRuntime, review_id: str, approve: bool) -> dict[str, Any]:
    """Approve (the resident is admitted and emailed) or reject a doubtful match."""
    try:
        with runtime.db.transaction():
            if approve:
                outcome = runtime.planner.approve(review_id)
                jobs = [job.job_id for job in outcome.jobs]
            else:
                runtime.planner.reject(review_id)
                jobs = []
    except KeyError as exc:
        raise OperationError(404, f"no review item {review_id!r}") from exc
    except ValueError as exc:
        raise OperationError(409, str(exc)) from exc
    return {
        "review_id": review_id,
        "status": "approved" if approve else "rejected",
        "emails_queued": len(jobs),
        "job_ids": jobs,
    }
