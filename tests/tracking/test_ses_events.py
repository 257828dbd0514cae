from __future__ import annotations

import json
from datetime import timedelta

import pytest

from notifier.events.contracts import InvalidEvent, SesEventType
from notifier.tracking.ses_events import event_key, parse_ses_record
from tests.helpers import T0
from tests.tracking import aws_examples as aws

MID = "EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000"
TAGS = {"campaign": "B1_abc", "building": "B1", "language": "hi", "kind": "announcement"}
LATER = T0 + timedelta(minutes=5)


@pytest.mark.parametrize(
    ("record", "kind", "when", "detail"),
    [
        (aws.send(MID, tags=TAGS), SesEventType.SEND, T0, {}),
        (aws.delivery(MID, LATER, tags=TAGS), SesEventType.DELIVERY, LATER, {"processing_ms": 546}),
        (
            aws.open_(MID, LATER, tags=TAGS),
            SesEventType.OPEN,
            LATER,
            {"user_agent": aws.IPHONE, "ip": "192.0.2.1"},
        ),
        (
            aws.click(MID, LATER, link="https://x.example/p", tags=TAGS),
            SesEventType.CLICK,
            LATER,
            {"user_agent": aws.CHROME, "ip": "192.0.2.1", "link": "https://x.example/p"},
        ),
        (
            aws.bounce(MID, LATER, tags=TAGS),
            SesEventType.BOUNCE,
            LATER,
            {"bounce_type": "Permanent", "bounce_sub_type": "General"},
        ),
        (
            aws.complaint(MID, LATER, tags=TAGS),
            SesEventType.COMPLAINT,
            LATER,
            {"feedback_type": "abuse"},
        ),
        (aws.reject(MID, tags=TAGS), SesEventType.REJECT, T0, {"reason": "Bad content"}),
        (
            aws.rendering_failure(MID, tags=TAGS),
            SesEventType.RENDERING_FAILURE,
            T0,
            {"error": "Attribute 'attributeName' is not present in the rendering data."},
        ),
        (
            aws.delivery_delay(MID, LATER, tags=TAGS),
            SesEventType.DELIVERY_DELAY,
            LATER,
            {"delay_type": "InternalFailure"},
        ),
        (
            aws.subscription(MID, LATER, tags=TAGS),
            SesEventType.SUBSCRIPTION,
            LATER,
            {"unsubscribe_all": True},
        ),
    ],
)
def test_documented_records_parse(record, kind, when, detail) -> None:
    for raw in (record, json.dumps(record), json.dumps(record).encode(), aws.sns(record)):
        event = parse_ses_record(raw)
        assert event.event_type is kind
        assert event.message_id == MID
        assert event.timestamp == when
        assert event.detail == detail
        # Our tags only (first value of each list); SES's own ses:* tags are dropped.
        assert event.tags == TAGS
        # The recipient's address never enters the normalised event.
        assert aws.RECIPIENT not in event.model_dump_json()


def test_clicked_links_lose_their_query() -> None:
    link = "https://notices.example.in/unsubscribe?token=eyJzIjoiYUBiLmMifQ.sig#top"
    event = parse_ses_record(aws.click(MID, LATER, link=link))
    assert event.detail["link"] == "https://notices.example.in/unsubscribe"


def test_identity_feedback_notifications_are_accepted() -> None:
    record = aws.bounce(MID, LATER)
    record["notificationType"] = record.pop("eventType")
    event = parse_ses_record(record)
    assert event.event_type is SesEventType.BOUNCE
    assert event.tags == {}


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("{not json", "not JSON"),
        ("[1, 2]", "not a JSON object"),
        (b"\xff\xfe", "not UTF-8"),
        ({"eventType": "Teleport", "mail": {"messageId": "m"}}, "unknown SES event type"),
        ({"eventType": "Open", "open": {"timestamp": "2026-01-01T00:00:00Z"}}, "missing mail"),
        (
            {"eventType": "Open", "mail": {"messageId": " "}, "open": {}},
            "mail.messageId is missing",
        ),
        (
            {"eventType": "Open", "mail": {"messageId": "m"}, "open": {"timestamp": "yesterday"}},
            "not ISO 8601",
        ),
        ({"eventType": "Open", "mail": {"messageId": "m"}}, "missing open object"),
        (
            {
                "eventType": "Bounce",
                "mail": {"messageId": "m"},
                "bounce": {"timestamp": "2026-01-01T00:00:00Z"},
            },
            "missing bounceType",
        ),
        ({"Type": "SubscriptionConfirmation", "Message": "x"}, "SubscriptionConfirmation"),
        ({"Type": "Notification", "Message": "{broken"}, "not JSON"),
    ],
)
def test_junk_is_rejected_with_a_reason(raw, reason) -> None:
    with pytest.raises(InvalidEvent) as info:
        parse_ses_record(raw)
    assert reason in info.value.reason


def test_event_key_tells_repeats_from_redeliveries() -> None:
    first = parse_ses_record(aws.open_(MID, LATER))
    redelivered = parse_ses_record(aws.sns(aws.open_(MID, LATER)))
    repeat_open = parse_ses_record(aws.open_(MID, LATER + timedelta(seconds=30)))
    assert event_key(first) == event_key(redelivered)
    assert event_key(first) != event_key(repeat_open)
