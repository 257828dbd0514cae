"""Configuration from environment variables (``NOTIFIER_*``), with embedded defaults.

pydantic-settings is used because the same settings object serves the CLI, the Faust worker
and the ops API, with validation and one documented place for every variable.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

#: ``ses_endpoint`` value that starts an in-process moto SES server (no AWS account needed).
EMBEDDED_SES = "embedded"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NOTIFIER_", extra="ignore")

    data_dir: Path = Field(Path(".notifier"), description="SQLite state, reports, dead letters.")

    # Kafka / Faust runtime
    kafka_broker: str = "kafka://127.0.0.1:19092"
    store: str = Field("memory://", description="Faust table store: memory:// or rocksdb://")
    app_id: str = "pickup-notifier"
    topic_partitions: int = 8
    web_port: int = 6066

    # Amazon SES
    ses_endpoint: str = Field(
        EMBEDDED_SES, description="'embedded' (in-process moto), 'aws', or an endpoint URL"
    )
    ses_region: str = "ap-south-1"
    sender: str = "Pickup Notices <pickup@notices.example.in>"
    reply_to: str = "support@notices.example.in"
    configuration_set: str = "pickup-notifier"
    max_send_rate: float | None = Field(
        None, description="Override the account's MaxSendRate (emails per second)."
    )
    max_24h_send: float | None = Field(
        None,
        description="Override the account's Max24HourSend (-1: unlimited). moto reports a fixed "
        "sandbox 200/day and counts a recipient twice per raw message.",
    )

    # ops API and unsubscribe links
    api_host: str = "127.0.0.1"
    api_port: int = 8080
    api_token: str = Field("dev-token-change-me", description="Bearer token for the ops API.")
    unsubscribe_secret: str = Field("dev-unsubscribe-secret-change-me", min_length=16)
    public_base_url: str = "http://127.0.0.1:8080"

    # matcher thresholds (None keeps the matcher's tuned defaults)
    match_threshold: float | None = None
    review_threshold: float | None = None

    @property
    def db_path(self) -> Path:
        return self.data_dir / "notifier.db"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
