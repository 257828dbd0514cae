"""An email job as the state machine sends it: the job plus what the email says about its
building (JSON, pydantic-validated: the Kafka runtime carries it on the jobs topic)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from notifier.campaigns.store import Quarantine
from notifier.events.contracts import EmailJob, PickupPoint


class _Message(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class RenderContext(_Message):
    """What the sender needs to know about the building (it does not see the planner's store)."""

    name: str
    locality: str
    city: str
    pickup: PickupPoint
    starts_at: datetime | None = None
    ends_at: datetime | None = None

    @classmethod
    def of(cls, quarantine: Quarantine) -> RenderContext:
        return cls(
            name=quarantine.name,
            locality=quarantine.locality,
            city=quarantine.city,
            pickup=quarantine.pickup,
            starts_at=quarantine.starts_at,
            ends_at=quarantine.ends_at,
        )


class OutboxJob(_Message):
    """A job ready to send. ``route``: where the Kafka runtime feeds its verdict back to
    (the planner's partition); empty on the embedded runtime."""

    job: EmailJob
    context: RenderContext
    route: str = ""
