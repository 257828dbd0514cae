"""``/report``: the self-contained HTML open-rate report (``?campaign=`` for one)."""

from __future__ import annotations

from typing import Any

from notifier.reporting.html import render_html
from notifier.streams import tracking
from notifier.streams.app import app
from notifier.streams.web.auth import OpsView


@app.page("/report")
class HtmlReport(OpsView):
    async def get(self, request: Any) -> Any:
        figures = await tracking.report(request.query.get("campaign") or None)
        return self.html(render_html(figures))
