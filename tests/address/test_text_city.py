"""The city read from an unlabelled part of the raw text when the segmenter labelled an
unknown place as the city (or no city): blocking finds the region's buildings."""

from __future__ import annotations

from notifier.address.blocking import address_keys
from notifier.address.matcher import BuildingRef, Decision, Matcher
from notifier.address.segments import Segments
from notifier.address.text_city import with_text_city

CREST = BuildingRef("crest", "Sealine Crest", "Kakkanad", "Kochi", "682030")


def suburb_as_city(
    text: str = "Flat 3, Sealine Crest, Vyttila, Ernakulam", **parts: str
) -> Segments:
    return Segments(text=text, unit="Flat 3", locality="Sealine Crest", city="Vyttila", **parts)


def test_city_taken_from_unlabelled_part() -> None:
    seg = with_text_city(suburb_as_city())
    assert seg.city == "Ernakulam"
    assert seg.locality == "Sealine Crest"  # untouched; "Vyttila" stays in the text


def test_suburb_becomes_locality_when_there_is_none() -> None:
    seg = Segments(
        text="B-2, Sealine Crest, Vyttila, Ernakulam",
        building="Sealine Crest",
        unit="B-2",
        city="Vyttila",
    )
    assert (with_text_city(seg).city, with_text_city(seg).locality) == ("Ernakulam", "Vyttila")


def test_left_alone() -> None:
    known = Segments(text="Sealine Crest, Vyttila, Kochi", building="Sealine Crest", city="Kochi")
    assert with_text_city(known) is known
    two = suburb_as_city("Flat 3, Sealine Crest, Vyttila, Ernakulam, Chennai")
    assert with_text_city(two) is two  # two cities written: no guess
    pin = suburb_as_city("Flat 3, Sealine Crest, Vyttila, Ernakulam, 600042", pincode="600042")
    assert with_text_city(pin) is pin  # the pincode is in another region


def test_blocking_and_both_directions() -> None:
    seg = suburb_as_city()
    assert any(key.startswith("r|kochi|") for key in address_keys(seg))
    matcher = Matcher([CREST])
    forward = matcher.match(seg)
    # found (it was "no candidate building"); the name read from the locality slot with its
    # place unconfirmed (another locality, no pincode) goes to a person
    assert (forward.decision, forward.building_id) == (Decision.REVIEW, "crest")
    assert matcher.score(seg, CREST).decision is forward.decision
    residents = dict(matcher.residents(CREST, [("a1", seg)]))
    assert residents["a1"].decision is forward.decision
