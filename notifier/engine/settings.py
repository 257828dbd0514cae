"""Settings of the engine (same ``NOTIFIER_`` prefix and library as ``notifier.config``)."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from notifier.messengers.ledger import SentLedger


class EngineSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NOTIFIER_", extra="ignore")

    in_doubt_grace_seconds: float | None = Field(
        None,
        ge=0,
        description="Seconds a job left in doubt by a crash waits for its SES Send event "
        "before it is sent again; empty = the ledger's own default (300 s for the SES Send "
        "events ledger, 0 for a ledger that reads the provider's record at once).",
    )
    sent_ledger: str = Field(
        "auto",
        pattern="^(auto|moto|ses-events)$",
        description="Which record settles in-doubt jobs: 'ses-events' (SES Send events, as "
        "against real SES), 'moto' (the moto server's own record), 'auto' = moto for a "
        "moto endpoint, SES Send events otherwise.",
    )


@lru_cache(maxsize=1)
def get_engine_settings() -> EngineSettings:
    return EngineSettings()


def grace_for(ledger: object, settings: EngineSettings | None = None) -> float:
    """The grace period for jobs in doubt with this ledger."""
    settings = settings or get_engine_settings()
    if settings.in_doubt_grace_seconds is not None:
        return settings.in_doubt_grace_seconds
    return float(getattr(ledger, "grace_seconds", 0.0))


def choose_ledger(
    provider: SentLedger | None,
    send_events: SentLedger,
    settings: EngineSettings | None = None,
) -> SentLedger:
    """The ledger ``NOTIFIER_SENT_LEDGER`` asks for: the runtime's own record of SES Send
    events, or the provider's record of what it accepted (moto's; ``auto``: that one when
    there is one)."""
    mode = (settings or get_engine_settings()).sent_ledger
    if mode == "ses-events" or (mode == "auto" and provider is None):
        return send_events
    if provider is None:
        raise ValueError("NOTIFIER_SENT_LEDGER=moto needs a moto SES endpoint")
    return provider
