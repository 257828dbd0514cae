"""A main road the registry also lists as a locality, written as the customer's locality, is
its own comparison level (weighed by the fit), not another locality that vetoes the pair."""

from __future__ import annotations

from notifier.address.matcher import BuildingRef, Decision, Matcher
from notifier.address.segments import Segments

REGISTRY = [
    BuildingRef("cedar", "Cedar Crest Heights", "Majiwada", "Thane", "400601"),
    BuildingRef("ghb", "Lakeside Meadows", "Ghodbunder Road", "Thane", "400615"),
    BuildingRef("kolshet", "Kolshet Greens", "Kolshet", "Thane", "400607"),
]


def address(locality: str, pincode: str | None = "400601") -> Segments:
    parts = ["Flat 7", "Cedar Crest Heights", locality, "Thane", pincode or ""]
    return Segments(
        ", ".join(p for p in parts if p),
        building="Cedar Crest Heights",
        unit="Flat 7",
        locality=locality,
        city="Thane",
        pincode=pincode,
    )


def test_a_road_written_as_the_locality_is_weighed_not_vetoed() -> None:
    m = Matcher(REGISTRY)
    on_road = m.match(address("Ghodbunder Road"))
    assert on_road.levels["locality"] == "road"
    assert (on_road.decision, on_road.building_id) == (Decision.MATCH, "cedar"), on_road
    # it still weighs against the pair: less sure than the building's own locality
    assert on_road.score < m.match(address("Majiwada")).score


def test_another_locality_the_registry_knows_still_disagrees() -> None:
    m = Matcher(REGISTRY)
    other = m.match(address("Kolshet", None))
    assert other.levels["locality"] == "disagree"
    assert other.decision is Decision.NONE
    # with the building's own pincode it is a neighbouring locality, weighed by the fit
    near = m.match(address("Kolshet"))
    assert near.levels["locality"] == "neighbour"
    assert near.score > other.score
