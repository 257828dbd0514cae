"""SES event-publishing records shaped like the examples in the SES developer guide
("Examples of event data that Amazon SES publishes to Amazon SNS / Firehose"), with the
message id, tags and times made parameters."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from tests.helpers import T0

RECIPIENT = "recipient@example.com"


def ts(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


def mail(message_id: str, sent: datetime = T0, tags: dict[str, str] | None = None) -> dict:
    all_tags: dict[str, list[str]] = {
        "ses:configuration-set": ["ConfigSet"],
        "ses:source-ip": ["192.0.2.0"],
        "ses:from-domain": ["example.com"],
        "ses:caller-identity": ["ses_user"],
    }
    all_tags.update({k: [v] for k, v in (tags or {}).items()})
    return {
        "timestamp": ts(sent),
        "source": "Sender Name <sender@example.com>",
        "sourceArn": "arn:aws:ses:us-east-1:123456789012:identity/sender@example.com",
        "sendingAccountId": "123456789012",
        "messageId": message_id,
        "destination": [RECIPIENT],
        "headersTruncated": False,
        "headers": [
            {"name": "From", "value": "Sender Name <sender@example.com>"},
            {"name": "To", "value": RECIPIENT},
            {"name": "Subject", "value": "Message sent from Amazon SES"},
        ],
        "commonHeaders": {
            "from": ["Sender Name <sender@example.com>"],
            "to": [RECIPIENT],
            "messageId": message_id,
            "subject": "Message sent from Amazon SES",
        },
        "tags": all_tags,
    }


def send(mid: str, **kw: Any) -> dict:
    return {"eventType": "Send", "mail": mail(mid, **kw), "send": {}}


def delivery(mid: str, at: datetime, **kw: Any) -> dict:
    return {
        "eventType": "Delivery",
        "mail": mail(mid, **kw),
        "delivery": {
            "timestamp": ts(at),
            "processingTimeMillis": 546,
            "recipients": [RECIPIENT],
            "smtpResponse": "250 2.6.0 Message received",
            "reportingMTA": "mta.example.com",
        },
    }


IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 10_3_3 like Mac OS X) AppleWebKit/603.3.8 "
    "(KHTML, like Gecko) Mobile/14G60"
)
CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/60.0.3112.90 Safari/537.36"
)


def open_(mid: str, at: datetime, agent: str = IPHONE, ip: str = "192.0.2.1", **kw: Any) -> dict:
    return {
        "eventType": "Open",
        "mail": mail(mid, **kw),
        "open": {"ipAddress": ip, "timestamp": ts(at), "userAgent": agent},
    }


def click(
    mid: str,
    at: datetime,
    link: str = "http://docs.aws.amazon.com/ses/latest/DeveloperGuide/send-email-smtp.html",
    agent: str = CHROME,
    **kw: Any,
) -> dict:
    return {
        "eventType": "Click",
        "mail": mail(mid, **kw),
        "click": {
            "ipAddress": "192.0.2.1",
            "link": link,
            "linkTags": {"samplekey0": ["samplevalue0"], "samplekey1": ["samplevalue1"]},
            "timestamp": ts(at),
            "userAgent": agent,
        },
    }


def bounce(mid: str, at: datetime, kind: str = "Permanent", sub: str = "General", **kw: Any):
    return {
        "eventType": "Bounce",
        "bounce": {
            "bounceType": kind,
            "bounceSubType": sub,
            "bouncedRecipients": [
                {
                    "emailAddress": RECIPIENT,
                    "action": "failed",
                    "status": "5.1.1",
                    "diagnosticCode": "smtp; 550 5.1.1 user unknown",
                }
            ],
            "timestamp": ts(at),
            "feedbackId": "01000157c44f053b-61b59c11-9236-11e6-8f96-7be8aexample-000000",
            "reportingMTA": "dsn; mta.example.com",
        },
        "mail": mail(mid, **kw),
    }


def complaint(mid: str, at: datetime, **kw: Any) -> dict:
    return {
        "eventType": "Complaint",
        "complaint": {
            "complainedRecipients": [{"emailAddress": RECIPIENT}],
            "timestamp": ts(at),
            "feedbackId": "01000157c44f053b-61b59c11-9236-11e6-8f96-7be8aexample-000000",
            "userAgent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36",
            "complaintFeedbackType": "abuse",
            "arrivalDate": ts(at),
        },
        "mail": mail(mid, **kw),
    }


def reject(mid: str, **kw: Any) -> dict:
    return {"eventType": "Reject", "mail": mail(mid, **kw), "reject": {"reason": "Bad content"}}


def rendering_failure(mid: str, **kw: Any) -> dict:
    return {
        "eventType": "Rendering Failure",
        "mail": mail(mid, **kw),
        "failure": {
            "errorMessage": "Attribute 'attributeName' is not present in the rendering data.",
            "templateName": "MyTemplate",
        },
    }


def delivery_delay(mid: str, at: datetime, **kw: Any) -> dict:
    return {
        "eventType": "DeliveryDelay",
        "mail": mail(mid, **kw),
        "deliveryDelay": {
            "timestamp": ts(at),
            "delayType": "InternalFailure",
            "expirationTime": ts(at + timedelta(minutes=10)),
            "delayedRecipients": [
                {
                    "emailAddress": RECIPIENT,
                    "status": "4.0.0",
                    "diagnosticCode": "smtp; 4.0.0 Internal failure",
                }
            ],
        },
    }


def subscription(mid: str, at: datetime, unsubscribe_all: bool = True, **kw: Any) -> dict:
    return {
        "eventType": "Subscription",
        "mail": mail(mid, **kw),
        "subscription": {
            "contactList": "ContactListName",
            "timestamp": ts(at),
            "source": "UnsubscribeHeader",
            "newTopicPreferences": {
                "unsubscribeAll": unsubscribe_all,
                "topicSubscriptionStatus": [
                    {"topicName": "ExampleTopicName", "subscriptionStatus": "OptOut"}
                ],
            },
            "oldTopicPreferences": {
                "unsubscribeAll": False,
                "topicSubscriptionStatus": [
                    {"topicName": "ExampleTopicName", "subscriptionStatus": "OptOut"}
                ],
            },
        },
    }


def sns(record: dict) -> dict:
    """The envelope SNS puts around a record (what an SQS subscriber receives)."""
    return {
        "Type": "Notification",
        "MessageId": "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324",
        "TopicArn": "arn:aws:sns:us-east-1:123456789012:ses-events",
        "Subject": "Amazon SES Email Event Notification",
        "Message": json.dumps(record),
        "Timestamp": "2017-08-09T22:00:25.000Z",
        "SignatureVersion": "1",
        "Signature": "EXAMPLE==",
        "SigningCertURL": "https://sns.us-east-1.amazonaws.com/SimpleNotificationService.pem",
        "UnsubscribeURL": "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe",
    }
