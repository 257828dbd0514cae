"""Blocking keys and the reverse (building -> residents) index."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

from notifier.address.blocking import (
    KeyParts,
    address_keys,
    address_keys_of,
    address_scopes,
    building_query_keys,
    token_codes,
)
from notifier.address.key_index import ResidentIndex, ScopedKeyIndex
from notifier.address.matcher import BuildingRef, Decision, Matcher
from notifier.address.segments import Segments

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def labelled() -> tuple[list[BuildingRef], list[tuple[str, Segments, str | None]]]:
    sys.path.insert(0, str(ROOT / "bench" / "matching"))
    try:
        from evaluate import HERE, load_registry, load_rows
    finally:
        sys.path.pop(0)
    rows = [
        (row["id"], Segments(text=row["text"], **row["segments"]), row["gold"])
        for row in load_rows(HERE / "eval.jsonl", "all")
    ]
    return load_registry(HERE / "registry.jsonl"), rows


def test_token_codes_are_shared_by_spelling_variants() -> None:
    assert set(token_codes("krupa")) & set(token_codes("kripa"))
    # a glued name shares the head of its first word and the tail of its last
    glued = set(token_codes("prestigeshantiniketan"))
    assert glued & set(token_codes("prestige"))
    assert glued & set(token_codes("shantiniketan"))


def test_address_keys_are_few_and_scoped() -> None:
    seg = Segments(
        "Flat 4, Prestige Shantiniketan, Whitefield, Bangalore 560066",
        building="Prestige Shantiniketan",
        locality="Whitefield",
        city="Bangalore",
        pincode="560066",
    )
    keys = address_keys(seg)
    assert 1 <= len(keys) <= 8
    # recall-first: keyed by the city's region and name codes, not by pincode or locality
    # (those are evidence in the score); the brand is not a key, its project's name is
    assert all(k.startswith("r|bengaluru|") for k in keys)
    assert not any(k.endswith("|prs") for k in keys)
    # a typo in the locality keeps its key
    typo = address_keys(
        Segments("x", building="Prestige Shantiniketan", locality="Whitfield", city="Bengaluru")
    )
    assert typo <= keys
    # nothing that may name a building: no keys (a city and a road never name one)
    assert address_keys(Segments("Bangalore 560066", city="Bangalore", pincode="560066")) == set()
    assert address_keys(Segments("ITPL Main Road, Bangalore", street="ITPL Main Road")) == set()


def test_scopes_for_partial_locations() -> None:
    no_city = address_keys(
        Segments("Sai Krupa, Kondapur", building="Sai Krupa", locality="Kondapur")
    )
    assert no_city and all(k.startswith("l|") for k in no_city)
    city_only = address_keys(
        Segments("Sai Krupa, Hyderabad", building="Sai Krupa", city="Hyderabad")
    )
    assert city_only and all(k.startswith("r|hyderabad|") for k in city_only)
    building = BuildingRef("b", "Sai Krupa Apartments", "Kondapur", "Hyderabad", None)
    assert no_city & building_query_keys(building)
    assert city_only & building_query_keys(building)
    # no city: the pincode tells the region; a postal district ("Mumbai 76") is a pincode
    pin_only = address_keys(Segments("Sai Krupa, 400076", building="Sai Krupa", pincode="400076"))
    assert pin_only and all(k.startswith("r|mmr|") for k in pin_only)
    district = address_keys(
        Segments("Sai Krupa, Mumbai 76", building="Sai Krupa", city="Mumbai 76")
    )
    assert district == pin_only


def test_key_guarantee_on_the_labelled_set(labelled) -> None:  # type: ignore[no-untyped-def]
    """Whenever a pair is not ``none``, the address and building share a blocking key."""
    registry, rows = labelled
    matcher = Matcher(registry)
    rng = random.Random(3)
    checked = 0
    for _, seg, gold in rows:
        buildings = set(matcher.candidates(seg)) | set(rng.sample(registry, 5))
        if gold is not None:
            buildings.add(matcher.building(gold))
        for building in buildings:
            if matcher.score(seg, building).decision is not Decision.NONE:
                checked += 1
                assert address_keys(seg) & building_query_keys(building), (seg, building)
    assert checked > 2000
    # and the key sets stay small enough for a (key, address_id) table
    # (most have 4-12; a one-word name with a pincode and its locality in other parts, up to
    # 6 codes x 3-4 scopes)
    sizes = [len(address_keys(seg)) for _, seg, _ in rows]
    assert max(sizes) <= 24
    assert sum(sizes) / len(sizes) <= 9


def test_resident_index_finds_every_resident_the_matcher_would_match(labelled) -> None:  # type: ignore[no-untyped-def]
    registry, rows = labelled
    matcher = Matcher(registry)
    index = ResidentIndex()
    for address_id, seg, _ in rows:
        index.add(address_id, seg)
    assert len(index) == len(rows)
    by_id = {address_id: seg for address_id, seg, _ in rows}
    forward: dict[str, set[str]] = {}
    for address_id, seg, _ in rows:
        result = matcher.match(seg)
        if result.decision is Decision.MATCH:
            forward.setdefault(result.building_id, set()).add(address_id)
    assert forward
    for building in registry:
        candidates = index.candidates(building)
        assert len(candidates) < len(rows) / 4  # blocking, not a scan
        found = dict(matcher.residents(building, ((a, by_id[a]) for a in candidates)))
        assert all(r.decision is not Decision.NONE for r in found.values())
        reverse = {a for a, r in found.items() if r.decision is Decision.MATCH}
        assert reverse == {
            a for a in candidates if matcher.score(by_id[a], building).decision is Decision.MATCH
        }
        assert forward.get(building.building_id, set()) <= reverse


def test_resident_index_add_replace_remove() -> None:
    building = BuildingRef("b1", "Brigade Lakefront", "Whitefield", "Bengaluru", "560066")
    index = ResidentIndex()
    home = Segments("x", building="Brigade Lakefront", locality="Whitefield", city="Bengaluru")
    index.add("a1", home)
    index.add("a2", Segments("y", building="Sobha Dream Acres", city="Bengaluru"))
    assert index.candidates(building) == {"a1"}
    # the customer moves: re-adding replaces the old keys
    index.add("a1", Segments("z", building="Godrej Woods", city="Noida"))
    assert index.candidates(building) == set()
    index.add("a1", home)
    index.remove("a1")
    index.remove("unknown")
    assert index.candidates(building) == set()
    assert len(index) == 1


def test_parts_that_may_name_the_building_are_keyed_when_no_segment_names_it() -> None:
    """A society read as the locality ("Kamdhenu Ashirwad Nagar") is still found in the
    reverse direction: the parts that may name the building add their keys."""
    building = BuildingRef("k", "Kamdhenu Ashirwad Nagar", "OMR Thoraipakkam", "Chennai", "600097")
    slipped = Segments(
        "C-901, Kamdhenu Ashirwad Nagar, OMR Thoraipakkam, Madras, 600097",
        unit="C-901",
        locality="Kamdhenu Ashirwad Nagar",
        city="Madras",
        pincode="600097",
    )
    assert address_keys(slipped) & building_query_keys(building)
    index = ResidentIndex()
    index.add("a1", slipped)
    assert index.candidates(building) == {"a1"}
    result = Matcher().score(slipped, building)
    assert result.decision is Decision.MATCH, result
    # a landmark never names the building, even unlabelled
    near = Segments(
        "Flat 2, Near Kamdhenu Ashirwad Nagar, OMR Thoraipakkam, Chennai 600097",
        unit="Flat 2",
        city="Chennai",
        pincode="600097",
    )
    assert not address_keys(near) & building_query_keys(building)
    assert Matcher([building]).match(near).decision is Decision.NONE


def test_a_one_word_name_misspelt_near_its_start_keeps_a_key() -> None:
    for typo, name in [("Laskhmi", "Lakshmi"), ("Shati", "Shanti"), ("Kamhenu", "Kamdhenu")]:
        building = BuildingRef("b", f"{name} Enclave", "Kondapur", "Hyderabad", "500084")
        address = Segments(
            f"{typo} Enclave, Kondapur, Hyderabad 500084",
            building=f"{typo} Enclave",
            locality="Kondapur",
            city="Hyderabad",
            pincode="500084",
        )
        assert address_keys(address) & building_query_keys(building), typo


def test_scoped_lookup_finds_what_the_key_lookup_finds(labelled) -> None:  # type: ignore[no-untyped-def]
    """The matcher's scope x code lookup is the same as looking up every key, also after
    buildings are replaced and removed."""
    registry, rows = labelled
    index: ScopedKeyIndex[str] = ScopedKeyIndex()
    for building in registry:
        index.put(building.building_id, building_query_keys(building))
    # re-key some buildings (a moved pincode) and drop others: no stale entry may remain
    for building in registry[:40]:
        moved = BuildingRef(building.building_id, building.name, building.locality, "Pune")
        index.put(building.building_id, building_query_keys(moved))
    for building in registry[40:80]:
        index.discard(building.building_id)
    checked = 0
    for _, seg, _ in rows[:1500]:
        parts = KeyParts.of_address(seg)
        expected = index.lookup(address_keys_of(parts))
        assert index.lookup_scoped(address_scopes(parts), parts.codes) == expected, seg.text
        checked += bool(expected)
    assert checked > 500  # most addresses do have candidates
    for building in registry:
        index.discard(building.building_id)
    assert len(index) == 0 and not index._by_scope and not index._by_key
