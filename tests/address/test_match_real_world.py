"""Matching as real customers write real project names: brands, aliases, postal districts,
regions, parent estates, sub-projects - and the hand-written evaluation set's shape."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from notifier.address.blocking import address_keys, building_query_keys
from notifier.address.matcher import BuildingRef, Decision, Matcher
from notifier.address.segments import Segments

ROOT = Path(__file__).resolve().parents[2]
HANDSET = ROOT / "bench" / "matching" / "handset"

HINJEWADI = {"locality": "Hinjewadi", "city": "Pune", "pincode": "411057"}
REGISTRY = [
    BuildingRef("woods", "Godrej Woodsville", **HINJEWADI),
    BuildingRef("lakefront", "Brigade Lakefront", "Whitefield", "Bengaluru", "560066"),
    BuildingRef("windchimes", "Mahindra Windchimes", "Bannerghatta Road", "Bengaluru", "560076"),
    BuildingRef("serein", "Tata Serein", "Pokhran Road 2", "Thane", "400606"),
    BuildingRef("amrit", "Nahar Amrit Shakti", "Chandivali", "Mumbai", "400072"),
    BuildingRef("eco2", "Supertech Eco Village 2", "Greater Noida West", "Greater Noida", "201306"),
    BuildingRef("cosmos", "Magarpatta City Cosmos", "Hadapsar", "Pune", "411028"),
    BuildingRef(
        "itqe",
        "Total Environment In That Quiet Earth",
        "Hennur",
        "Bengaluru",
        "560077",
        aliases=("ITQE",),
    ),
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
        (seg("Woodsville", locality="Hinjewadi", city="Pune", pincode="411057"), "woods"),
        (seg("Woodsville (Godrej)", locality="Hinjewadi", city="Poona"), "woods"),
        (seg("Woodsville by Godrej", locality="Hinjewadi", city="Pune"), "woods"),
        (seg("godrejwoodsville", locality="Hinjewadi", city="Pune", pincode="411057"), "woods"),
        (seg("Godrej Properties Woodsville", locality="Hinjewadi", city="Pune"), "woods"),
        (seg("Windchimes Mahindra", locality="Bannerghatta Road", city="Blr"), "windchimes"),
        (seg("Mahindra Lifespaces Windchimes", city="Bangalore", pincode="560076"), "windchimes"),
        (seg("TataSerein", city="Thane West", pincode="400606"), "serein"),
        # another city of the region written for the building's ("Mumbai" for Thane)
        (seg("Tata Serein", locality="Pokhran Road 2", city="Mumbai", pincode="400606"), "serein"),
        # a postal district instead of the pincode
        (seg("Nahar Amrit Shakti", locality="Chandivali", city="Mumbai 72"), "amrit"),
        # legal and marketing tails
        (seg("Godrej Woodsville CHS Ltd", locality="Hinjewadi", city="Pune"), "woods"),
        (seg("Brigade Lakefront Condominium", locality="Whitefield", city="Blr"), "lakefront"),
        # a roman numeral for the phase number
        (seg("Eco Village II", locality="Greater Noida West", city="Noida Extension"), "eco2"),
        # the parent township written beside the sub-project
        (
            Segments(
                "Cosmos, Magarpatta City, Hadapsar, Pune 411028",
                building="Cosmos",
                locality="Magarpatta City",
                city="Pune",
                pincode="411028",
            ),
            "cosmos",
        ),
        # the registry's alias
        (seg("ITQE", locality="Hennur", city="Bengaluru", pincode="560077"), "itqe"),
    ],
)
def test_brand_alias_and_place_variants_match(
    matcher: Matcher, address: Segments, expected: str
) -> None:
    result = matcher.match(address)
    assert (result.decision, result.building_id) == (Decision.MATCH, expected), result


@pytest.mark.parametrize(
    "address",
    [
        seg("Brigade Lakeview", locality="Whitefield", city="Bengaluru", pincode="560066"),
        seg("Godrej Woodsville", locality="Wakad", city="Hyderabad"),  # another city
        seg("Eco Village 1", locality="Greater Noida West", city="Greater Noida"),  # phase 1
        seg("Supertech Eco Village", locality="Greater Noida West", city="Greater Noida"),
        seg("Sobha Woodsville", locality="Hinjewadi", city="Pune", pincode="411057"),  # brand
        seg("Magarpatta City", locality="Hadapsar", city="Pune", pincode="411028"),  # estate
    ],
)
def test_siblings_other_brands_and_estates_do_not_match(
    matcher: Matcher, address: Segments
) -> None:
    assert matcher.match(address).decision is not Decision.MATCH


def test_aliases_are_blocking_keys_of_both_directions() -> None:
    building = REGISTRY[-1]
    address = seg("ITQE", locality="Hennur", city="Bengaluru", pincode="560077")
    assert address_keys(address) & building_query_keys(building)
    plain = BuildingRef(building.building_id, building.name, "Hennur", "Bengaluru", "560077")
    # a long name's initials are keys of its own, alias or not
    assert address_keys(address) & building_query_keys(plain)
    # a name the registry row does not hold meets the building only as its alias
    nickname = seg("Serene Woods", locality="Hennur", city="Bengaluru", pincode="560077")
    assert not address_keys(nickname) & building_query_keys(plain)
    named = BuildingRef("itqe", plain.name, "Hennur", "Bengaluru", "560077", ("Serene Woods",))
    assert address_keys(nickname) & building_query_keys(named)


def test_registry_brand_field_counts_as_the_brand() -> None:
    # ops register the project without its brand in the name but give the brand
    with_brand = BuildingRef(
        "lr", "Life Republic", "Marunji", "Pune", "411057", brand="Kolte Patil"
    )
    address = seg("Kolte Patil Life Republic", locality="Marunji", city="Pune", pincode="411057")
    result = Matcher([with_brand]).match(address)
    assert result.levels["brand"] == "agree"
    assert result.decision is Decision.MATCH


def test_explanation_is_a_weight_per_comparison(matcher: Matcher) -> None:
    result = matcher.match(seg("Woodsville", locality="Hinjewadi", city="Pune"))
    explanation = result.explanation()
    assert explanation["levels"]["brand"] == "address_omits"
    assert set(explanation["levels"]) <= set(explanation["features"])
    assert "name exact" in explanation["reason"]


def test_hand_written_set_is_large_varied_and_split_by_project() -> None:
    registry = [json.loads(line) for line in (HANDSET / "registry.jsonl").open()]
    rows = [json.loads(line) for line in (HANDSET / "addresses.jsonl").open()]
    assert len(registry) >= 150
    assert len({r["city"] for r in registry}) >= 12
    assert len(rows) >= 1000
    kinds = Counter(r["kind"] for r in rows)
    for kind in ("brand_omitted", "brand_bracketed", "postal_district", "landmark_only"):
        assert kinds[kind] > 0
    assert sum(r["gold"] is None for r in rows) >= 200  # negatives
    split_of = {}
    for r in rows:
        assert split_of.setdefault(r["project"], r["split"]) == r["split"]
    assert set(split_of.values()) == {"dev", "test"}


def test_hand_written_set_is_reproducible(tmp_path: Path) -> None:
    before = (HANDSET / "addresses.jsonl").read_bytes()
    subprocess.run([sys.executable, str(HANDSET / "make.py")], check=True, capture_output=True)
    assert (HANDSET / "addresses.jsonl").read_bytes() == before
