"""Rebalance hooks, the in-doubt settling timer, the metrics page and the ``create-topics``
command of the worker (the stall guard timer is installed by ``faust_compat``)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST

from notifier.streams import faust_compat, metrics
from notifier.streams.app import app
from notifier.streams.plan_agent import planning
from notifier.streams.send_agents import needs_settle, send_lock, settle_in_doubt
from notifier.streams.settings import get_stream_settings
from notifier.streams.topics import all_topics, suppressions_view

log = logging.getLogger(__name__)
stream_settings = get_stream_settings()


# Receivers take mode's signal handler signature, ``(sender, /, *args, signal, **kwargs)``
# (``args`` holds the assigned or revoked partitions, which these hooks do not need).
@app.on_partitions_assigned.connect
async def _on_assigned(sender: object, /, *args: object, signal: object, **kwargs: object) -> None:
    planning.reset()  # the matchers are rebuilt from the tables of the new assignment
    needs_settle.set()  # jobs of new partitions may have been left in SENDING


@app.on_rebalance_complete.connect
async def _on_rebalance_complete(
    sender: object, /, *args: object, signal: object, **kwargs: object
) -> None:
    # Sent after table recovery, before the streams resume: rebuild from complete tables
    # (a batch still in flight at assignment may have rebuilt them from partial ones).
    planning.reset()
    needs_settle.set()


@app.on_partitions_revoked.connect
async def _on_revoked(sender: object, /, *args: object, signal: object, **kwargs: object) -> None:
    # Let an in-flight send batch record its results before another worker takes the
    # partitions over (and settles whatever it finds in SENDING).
    try:
        await asyncio.wait_for(send_lock.acquire(), timeout=30)
    except TimeoutError:
        log.warning("send batch still running at rebalance; its jobs will be settled")
        return
    send_lock.release()


@app.timer(interval=stream_settings.settle_interval)
async def settle_timer() -> None:
    # Also settles when no new job arrives to trigger it. Never raise: a crashed timer
    # stops the worker.
    if needs_settle.is_set() and suppressions_view.ready.is_set():  # resends check it
        async with send_lock:
            try:
                await settle_in_doubt()
            except Exception:
                log.exception("settling in-doubt jobs failed; will retry")
                needs_settle.set()


def _lag() -> Iterator[tuple[str, int, int]]:
    consumer = app.consumer
    changelogs = app.tables.changelog_topics
    for tp in sorted(consumer.assignment()):
        if tp.topic in changelogs:
            continue
        try:
            highwater = consumer.highwater(tp)
        except Exception:  # not fetched yet
            continue
        if highwater is not None:
            yield (
                tp.topic,
                tp.partition,
                max(0, highwater - (faust_compat.next_to_deliver(consumer, tp) or 0)),
            )


metrics.consumer_lag.source = _lag


@app.page("/metrics")
async def metrics_page(web: Any, request: Any) -> Any:
    # aiohttp sets the charset itself and refuses one inside content_type
    return web.bytes(metrics.render(), content_type=CONTENT_TYPE_LATEST.split("; charset")[0])


@app.command()
async def create_topics(self: Any) -> None:
    """Create every topic and changelog of this app (run once before the first worker)."""
    for topic in all_topics():
        await topic.maybe_declare()
        self.say(f"ok {topic.get_topic_name()}")
