"""The Faust App, built from the settings and nothing else.

This module only creates the App from the settings (``NOTIFIER_APP_ID``,
``NOTIFIER_KAFKA_BROKER``, ``NOTIFIER_STORE``: ``memory://`` or ``rocksdb://`` with the
``rocksdb`` extra, ``NOTIFIER_TOPIC_PARTITIONS``, ``NOTIFIER_WEB_PORT``) and checks a worker's
start-up. It imports no agent: the modules that declare topics, tables, agents and views import
it, and ``notifier.streams.worker`` (the entry point, ``faust -A notifier.streams.worker
worker``) imports them all, so the dependency runs one way.
"""

from __future__ import annotations

import faust

from notifier.config import InsecureDefaults, get_settings, require_production_secrets
from notifier.streams import faust_compat
from notifier.streams.broker_security import broker_credentials
from notifier.streams.settings import get_stream_settings


def create_app() -> faust.App:
    settings = get_settings()
    stream_settings = get_stream_settings()
    return faust.App(
        settings.app_id,
        broker=settings.kafka_broker,
        # TLS / SASL (NOTIFIER_KAFKA_SECURITY_PROTOCOL ...); the plain readers use the same
        broker_credentials=broker_credentials(stream_settings),
        store=settings.store,
        topic_partitions=settings.topic_partitions,
        web_port=settings.web_port,
        # Faust's /table views read any table key over HTTP without a token (job states
        # hold names and emails); the ops views are in notifier/streams/web/.
        web_tables_enabled=False,
        # Delivery guarantees come from idempotent effects, not from Kafka transactions.
        processing_guarantee="at_least_once",
        producer_acks=-1,
        # Table writes are many small changelog messages: batch them (bounded delay).
        producer_linger=0.005,
        # Offsets are committed often so a restarted worker replays little.
        broker_commit_every=500,
        broker_commit_interval=1.0,
        # A first worker creates its topics while it subscribes; a short metadata age makes
        # it notice them (and rebalance onto them) in seconds rather than 5 minutes.
        consumer_metadata_max_age_ms=5_000,
        broker_session_timeout=stream_settings.session_timeout,
        broker_heartbeat_interval=min(3.0, stream_settings.session_timeout / 3),
    )


app = create_app()
# The one place Faust's internals are patched (checked first; fails fast on a mismatch).
faust_compat.install(app, stall_seconds=get_stream_settings().stall_seconds)


WORKER_MODULE = "notifier.streams.worker"


@app.on_worker_init.connect
def _check_worker_start(sender: object, /, *args: object, signal: object, **kwargs: object) -> None:
    # At `faust worker` start-up, not at import: tests and tools import this module freely.
    if not app.agents:
        # `-A notifier.streams.app` alone would start a worker that consumes nothing.
        raise SystemExit(
            f"error: {__name__} only builds the Faust app and declares no agent; "
            f"start the worker with `faust -A {WORKER_MODULE} worker`"
        )
    try:
        require_production_secrets(get_settings(), what="the Kafka worker")
    except InsecureDefaults as exc:
        raise SystemExit(f"error: {exc}") from None
