"""The review queue of a Kafka worker, over its web server (``notifier review --url``).

The worker's views (``notifier.streams.web.reviews``) answer with the embedded API's fields;
a decision is only accepted there (202): the route's planner applies it later, so
:func:`wait_decided` polls the item until its status leaves ``open``.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

TIMEOUT_SECONDS = 30


class RemoteReviewError(RuntimeError):
    """The worker could not be reached or refused (the message says which)."""


def _call(base_url: str, token: str, path: str, method: str = "GET") -> dict[str, Any]:
    url = f"{base_url.rstrip('/')}{path}"
    request = urllib.request.Request(
        url,
        method=method,
        data=b"" if method == "POST" else None,
        headers={"Authorization": f"Bearer {token}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            body = json.load(response)
    except urllib.error.HTTPError as exc:
        # the views' own message ("no review item 'x'", "already approved") when there is one
        try:
            message = str(json.load(exc).get("error") or "")
        except (ValueError, AttributeError, OSError):
            message = ""
        raise RemoteReviewError(message or f"{url} answered {exc.code} {exc.reason}") from exc
    except (OSError, ValueError) as exc:
        raise RemoteReviewError(f"cannot reach the reviews at {url}: {exc}"[:300]) from exc
    if not isinstance(body, dict):
        raise RemoteReviewError(f"{url} did not answer with a JSON object")
    return body


def list_reviews(base_url: str, token: str, status: str = "open") -> list[dict[str, Any]]:
    """The items with ``status`` (or ``all``), as ``GET /reviews`` lists them."""
    query = urllib.parse.urlencode({"status": status})
    body = _call(base_url, token, f"/reviews?{query}")
    items = body.get("reviews")
    if not isinstance(items, list):
        raise RemoteReviewError(f"{base_url} did not answer with a review list")
    return items


def decide(base_url: str, token: str, review_id: str, approve: bool) -> dict[str, Any]:
    """Publish the decision; the worker's 202 body (``status: accepted``, an approval's
    ``job_id``)."""
    verb = "approve" if approve else "reject"
    path = f"/reviews/{urllib.parse.quote(review_id, safe='')}/{verb}"
    return _call(base_url, token, path, method="POST")


def wait_decided(
    base_url: str, token: str, review_id: str, timeout: float, interval: float = 0.5
) -> dict[str, Any] | None:
    """The item once its status is no longer ``open``, or None after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        for item in list_reviews(base_url, token, "all"):
            if item.get("review_id") == review_id and item.get("status") != "open":
                return item
        if time.monotonic() >= deadline:
            return None
        time.sleep(interval)
