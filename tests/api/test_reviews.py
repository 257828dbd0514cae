from __future__ import annotations

from notifier.events.contracts import parse_event
from tests.api.conftest import AUTH
from tests.api.test_buildings import BODY
from tests.helpers import address

DOUBTFUL = "Prestige Habitat | Whitefield | Bengaluru"  # scores in the review band


async def _with_reviews(api, n: int) -> list[dict]:
    assert (await api.client.post("/buildings", json=BODY, headers=AUTH)).status == 201
    for i in range(n):
        api.runtime.apply(parse_event(address(f"d{i}", DOUBTFUL)))
    body = await (await api.client.get("/reviews", headers=AUTH)).json()
    assert body["count"] == n
    return body["reviews"]


async def test_approve_sends_the_email_and_reject_records(api) -> None:
    items = await _with_reviews(api, 2)
    first, second = items[0]["review_id"], items[1]["review_id"]
    resp = await api.client.post(f"/reviews/{first}/approve", headers=AUTH)
    assert resp.status == 200
    body = await resp.json()
    assert body["status"] == "approved" and body["emails_queued"] == 1
    await api.eventually(lambda: len(api.messenger.sent) == 1)
    assert api.runtime.store.job_state(body["job_ids"][0]).value == "sent"

    resp = await api.client.post(f"/reviews/{second}/reject", headers=AUTH)
    assert (await resp.json())["status"] == "rejected"
    again = await api.client.post(f"/reviews/{second}/approve", headers=AUTH)
    assert again.status == 409 and "already rejected" in (await again.json())["error"]

    open_items = await (await api.client.get("/reviews", headers=AUTH)).json()
    assert open_items["count"] == 0
    every = await (await api.client.get("/reviews?status=all", headers=AUTH)).json()
    assert sorted(i["status"] for i in every["reviews"]) == ["approved", "rejected"]
    assert len(api.messenger.sent) == 1  # the rejected resident got nothing


async def test_review_errors(api) -> None:
    resp = await api.client.post("/reviews/nope/approve", headers=AUTH)
    assert resp.status == 404 and "no review item" in (await resp.json())["error"]
    resp = await api.client.get("/reviews?status=maybe", headers=AUTH)
    assert resp.status == 422 and "status must be one of" in (await resp.json())["error"]
