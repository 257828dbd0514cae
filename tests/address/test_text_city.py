"""The city read from an unlabelled part of the raw text when the segmenter labelled an
unknown place as the city (or no city): blocking finds the region's buildings."""

from __future__ import annotations

import dataclasses

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
    # the building read, the city a suburb: found only through the district city in the text
    # (without it, "no candidate building"); how sure, the fitted weights say
    read = Segments(text=seg.text, unit="Flat 3", building="Sealine Crest", city="Vyttila")
    alone = Segments(text="Flat 3, Sealine Crest, Vyttila", unit="Flat 3", building="Sealine Crest")
    assert (
        matcher.match(dataclasses.replace(alone, city="Vyttila")).reason == "no candidate building"
    )
    for address in (read, seg):
        forward = matcher.match(address)
        assert matcher.score(address, CREST).decision is forward.decision
        found = dict(matcher.residents(CREST, [("a1", address)])).get("a1")
        assert (found.decision if found else Decision.NONE) is forward.decision
    found_read = matcher.match(read)
    assert found_read.building_id == "crest"
    assert found_read.decision in (Decision.MATCH, Decision.REVIEW)
    # the name from the locality slot, its place unconfirmed: never an email on its own
    assert matcher.match(seg).decision is not Decision.MATCH
