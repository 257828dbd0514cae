"""Assemble the ops API: middlewares, one route table per resource, the dispatch loop."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

from aiohttp import web

from notifier.api import buildings, campaigns, health, openapi, reviews, unsubscribe
from notifier.api.auth import auth_middleware
from notifier.api.dispatch_loop import DispatchLoop
from notifier.api.errors import error_middleware
from notifier.api.metrics import ApiMetrics
from notifier.api.state import STATE, ApiState

if TYPE_CHECKING:
    from notifier.config import Settings
    from notifier.runtime.embedded import EmbeddedRuntime

MAX_BODY = 5 * 1024 * 1024


def make_app(
    runtime: EmbeddedRuntime,
    settings: Settings | None = None,
    *,
    dispatch: bool = True,
    dispatch_interval: float = 5.0,
) -> web.Application:
    """The aiohttp application over ``runtime``; with ``dispatch`` (and a messenger on the
    runtime) queued emails are sent in the background while it runs."""
    settings = settings or runtime.settings
    metrics = ApiMetrics(runtime)
    state = ApiState(
        runtime=runtime,
        api_token=settings.api_token,
        unsubscribe_secret=settings.unsubscribe_secret.encode(),
        metrics=metrics,
    )
    app = web.Application(
        middlewares=[metrics.middleware(), error_middleware, auth_middleware],
        client_max_size=MAX_BODY,
    )
    app[STATE] = state
    for module in (health, openapi, buildings, reviews, campaigns, unsubscribe):
        app.add_routes(module.routes)

    if dispatch and runtime.dispatcher is not None:

        async def background(app: web.Application) -> AsyncIterator[None]:
            loop = DispatchLoop(runtime, metrics, interval=dispatch_interval)
            state.dispatch = loop
            loop.start()
            yield
            await loop.stop()
            state.dispatch = None

        app.cleanup_ctx.append(background)
    return app
