"""SesMessenger against a real moto server, with SesProxy playing SES's limits and faults."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from notifier.messengers.base import AmbiguousSend, OutgoingEmail, RetryLater, SendError
from notifier.messengers.ledger import MotoSentLedger, reconcile
from notifier.messengers.pacing import Backoff
from notifier.messengers.ses import SesMessenger, make_ses_client, send_client_config
from tests.messengers.ses_proxy import Fault, SesProxy
from tests.messengers.support import (
    CONFIG_SET,
    REPLY_TO,
    SENDER,
    email,
    parsed,
    raw_messages,
    sends_per_job,
)


def messenger(url: str, **kwargs: object) -> SesMessenger:
    return SesMessenger(sender=SENDER, configuration_set=CONFIG_SET, endpoint_url=url, **kwargs)  # type: ignore[arg-type]


def deliver(m: SesMessenger, emails: list[OutgoingEmail], max_rounds: int = 20) -> list[float]:
    """A tiny dispatcher: retry on RetryLater (after its delay) until every email is out."""
    pending = list(emails)
    delays: list[float] = []
    for _ in range(max_rounds):
        if not pending:
            return delays
        retry = []
        for e in pending:
            try:
                m.push(e)
            except RetryLater as exc:
                delays.append(exc.after_seconds)
                retry.append(e)
                time.sleep(min(exc.after_seconds, 0.5))
        pending = retry
    raise AssertionError(f"{len(pending)} emails never sent")


def test_sent_message_has_both_parts_language_headers_config_set_and_tags(ses: str) -> None:
    with SesProxy(ses, max_rate=50) as proxy:
        out = email("c1", "ta")
        message_id = messenger(proxy.url).push(out)
        recorded = proxy.sends

    [raw] = raw_messages(ses)
    assert raw["id"] == message_id
    assert raw["source"] == SENDER
    assert "c1@example.org" in raw["destinations"]
    msg = parsed(raw)
    assert msg.get_content_type() == "multipart/alternative"
    text, html = msg.iter_parts()
    assert (text.get_content_type(), html.get_content_type()) == ("text/plain", "text/html")
    assert text.get_content_charset() == html.get_content_charset() == "utf-8"
    assert "வணக்கம் Asha" in text.get_content()  # Tamil greeting, in Tamil script
    assert '<html lang="ta">' in html.get_content()
    assert msg["Subject"] == out.subject
    assert msg["Content-Language"] == "ta"
    unsubscribe = msg["List-Unsubscribe"]
    assert unsubscribe.startswith("<https://") and unsubscribe.endswith(">")
    assert "token=" in unsubscribe
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert msg["Reply-To"] == REPLY_TO
    assert msg["X-Notifier-Job"] == out.job_id
    # moto drops these two, so they are checked on the wire, where SES would read them.
    assert recorded[-1].configuration_set == CONFIG_SET
    assert recorded[-1].tags == {
        "campaign": "campaign-7",
        "building": "blr_prestige_tower-b",  # ':' and '.' are not allowed in SES tags
        "language": "ta",
        "kind": "announcement",
        "job": out.job_id,
    }


def test_each_language_goes_out_in_its_own_script(ses: str) -> None:
    m = messenger(ses, max_rate=100)  # straight to moto, past its 1/s sandbox quota
    m.push(email("c-hi", "hi"))
    m.push(email("c-xx", "fr"))  # unsupported -> English
    by_job = {str(parsed(r)["X-Notifier-Job"]): parsed(r) for r in raw_messages(ses)}
    hindi = by_job[email("c-hi", "hi").job_id]
    english = by_job[email("c-xx", "fr").job_id]
    assert "नमस्ते" in next(hindi.iter_parts()).get_content()
    assert english["Content-Language"] == "en"
    assert next(english.iter_parts()).get_content().startswith("Hello Asha,")


def test_unverified_sender_is_a_final_send_error(ses: str) -> None:
    m = SesMessenger(
        sender="news@unverified.example", configuration_set=CONFIG_SET, endpoint_url=ses
    )
    with pytest.raises(SendError, match="MessageRejected"):
        m.push(email("c1"))
    assert raw_messages(ses) == []


def test_message_rejected_is_final_and_nothing_is_sent(ses: str) -> None:
    with SesProxy(ses, max_rate=50) as proxy:
        proxy.inject(Fault.REJECT)
        with pytest.raises(SendError):
            messenger(proxy.url).push(email("c1"))
    assert raw_messages(ses) == []


def test_throttling_backs_off_with_jitter_and_loses_or_doubles_nothing(ses: str) -> None:
    emails = [email(f"c{i}") for i in range(5)]
    with SesProxy(ses, max_rate=50) as proxy:
        proxy.inject(Fault.THROTTLE, Fault.THROTTLE)
        m = messenger(proxy.url, backoff=Backoff(base=0.1, cap=1.0))
        delays = deliver(m, emails)
        calls = proxy.sends

    assert len(delays) == 2
    assert 0.05 <= delays[0] <= 0.1 and 0.1 <= delays[1] <= 0.2  # doubling, jittered
    # The send after a throttled one waited out the backoff (all senders pause, not just one).
    assert calls[1].arrived - calls[0].arrived >= delays[0] * 0.9
    assert sends_per_job(ses) == {e.job_id: 1 for e in emails}


def test_paced_sends_stay_under_the_rate_without_throttling(ses: str) -> None:
    emails = [email(f"c{i}") for i in range(21)]
    # Strict: 4 sends of slack (SES itself tolerates about a second's worth) absorb only the
    # arrival jitter of a busy 2-core machine (a 150 ms stall), not a burst; the elapsed time
    # below proves the sends were paced.
    with SesProxy(ses, max_rate=20, burst=4) as proxy:
        m = messenger(proxy.url)
        m.quota()  # read the quota (20/s) before timing
        start = time.monotonic()
        threads = [
            threading.Thread(target=lambda part=emails[i::3]: [m.push(e) for e in part])
            for i in range(3)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - start
        throttled = proxy.throttled
    assert throttled == 0
    assert elapsed >= 20 / 20 * 0.95  # 21 sends at 20/s: 20 intervals of 50 ms
    assert sends_per_job(ses) == {e.job_id: 1 for e in emails}


def test_daily_quota_pauses_sending_and_resumes_later(ses: str) -> None:
    now = [1000.0]
    emails = [email(f"c{i}") for i in range(5)]
    with SesProxy(ses, max_rate=50, max_24h=3) as proxy:
        m = messenger(proxy.url, clock=lambda: now[0], quota_pause_seconds=600)
        for e in emails[:3]:
            m.push(e)
        with pytest.raises(RetryLater) as first:
            m.push(emails[3])
        assert first.value.after_seconds == 600
        now[0] += 100
        with pytest.raises(RetryLater) as second:
            m.push(emails[3])
        assert second.value.after_seconds == pytest.approx(500)
        assert len(proxy.sends) == 3  # paused sends never reached SES
        proxy.max_24h = 10  # the rolling window freed capacity
        now[0] += 501
        for e in emails[3:]:
            m.push(e)
    assert sends_per_job(ses) == {e.job_id: 1 for e in emails}


def test_daily_quota_answer_from_ses_pauses_all_sends(ses: str) -> None:
    with SesProxy(ses, max_rate=50) as proxy:
        proxy.inject(Fault.DAILY_QUOTA)
        m = messenger(proxy.url, quota_pause_seconds=300)
        with pytest.raises(RetryLater) as exc:
            m.push(email("c1"))
        assert exc.value.after_seconds == 300
        with pytest.raises(RetryLater):
            m.push(email("c2"))
        assert len(proxy.sends) == 1
    assert raw_messages(ses) == []


def test_timeout_after_ses_sent_is_ambiguous_and_reconciled_without_a_second_email(
    ses: str,
) -> None:
    out = email("c1")
    with SesProxy(ses, max_rate=50, late_seconds=1.5) as proxy:
        client = make_ses_client(proxy.url, config=send_client_config(read_timeout=0.5))
        m = SesMessenger(sender=SENDER, configuration_set=CONFIG_SET, client=client)
        m.quota()
        proxy.inject(Fault.LATE_ANSWER)
        with pytest.raises(AmbiguousSend) as exc:
            m.push(out)
        assert exc.value.job_id == out.job_id
        time.sleep(1.2)  # let the proxy finish its late answer
    sent, unsent = reconcile(MotoSentLedger(ses), [out.job_id])
    assert unsent == []
    assert sent[out.job_id] == raw_messages(ses)[0]["id"]
    assert sends_per_job(ses) == {out.job_id: 1}


def test_server_error_is_ambiguous_and_resent_only_after_the_ledger_says_unsent(ses: str) -> None:
    out = email("c1")
    with SesProxy(ses, max_rate=50) as proxy:
        m = messenger(proxy.url)
        proxy.inject(Fault.SERVER_ERROR)
        with pytest.raises(AmbiguousSend):
            m.push(out)
        sent, unsent = reconcile(MotoSentLedger(ses), [out.job_id])
        assert (sent, unsent) == ({}, [out.job_id])
        m.push(out)
    assert sends_per_job(ses) == {out.job_id: 1}


def test_unreachable_endpoint_is_retry_later() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    client = make_ses_client(f"http://127.0.0.1:{port}", config=send_client_config(1.0, 1.0))
    m = SesMessenger(sender=SENDER, configuration_set=CONFIG_SET, client=client)
    with pytest.raises(RetryLater):
        m.push(email("c1"))


def test_email_without_unsubscribe_header_is_refused(ses: str) -> None:
    out = email("c1")
    bare = OutgoingEmail(
        job_id=out.job_id,
        to=out.to,
        subject=out.subject,
        text=out.text,
        html=out.html,
        language="en",
    )
    with pytest.raises(SendError, match="List-Unsubscribe"):
        messenger(ses).push(bare)
    assert raw_messages(ses) == []


def test_account_quota_paces_unless_overridden_for_moto(ses: str) -> None:
    paced = messenger(ses)
    assert paced.quota().max_rate == 1.0  # what moto reports
    assert paced.pacer.rate == pytest.approx(0.98)  # 2 % headroom under MaxSendRate
    fast = messenger(ses, max_rate=200, max_24h=-1)
    assert (fast.quota().max_rate, fast.quota().max_24h) == (200, -1)
    start = time.monotonic()
    for i in range(5):
        fast.push(email(f"c{i}"))
    assert time.monotonic() - start < 1.0  # not moto's 1/s
    assert len(raw_messages(ses)) == 5


def test_a_long_throttling_pause_hands_jobs_back_instead_of_blocking(ses: str) -> None:
    with SesProxy(ses, max_rate=50) as proxy:
        proxy.inject(Fault.THROTTLE)
        m = messenger(proxy.url, backoff=Backoff(base=4.0, cap=4.0))
        with pytest.raises(RetryLater) as first:
            m.push(email("c1"))
        start = time.monotonic()
        with pytest.raises(RetryLater) as second:
            m.push(email("c2"))
        assert time.monotonic() - start < 0.5
        assert 0 < second.value.after_seconds <= first.value.after_seconds <= 4.0
        assert len(proxy.sends) == 1  # the second job never reached SES
    assert raw_messages(ses) == []
