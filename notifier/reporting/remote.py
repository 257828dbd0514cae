"""Fetch the report from a Kafka worker's web server (``GET /report?format=json``)."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

from notifier.reporting.report import Report

TIMEOUT_SECONDS = 60


class ReportUnavailable(RuntimeError):
    """The worker could not be reached or refused (the message says which)."""


def fetch_report(base_url: str, token: str, campaign: str | None = None) -> Report:
    query = {"format": "json", **({"campaign": campaign} if campaign else {})}
    url = f"{base_url.rstrip('/')}/report?{urllib.parse.urlencode(query)}"
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            raw = json.load(response)
    except urllib.error.HTTPError as exc:
        raise ReportUnavailable(f"{url} answered {exc.code} {exc.reason}") from exc
    except (OSError, ValueError) as exc:
        raise ReportUnavailable(f"cannot read a report from {url}: {exc}"[:300]) from exc
    try:
        return Report.from_dict(raw, campaign)
    except (KeyError, TypeError, ValueError) as exc:
        raise ReportUnavailable(f"{url} did not answer with a report ({exc!r})"[:300]) from exc
