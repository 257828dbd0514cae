"""Event contracts: valid events parse, invalid ones raise InvalidEvent with a safe reason."""

from __future__ import annotations

import json

import pytest

from notifier.events.contracts import (
    AddressChanged,
    EmailJob,
    EmailKind,
    InvalidEvent,
    Language,
    QuarantineLifted,
    QuarantineRegistered,
    parse_event,
)
from tests.helpers import address, quarantine


def test_address_event_round_trips() -> None:
    raw = address("c1", "Flat 302 B wing Prestige Shantiniketan nr ITPL Whitefield blr")
    event = parse_event(json.dumps(raw))
    assert isinstance(event, AddressChanged)
    assert event.occurred_at.tzinfo is not None
    assert parse_event(event.to_json()) == event


def test_quarantine_events_are_discriminated_by_type() -> None:
    assert isinstance(parse_event(quarantine("B1", "Lodha Palava")), QuarantineRegistered)
    assert isinstance(parse_event(quarantine("B1", "", kind="lifted")), QuarantineLifted)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("hi-IN", Language.HI), ("Kannada", Language.KN), ("", Language.EN), ("xx", Language.EN)],
)
def test_language_preferences_are_coerced(value: str, expected: Language) -> None:
    raw = address("c1", "x") | {"language": value}
    assert parse_event(raw).language is expected


@pytest.mark.parametrize(
    ("value", "requested"),
    [
        ("hi-IN", "hi"),
        ("Kannada", "kn"),
        ("en-GB", "en"),
        ("", ""),
        (None, ""),
        ("fr-FR", "fr"),
        ("Urdu", "urdu"),
        ("12<b>", "und"),  # not a code: kept as "undetermined", never echoed
        (7, "und"),
    ],
)
def test_the_asked_for_language_is_kept_beside_the_one_sent(value: object, requested: str) -> None:
    raw = address("c1", "x") | {"language": value}
    event = parse_event(raw)
    assert isinstance(event, AddressChanged)
    assert event.requested_language == requested
    assert parse_event(event.to_json()) == event  # the ask survives the wire


def test_a_forged_requested_language_is_normalised_not_rejected() -> None:
    raw = address("c1", "x") | {"language": "hi", "requested_language": "x" * 50}
    assert parse_event(raw).requested_language == "und"


def test_an_email_job_from_before_the_fallback_field_still_parses() -> None:
    job = EmailJob.model_validate(
        {
            "job_id": "j",
            "kind": "announcement",
            "campaign_id": "E",
            "building_id": "B",
            "episode_id": "E",
            "customer_id": "c",
            "address_id": "a",
            "email": "c@example.org",
        }
    )
    assert job.language_fallback == ""


def test_pincode_with_space_is_normalised() -> None:
    event = parse_event(quarantine("B1", "Lodha Palava", pincode="421 204"))
    assert isinstance(event, QuarantineRegistered) and event.pincode == "421204"


def test_deleted_address_needs_no_text_or_email() -> None:
    raw = address("c1", "") | {"deleted": True, "email": ""}
    assert parse_event(raw).deleted


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"\xff\xfe", "not UTF-8"),
        ("{", "not JSON"),
        ("[1, 2]", "not a JSON object"),
        ({"type": "mystery", "event_id": "1"}, "unknown event type"),
        ({"type": "address.changed", "version": 2}, "unsupported schema version"),
        (address("c1", "x") | {"email": "not-an-email"}, "email is not a valid address"),
        (address("c1", ""), "address text is empty"),
        (quarantine("B1", "X", pincode="12345"), "pincode"),
        (quarantine("bad id!", "X"), "building_id"),
        (quarantine("B1", "X") | {"pickup": None}, "pickup"),
    ],
)
def test_invalid_events_are_rejected_with_a_reason(raw: object, reason: str) -> None:
    with pytest.raises(InvalidEvent, match=reason) as info:
        parse_event(raw)  # type: ignore[arg-type]
    assert "@example.org" not in info.value.reason  # reasons never echo personal data


def test_job_ids_are_deterministic_and_distinct() -> None:
    a = EmailJob.make_id("B1~x", EmailKind.ANNOUNCEMENT, 0, "c1")
    assert a == EmailJob.make_id("B1~x", EmailKind.ANNOUNCEMENT, 0, "c1")
    assert a != EmailJob.make_id("B1~x", EmailKind.UPDATE, 1, "c1")
    assert a != EmailJob.make_id("B1~y", EmailKind.ANNOUNCEMENT, 0, "c1")


def test_registry_aliases_and_brand_are_optional() -> None:
    plain = parse_event(quarantine("B1", "Lodha Palava"))
    assert isinstance(plain, QuarantineRegistered)
    assert (plain.aliases, plain.brand) == ([], None)
    raw = quarantine("B1", "Casa Rio") | {"aliases": ["Lodha Casa Rio"], "brand": "Lodha"}
    event = parse_event(raw)
    assert isinstance(event, QuarantineRegistered)
    assert (event.aliases, event.brand) == (["Lodha Casa Rio"], "Lodha")
    assert parse_event(event.to_json()) == event
    with pytest.raises(InvalidEvent):
        parse_event(quarantine("B1", "Casa Rio") | {"aliases": [""]})
    with pytest.raises(InvalidEvent):
        parse_event(quarantine("B1", "Casa Rio") | {"aliases": "Casa Rio"})
