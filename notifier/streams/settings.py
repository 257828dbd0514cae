"""Settings of the Kafka runtime that the shared ``notifier.config.Settings`` does not have.

Same ``NOTIFIER_`` prefix, read by the same library, so one environment configures a worker.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class StreamSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NOTIFIER_", extra="ignore")

    topic_prefix: str = Field(
        "", description="Prefix of the public topic names (e.g. 'staging.'); tests make it unique."
    )
    segmenter: str = Field(
        "",
        description="'module:attr' of a segmenter factory; empty = the shipped spaCy model.",
    )
    segment_processes: int = Field(
        1, ge=0, description="Child processes running spaCy; 0 runs it in a thread instead."
    )
    segment_batch: int = Field(512, ge=1, description="Address events taken per batch.")
    segment_chunk: int = Field(
        128,
        ge=1,
        description="Addresses per spaCy call: the worker routes one chunk while the next "
        "is segmented.",
    )
    segment_within: float = Field(
        0.02,
        gt=0,
        description="Max seconds to wait to fill a batch: under load batches fill anyway; "
        "at 1,000 events/s 0.02 gave a lower p99 than 0.05 (bench/stream.py).",
    )
    plan_batch: int = Field(500, ge=1)
    send_batch: int = Field(50, ge=1)
    settle_interval: float = Field(5.0, gt=0, description="Seconds between in-doubt checks.")
    stall_seconds: float = Field(
        10.0,
        gt=0,
        description="Seconds a partition may sit on fetched-but-undelivered records before "
        "it is re-read (works around a faust-streaming fetch bug).",
    )
    session_timeout: float = Field(
        30.0,
        gt=0,
        description="Seconds before a silent (killed) worker's partitions are reassigned.",
    )

    # Broker security (``streams/broker_security.py``): the Faust app and the worker's own
    # aiokafka clients (the changelog and review readers, the SES bridge) all use these.
    kafka_security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = Field(
        "PLAINTEXT", description="How every Kafka client of the runtime reaches the brokers."
    )
    kafka_sasl_mechanism: Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"] = "PLAIN"
    kafka_sasl_username: str = ""
    kafka_sasl_password: SecretStr = SecretStr("")
    kafka_ssl_cafile: str = Field("", description="CA bundle (PEM); empty: the system's CAs.")
    kafka_ssl_certfile: str = Field("", description="Client certificate (PEM) for mutual TLS.")
    kafka_ssl_keyfile: str = Field("", description="The client certificate's key (PEM).")
    kafka_ssl_check_hostname: bool = True


@lru_cache(maxsize=1)
def get_stream_settings() -> StreamSettings:
    return StreamSettings()
