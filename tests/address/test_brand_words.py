"""A developer brand written apart or out of order is still the building's developer, and
only its own words are forgiven."""

from __future__ import annotations

import pytest

from notifier.address.brand_words import scattered_brand
from notifier.address.matcher import BuildingRef, Decision, Matcher
from notifier.address.segments import Segments

PLACE = {"locality": "Wakad", "city": "Pune", "pincode": "411057"}
REGISTRY = [
    BuildingRef("sun", "Kolte Patil Sunridge", **PLACE),
    BuildingRef("moon", "Kolte Patil Moonridge", **PLACE),
    BuildingRef("grand", "Casagrand Tulsi Vanam", "Porur", "Chennai", "600116"),
]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(REGISTRY)


def seg(building: str, **parts: str) -> Segments:
    text = ", ".join([building, *parts.values()])
    return Segments(text=text, building=building, **parts)


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        (seg("Patil Sunridge Kolte", locality="Wakad", city="Pune", pincode="411057"), "sun"),
        (seg("Sunridge Kolte Patil", locality="Wakad", city="Pune"), "sun"),
        (seg("Grand Tulsi Vanam Casa", locality="Porur", city="Chennai"), "grand"),
        (seg("Tulsi Vanam Casa Grand", city="Chennai", pincode="600116"), "grand"),
    ],
)
def test_brand_written_apart_matches(matcher: Matcher, address: Segments, expected: str) -> None:
    result = matcher.match(address)
    assert result.decision is Decision.MATCH, result
    assert result.building_id == expected


@pytest.mark.parametrize(
    "address",
    [
        # a word that is not the developer's stays another building's word
        seg("Sunridge Orchid Patil", locality="Wakad", city="Pune", pincode="411057"),
        # another developer's brand read in the name
        seg("Group Sunridge Lodha", locality="Wakad", city="Pune", pincode="411057"),
    ],
)
def test_other_words_still_rule_out(matcher: Matcher, address: Segments) -> None:
    result = matcher.match(address)
    assert result.decision is not Decision.MATCH or result.building_id != "sun", result


def test_sibling_stays_apart(matcher: Matcher) -> None:
    result = matcher.match(seg("Patil Moonridge Kolte", locality="Wakad", pincode="411057"))
    assert (result.decision, result.building_id) == (Decision.MATCH, "moon")


def test_scattered_brand_rules() -> None:
    kolte = frozenset({"kolte_patil"})
    assert scattered_brand(["patil"], frozenset(), kolte)
    assert not scattered_brand([], frozenset(), kolte)
    assert not scattered_brand(["orchid"], frozenset(), kolte)
    assert not scattered_brand(["patil"], frozenset({"lodha"}), kolte)
    assert not scattered_brand(["patil"], frozenset(), frozenset())
