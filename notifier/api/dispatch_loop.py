"""Send queued emails in the background of the API server.

The dispatcher makes blocking SES calls (and may sleep through a throttling pause), so each run
goes to a one-thread executor; the event loop only waits. Runs happen every ``interval``
seconds and right after something queued emails (``wake``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from notifier.api.metrics import ApiMetrics
    from notifier.runtime.embedded import EmbeddedRuntime

log = logging.getLogger(__name__)


class DispatchLoop:
    def __init__(
        self, runtime: EmbeddedRuntime, metrics: ApiMetrics | None = None, interval: float = 5.0
    ) -> None:
        self.runtime = runtime
        self.metrics = metrics
        self.interval = interval
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dispatch")
        self.runs = 0

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def wake(self) -> None:
        self._wake.set()

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run(), name="dispatch")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        self._executor.shutdown(wait=True)

    async def run_once(self) -> None:
        loop = asyncio.get_running_loop()
        stats = await loop.run_in_executor(self._executor, self._dispatch)
        self.runs += 1
        if self.metrics is not None:
            self.metrics.dispatch_runs.inc()
            for outcome, n in stats.items():
                self.metrics.emails.labels(outcome).inc(n)

    def _dispatch(self) -> dict[str, int]:
        if self.runtime.dispatcher is None or not self.runtime.store.count_due():
            return {}
        return dict(self.runtime.dispatch(max_wait=self.interval).counts)

    async def _run(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self.interval)
            self._wake.clear()
            try:
                await self.run_once()
            except asyncio.CancelledError:
                raise
            except Exception:  # keep serving; the next tick retries
                log.exception("background dispatch failed")
