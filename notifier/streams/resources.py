"""The worker's blocking resources, made on first use: the spaCy executor, the SES messenger
and its sent ledger, and the one thread SES calls run in."""

from __future__ import annotations

from concurrent.futures import Executor, ThreadPoolExecutor
from contextlib import ExitStack
from typing import Any

from notifier.config import get_settings
from notifier.messengers.ledger import SentLedger
from notifier.streams.segmenting import make_executor
from notifier.streams.settings import get_stream_settings

settings = get_settings()
stream_settings = get_stream_settings()

# spaCy runs in its own process (notifier.streams.segmenting). boto3 blocks: one thread, so
# sends keep their order and the event loop (heartbeats, commits, web server) keeps running.
send_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ses")
_resources = ExitStack()
_state: dict[str, Any] = {"segment_pool": None, "messenger": None, "ledger": None}


def segment_executor() -> Executor:
    if _state["segment_pool"] is None:
        _state["segment_pool"] = make_executor(
            stream_settings.segmenter, stream_settings.segment_processes
        )
    return _state["segment_pool"]


def drop_segment_pool() -> None:
    """Its child died (e.g. OOM-killed): the next batch starts a new one."""
    pool, _state["segment_pool"] = _state["segment_pool"], None
    if pool is not None:
        pool.shutdown(wait=False, cancel_futures=True)


def messenger() -> tuple[Any, SentLedger | None]:
    if _state["messenger"] is None:
        from notifier.runtime.wiring import open_messenger

        sender, ledger, _endpoint = _resources.enter_context(open_messenger(settings))
        _state["messenger"], _state["ledger"] = sender, ledger
    return _state["messenger"], _state["ledger"]
