"""Address events prepared for routing (what the segmenting child computes), without Kafka."""

from __future__ import annotations

import json

import pytest

from notifier.events.contracts import parse_event
from notifier.streams import segmenting
from notifier.streams.messages import Routed
from notifier.streams.preparing import Changed, Deleted, Rejected, prepare_addresses
from tests.helpers import address, quarantine


def test_a_batch_is_parsed_segmented_routed_and_serialized_in_order() -> None:
    segmenting._init("tests.helpers:PipeSegmenter")
    home = address("c1", "Prestige Shantiniketan | Whitefield | Bengaluru | 560066")
    gone = address("c2", "x", deleted=True)
    values = [
        json.dumps(home),
        json.dumps(gone),
        "{not json",
        json.dumps(quarantine("B1", "Prestige Shantiniketan")),
        json.dumps(address("c3", "Lodha Bellissimo | Worli | Mumbai |")),
        json.dumps(address("c4", "| | |")),  # nothing to route on: the customer's own route
    ]
    prepared = prepare_addresses([v.encode() for v in values], "t.address-changes")

    first, deleted, bad_json, wrong_topic, mumbai, nowhere = prepared
    assert isinstance(first, Changed)
    assert (first.route, first.key) == ("bengaluru", "c1\x1fhome")
    message = Routed.model_validate_json(first.item)
    assert message.segments is not None
    assert message.segments["building"] == "Prestige Shantiniketan"
    assert parse_event(message.event or "").event_id == home["event_id"]

    assert isinstance(deleted, Deleted) and deleted.key == "c2\x1fhome"
    assert Routed.model_validate_json(deleted.item).segments is None

    assert isinstance(bad_json, Rejected) and bad_json.error.startswith("payload is not JSON")
    assert wrong_topic == Rejected(
        "quarantine.registered event does not belong on t.address-changes"
    )
    assert isinstance(mumbai, Changed) and mumbai.route == "mumbai"
    assert isinstance(nowhere, Changed) and nowhere.route == "~c4"


def test_a_failing_segmenter_dead_letters_only_its_own_address(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Picky:
        def segment_many(self, texts, batch_size=64):  # type: ignore[no-untyped-def]
            for text in texts:
                if "boom" in text:
                    raise RuntimeError("model crashed")
                yield from segmenting.load_segmenter("tests.helpers:PipeSegmenter").segment_many(
                    [text]
                )

    monkeypatch.setattr(segmenting, "_segmenter", Picky())
    good, bad = prepare_addresses(
        [
            json.dumps(address("c1", "A | B | Pune |")).encode(),
            json.dumps(address("c2", "boom | B | Pune |")).encode(),
        ],
        "t",
    )
    assert isinstance(good, Changed) and good.route == "pune"
    assert bad == Rejected("address could not be segmented")
