"""Every error leaves the API as JSON ``{"error": ..., "status": ...}`` with a 4xx/5xx code."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from notifier.api.operations import OperationError

log = logging.getLogger(__name__)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def error_response(status: int, message: str, **headers: str) -> web.Response:
    return web.json_response({"error": message, "status": status}, status=status, headers=headers)


async def read_json(request: web.Request) -> Any:
    """The request's JSON body, or a 400/415 that says what is wrong with it."""
    if not request.can_read_body:
        raise OperationError(400, "request body is empty (JSON expected)")
    if request.content_type not in ("application/json", "application/octet-stream", ""):
        raise OperationError(415, "request body must be application/json")
    raw = await request.read()
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise OperationError(400, f"request body is not valid JSON ({exc})"[:200]) from exc


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except OperationError as exc:
        return error_response(exc.status, exc.message)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        headers = {"Allow": exc.headers["Allow"]} if "Allow" in exc.headers else {}
        return error_response(exc.status, exc.reason, **headers)
    except Exception:
        # Logged with the route only: bodies may hold personal data.
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(500, "internal error")
