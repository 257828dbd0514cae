from __future__ import annotations

from notifier.events.contracts import EmailKind, parse_event
from tests.api.conftest import AUTH
from tests.helpers import address

BODY = {
    "building_id": "B1",
    "name": "Prestige Lakeside Habitat",
    "locality": "Whitefield",
    "city": "Bengaluru",
    "pincode": "560066",
    "pickup": {"name": "Clubhouse", "location": "Gate 2 lobby", "hours": "9-18"},
}


def _residents(api, n: int) -> None:
    for i in range(n):
        text = "Prestige Lakeside Habitat | Whitefield | Bengaluru | 560066"
        api.runtime.apply(parse_event(address(f"r{i}", text)))


async def test_register_emails_residents_update_and_lift(api) -> None:
    _residents(api, 3)
    resp = await api.client.post("/buildings", json=BODY, headers=AUTH)
    assert resp.status == 201, await resp.text()
    body = await resp.json()
    assert body["emails_queued"] == 3 and body["building"]["active"] is True
    await api.eventually(lambda: len(api.messenger.sent) == 3)  # background sender

    resp = await api.client.patch(
        "/buildings/B1", json={"pickup": {"location": "Tower C basement"}}, headers=AUTH
    )
    assert resp.status == 200, await resp.text()
    body = await resp.json()
    assert body["building"]["pickup"] == {
        "name": "Clubhouse",
        "location": "Tower C basement",
        "hours": "9-18",
        "instructions": "",
    }
    assert body["building"]["revision"] == 1 and body["emails_queued"] == 3
    await api.eventually(lambda: len(api.messenger.sent) == 6)
    updates = [e for _, e in api.messenger.sent if e.tags.get("kind") == EmailKind.UPDATE]
    assert len(updates) == 3 and "Tower C basement" in updates[0].text

    listed = await (await api.client.get("/buildings?active=true", headers=AUTH)).json()
    assert [b["building_id"] for b in listed["buildings"]] == ["B1"]

    resp = await api.client.post("/buildings/B1/lift", headers=AUTH)
    assert resp.status == 200
    assert (await resp.json())["building"]["active"] is False
    resp = await api.client.post("/buildings/B1/lift", headers=AUTH)
    assert resp.status == 409
    assert "not quarantined any more" in (await resp.json())["error"]
    listed = await (await api.client.get("/buildings?active=true", headers=AUTH)).json()
    assert listed["count"] == 0
    got = await (await api.client.get("/buildings/B1", headers=AUTH)).json()
    assert got["active"] is False


async def test_registering_again_is_an_update(api) -> None:
    assert (await api.client.post("/buildings", json=BODY, headers=AUTH)).status == 201
    again = {**BODY, "pickup": {**BODY["pickup"], "location": "Gate 1"}}
    resp = await api.client.post("/buildings", json=again, headers=AUTH)
    assert resp.status == 200
    assert (await resp.json())["building"]["pickup"]["location"] == "Gate 1"


async def test_invalid_input_gets_a_clear_4xx(api) -> None:
    post = api.client.post
    cases = [
        ({**BODY, "pincode": "012345"}, 422, "pincode must be six digits"),
        ({**BODY, "building_id": "bad id!"}, 422, "building_id"),
        ({k: v for k, v in BODY.items() if k != "city"}, 422, "city"),
        ({**BODY, "colour": "red"}, 422, "unknown field(s) in request body: colour"),
        ({**BODY, "pickup": {"name": "x"}}, 422, "pickup.location"),
        (
            {**BODY, "starts_at": "2026-02-01T00:00:00Z", "ends_at": "2026-01-01T00:00:00Z"},
            422,
            "ends_at must be after starts_at",
        ),
        ([1, 2], 422, "must be a JSON object"),
    ]
    for body, status, message in cases:
        resp = await post("/buildings", json=body, headers=AUTH)
        assert resp.status == status, (body, await resp.text())
        assert message in (await resp.json())["error"]
    resp = await post(
        "/buildings", data="{oops", headers={**AUTH, "Content-Type": "application/json"}
    )
    assert resp.status == 400 and "not valid JSON" in (await resp.json())["error"]
    resp = await post("/buildings", data="a=b", headers={**AUTH, "Content-Type": "text/plain"})
    assert resp.status == 415
    resp = await api.client.patch("/buildings/NOPE", json={"name": "x"}, headers=AUTH)
    assert resp.status == 404 and "not registered" in (await resp.json())["error"]
    resp = await api.client.get("/buildings?active=maybe", headers=AUTH)
    assert resp.status == 422
    resp = await api.client.delete("/buildings/B1", headers=AUTH)
    assert resp.status == 405 and (await resp.json())["status"] == 405
    assert api.runtime.store.all_quarantines() == []


async def test_auth_is_required_except_on_public_endpoints(api) -> None:
    for method, path in (
        ("GET", "/buildings"),
        ("POST", "/buildings"),
        ("GET", "/reviews"),
        ("GET", "/campaigns"),
        ("GET", "/report"),
    ):
        resp = await api.client.request(method, path)
        assert resp.status == 401, path
        assert resp.headers["WWW-Authenticate"].startswith("Bearer")
        resp = await api.client.request(method, path, headers={"Authorization": "Bearer wrong"})
        assert resp.status == 401
    for path in ("/healthz", "/metrics", "/openapi.json"):
        assert (await api.client.get(path)).status == 200, path


async def test_health_and_metrics(api) -> None:
    _residents(api, 2)
    await api.client.post("/buildings", json=BODY, headers=AUTH)
    await api.eventually(lambda: len(api.messenger.sent) == 2)
    health = await (await api.client.get("/healthz")).json()
    assert health == {"status": "ok", "dispatch": "running"}
    text = await (await api.client.get("/metrics")).text()
    assert 'notifier_jobs{state="sent"} 2.0' in text
    assert "notifier_active_quarantines 1.0" in text
    assert 'notifier_http_requests_total{method="POST",route="/buildings",status="201"} 1.0' in text
