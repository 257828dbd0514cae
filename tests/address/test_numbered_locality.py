"""A numbered locality ("Sector 90") written as a part of its own confirms the place; a stray
number elsewhere in the text does not."""

from __future__ import annotations

from notifier.address.matcher import BuildingRef, Decision, Matcher
from notifier.address.segments import Segments

ORCHID = BuildingRef("orchid", "Orchid Petals Heights", "Sector 74", "Gurugram", None)


def test_a_sector_written_as_a_part_confirms_a_name_read_from_the_locality_slot() -> None:
    m = Matcher([ORCHID])
    # the segmenter put the name in the locality slot and left the sector unlabelled
    address = Segments(
        "Flat 9, Orchid Petals Heights, sector 74, Gurgaon",
        unit="Flat 9",
        locality="Orchid Petals Heights",
        city="Gurgaon",
    )
    result = m.match(address)
    assert result.levels["locality"] == "agree", result
    assert result.decision is Decision.MATCH, result


def test_a_stray_number_does_not_confirm_a_numbered_locality() -> None:
    m = Matcher([ORCHID])
    stray = Segments(
        "Flat 9, Orchid Petals Heights, 74, Gurgaon",
        unit="Flat 9",
        locality="Orchid Petals Heights",
        city="Gurgaon",
    )
    result = m.match(stray)
    assert result.levels.get("locality") != "agree"
    assert result.decision is not Decision.MATCH
