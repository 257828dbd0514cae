"""One-click unsubscribe (RFC 8058) and its confirmation page.

``GET`` only shows a page with a button: link scanners fetch every URL in a mail, so a GET
must never unsubscribe anyone. ``POST`` with ``List-Unsubscribe=One-Click`` (what mail clients
send, and what the button sends) verifies the signed token and suppresses the address. A
forged, expired or malformed token changes nothing. The address is never logged.
"""

from __future__ import annotations

import logging
from html import escape

from aiohttp import web

from notifier.api.state import state_of
from notifier.campaigns.unsubscribe import InvalidToken, verify_token

log = logging.getLogger(__name__)
routes = web.RouteTableDef()
ONE_CLICK = "One-Click"

_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>
<style>body{{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;
color:#111827}}button{{font-size:1rem;padding:.6rem 1.2rem;border:0;border-radius:6px;
background:#1e3a8a;color:#fff;cursor:pointer}}</style></head>
<body><h1>{title}</h1>{body}</body></html>"""


def _page(title: str, body: str, status: int = 200) -> web.Response:
    return web.Response(
        text=_PAGE.format(title=escape(title), body=body),
        status=status,
        content_type="text/html",
        headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
    )


def _verify(request: web.Request) -> tuple[str | None, web.Response | None]:
    token = request.query.get("token", "")
    if not token:
        return None, _page("Link incomplete", "<p>This unsubscribe link has no token.</p>", 400)
    try:
        return verify_token(token, state_of(request).unsubscribe_secret), None
    except InvalidToken as exc:
        status = 400 if str(exc) == "malformed token" else 403
        log.info("unsubscribe refused: %s", exc)
        return None, _page(
            "Link not valid",
            f"<p>This unsubscribe link is not valid ({escape(str(exc))}). "
            "Please use the link from a recent email.</p>",
            status,
        )


@routes.get("/unsubscribe")
async def confirm_page(request: web.Request) -> web.Response:
    _job_id, error = _verify(request)
    if error is not None:
        return error
    action = escape(request.path_qs, quote=True)
    return _page(
        "Stop these emails?",
        "<p>You will get no more pickup-point notices at this address.</p>"
        f"<form method='post' action='{action}'>"
        f"<input type='hidden' name='List-Unsubscribe' value='{ONE_CLICK}'>"
        "<button type='submit'>Unsubscribe</button></form>",
    )


@routes.post("/unsubscribe")
async def one_click(request: web.Request) -> web.Response:
    job_id, error = _verify(request)
    if error is not None:
        return error
    form = await request.post() if request.can_read_body else {}
    if form.get("List-Unsubscribe") != ONE_CLICK:
        return _page(
            "Request incomplete",
            "<p>The request must carry <code>List-Unsubscribe=One-Click</code>.</p>",
            400,
        )
    store = state_of(request).runtime.store
    job = store.get_job(job_id or "")
    if job is None:
        return _page("Link not valid", "<p>This unsubscribe link is no longer valid.</p>", 404)
    store.suppress(job.email, "unsubscribed")
    log.info("address unsubscribed by one-click link")
    return _page("You are unsubscribed", "<p>You will get no more pickup-point notices.</p>")
