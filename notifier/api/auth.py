"""Bearer-token auth for the ops endpoints; health, metrics, the OpenAPI document and the
unsubscribe pages are public (recipients and scrapers have no token)."""

from __future__ import annotations

import hmac

from aiohttp import web

from notifier.api.errors import Handler, error_response
from notifier.api.state import state_of

PUBLIC_PATHS = frozenset({"/healthz", "/metrics", "/openapi.json", "/unsubscribe"})


@web.middleware
async def auth_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    if request.path in PUBLIC_PATHS:
        return await handler(request)
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    expected = state_of(request).api_token
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        token.strip().encode(), expected.encode()
    ):
        return error_response(
            401, "missing or wrong bearer token", **{"WWW-Authenticate": 'Bearer realm="ops"'}
        )
    return await handler(request)
