"""``/reviews``: the doubtful matches the matcher left for a person to decide."""

from __future__ import annotations

from aiohttp import web

from notifier.api import operations as ops
from notifier.api.state import state_of

routes = web.RouteTableDef()


@routes.get("/reviews")
async def list_reviews(request: web.Request) -> web.Response:
    state = state_of(request)
    items = ops.list_reviews(state.runtime, request.query.get("status", "open"))
    return web.json_response({"reviews": items, "count": len(items)})


@routes.post("/reviews/{review_id}/approve")
async def approve(request: web.Request) -> web.Response:
    state = state_of(request)
    body = ops.decide_review(state.runtime, request.match_info["review_id"], approve=True)
    state.wake_dispatch()  # the approved resident's email goes out now, not at the next tick
    return web.json_response(body)


@routes.post("/reviews/{review_id}/reject")
async def reject(request: web.Request) -> web.Response:
    state = state_of(request)
    body = ops.decide_review(state.runtime, request.match_info["review_id"], approve=False)
    return web.json_response(body)
