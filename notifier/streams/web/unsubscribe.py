"""``/unsubscribe``: the one-click link (RFC 8058) of emails the Kafka runtime sends, as the
embedded API's (``notifier.api.unsubscribe``).

``GET`` only shows a page with a button (link scanners fetch every URL of a mail); ``POST``
with ``List-Unsubscribe=One-Click`` verifies the signed token (it names the job) and publishes
a "suppress" control record keyed by the job id: the control agent owning the job's partition
puts the job's address on the suppression list. No bearer token: the signature is the
credential. The address is never logged.
"""

from __future__ import annotations

import logging
from html import escape
from typing import Any

from faust.web import View

from notifier.campaigns.unsubscribe import InvalidToken, verify_token
from notifier.config import get_settings
from notifier.streams.app import app
from notifier.streams.messages import JobControl
from notifier.streams.topics import control_topic

log = logging.getLogger(__name__)
ONE_CLICK = "One-Click"  # notifier.api.unsubscribe.ONE_CLICK (not imported: no embedded API here)

_PAGE = (
    "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{title}</title></head>"
    "<body><h1>{title}</h1>{body}</body></html>"
)


@app.page("/unsubscribe")
class Unsubscribe(View):
    def _page(self, title: str, body: str, status: int = 200) -> Any:
        return self.html(
            _PAGE.format(title=escape(title), body=body),
            status=status,
            headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
        )

    def _verify(self, request: Any) -> tuple[str | None, Any]:
        token = request.query.get("token", "")
        if not token:
            return None, self._page("Link incomplete", "<p>This link has no token.</p>", 400)
        try:
            return verify_token(token, get_settings().unsubscribe_secret.encode()), None
        except InvalidToken as exc:
            log.info("unsubscribe refused: %s", exc)
            status = 400 if str(exc) == "malformed token" else 403
            return None, self._page(
                "Link not valid",
                f"<p>This unsubscribe link is not valid ({escape(str(exc))}).</p>",
                status,
            )

    async def get(self, request: Any) -> Any:
        _job_id, error = self._verify(request)
        if error is not None:
            return error
        action = escape(request.path_qs, quote=True)
        return self._page(
            "Stop these emails?",
            f"<form method='post' action='{action}'>"
            f"<input type='hidden' name='List-Unsubscribe' value='{ONE_CLICK}'>"
            "<button type='submit'>Unsubscribe</button></form>",
        )

    async def post(self, request: Any) -> Any:
        job_id, error = self._verify(request)
        if error is not None:
            return error
        form = await request.post() if request.can_read_body else {}
        if form.get("List-Unsubscribe") != ONE_CLICK:
            return self._page(
                "Request incomplete",
                "<p>The request must carry List-Unsubscribe=One-Click.</p>",
                400,
            )
        control = JobControl(job_id=job_id or "", action="suppress", reason="unsubscribed")
        sent = await control_topic.send(key=job_id, value=control.model_dump_json().encode())
        await sent  # acknowledged by Kafka before the page says so
        log.info("address unsubscribed by one-click link")
        return self._page(
            "You are unsubscribed", "<p>You will get no more pickup-point notices.</p>"
        )
