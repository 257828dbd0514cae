"""A middle word of the registry name left out, a neighbouring locality written with the
building's own pincode, a long name written as its initials: the comparison levels the fit
weighs (``inner``, ``neighbour``, ``acronym``)."""

from __future__ import annotations

import pytest

from notifier.address.blocking import address_keys, building_query_keys
from notifier.address.comparisons import inner_omission
from notifier.address.matcher import BuildingRef, Decision, Matcher
from notifier.address.normalize import name_form
from notifier.address.segments import Segments

REGISTRY = [
    BuildingRef("tulip", "Sai Ganga Tulip", "Baner", "Pune", "411045"),
    BuildingRef("magnolia", "Palm Meadows Magnolia", "Whitefield", "Bengaluru", "560066"),
    BuildingRef("sunrise", "Sunrise Residency", "Baner", "Pune", "411045"),
    BuildingRef("orchid", "Orchid Greens", "Aundh", "Pune", "411007"),
]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(REGISTRY)


def seg(building: str, locality: str, city: str, pincode: str) -> Segments:
    text = f"{building}, {locality}, {city} {pincode}"
    return Segments(text, building=building, locality=locality, city=city, pincode=pincode)


def _omitted(registry: str, address: str) -> bool:
    whole, short = name_form(registry), name_form(address)
    missing = tuple(t for t in whole.core if t not in short.core)
    return inner_omission(whole.core, missing, bool(whole.brands & short.brands))


def test_inner_omission_keeps_the_first_and_last_words() -> None:
    assert _omitted("Sai Ganga Tulip", "Sai Tulip")
    # the first core word left out after the brand the address also writes
    assert _omitted("Prestige Lakeside Habitat", "Prestige Habitat")
    # a name cut at its end is a sub-project's parent, not a short form
    assert not _omitted("Palm Meadows Magnolia", "Palm Meadows")
    assert not _omitted("Lakeside Habitat", "Habitat")  # no brand before it
    assert not _omitted("Sai Ganga Jamuna Tulip", "Sai Tulip")  # two words left out


def test_a_middle_word_left_out_matches_in_its_place(matcher: Matcher) -> None:
    result = matcher.match(seg("Sai Tulip", "Baner", "Pune", "411045"))
    assert result.levels["name"] == "inner"
    assert result.decision is Decision.MATCH
    assert result.building_id == "tulip"
    # elsewhere it is not confirmed: not matched
    far = matcher.match(seg("Sai Tulip", "Aundh", "Pune", "411007"))
    assert far.decision is not Decision.MATCH


def test_the_word_after_the_brand_left_out_goes_to_review() -> None:
    # "Prestige Habitat": a short form of "Prestige Lakeside Habitat" or another of its projects
    habitat = BuildingRef("habitat", "Prestige Lakeside Habitat", "Varthur", "Bengaluru", "560087")
    result = Matcher([habitat]).match(seg("Prestige Habitat", "Varthur", "Bengaluru", "560087"))
    assert result.levels["name"] == "brand_inner"
    assert result.decision is Decision.REVIEW


def test_the_parent_estate_alone_does_not_match_its_sub_project(matcher: Matcher) -> None:
    result = matcher.match(seg("Palm Meadows", "Whitefield", "Bengaluru", "560066"))
    assert result.decision is not Decision.MATCH


def test_a_neighbouring_locality_with_the_buildings_pincode(matcher: Matcher) -> None:
    result = matcher.match(seg("Sunrise Residency", "Aundh", "Pune", "411045"))
    assert result.levels["locality"] == "neighbour"
    assert result.decision is Decision.MATCH
    # the neighbouring locality with its own pincode: another place
    other = matcher.match(seg("Sunrise Residency", "Aundh", "Pune", "411007"))
    assert other.decision is not Decision.MATCH


def test_a_long_name_written_as_its_initials() -> None:
    orchid = BuildingRef("gvo", "Green Valley Orchid Towers", "Baner", "Pune", "411045")
    m = Matcher([orchid, *REGISTRY])
    written = seg("GVO", "Baner", "Pune", "411045")
    result = m.match(written)
    assert result.levels["name"] == "acronym"
    assert (result.decision, result.building_id) == (Decision.MATCH, "gvo")
    # the reverse direction finds the address under the building's keys
    assert building_query_keys(orchid) & address_keys(written)
    # the initials elsewhere in the city: not confirmed
    assert m.match(seg("GVO", "Aundh", "Pune", "411007")).decision is not Decision.MATCH
    # initials of no registry name ("Sunrise Residency" is too short to be written so)
    assert m.match(seg("SR", "Baner", "Pune", "411045")).decision is Decision.NONE
