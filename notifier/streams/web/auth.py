"""Bearer-token views: the same token (``NOTIFIER_API_TOKEN``) and answers as the embedded
ops API (``notifier.api.auth``)."""

from __future__ import annotations

import hmac
from typing import Any

from faust.web import View

from notifier.config import get_settings


def authorized(headers: Any, token: str | None = None) -> bool:
    scheme, _, given = str(headers.get("Authorization", "")).partition(" ")
    expected = token if token is not None else get_settings().api_token
    return scheme.lower() == "bearer" and hmac.compare_digest(
        given.strip().encode(), expected.encode()
    )


class OpsView(View):
    """A view that answers 401 without the ops bearer token."""

    async def dispatch(self, request: Any) -> Any:
        if not authorized(request.headers):
            return self.json(
                {"error": "missing or wrong bearer token", "status": 401},
                status=401,
                headers={"WWW-Authenticate": 'Bearer realm="ops"'},
            )
        return await super().dispatch(request)
