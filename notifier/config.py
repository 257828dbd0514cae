"""Configuration from environment variables (``NOTIFIER_*``), with embedded defaults.

pydantic-settings is used because the same settings object serves the CLI, the Faust worker
and the ops API, with validation and one documented place for every variable.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = [
    "DEV_API_TOKEN",
    "DEV_UNSUBSCRIBE_SECRET",
    "EMBEDDED_SES",
    "MAIL_SINK",
    "InsecureDefaults",
    "Settings",
    "get_settings",
    "require_production_secrets",
]

#: ``ses_endpoint`` value that writes every email as an .eml file under ``data_dir/mail``
#: (the embedded default: no AWS account and no test tooling needed).
MAIL_SINK = "mailsink"
#: Older name of the same default, still accepted.
EMBEDDED_SES = "embedded"
#: Development values of the two secrets: usable only with ``NOTIFIER_DEV_MODE=1``.
DEV_API_TOKEN = "dev-token-change-me"
DEV_UNSUBSCRIBE_SECRET = "dev-unsubscribe-secret-change-me"


class InsecureDefaults(RuntimeError):
    """A server was asked to start with a development secret outside dev mode."""


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
        MAIL_SINK,
        description="'mailsink' (.eml files under data_dir/mail), 'aws', or an SES endpoint URL "
        "(a moto server in tests)",
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
    api_token: str = Field(DEV_API_TOKEN, description="Bearer token for the ops API.")
    unsubscribe_secret: str = Field(DEV_UNSUBSCRIBE_SECRET, min_length=16)
    public_base_url: str = "http://127.0.0.1:8080"
    dev_mode: bool = Field(
        False,
        description="Allow the development token and secret in servers (demo, tests, laptops).",
    )

    # matcher thresholds (None keeps the matcher's tuned defaults)
    match_threshold: float | None = None
    review_threshold: float | None = None

    @property
    def db_path(self) -> Path:
        return self.data_dir / "notifier.db"

    @property
    def mail_dir(self) -> Path:
        """Where the mail sink writes its .eml files."""
        return self.data_dir / "mail"


def require_production_secrets(settings: Settings, *, what: str) -> None:
    """Refuse to run a server with a development secret unless dev mode is set explicitly."""
    if settings.dev_mode:
        return
    weak = [
        name
        for name, value, dev in (
            ("NOTIFIER_API_TOKEN", settings.api_token, DEV_API_TOKEN),
            ("NOTIFIER_UNSUBSCRIBE_SECRET", settings.unsubscribe_secret, DEV_UNSUBSCRIBE_SECRET),
        )
        if value == dev
    ]
    if weak:
        raise InsecureDefaults(
            f"{what} refuses to start with the development {' and '.join(weak)}: set "
            f"{'them' if len(weak) > 1 else 'it'}, or NOTIFIER_DEV_MODE=1 for local use"
        )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings()
