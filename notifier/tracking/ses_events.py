"""Parse SES event-publishing records into :class:`~notifier.events.contracts.SesEvent`.

SES publishes one JSON record per event (``eventType`` + ``mail`` + a block named after the
type) to SNS, Firehose or EventBridge; SNS wraps it in an envelope whose ``Message`` is the
record as a JSON *string*. Identity feedback notifications use ``notificationType`` instead of
``eventType`` and carry no tags; they are accepted too. Recipient addresses never enter the
normalised event (they are personal data); messages are tied to people through the job table.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from notifier.events.contracts import InvalidEvent, SesEvent, SesEventType, decode_json_object

# The key of the per-type block in a record: {"eventType": "Open", "open": {...}}.
_BLOCKS: dict[SesEventType, str] = {
    SesEventType.SEND: "send",
    SesEventType.DELIVERY: "delivery",
    SesEventType.OPEN: "open",
    SesEventType.CLICK: "click",
    SesEventType.BOUNCE: "bounce",
    SesEventType.COMPLAINT: "complaint",
    SesEventType.REJECT: "reject",
    SesEventType.RENDERING_FAILURE: "failure",
    SesEventType.DELIVERY_DELAY: "deliveryDelay",
    SesEventType.SUBSCRIPTION: "subscription",
}
# Blocks whose own timestamp is when the event happened (others: the mail's timestamp).
_TIMED = {"delivery", "open", "click", "bounce", "complaint", "deliveryDelay", "subscription"}
_MAX_TEXT = 300


def _text(value: Any) -> str:
    return str(value)[:_MAX_TEXT] if value is not None else ""


def _link(value: Any) -> str:
    """The clicked link without its query: unsubscribe links carry a token naming the person."""
    text = _text(value)
    try:
        parts = urlsplit(text)
    except ValueError:
        return ""
    return urlunsplit(parts._replace(query="", fragment=""))


def _timestamp(value: Any, where: str) -> datetime:
    if not isinstance(value, str) or not value:
        raise InvalidEvent(f"{where}: missing timestamp")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise InvalidEvent(f"{where}: timestamp is not ISO 8601") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def unwrap(raw: str | bytes | dict[str, Any]) -> dict[str, Any]:
    """The SES record itself, taken out of an SNS envelope when there is one."""
    record = decode_json_object(raw)
    if record.get("Type") == "Notification" and "Message" in record:
        message = record["Message"]
        if not isinstance(message, str):
            raise InvalidEvent("SNS envelope: Message is not a string")
        record = decode_json_object(message)
    elif record.get("Type") in {"SubscriptionConfirmation", "UnsubscribeConfirmation"}:
        raise InvalidEvent(f"SNS {record['Type']} is not an SES event")
    return record


def _tags(mail: dict[str, Any]) -> dict[str, str]:
    """Our own message tags (first value of each); SES's ``ses:*`` tags are dropped."""
    raw = mail.get("tags") or {}
    if not isinstance(raw, dict):
        raise InvalidEvent("mail.tags is not an object")
    tags: dict[str, str] = {}
    for name, values in raw.items():
        if str(name).startswith("ses:") or str(name).startswith("aws:"):
            continue
        value = values[0] if isinstance(values, list) and values else values
        if isinstance(value, (str, int, float)):
            tags[str(name)[:128]] = str(value)[:256]
    return tags


def _detail(kind: SesEventType, block: dict[str, Any]) -> dict[str, Any]:
    """The few facts tracking needs from the block; never recipient addresses."""
    if kind is SesEventType.OPEN:
        return {"user_agent": _text(block.get("userAgent")), "ip": _text(block.get("ipAddress"))}
    if kind is SesEventType.CLICK:
        return {
            "user_agent": _text(block.get("userAgent")),
            "ip": _text(block.get("ipAddress")),
            "link": _link(block.get("link")),
        }
    if kind is SesEventType.BOUNCE:
        bounce_type = block.get("bounceType")
        if not isinstance(bounce_type, str) or not bounce_type:
            raise InvalidEvent("bounce: missing bounceType")
        return {"bounce_type": bounce_type, "bounce_sub_type": _text(block.get("bounceSubType"))}
    if kind is SesEventType.COMPLAINT:
        return {"feedback_type": _text(block.get("complaintFeedbackType"))}
    if kind is SesEventType.DELIVERY:
        return {"processing_ms": block.get("processingTimeMillis")}
    if kind is SesEventType.REJECT:
        return {"reason": _text(block.get("reason"))}
    if kind is SesEventType.RENDERING_FAILURE:
        return {"error": _text(block.get("errorMessage"))}
    if kind is SesEventType.DELIVERY_DELAY:
        return {"delay_type": _text(block.get("delayType"))}
    if kind is SesEventType.SUBSCRIPTION:
        prefs = block.get("newTopicPreferences") or {}
        return {"unsubscribe_all": bool(isinstance(prefs, dict) and prefs.get("unsubscribeAll"))}
    return {}


def parse_ses_record(raw: str | bytes | dict[str, Any]) -> SesEvent:
    """One SES event record (or its SNS envelope) → ``SesEvent``; ``InvalidEvent`` if junk."""
    record = unwrap(raw)
    type_name = record.get("eventType") or record.get("notificationType")
    try:
        kind = SesEventType(str(type_name))
    except ValueError as exc:
        raise InvalidEvent(f"unknown SES event type {str(type_name)[:40]!r}") from exc
    mail = record.get("mail")
    if not isinstance(mail, dict):
        raise InvalidEvent("missing mail object")
    message_id = mail.get("messageId")
    if not isinstance(message_id, str) or not message_id.strip():
        raise InvalidEvent("mail.messageId is missing")
    block_name = _BLOCKS[kind]
    block = record.get(block_name, {} if kind is SesEventType.SEND else None)
    if not isinstance(block, dict):
        raise InvalidEvent(f"missing {block_name} object for {kind.value} event")
    if block_name in _TIMED:
        when = _timestamp(block.get("timestamp"), block_name)
    else:
        when = _timestamp(mail.get("timestamp"), "mail")
    return SesEvent(
        message_id=message_id.strip()[:200],
        event_type=kind,
        timestamp=when,
        tags=_tags(mail),
        detail=_detail(kind, block),
    )


def event_key(event: SesEvent) -> str:
    """Identifies a delivery of the same record twice (SES delivers at least once)."""
    raw = json.dumps(
        [event.message_id, event.event_type.value, event.timestamp.isoformat(), event.detail],
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(raw.encode()).hexdigest()[:32]
