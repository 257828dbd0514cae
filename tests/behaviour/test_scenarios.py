"""The behaviour both runtimes promise, one set of scenarios run once per runtime.

Each scenario has its own customers (ids starting with its ``tag``), building and city, so
the scenarios of one module share a runtime (one Kafka worker) without seeing each other.
Addresses are "building | locality | city | pincode" (``tests.helpers.PipeSegmenter``); what
is asserted is what moto accepted, the review queue and the report the HTTP views give.
"""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.behaviour.drivers import Mail, Runtime
from tests.helpers import address, quarantine
from tests.tracking import aws_examples as aws

APPLE = {"agent": "Mozilla/5.0", "ip": "17.58.1.20"}  # Mail Privacy Protection prefetch


@pytest.fixture
def tag() -> str:
    return f"s{uuid.uuid4().hex[:8]}-"


class Place:
    """A building in a city no other scenario uses."""

    def __init__(self, tag: str, name: str, locality: str, city: str, pincode: str) -> None:
        self.building_id = f"{tag}B"
        self.name, self.locality, self.city, self.pincode = name, locality, city, pincode

    @property
    def home(self) -> str:
        return f"{self.name} | {self.locality} | {self.city} | {self.pincode}"

    def event(self, kind: str = "registered", **kw: Any) -> dict[str, Any]:
        return quarantine(
            self.building_id,
            self.name,
            kind=kind,
            locality=self.locality,
            city=self.city,
            pincode=self.pincode,
            **kw,
        )


def people(mails: list[Mail], kind: str | None = None) -> Counter[str]:
    return Counter(m.to.split("@")[0] for m in mails if kind is None or m.kind == kind)


def wait_mails(rt: Runtime, tag: str, count: int, what: str) -> list[Mail]:
    rt.eventually(lambda: len(rt.mails(tag)) >= count, f"{count} emails: {what}")
    rt.settle()  # and nothing more
    return rt.mails(tag)


def test_a_new_quarantine_reaches_known_residents(runtime: Runtime, tag: str) -> None:
    place = Place(tag, "Prestige Shantiniketan", "Whitefield", "Bengaluru", "560066")
    residents = [address(f"{tag}r{i}", place.home) for i in range(3)]
    away = address(f"{tag}x", "Sobha Dream Acres | Panathur | Bengaluru | 560087")
    runtime.publish_addresses([*residents, away])
    runtime.settle()  # known before the quarantine: the reverse direction
    assert runtime.mails(tag) == []
    runtime.publish_quarantines([place.event()])
    mails = wait_mails(runtime, tag, 3, "announcements")
    assert people(mails, "announcement") == {f"{tag}r{i}": 1 for i in range(3)}
    assert all(place.name in m.subject and "Main gate" in m.text for m in mails)


def test_a_new_address_in_a_quarantined_building_is_notified(runtime: Runtime, tag: str) -> None:
    place = Place(tag, "Lodha Bellissimo", "Worli", "Mumbai", "400018")
    runtime.publish_quarantines([place.event()])
    runtime.settle()
    assert runtime.mails(tag) == []
    runtime.publish_addresses([address(f"{tag}new", place.home)])
    mails = wait_mails(runtime, tag, 1, "the newcomer's announcement")
    assert people(mails, "announcement") == {f"{tag}new": 1}


def test_an_update_and_a_lift_reach_the_announced_residents_still_there(
    runtime: Runtime, tag: str
) -> None:
    """An update and a lift go to the residents announced and still living there (the update
    says what changed); someone who moved out hears nothing more."""
    place = Place(tag, "Brigade Gateway", "Mylapore", "Chennai", "600028")
    runtime.publish_addresses([address(f"{tag}stay", place.home), address(f"{tag}go", place.home)])
    runtime.publish_quarantines([place.event()])
    wait_mails(runtime, tag, 2, "announcements")
    runtime.publish_addresses([address(f"{tag}go", "Olympia Opaline | Navalur | Chennai | 600130")])
    runtime.settle()
    runtime.publish_quarantines([place.event("updated", pickup_location="Gate 2")])
    mails = wait_mails(runtime, tag, 3, "the update")
    updates = [m for m in mails if m.kind == "update"]
    assert people(updates) == {f"{tag}stay": 1}
    assert "Gate 2" in updates[0].text
    assert people(mails, "announcement") == {f"{tag}stay": 1, f"{tag}go": 1}
    runtime.publish_quarantines([place.event("lifted")])
    mails = wait_mails(runtime, tag, 4, "the lifted note")
    assert people(mails, "lifted") == {f"{tag}stay": 1}


def test_a_lift_sends_the_lifted_note_and_then_nothing(runtime: Runtime, tag: str) -> None:
    place = Place(tag, "Sobha Dream Acres", "Gachibowli", "Hyderabad", "500033")
    runtime.publish_addresses([address(f"{tag}a", place.home), address(f"{tag}b", place.home)])
    runtime.publish_quarantines([place.event()])
    wait_mails(runtime, tag, 2, "announcements")
    runtime.publish_quarantines([place.event("lifted")])
    mails = wait_mails(runtime, tag, 4, "the lifted notes")
    assert people(mails, "lifted") == {f"{tag}a": 1, f"{tag}b": 1}
    # lifted: a newcomer hears nothing
    runtime.publish_addresses([address(f"{tag}late", place.home)])
    runtime.settle()
    assert len(runtime.mails(tag)) == 4


def test_a_doubtful_pair_waits_for_review_approve_sends_reject_does_not(
    runtime: Runtime, tag: str
) -> None:
    # part of the registered name, in its place: the matcher is not sure
    place = Place(tag, "Prestige Lakeside Habitat", "Varthur", "Kochi", "682001")
    doubtful = "Prestige Habitat | Varthur | Kochi | 682001"
    runtime.publish_quarantines([place.event()])
    runtime.publish_addresses([address(f"{tag}yes", doubtful), address(f"{tag}no", doubtful)])
    runtime.settle()
    found = [r for r in runtime.reviews() if r["building_id"] == place.building_id]
    items = {r["customer_id"]: r for r in found}
    assert set(items) == {f"{tag}yes", f"{tag}no"}, found
    assert runtime.mails(tag) == []  # nothing before a person decides

    runtime.decide(items[f"{tag}yes"]["review_id"], approve=True)
    runtime.decide(items[f"{tag}no"]["review_id"], approve=False)
    mails = wait_mails(runtime, tag, 1, "the approved resident's email")
    assert people(mails, "announcement") == {f"{tag}yes": 1}
    # the rejected address sent again does not re-open its review, nor send anything
    runtime.publish_addresses([address(f"{tag}no", doubtful)])
    runtime.settle()
    reopened = [r for r in runtime.reviews() if r["building_id"] == place.building_id]
    assert reopened == []
    assert people(runtime.mails(tag)) == {f"{tag}yes": 1}


def test_unsubscribe_by_the_emails_link_stops_further_emails(runtime: Runtime, tag: str) -> None:
    place = Place(tag, "DLF Capital Greens", "Moti Nagar", "New Delhi", "110015")
    runtime.publish_addresses([address(f"{tag}out", place.home), address(f"{tag}in", place.home)])
    runtime.publish_quarantines([place.event()])
    mails = wait_mails(runtime, tag, 2, "announcements")
    runtime.unsubscribe(next(m for m in mails if m.to.startswith(f"{tag}out")))
    runtime.settle()
    runtime.publish_quarantines([place.event("updated", pickup_location="Gate 3")])
    mails = wait_mails(runtime, tag, 3, "the update")
    assert people(mails, "update") == {f"{tag}in": 1}
    # a new address for the unsubscribed person is still suppressed (the address, not the job)
    runtime.publish_addresses([address(f"{tag}out", place.home, address_id="office")])
    runtime.settle()
    assert people(runtime.mails(tag)) == {f"{tag}out": 1, f"{tag}in": 2}


def test_ses_events_reach_tracking_the_report_and_the_suppression_list(
    runtime: Runtime, tag: str
) -> None:
    place = Place(tag, "Godrej Woods", "Sector 43", "Noida", "201303")
    languages = ["en", "hi", "en", "hi", "en", "en"]
    runtime.publish_addresses(
        [address(f"{tag}p{i}", place.home, language=lang) for i, lang in enumerate(languages)]
    )
    runtime.publish_quarantines([place.event()])
    sent_at = datetime.now(UTC)
    mails = wait_mails(runtime, tag, 6, "announcements")
    mid = {m.to.split("@")[0]: m.message_id for m in mails}
    ids = [mid[f"{tag}p{i}"] for i in range(6)]
    # p0-p4 delivered, p5 bounces for good; p0 (en), p1 (hi) opened by people, p0 clicks;
    # p2 (en) only prefetched by Apple's proxy; p4 complains; p3 delivered, never opened.
    at = {"sent": sent_at}
    records = [aws.send(m, **at) for m in ids]
    records += [aws.delivery(m, sent_at + timedelta(minutes=1), **at) for m in ids[:5]]
    records += [aws.open_(m, sent_at + timedelta(hours=1), **at) for m in ids[:2]]
    records.append(aws.open_(ids[0], sent_at + timedelta(hours=2), **at))  # a second look
    records.append(aws.click(ids[0], sent_at + timedelta(hours=2), **at))
    records.append(aws.open_(ids[2], sent_at + timedelta(minutes=1, seconds=2), **APPLE, **at))
    records.append(aws.complaint(ids[4], sent_at + timedelta(hours=3), **at))
    records.append(aws.bounce(ids[5], sent_at + timedelta(minutes=1), **at))
    runtime.feed_ses_events(records + records[:4])  # SES delivers at least once

    by_hand = {
        "sent": 6,
        "delivered": 5,
        "bounced": 1,
        "hard_bounced": 1,
        "complaints": 1,
        "unique_opens": 3,
        "human_opens": 2,
        "machine_only_opens": 1,
        "open_events": 4,
        "clicks": 1,
        "human_clicks": 1,
        "open_rate": 3 / 5,
        "human_open_rate": 2 / 5,
    }
    last: list[dict[str, Any]] = [{}]

    def folded() -> dict[str, Any]:
        last[0] = runtime.report(place.building_id)
        totals = last[0].get("totals", {})
        return last[0] if {k: totals.get(k) for k in by_hand} == by_hand else {}

    try:
        report = runtime.eventually(folded, "the events folded into the report")
    except AssertionError as exc:
        raise AssertionError(f"last report totals: {last[0].get('totals')}\n{exc}") from None
    [campaign] = report["campaign"]
    [building] = report["building"]
    [city] = report["city"]
    assert building["key"] == place.building_id and "Noida" in city["label"]
    for row in (campaign, building, city):
        assert {k: row[k] for k in by_hand} == by_hand
    languages_rows = {row["key"]: row for row in report["language"]}
    assert set(languages_rows) == {"en", "hi"}
    en, hi = languages_rows["en"], languages_rows["hi"]
    # en: p0 p2 p4 p5 sent, p0 p2 p4 delivered, p0 (person) and p2 (proxy) opened
    assert (en["sent"], en["delivered"], en["unique_opens"], en["human_opens"]) == (4, 3, 2, 1)
    assert en["open_rate"] == pytest.approx(2 / 3)
    # hi: p1 p3 sent and delivered, p1 opened
    assert (hi["sent"], hi["delivered"], hi["unique_opens"], hi["open_rate"]) == (2, 2, 1, 0.5)

    # the complaint and the hard bounce put their addresses on the suppression list
    runtime.publish_quarantines([place.event("updated", pickup_location="Gate 4")])
    mails = wait_mails(runtime, tag, 10, "4 updates")
    assert people(mails) == {f"{tag}p{i}": 2 for i in range(4)} | {f"{tag}p4": 1, f"{tag}p5": 1}


def test_no_email_twice_for_the_same_person_and_quarantine(runtime: Runtime, tag: str) -> None:
    place = Place(tag, "Hiranandani Gardens", "Powai", "Thane", "400607")
    first = [address(f"{tag}c{i}", place.home) for i in range(3)]
    registered = place.event()
    runtime.publish_addresses(first)
    runtime.publish_quarantines([registered])
    wait_mails(runtime, tag, 3, "announcements")
    # replayed (a producer retried), the same address edited (new event id, same text), a
    # second address of c0 in the same building, and the registration sent again as new
    runtime.publish_addresses(first)
    runtime.publish_quarantines([registered])
    runtime.publish_addresses(
        [
            address(f"{tag}c1", place.home),
            address(f"{tag}c0", place.home.replace("Powai", "Powai East"), address_id="office"),
        ]
    )
    runtime.publish_quarantines([{**registered, "event_id": f"{tag}again"}])
    runtime.settle()
    assert people(runtime.mails(tag), "announcement") == {f"{tag}c{i}": 1 for i in range(3)}
