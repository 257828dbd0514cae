"""``/campaigns``, ``/report`` and ``/ses-events``: open-rate figures and their input."""

from __future__ import annotations

import asyncio

from aiohttp import web

from notifier.api.errors import read_json
from notifier.api.operations import OperationError
from notifier.api.state import state_of
from notifier.reporting.html import render_html
from notifier.reporting.report import Report, build_report
from notifier.tracking.ingest import ingest_records
from notifier.tracking.store import SqliteTrackingStore

routes = web.RouteTableDef()
MAX_RECORDS = 10_000


async def _report(request: web.Request, campaign: str | None) -> Report:
    store = SqliteTrackingStore(state_of(request).runtime.db)
    # Reading every message state takes a while on big campaigns: keep the loop free.
    return await asyncio.get_running_loop().run_in_executor(None, build_report, store, campaign)


@routes.get("/campaigns")
async def list_campaigns(request: web.Request) -> web.Response:
    report = await _report(request, None)
    return web.json_response(
        {
            "campaigns": [row.as_dict() for row in report.rows("campaign")],
            "totals": report.totals_dict(),
        }
    )


@routes.get("/campaigns/{campaign_id}")
async def campaign_stats(request: web.Request) -> web.Response:
    campaign = request.match_info["campaign_id"]
    report = await _report(request, campaign)
    if not report.totals.sent:
        raise OperationError(404, f"no sent emails for campaign {campaign!r}")
    return web.json_response(report.as_dict())


@routes.get("/report")
async def html_report(request: web.Request) -> web.Response:
    campaign = request.query.get("campaign") or None
    report = await _report(request, campaign)
    return web.Response(text=render_html(report), content_type="text/html")


@routes.post("/ses-events")
async def ses_events(request: web.Request) -> web.Response:
    """SES event records (one, or a list; SNS envelopes accepted) into tracking."""
    body = await read_json(request)
    records = body if isinstance(body, list) else [body]
    if len(records) > MAX_RECORDS:
        raise OperationError(413, f"at most {MAX_RECORDS} records per request")
    runtime = state_of(request).runtime
    stats = await asyncio.get_running_loop().run_in_executor(
        None, lambda: ingest_records(records, runtime, source="api:ses-events")
    )
    return web.json_response(stats.as_dict())
