"""``/campaigns`` and ``/campaigns/{campaign_id}``: open-rate figures, as the embedded API."""

from __future__ import annotations

from typing import Any

from notifier.streams import tracking
from notifier.streams.app import app
from notifier.streams.web.auth import OpsView


@app.page("/campaigns")
class Campaigns(OpsView):
    async def get(self, request: Any) -> Any:
        figures = await tracking.report(None)
        return self.json(
            {
                "campaigns": [row.as_dict() for row in figures.rows("campaign")],
                "totals": figures.totals_dict(),
            }
        )


@app.page("/campaigns/{campaign_id}")
class CampaignStats(OpsView):
    async def get(self, request: Any, campaign_id: str) -> Any:
        figures = await tracking.report(campaign_id)
        if not figures.totals.sent:
            return self.json(
                {"error": f"no sent emails for campaign {campaign_id!r}", "status": 404},
                status=404,
            )
        return self.json(figures.as_dict())
