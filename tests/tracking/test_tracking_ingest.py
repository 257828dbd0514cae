from __future__ import annotations

from datetime import timedelta

import pytest

from notifier.reporting.report import build_report
from notifier.tracking.ingest import Tracker, ingest_records
from notifier.tracking.metrics import Counts
from notifier.tracking.ses_events import event_key, parse_ses_record
from notifier.tracking.state import MessageState
from notifier.tracking.store import SqliteTrackingStore
from tests.helpers import T0
from tests.tracking import aws_examples as aws
from tests.tracking.support import send_campaign, sending_runtime

S = timedelta(seconds=1)
H = timedelta(hours=1)


@pytest.fixture
def sent(tmp_path):
    runtime, _ = sending_runtime(tmp_path)
    messages = send_campaign(runtime, per_building=6)
    yield runtime, messages
    runtime.close()


def test_counts_unique_and_human_opens_and_suppresses_bad_addresses(sent) -> None:
    runtime, m = sent
    assert len(m) == 12
    d = T0 + 5 * S  # delivered
    records = [aws.delivery(x.message_id, d) for x in m[:10]]
    records += [
        # m0: a person opens three times and clicks once
        aws.open_(m[0].message_id, d + 2 * H),
        aws.open_(m[0].message_id, d + 3 * H),
        aws.open_(m[0].message_id, d + 9 * H),
        aws.click(m[0].message_id, d + 2 * H + 40 * S),
        # m1: Apple MPP proxy load only
        aws.open_(m[1].message_id, d + 3 * S, agent="Mozilla/5.0", ip="17.1.2.3"),
        # m2: prefetch at delivery, then the person much later
        aws.open_(m[2].message_id, d + 1 * S),
        aws.open_(m[2].message_id, d + 26 * H),
        # m3: only a prefetch (the Open arrives before its Delivery record)
        # m4: a link scanner: two links within a second of delivery, no open
        aws.click(m[4].message_id, d + 2 * S, link="https://a.example/1"),
        aws.click(
            m[4].message_id, d + 2 * S + 300 * timedelta(milliseconds=1), link="https://a.example/2"
        ),
        # m5: a person clicks with images off (no open pixel)
        aws.click(m[5].message_id, d + 5 * H),
        # m10: hard bounce; m11: soft bounce
        aws.bounce(m[10].message_id, T0 + 30 * S),
        aws.bounce(m[11].message_id, T0 + 30 * S, kind="Transient", sub="MailboxFull"),
        # m6: delivered, then a complaint
        aws.complaint(m[6].message_id, d + 1 * H),
    ]
    records.insert(0, aws.open_(m[3].message_id, d + 2 * S))  # before any Delivery
    stats = ingest_records(records, runtime)
    assert stats.records == len(records)
    assert stats.recorded == len(records)
    assert stats.invalid == stats.duplicates == stats.unattributed == 0
    assert stats.suppressed == 2

    store = runtime.store
    assert store.is_suppressed(m[10].email)  # hard bounce
    assert store.is_suppressed(m[6].email)  # complaint
    assert not store.is_suppressed(m[11].email)  # soft bounce: not yet
    assert not store.is_suppressed(m[0].email)

    t = build_report(runtime.db).totals
    assert (t.sent, t.delivered, t.bounced, t.hard_bounced, t.complaints) == (12, 10, 2, 1, 1)
    # opened: m0, m1, m2, m3, m5 (a click implies an open); m4 was only a scanner
    assert t.opened == 5
    assert t.human_opened == 3  # m0, m2, m5
    assert t.machine_only == 2  # m1 (MPP), m3 (prefetch)
    assert t.open_events == 7  # every open SES reported, repeats included
    assert t.clicked == 3 and t.human_clicked == 2
    assert t.open_rate == pytest.approx(5 / 10)
    assert t.human_open_rate == pytest.approx(3 / 10)
    assert t.click_rate == pytest.approx(3 / 10)
    assert t.click_to_open == pytest.approx(3 / 5)
    assert t.bounce_rate == pytest.approx(2 / 12)
    assert t.complaint_rate == pytest.approx(1 / 10)
    # a person's first interest: m0 after 2 h, m2 after 26 h, m5 after 5 h -> median 5 h
    assert t.median_first_open_seconds == pytest.approx(5 * 3600)
    assert t.warnings() == []  # 12 messages are too few to judge a rate on


def test_warnings_follow_ses_review_thresholds() -> None:
    ok = Counts(sent=1040, delivered=1000, bounced=40, complaints=1)  # 3.8% and 0.10%
    assert ok.warnings() == []
    bad = Counts(sent=1000, delivered=930, bounced=70, complaints=2)
    assert bad.warnings() == [
        "bounce rate 7.0% is above SES's 5% review threshold",
        "complaint rate 0.22% is above SES's 0.1% review threshold",
    ]
    assert Counts(sent=10, delivered=9, bounced=1).warnings() == []  # too few to judge


def test_ingest_is_idempotent(sent) -> None:
    runtime, m = sent
    d = T0 + 5 * S
    records = [
        aws.delivery(m[0].message_id, d),
        aws.open_(m[0].message_id, d + H),
        aws.open_(m[0].message_id, d + 2 * H),
        aws.delivery_delay(m[1].message_id, d),
        aws.bounce(m[2].message_id, d),
    ]
    first = ingest_records(records, runtime)
    before = build_report(runtime.db).totals.as_dict()
    again = ingest_records([aws.sns(r) for r in records], runtime)  # redelivered via SNS
    assert first.recorded == 5
    assert again.recorded == 0 and again.duplicates == 5 and again.suppressed == 0
    assert build_report(runtime.db).totals.as_dict() == before
    state = SqliteTrackingStore(runtime.db).get_state(m[0].message_id)
    assert state is not None and state.open_count == 2


def test_events_are_attributed_by_message_id_and_tags(sent) -> None:
    runtime, m = sent
    tagged_only = aws.open_("ses-msg-not-in-outbox", T0 + H, tags={"campaign": "X1_zz"})
    stranger = aws.open_("someone-elses-message", T0 + H)
    by_job_tag = aws.bounce("unknown-message-id", T0, tags={"job": m[3].job_id})
    stats = ingest_records([tagged_only, stranger, by_job_tag], runtime)
    assert stats.recorded == 3
    assert stats.unattributed == 1  # the stranger: kept, but in no campaign
    # The job tag found the outbox row even though SES's message id was unknown to it.
    assert runtime.store.is_suppressed(m[3].email)
    report = build_report(runtime.db)
    campaigns = {row.key for row in report.rows("campaign")}
    assert "X1_zz" in campaigns  # tag-only messages still show up


def test_bad_records_become_dead_letters(sent) -> None:
    runtime, _m = sent
    stats = ingest_records(
        ['{"eventType": "Open"', {"eventType": "Nope", "mail": {"messageId": "x"}}], runtime
    )
    assert stats.invalid == 2 and stats.recorded == 0
    letters = runtime.store.dead_letters()
    assert {letter.source for letter in letters} == {"ses"}
    assert any("unknown SES event type" in letter.reason for letter in letters)


def test_subscription_unsubscribe_all_suppresses(sent) -> None:
    runtime, m = sent
    tracker = Tracker.for_runtime(runtime)
    stats = ingest_records([aws.subscription(m[7].message_id, T0 + H)], tracker)
    assert stats.suppressed == 1
    assert runtime.store.is_suppressed(m[7].email)


def test_send_event_counts_once_even_when_the_send_time_is_already_known() -> None:
    # The send log seeds sent_at; SES's Send event at that same millisecond is still news once.
    state = MessageState("m-1", sent_at=T0)
    event = parse_ses_record(aws.send("m-1", sent=T0))
    assert state.fold(event, event_key(event)) is True
    assert state.fold(event, event_key(event)) is False
    assert MessageState.from_dict(state.to_dict()).send_seen
