"""``/buildings``: register, update, lift and list quarantined buildings."""

from __future__ import annotations

from aiohttp import web

from notifier.api import operations as ops
from notifier.api.errors import read_json
from notifier.api.state import state_of

routes = web.RouteTableDef()


def _active_filter(request: web.Request) -> bool | None:
    value = request.query.get("active")
    if value is None or value == "":
        return None
    if value.lower() in ("true", "1", "yes"):
        return True
    if value.lower() in ("false", "0", "no"):
        return False
    raise ops.OperationError(422, "active must be true or false")


@routes.get("/buildings")
async def list_buildings(request: web.Request) -> web.Response:
    state = state_of(request)
    items = ops.list_buildings(state.runtime, _active_filter(request))
    return web.json_response({"buildings": items, "count": len(items)})


@routes.post("/buildings")
async def register(request: web.Request) -> web.Response:
    state = state_of(request)
    result = ops.register(state.runtime, await read_json(request))
    state.wake_dispatch()
    return web.json_response(result.body, status=201 if result.created else 200)


@routes.get("/buildings/{building_id}")
async def get_building(request: web.Request) -> web.Response:
    state = state_of(request)
    return web.json_response(ops.get_building(state.runtime, request.match_info["building_id"]))


@routes.patch("/buildings/{building_id}")
async def update(request: web.Request) -> web.Response:
    state = state_of(request)
    body = await read_json(request)
    result = ops.update(state.runtime, request.match_info["building_id"], body)
    state.wake_dispatch()
    return web.json_response(result.body)


@routes.post("/buildings/{building_id}/lift")
async def lift(request: web.Request) -> web.Response:
    state = state_of(request)
    result = ops.lift(state.runtime, request.match_info["building_id"])
    state.wake_dispatch()
    return web.json_response(result.body)
