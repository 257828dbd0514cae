"""What the handlers share, stored on the aiohttp application."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from notifier.api.dispatch_loop import DispatchLoop
    from notifier.api.metrics import ApiMetrics
    from notifier.runtime.embedded import EmbeddedRuntime


@dataclass(slots=True)
class ApiState:
    runtime: EmbeddedRuntime
    api_token: str
    unsubscribe_secret: bytes
    metrics: ApiMetrics
    dispatch: DispatchLoop | None = None

    def wake_dispatch(self) -> None:
        if self.dispatch is not None:
            self.dispatch.wake()


STATE: web.AppKey[ApiState] = web.AppKey("notifier_state", ApiState)


def state_of(request: web.Request) -> ApiState:
    return request.app[STATE]
