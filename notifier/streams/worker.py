"""The Kafka worker's entry point: ``faust -A notifier.streams.worker worker -l info``.

Imports the App (``notifier.streams.app``), then every module that declares topics, tables,
agents and timers on it (``notifier.streams.agents``) and the ops views
(``notifier.streams.web``), and tunes the worker process at start-up. Nothing imports this
module, so the imports run one way: declarations -> app, never app -> declarations.
"""

from __future__ import annotations

import gc
import logging

from notifier.streams import agents, web
from notifier.streams.app import app

web.register()  # the ops views (notifier/streams/web/)

__all__ = ["agents", "app", "restore_root_log_level", "tune_gc"]


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
