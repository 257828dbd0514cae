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


GLUED = [
    BuildingRef("moon", "Gera Moonstone Residency", "Kharadi", "Pune", "411014"),
    BuildingRef("sun", "Gera Sunstone", "Kharadi", "Pune", "411014"),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Flat 4, geramoonstone residency, Kharadi, Pune 411014", "moon"),
        ("Flat 4, GeraSunstone, Kharadi, Pune", "sun"),
    ],
)
def test_brand_glued_to_the_name_both_directions(text: str, expected: str) -> None:
    building = text.split(", ")[1]
    seg = Segments(text=text, unit="Flat 4", building=building, locality="Kharadi", city="Pune")
    matcher = Matcher(GLUED)
    result = matcher.match(seg)
    assert (result.decision, result.building_id) == (Decision.MATCH, expected), result
    ref = next(b for b in GLUED if b.building_id == expected)
    assert matcher.score(seg, ref).decision is Decision.MATCH
    assert dict(matcher.residents(ref, [("a", seg)]))["a"].decision is Decision.MATCH


def test_glued_split_is_checked_against_the_whole_name() -> None:
    matcher = Matcher(GLUED)
    for name in ("gerastarstone", "Geraldine"):  # another name; a word that begins "gera"
        seg = Segments(
            text=f"{name}, Kharadi, Pune", building=name, locality="Kharadi", city="Pune"
        )
        assert matcher.match(seg).decision is not Decision.MATCH, name
