"""``/healthz`` and ``/metrics``."""

from __future__ import annotations

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from notifier.api.state import state_of

routes = web.RouteTableDef()


@routes.get("/healthz")
async def healthz(request: web.Request) -> web.Response:
    state = state_of(request)
    try:
        state.runtime.db.query("SELECT 1")
    except Exception as exc:  # the database is the one thing that must work
        return web.json_response({"status": "error", "reason": type(exc).__name__}, status=503)
    loop = state.dispatch
    return web.json_response(
        {
            "status": "ok",
            "dispatch": "off" if loop is None else ("running" if loop.running else "stopped"),
        }
    )


@routes.get("/metrics")
async def metrics(request: web.Request) -> web.Response:
    body = generate_latest(state_of(request).metrics.registry)
    return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})
