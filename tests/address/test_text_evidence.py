"""The raw text as a second source of the building name when the segmenter cut or mislabelled
it (notifier.address.text_evidence), and what it must never do: read a landmark, or read
another building's name in another part of the text."""

from __future__ import annotations

import pytest

from notifier.address.blocking import address_keys
from notifier.address.matcher import BuildingRef, Decision, Matcher
from notifier.address.segments import Segments
from notifier.address.text_evidence import text_parts

KONDAPUR = {"locality": "Kondapur", "city": "Hyderabad", "pincode": "500084"}
REGISTRY = [
    BuildingRef("sunrise-meadows", "Sunrise Meadows", **KONDAPUR),
    BuildingRef("brig-lakefront", "Brigade Lakefront", "Whitefield", "Bengaluru", "560066"),
]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(REGISTRY)


def test_a_name_cut_by_the_segmenter_is_read_whole_from_its_part(matcher: Matcher) -> None:
    # the segmenter kept one word of the name and called the rest a landmark
    cut = Segments(
        "Flat 12, Sunrise Meadows, Kondapur, Hyderabad 500084",
        building="Sunrise",
        unit="Flat 12",
        landmark="Meadows",
        locality="Kondapur",
        city="Hyderabad",
        pincode="500084",
    )
    result = matcher.match(cut)
    assert result.decision is Decision.MATCH
    assert result.building_id == "sunrise-meadows"
    assert result.levels["source"] == "text"
    # the reverse direction finds the same pair: the part's keys are stored with the address
    assert address_keys(cut) & matcher._buildings["sunrise-meadows"].keys
    assert matcher.score(cut, REGISTRY[0]).decision is Decision.MATCH


def test_a_landmark_in_the_text_never_names_the_building(matcher: Matcher) -> None:
    for text in (
        "Flat 12, Opp Sunrise Meadows, Kondapur, Hyderabad 500084",
        "Flat 12, near Sunrise Meadows, Kondapur, Hyderabad 500084",
        "Flat 12 Behind Sunrise Meadows, Kondapur, Hyderabad 500084",
    ):
        at = text.index("Sunrise")
        landmark_only = Segments(
            text,
            unit="Flat 12",
            landmark=text[at : at + len("Sunrise Meadows")],
            locality="Kondapur",
            city="Hyderabad",
            pincode="500084",
        )
        assert matcher.match(landmark_only).decision is Decision.NONE, text
        assert all("Sunrise" not in p.text for p in text_parts(landmark_only, None, "Hyderabad"))


def test_another_part_naming_a_building_is_not_read(matcher: Matcher) -> None:
    # the segmenter found the customer's building; a registry name elsewhere in the text is
    # not where they live
    two = Segments(
        "Flat 3, Green Acres, Sunrise Meadows, Kondapur, Hyderabad 500084",
        building="Green Acres",
        unit="Flat 3",
        landmark="Sunrise Meadows",
        locality="Kondapur",
        city="Hyderabad",
        pincode="500084",
    )
    assert matcher.match(two).decision is Decision.NONE


def test_a_sibling_cut_short_stays_apart(matcher: Matcher) -> None:
    sibling = Segments(
        "Flat 3, Brigade Lakeview, Whitefield, Bengaluru 560066",
        building="Brigade",
        unit="Flat 3",
        landmark="Lakeview",
        locality="Whitefield",
        city="Bengaluru",
        pincode="560066",
    )
    assert matcher.match(sibling).decision is Decision.NONE


def test_a_name_labelled_a_landmark_without_a_cue_is_read(matcher: Matcher) -> None:
    # no building segment; the locality stands in for it (and is the registry's own place)
    no_building = Segments(
        "Flat 12, Sunrise Meadows, Kondapur, Hyderabad 500084",
        unit="Flat 12",
        landmark="Sunrise Meadows",
        locality="Kondapur",
        city="Hyderabad",
        pincode="500084",
    )
    result = matcher.match(no_building)
    assert (result.decision, result.building_id) == (Decision.MATCH, "sunrise-meadows"), result
    # the same stand-in that is no place of the candidate's: two names, a person decides
    elsewhere = Segments(
        "Flat 12, Sunrise Meadows, Green Acres, Hyderabad 500084",
        unit="Flat 12",
        landmark="Sunrise Meadows",
        locality="Green Acres",
        city="Hyderabad",
        pincode="500084",
    )
    assert matcher.match(elsewhere).decision is not Decision.MATCH


def test_a_part_read_as_the_building_with_another_developers_name_is_not_it() -> None:
    m = Matcher([BuildingRef("prest-aurora", "Prestige Aurora Towers", **KONDAPUR)])
    # no building segment: the part "Sobha Aurora" is tried as the building, strictly
    other_brand = Segments(
        "Flat 4, Sobha Aurora, Kondapur, Hyderabad 500084",
        unit="Flat 4",
        locality="Kondapur",
        city="Hyderabad",
        pincode="500084",
    )
    assert m.match(other_brand).decision is Decision.NONE
    same_brand = Segments(
        "Flat 4, Prestige Aurora, Kondapur, Hyderabad 500084",
        unit="Flat 4",
        locality="Kondapur",
        city="Hyderabad",
        pincode="500084",
    )
    assert m.match(same_brand).decision is Decision.MATCH


def test_the_reverse_direction_reads_the_part_too() -> None:
    # a new quarantine scores the stored addresses one by one (Matcher.score): a name cut to
    # a word it does not share with the registry name must still be found
    ref = BuildingRef("mh-saffron", "My Home Saffron", **KONDAPUR)
    m = Matcher([ref])
    cut = Segments(
        "Flat 12, My Home Saffron, Kondapur, Hyderabad 500084",
        building="My",
        unit="Flat 12",
        landmark="Home Saffron",
        locality="Kondapur",
        city="Hyderabad",
        pincode="500084",
    )
    assert m.match(cut).decision is Decision.MATCH
    assert m.score(cut, ref).decision is Decision.MATCH
