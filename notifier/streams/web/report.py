"""``/report``: the self-contained HTML open-rate report (``?campaign=`` for one campaign,
``?format=json`` for the figures ``notifier report --url`` prints as tables or CSV)."""

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
        if request.query.get("format") == "json":
            return self.json(figures.as_dict())
        return self.html(render_html(figures))
