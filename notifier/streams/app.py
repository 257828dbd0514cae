"""The Faust application: ``faust -A notifier.streams.app worker -l info``.

This module only creates the App from the settings (``NOTIFIER_APP_ID``,
``NOTIFIER_KAFKA_BROKER``, ``NOTIFIER_STORE``: ``memory://`` or ``rocksdb://`` with the
``rocksdb`` extra, ``NOTIFIER_TOPIC_PARTITIONS``, ``NOTIFIER_WEB_PORT``); topics, tables and
agents are declared in ``notifier.streams.agents``, imported at the end so the worker finds
them.
"""

from __future__ import annotations

import gc
import logging
from typing import Any

import faust

from notifier.config import InsecureDefaults, get_settings, require_production_secrets
from notifier.streams import faust_compat
from notifier.streams.settings import get_stream_settings


def create_app() -> faust.App:
    settings = get_settings()
    stream_settings = get_stream_settings()
    return faust.App(
        settings.app_id,
        broker=settings.kafka_broker,
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


@app.on_worker_init.connect
def _refuse_dev_secrets(sender: Any, *args: Any, signal: Any, **kwargs: Any) -> None:
    # At `faust worker` start-up, not at import: tests and tools import this module freely.
    try:
        require_production_secrets(get_settings(), what="the Kafka worker")
    except InsecureDefaults as exc:
        raise SystemExit(f"error: {exc}") from None


def tune_gc() -> None:
    """Collect the young generation every 50,000 allocations instead of 700.

    A worker allocates many short-lived objects per event (records, futures, models) while
    its tables keep hundreds of thousands alive; with CPython's defaults the collector runs
    so often that it cost 10-20% of throughput in bench/stream.py (1,640-1,652 events/s
    with the defaults, 1,720-2,145 with this). Cyclic garbage just lives a little longer.
    """
    gc.set_threshold(50_000, 50, 100)


def restore_root_log_level(root: logging.Logger | None = None) -> None:
    """Undo the DEBUG level a worker's progress spinner leaves on the root logger.

    ``faust worker -l warn`` (any level >= WARN) adds a spinner handler and sets the root
    logger to DEBUG for it; the spinner stops at start-up but the level stays, so every
    ``log.debug`` in aiokafka and Faust builds a LogRecord that no handler wants: about a
    tenth of the worker's CPU under load (bench/stream.py profile). The handler levels still
    hold the level that was asked for.
    """
    root = root or logging.getLogger()
    levels = [h.level for h in root.handlers if type(h).__name__ != "SpinnerHandler"]
    wanted = min(levels, default=root.level)
    if root.level < wanted:
        root.setLevel(wanted)


@app.task
async def _tune_worker_process() -> None:
    restore_root_log_level()
    tune_gc()


from notifier.streams import agents, web  # noqa: E402, F401  (topics, tables, agents)

web.register()  # the ops views (notifier/streams/web/)
