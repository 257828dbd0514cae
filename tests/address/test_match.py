"""Decisions of the building matcher on hand-built segments and on the labelled set."""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

import pytest

from notifier.address.matcher import BuildingRef, Decision, MatchConfig, Matcher, MatchResult
from notifier.address.segments import Segments

ROOT = Path(__file__).resolve().parents[2]

WHITEFIELD = {"locality": "Whitefield", "city": "Bengaluru", "pincode": "560066"}

REGISTRY = [
    BuildingRef("pres-shanti", "Prestige Shantiniketan", **WHITEFIELD),
    BuildingRef("brig-lakefront", "Brigade Lakefront", **WHITEFIELD),
    BuildingRef("aparna-zenith", "Aparna Sarovar Zenith", "Nallagandla", "Hyderabad", "500019"),
    BuildingRef("laxmi-krupa", "Sri Laxmi Krupa CHS", "Majiwada", "Thane", "400601"),
    BuildingRef("shanti-andheri", "Shanti Niwas", "Andheri East", "Mumbai", "400069"),
    BuildingRef("dlf-crest-b", "DLF Crest Tower B", "Sector 54", "Gurugram", None),
    BuildingRef("sunrise-res", "Sunrise Residency", "Baner", "Pune", "411045"),
    BuildingRef("kor-serenity", "Salarpuria Serenity", "Koramangala", "Bengaluru", "560034"),
]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(REGISTRY)


def seg(building: str | None, **parts: str | None) -> Segments:
    text = ", ".join(p for p in (building, *parts.values()) if p)
    return Segments(text=text, building=building, **parts)


def wf(building: str | None, **extra: str | None) -> Segments:
    """An address in Whitefield, Bengaluru 560066 (spelled the way customers do)."""
    parts: dict[str, str | None] = {
        "locality": "Whitefield",
        "city": "Bangalore",
        "pincode": "560066",
    }
    parts.update(extra)
    return seg(building, **parts)


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        (wf("Prestige Shantiniketan"), "pres-shanti"),
        (wf("PRESTIGE SHANTINIKETAN"), "pres-shanti"),
        (wf("PrestigeShantiniketan"), "pres-shanti"),
        (wf("prestigeshantiniketan"), "pres-shanti"),
        (wf("Prestige Shanti Niketan"), "pres-shanti"),
        (wf("Prestige Shantiniketan Apartments"), "pres-shanti"),
        (wf("Prestige Shantinikethan"), "pres-shanti"),
        (wf("Prestige Shantiniktan"), "pres-shanti"),  # a letter missing
        (wf("Prestige Shantiniketan", unit="Tower C, Flat 1203"), "pres-shanti"),
        (wf("Tower 3, Prestige Shantiniketan"), "pres-shanti"),
        (wf("Prestige Shantiniketan", city="Bengaluru", pincode=None), "pres-shanti"),
        (wf("Brigade Lakefront Apts", city="blr"), "brig-lakefront"),
        (
            seg("Laxmi Kripa Co-op Hsg Soc", locality="Thane W", city="Thane", pincode="400601"),
            "laxmi-krupa",
        ),
        (seg("Shree Lakshmi Krupa C.H.S.", locality="Majiwada", city="Thane"), "laxmi-krupa"),
        (seg("Shanthi Nivas", locality="Andheri (E)", city="Bombay"), "shanti-andheri"),
        (
            seg("Sunrise Recidency", locality="Baner", city="Poona", pincode="411 045"),
            "sunrise-res",
        ),
        (
            seg("DLF Crest", unit="Tower-B, 1102", locality="Sector 54", city="Gurgaon"),
            "dlf-crest-b",
        ),
    ],
)
def test_variants_of_a_registered_name_match(
    matcher: Matcher, address: Segments, expected: str
) -> None:
    result = matcher.match(address)
    assert (result.decision, result.building_id) == (Decision.MATCH, expected), result


@pytest.mark.parametrize(
    "address",
    [
        wf("Brigade Lakeview"),  # brand sibling
        wf("Brigade Lakefront Grande"),  # a sub-project of the registered one
        wf("Prestige Lakeside Habitat"),
        seg("Aparna Sarovar Grande", locality="Nallagandla", city="Hyderabad", pincode="500019"),
        seg("Prestige Shantiniketan", locality="Andheri East", city="Mumbai"),  # other city
        # another locality the registry knows
        seg("Prestige Shantiniketan", locality="Koramangala", city="Bengaluru"),
        seg("Prestige Shantiniketan", city="Bengaluru", pincode="560034"),  # other pincode
        seg("Shakti Niwas", locality="Andheri East", city="Mumbai"),  # Shakti is not Shanti
        Segments(
            "Flat 12, Near Prestige Shantiniketan, Whitefield, Bangalore",
            unit="Flat 12",
            landmark="Near Prestige Shantiniketan",
            locality="Whitefield",
            city="Bangalore",
        ),
        wf(None, street="ITPL Main Road"),
        seg("DLF Crest", unit="Tower C, 1102", locality="Sector 54", city="Gurgaon"),
        # another kind of building with the same name
        seg("Sunrise Apartments", locality="Baner", city="Pune", pincode="411045"),
    ],
)
def test_other_buildings_never_match(matcher: Matcher, address: Segments) -> None:
    result = matcher.match(address)
    assert result.decision is not Decision.MATCH, result


def test_landmark_only_mention_is_none_with_reason(matcher: Matcher) -> None:
    result = matcher.match(
        Segments(
            "Near Prestige Shantiniketan, Whitefield",
            landmark="Near Prestige Shantiniketan",
            locality="Whitefield",
            city="Bengaluru",
        )
    )
    assert result.decision is Decision.NONE
    assert result.building_id is None
    assert result.score == 0.0


@pytest.mark.parametrize(
    ("address", "why"),
    [
        # the address gives part of the registered name: Zenith or another sub-project?
        (
            seg("Aparna Sarovar", locality="Nallagandla", city="Hyderabad", pincode="500019"),
            "name partial",
        ),
        # the registry row names a tower the address does not
        (seg("DLF Crest", locality="Sector 54", city="Gurugram"), "tower registry_only"),
    ],
)
def test_doubtful_pairs_go_to_review(matcher: Matcher, address: Segments, why: str) -> None:
    result = matcher.match(address)
    assert result.decision is Decision.REVIEW, result
    assert why in result.reason


def test_two_registry_buildings_with_the_same_name_make_it_ambiguous() -> None:
    m = Matcher(
        [
            BuildingRef("a", "Green Glen", "Bellandur", "Bengaluru", "560103"),
            BuildingRef("b", "Green Glen Apartments", "Bellandur", "Bengaluru", "560103"),
        ]
    )
    result = m.match(seg("Green Glen", locality="Bellandur", city="Bengaluru", pincode="560103"))
    assert result.decision is Decision.REVIEW
    assert result.reason.startswith("ambiguous")


def test_best_of_siblings_wins(matcher: Matcher) -> None:
    m = Matcher([*REGISTRY, BuildingRef("brig-lakeview", "Brigade Lakeview", **WHITEFIELD)])
    assert m.match(wf("Brigade Lakeview")).building_id == "brig-lakeview"
    assert m.match(wf("Brigade Lakefront")).building_id == "brig-lakefront"


def test_score_of_one_pair_and_explanation_is_json(matcher: Matcher) -> None:
    result = matcher.score(wf("Prestige Shantiniketan"), REGISTRY[0])
    assert result.decision is Decision.MATCH
    explanation = result.explanation()
    assert json.loads(json.dumps(explanation)) == explanation
    assert explanation["building_id"] == "pres-shanti"
    # the weight (bits) of every comparison and the level it fell in: what ops read
    for comparison in ("name", "brand", "pincode", "locality", "city", "tower", "source"):
        assert comparison in explanation["features"]
        assert comparison in explanation["levels"]
    assert explanation["levels"]["name"] == "exact"
    total = sum(v for k, v in explanation["features"].items() if k != "log_odds")
    assert abs(total - explanation["features"]["log_odds"]) < 0.01
    other = matcher.score(wf("Prestige Shantiniketan"), REGISTRY[1])
    assert other.decision is Decision.NONE


def test_score_works_for_a_building_not_in_the_registry() -> None:
    result = Matcher().score(wf("Brigade Lakefront"), REGISTRY[1])
    assert result.decision is Decision.MATCH


def test_thresholds_come_from_config() -> None:
    strict = MatchConfig(match_threshold=1.01, review_threshold=0.5)
    result = Matcher(REGISTRY, strict).match(wf("Prestige Shantinikethan"))
    assert result.decision is Decision.REVIEW
    lenient = dataclasses.replace(MatchConfig(), match_threshold=0.8)
    result = Matcher(REGISTRY, lenient).match(seg("Prestige Shantiniketan", city="Bangalore"))
    assert result.decision is Decision.MATCH


def test_add_replace_remove() -> None:
    m = Matcher()
    assert len(m) == 0
    assert m.match(wf("Brigade Lakefront")).decision is Decision.NONE
    m.add(REGISTRY[1])
    assert len(m) == 1
    assert m.match(wf("Brigade Lakefront")).decision is Decision.MATCH
    # replace by id: the building is renamed, the old name no longer matches
    m.add(dataclasses.replace(REGISTRY[1], name="Brigade Lakeview"))
    assert len(m) == 1
    assert m.match(wf("Brigade Lakefront")).decision is Decision.NONE
    assert m.match(wf("Brigade Lakeview")).building_id == "brig-lakefront"
    m.remove("brig-lakefront")
    m.remove("never-added")
    assert len(m) == 0
    assert m.match(wf("Brigade Lakeview")).decision is Decision.NONE


def test_match_result_shape(matcher: Matcher) -> None:
    result = matcher.match(wf("Prestige Shantiniketan"))
    assert isinstance(result, MatchResult)
    assert 0.0 <= result.score <= 1.0
    assert result.decision == "match"  # StrEnum compares to its value


def test_decisions_are_deterministic(matcher: Matcher) -> None:
    address = wf("Prestige Shantiniketan")
    assert matcher.match(address) == Matcher(reversed(REGISTRY)).match(address)


# --- the labelled set (bench/matching) ------------------------------------------------------


def _labelled() -> tuple[Matcher, list[dict]]:
    sys.path.insert(0, str(ROOT / "bench" / "matching"))
    try:
        from evaluate import HERE, load_registry, load_rows
    finally:
        sys.path.pop(0)
    return Matcher(load_registry(HERE / "registry.jsonl")), load_rows(HERE / "eval.jsonl", "test")


def test_bars_on_the_test_split_from_gold_segments() -> None:
    matcher, rows = _labelled()
    assert len(rows) > 1000
    matches = correct = reviews = positives = 0
    for row in rows:
        result = matcher.match(Segments(text=row["text"], **row["segments"]))
        positives += row["gold"] is not None
        if result.decision is Decision.MATCH:
            matches += 1
            correct += result.building_id == row["gold"]
        reviews += result.decision is Decision.REVIEW
    precision, recall = correct / matches, correct / positives
    assert precision >= 0.99, precision
    assert recall >= 0.95, recall
    assert reviews / len(rows) < 0.10


def test_labelled_set_is_reproducible_from_its_seed(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "bench" / "matching"))
    try:
        from generate import generate
    finally:
        sys.path.pop(0)
    registry, rows = generate(seed=7, n_rows=4000)
    committed = (ROOT / "bench" / "matching" / "eval.jsonl").read_text(encoding="utf-8")
    assert [json.loads(line) for line in committed.splitlines()] == rows
    committed_registry = (ROOT / "bench" / "matching" / "registry.jsonl").read_text()
    assert [json.loads(line) for line in committed_registry.splitlines()] == registry
    # gold segments are substrings of the text, as the segmenter's output would be
    for row in rows:
        for value in row["segments"].values():
            assert value in row["text"]


@pytest.mark.parametrize(
    "odd",
    ["", "   ", "!!!", "गली नंबर 4", "🏠🏠", "x" * 20000, "Prestige " * 3000, "\x00\x07", "12345"],
)
def test_odd_segments_never_crash(matcher: Matcher, odd: str) -> None:
    address = Segments(odd, building=odd, unit=odd, street=odd, locality=odd, city=odd, pincode=odd)
    result = matcher.match(address)
    assert result.decision is not Decision.MATCH
    assert json.dumps(result.explanation())


def test_words_beside_a_cut_short_building_segment() -> None:
    """A segmenter may cut a name short ("Hallmark Rosedale" | "Grande" as locality): the words
    beside it in the same comma-separated part complete or contradict the registry name."""
    text = "Flat 2, Hallmark Rosedale Grande, Whitefield, Bangalore 560066"
    cut = Segments(
        text,
        unit="Flat 2",
        building="Hallmark Rosedale",
        locality="Grande",
        city="Bangalore",
        pincode="560066",
    )
    parent = BuildingRef("parent", "Hallmark Rosedale", "Whitefield", "Bengaluru", "560066")
    grande = BuildingRef("grande", "Hallmark Rosedale Grande", "Whitefield", "Bengaluru", "560066")
    assert Matcher([parent]).match(cut).decision is not Decision.MATCH
    result = Matcher([parent, grande]).match(cut)
    assert (result.decision, result.building_id) == (Decision.MATCH, "grande")
    # words of the building's own locality beside the name are fine
    no_commas = Segments(
        "Hallmark Rosedale Whitefield Bangalore 560066",
        building="Hallmark Rosedale",
        locality="Whitefield",
        city="Bangalore",
        pincode="560066",
    )
    assert Matcher([parent]).match(no_commas).decision is Decision.MATCH


def test_street_segment_without_a_street_word_is_read_as_the_building(matcher: Matcher) -> None:
    mislabelled = Segments(
        "Brigade Lakefront, Whitefield, Bangalore 560066",
        street="Brigade Lakefront",
        locality="Whitefield",
        city="Bangalore",
        pincode="560066",
    )
    assert matcher.match(mislabelled).building_id == "brig-lakefront"
    street = Segments(
        "Lakefront Road, Whitefield, Bangalore 560066",
        street="Lakefront Road",
        locality="Whitefield",
        city="Bangalore",
        pincode="560066",
    )
    assert matcher.match(street).decision is Decision.NONE


def test_config_rejects_inverted_thresholds() -> None:
    with pytest.raises(ValueError, match="review_threshold"):
        MatchConfig(match_threshold=0.5, review_threshold=0.8)


def test_locality_segment_read_as_the_building_only_with_proof() -> None:
    """A segmenter that labels the building as the locality: the name is used only when the
    registry building's own locality is written elsewhere in the address."""
    lancor = BuildingRef("lancor", "Lancor Eastwood", "Madhurawada", "Visakhapatnam", "530048")
    shanti = BuildingRef("shanti", "Shanti Nagar CHS", "Naupada", "Thane", "400602")
    m = Matcher([lancor, shanti])
    text = "Lancr Eastwood, Madhurawada, Vizag 530048"
    slipped = Segments(text, locality="Lancr Eastwood", city="Vizag", pincode="530048")
    assert m.match(slipped).building_id == "lancor"
    assert m.match(slipped).decision is Decision.MATCH
    # a real locality with the same name as a quarantined building: not a match
    flat = Segments(
        "Flat 3, Shanti Nagar, Thane 400602",
        unit="Flat 3",
        locality="Shanti Nagar",
        city="Thane",
        pincode="400602",
    )
    assert m.match(flat).decision is Decision.NONE
    # ... even when the building's locality is written too: "Shanti Nagar" is a place name
    flat_in_naupada = Segments(
        "Flat 3, Shanti Nagar, Naupada, Thane 400602",
        unit="Flat 3",
        locality="Shanti Nagar",
        city="Thane",
        pincode="400602",
    )
    assert m.match(flat_in_naupada).decision is Decision.NONE
    # a cut-short locality-as-building with more words beside it: at most a review
    cut = Segments(
        "Lancor Eastwood Grande, Madhurawada, Vizag", locality="Lancor Eastwood", city="Vizag"
    )
    assert m.match(cut).decision is not Decision.MATCH


def test_locality_that_is_a_city_is_read_as_the_city() -> None:
    m = Matcher([BuildingRef("s", "Sobha Bliss Residency", "College Road", "Nashik", "422005")])
    seg = Segments(
        "Flat 605, SOBHA BLISS RESIDENCY, College Road, Nasik",
        unit="Flat 605",
        building="SOBHA BLISS RESIDENCY",
        street="College Road",
        locality="Nasik",
    )
    result = m.match(seg)
    assert (result.decision, result.building_id) == (Decision.MATCH, "s")


def test_segmenter_slips_in_the_place_fields() -> None:
    m = Matcher(
        [
            BuildingRef("dlf", "DLF Radiance Heights", "Gachibowli", "Hyderabad", None),
            BuildingRef("vp", "Vinayak Parvati Heights", "Hinjewadi", "Pune", "411057"),
        ]
    )
    # a locality in the city slot: not a known city, so it is compared as a locality
    locality_as_city = Segments(
        "D-705, DLF Radiance Heights, Gachibowli",
        unit="D-705",
        building="DLF Radiance Heights",
        city="Gachibowli",
    )
    assert m.match(locality_as_city).building_id == "dlf"
    assert m.match(locality_as_city).decision is Decision.MATCH
    # ... but a known other city still vetoes
    other_city = Segments(
        "DLF Radiance Heights, Gachibowli, Pune",
        building="DLF Radiance Heights",
        locality="Gachibowli",
        city="Pune",
    )
    assert m.match(other_city).decision is Decision.NONE
    # "Next to | Big Bazaar": the rest of a landmark is not a locality that disagrees
    text = "#94, Vinayak Parvati Heights, Next to Big Bazaar, Hinjewadi, Pune - 411057"
    split_landmark = Segments(
        text,
        unit="#94",
        building="Vinayak Parvati Heights",
        landmark="Next to",
        locality="Big Bazaar",
        city="Pune",
        pincode="411057",
    )
    assert m.match(split_landmark).decision is Decision.MATCH


# --- segmenter slips: the building named by another part of the text ------------------------

KAMDHENU = BuildingRef(
    "kamdhenu", "Kamdhenu Ashirwad Nagar", "OMR Thoraipakkam", "Chennai", "600097"
)
SAI_NAGAR = BuildingRef("sai-nagar", "Sai Nagar", "Kondapur", "Hyderabad", "500084")


@pytest.mark.parametrize(
    "slipped",
    [
        # the society read as the locality, the real locality left unlabelled
        Segments(
            "C-901, Kamdhenu Ashirwad Nagar, OMR Thoraipakkam, Madras, 600097",
            unit="C-901",
            locality="Kamdhenu Ashirwad Nagar",
            city="Madras",
            pincode="600097",
        ),
        # ... misspelt, abbreviated, and with only the locality (no pincode) to confirm it
        Segments(
            "Kamadhenu Aashirvaad Ngr, 5th Avenue, OMR Thoraipakkam, Chennai",
            street="5th Avenue",
            locality="Kamadhenu Aashirvaad Ngr",
            city="Chennai",
        ),
        # no segment at all for the name
        Segments(
            "House No 9, Kamdhenu Ashirwad Nagar, Chennai - 600097",
            unit="House No 9",
            city="Chennai",
            pincode="600097",
        ),
    ],
)
def test_a_name_the_segmenter_missed_is_read_from_another_part(slipped: Segments) -> None:
    result = Matcher([KAMDHENU, SAI_NAGAR]).match(slipped)
    assert (result.decision, result.building_id) == (Decision.MATCH, "kamdhenu"), result


@pytest.mark.parametrize(
    "address",
    [
        # no pincode or locality to confirm the place
        Segments(
            "Flat 2, Kamdhenu Ashirwad Nagar, Chennai",
            unit="Flat 2",
            locality="Kamdhenu Ashirwad Nagar",
            city="Chennai",
        ),
        # another locality of the city
        Segments(
            "Flat 2, Kamdhenu Ashirwad Nagar, Velachery, Chennai 600042",
            unit="Flat 2",
            locality="Kamdhenu Ashirwad Nagar",
            city="Chennai",
            pincode="600042",
        ),
        # a landmark, unlabelled, is never the building
        Segments(
            "Flat 2, Opp. Kamdhenu Ashirwad Nagar, OMR Thoraipakkam, Chennai 600097",
            unit="Flat 2",
            city="Chennai",
            pincode="600097",
        ),
        # part of the name only (a sub-project?) or more words than the name
        Segments(
            "Flat 2, Kamdhenu Nagar, OMR Thoraipakkam, Chennai 600097",
            unit="Flat 2",
            city="Chennai",
            pincode="600097",
        ),
        Segments(
            "Flat 2, Kamdhenu Ashirwad Elite Nagar, OMR Thoraipakkam, Chennai 600097",
            unit="Flat 2",
            city="Chennai",
            pincode="600097",
        ),
        # another part may be the building: "Green Acres" in the Sai Nagar neighbourhood
        Segments(
            "Flat 5, Green Acres, Sai Nagar, Kondapur, Hyderabad 500084",
            unit="Flat 5",
            locality="Green Acres",
            city="Hyderabad",
            pincode="500084",
        ),
    ],
)
def test_a_part_read_as_the_building_needs_strong_evidence(address: Segments) -> None:
    result = Matcher([KAMDHENU, SAI_NAGAR]).match(address)
    assert result.decision is not Decision.MATCH, result


def test_the_locality_written_in_an_unlabelled_part_confirms_the_place() -> None:
    m = Matcher([BuildingRef("pr", "Paranjape Rosedale", "College Road", "Nashik", "422005")])
    address = Segments(
        "Paranjape Rsoedale, 100 Feet Road, College Road, Nashik",
        building="Paranjape Rsoedale",
        street="100 Feet Road",
        city="Nashik",
    )
    assert m.match(address).levels["locality"] == "agree"
    assert m.match(address).decision is Decision.MATCH
    # the same name with only the city: no locality to confirm
    city_only = Segments("Paranjape Rosedale, Nashik", building="Paranjape Rosedale", city="Nashik")
    assert m.match(city_only).levels["locality"] == "unknown"


def test_a_registry_row_without_pincode_takes_one_its_locality_alone_has() -> None:
    serenity = BuildingRef("vs", "Vatika Serenity", "Whitefield", "Bengaluru", None)
    others = [
        BuildingRef("w1", "Brigade Lakefront", "Whitefield", "Bengaluru", "560066"),
        BuildingRef("w2", "Prestige Shantiniketan", "Whitefield", "Bengaluru", "560066"),
    ]
    address = Segments(
        "Tower 6, Vatika Serenity, Bengaluru - 560066",
        unit="Tower 6",
        building="Vatika Serenity",
        city="Bengaluru",
        pincode="560066",
    )
    result = Matcher([serenity, *others]).match(address)
    assert (result.decision, result.building_id) == (Decision.MATCH, "vs"), result
    assert result.levels["pincode"] == "agree"
    # too little support, or the pincode is seen in another locality too: not confirmed
    assert Matcher([serenity, others[0]]).match(address).levels["pincode"] == "unknown"
    elsewhere = BuildingRef("k1", "Sobha Dream", "Koramangala", "Bengaluru", "560066")
    assert Matcher([serenity, *others, elsewhere]).match(address).levels["pincode"] == "unknown"
    # removing rows updates the support
    m = Matcher([serenity, *others])
    m.remove("w2")
    assert m.match(address).levels["pincode"] == "unknown"
