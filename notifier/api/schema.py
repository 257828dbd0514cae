"""The ops API's request and response bodies as pydantic models: the one source of the OpenAPI
document's schemas (``notifier.api.openapi`` turns them into ``components.schemas``).

Request bodies reuse the event contracts' field rules (``notifier.events.contracts``), so the
document cannot drift from what the API accepts; responses describe what the handlers return,
and the schemathesis run (tests/api/test_openapi_fuzz.py) checks every answer against them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import models_json_schema

from notifier.events.contracts import PickupPoint

__all__ = [
    "REQUEST_MODELS",
    "RESPONSE_MODELS",
    "ApiError",
    "Building",
    "BuildingList",
    "CampaignList",
    "CampaignStats",
    "ChangeResult",
    "Health",
    "IngestCounts",
    "Pickup",
    "PickupPatch",
    "Registration",
    "ReviewDecision",
    "ReviewItem",
    "ReviewList",
    "Update",
    "component_schemas",
]

BuildingId = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9._:-]+$")]
EventId = Annotated[str, Field(min_length=1, max_length=200)]
Pincode = Annotated[str, Field(pattern=r"^[1-9][0-9]{5}$")]
Alias = Annotated[str, Field(min_length=1, max_length=300)]


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Pickup(PickupPoint):
    """The pickup point as a request gives it (unknown fields are refused)."""

    model_config = ConfigDict(extra="forbid")


class Registration(_Request):
    """POST /buildings: quarantine a building and open its pickup point."""

    building_id: BuildingId
    event_id: EventId | None = None
    name: str = Field(min_length=1, max_length=300)
    locality: str = Field("", max_length=200)
    city: str = Field(min_length=1, max_length=100)
    pincode: Pincode | None = None
    pickup: Pickup
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    # other names the building goes by, and its developer (help matching)
    aliases: list[Alias] = Field(default_factory=list, max_length=20)
    brand: str | None = Field(None, min_length=1, max_length=100)


class PickupPatch(_Request):
    """PATCH: the pickup fields to change (the others keep their values)."""

    name: str | None = Field(None, min_length=1, max_length=300)
    location: str | None = Field(None, min_length=1, max_length=500)
    hours: str | None = Field(None, max_length=200)
    instructions: str | None = Field(None, max_length=2000)


class Update(_Request):
    """PATCH /buildings/{building_id}: only the fields given change."""

    event_id: EventId | None = None
    name: str | None = Field(None, min_length=1, max_length=300)
    locality: str | None = Field(None, max_length=200)
    city: str | None = Field(None, min_length=1, max_length=100)
    pincode: Pincode | None = None
    pickup: PickupPatch | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    aliases: list[Alias] | None = Field(None, max_length=20)
    brand: str | None = Field(None, min_length=1, max_length=100)


class ApiError(BaseModel):
    """Every 4xx/5xx JSON answer."""

    error: str
    status: int


class Health(BaseModel):
    status: Literal["ok", "error"]
    dispatch: Literal["off", "running", "stopped"] | None = None
    reason: str | None = None


class Building(BaseModel):
    building_id: str
    name: str
    locality: str
    city: str
    pincode: str | None
    aliases: list[str]
    brand: str | None
    pickup: PickupPoint
    episode_id: str
    revision: int
    active: bool
    starts_at: str | None
    ends_at: str | None


class BuildingList(BaseModel):
    buildings: list[Building]
    count: int


class ChangeResult(BaseModel):
    """What a registration, update or lift led to."""

    building: Building | None
    emails_queued: int
    sent_to_review: int
    emails_cancelled: int


class ReviewItem(BaseModel):
    review_id: str
    episode_id: str
    building_id: str
    customer_id: str
    address_id: str
    score: float
    status: Literal["open", "approved", "rejected", "obsolete"]
    explanation: dict[str, Any]  # the matcher's decision, score, reason and features


class ReviewList(BaseModel):
    reviews: list[ReviewItem]
    count: int


class ReviewDecision(BaseModel):
    review_id: str
    status: Literal["approved", "rejected"]
    emails_queued: int
    job_ids: list[str]


class IngestCounts(BaseModel):
    """POST /ses-events: records taken in, by outcome (invalid ones are dead-lettered)."""

    model_config = ConfigDict(extra="allow")


class CampaignList(BaseModel):
    campaigns: list[dict[str, Any]]
    totals: dict[str, Any]


class CampaignStats(BaseModel):
    model_config = ConfigDict(extra="allow")

    totals: dict[str, Any]


REQUEST_MODELS: tuple[type[BaseModel], ...] = (Registration, Update)
RESPONSE_MODELS: tuple[type[BaseModel], ...] = (
    ApiError,
    Health,
    Building,
    BuildingList,
    ChangeResult,
    ReviewItem,
    ReviewList,
    ReviewDecision,
    IngestCounts,
    CampaignList,
    CampaignStats,
)


def component_schemas() -> dict[str, Any]:
    """JSON Schemas of every model, keyed by name, with refs into ``components/schemas``."""
    _, top = models_json_schema(
        [(m, "validation") for m in REQUEST_MODELS]
        + [(m, "serialization") for m in RESPONSE_MODELS],
        ref_template="#/components/schemas/{model}",
    )
    return dict(top.get("$defs", {}))
