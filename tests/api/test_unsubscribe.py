from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from notifier.campaigns.unsubscribe import make_token
from notifier.events.contracts import parse_event
from tests.api.conftest import AUTH, SECRET
from tests.api.test_buildings import BODY
from tests.helpers import address

ONE_CLICK = {"List-Unsubscribe": "One-Click"}


async def test_one_click_from_a_sent_email(api) -> None:
    api.runtime.apply(
        parse_event(address("u1", "Prestige Lakeside Habitat | Whitefield | Bengaluru | 560066"))
    )
    assert (await api.client.post("/buildings", json=BODY, headers=AUTH)).status == 201
    await api.eventually(lambda: len(api.messenger.sent) == 1)
    email = api.messenger.sent[0][1]
    assert email.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = re.fullmatch(r"<(.+)>", email.headers["List-Unsubscribe"]).group(1)
    target = urlsplit(link)
    path = f"{target.path}?{target.query}"

    page = await api.client.get(path)  # what a link scanner or a click does: nothing yet
    assert page.status == 200 and "<form method='post'" in await page.text()
    assert not api.runtime.store.is_suppressed(email.to)

    resp = await api.client.post(path, data=ONE_CLICK)  # RFC 8058 one-click POST
    assert resp.status == 200 and "unsubscribed" in await resp.text()
    assert api.runtime.store.is_suppressed(email.to)


async def test_forged_expired_or_incomplete_requests_change_nothing(api) -> None:
    store = api.runtime.store
    api.runtime.apply(
        parse_event(address("u2", "Prestige Lakeside Habitat | Whitefield | Bengaluru | 560066"))
    )
    assert (await api.client.post("/buildings", json=BODY, headers=AUTH)).status == 201
    await api.eventually(lambda: len(api.messenger.sent) == 1)
    sent = api.messenger.sent[0][1]
    job_id = sent.job_id
    assert sent.to not in sent.headers["List-Unsubscribe"]  # the link does not carry the address
    good = make_token(job_id, SECRET.encode())
    forged = make_token(job_id, b"not-the-right-secret-123")
    expired = make_token(
        job_id,
        SECRET.encode(),
        ttl_days=1,
        now=datetime.now(UTC) - timedelta(days=3),
    )
    unknown = make_token("no-such-job", SECRET.encode())
    cases = ((forged, 403), (expired, 403), ("garbage", 400), ("", 400))
    for token, status in cases:
        for method in ("GET", "POST"):
            resp = await api.client.request(method, f"/unsubscribe?token={token}", data=ONE_CLICK)
            assert resp.status == status, (token, method)
    resp = await api.client.post(f"/unsubscribe?token={unknown}", data=ONE_CLICK)
    assert resp.status == 404
    resp = await api.client.post(f"/unsubscribe?token={good}")  # no One-Click body
    assert resp.status == 400
    resp = await api.client.post(f"/unsubscribe?token={good}", data={"List-Unsubscribe": "x"})
    assert resp.status == 400
    assert not store.is_suppressed(sent.to)
    resp = await api.client.post(f"/unsubscribe?token={good}", data=ONE_CLICK)
    assert resp.status == 200
    assert store.is_suppressed(sent.to)
