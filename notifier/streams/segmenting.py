"""Address segmentation for the workers, in a child process.

spaCy is CPU-bound Python: in a thread it competes with the event loop for the GIL, so a
worker segments in its own process (``NOTIFIER_SEGMENT_PROCESSES``, default 1; 0 = a thread).
The child imports only this module and the segmenter, not the Faust app.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from importlib import import_module
from typing import Any, Protocol

from notifier.address.segments import Segments

log = logging.getLogger(__name__)


class SegmenterLike(Protocol):
    def segment_many(self, texts: Iterable[str], batch_size: int = ...) -> Iterator[Segments]: ...


_segmenter: Any = None


def load_segmenter(spec: str = "") -> SegmenterLike:
    """'module:attr' of a segmenter factory (tests), or the shipped spaCy model."""
    if spec:
        module, _, attr = spec.partition(":")
        return getattr(import_module(module), attr)()
    from notifier.address.segmenter import get_segmenter

    return get_segmenter()


def _init(spec: str) -> None:
    global _segmenter
    _segmenter = load_segmenter(spec)


def _init_child(spec: str) -> None:
    # One BLAS thread: the child is one of several busy processes on the worker's cores, and
    # OpenBLAS's own thread pool then spins for nothing (2-3x slower in bench/segment.py).
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    _init(spec)
    parent = os.getppid()
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()


def _exit_with_parent(parent: int, interval: float = 1.0) -> None:
    """A worker killed with SIGKILL never shuts its pool down, and the idle child would
    wait on its call queue for ever (holding the model's memory): leave once orphaned."""
    while os.getppid() == parent:
        time.sleep(interval)
    os._exit(0)


def segment_all(texts: list[str]) -> list[Segments | None]:
    """Segment a batch; if the batch fails, each text alone (None where that fails too)."""
    segmenter = _segmenter
    try:
        return list(segmenter.segment_many(texts))
    except Exception:
        log.exception("segmenting a batch of %d addresses failed; trying one by one", len(texts))
    results: list[Segments | None] = []
    for text in texts:
        try:
            results.append(next(iter(segmenter.segment_many([text]))))
        except Exception:
            results.append(None)
    return results


def make_executor(spec: str, processes: int) -> Executor:
    """An executor whose workers have the segmenter loaded; run :func:`segment_all` in it."""
    if processes <= 0:
        _init(spec)  # shared by the thread: same module globals
        return ThreadPoolExecutor(max_workers=1, thread_name_prefix="segment")
    # spawn, not fork: the parent runs threads (Kafka client, executors) that fork would copy
    # in whatever state they are in.
    context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(
        max_workers=processes, mp_context=context, initializer=_init_child, initargs=(spec,)
    )
