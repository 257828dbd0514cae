"""Deterministic post-processing of predicted spans (no model involved)."""

from __future__ import annotations

from notifier.address.postprocess import segments_from_spans


def _spans(text: str, parts: list[tuple[str, str]]) -> list[tuple[int, int, str]]:
    out, pos = [], 0
    for piece, label in parts:
        start = text.index(piece, pos)
        out.append((start, start + len(piece), label))
        pos = start + len(piece)
    return out


def test_registry_export_rows_name_a_building_only_with_a_building_word() -> None:
    text = "Kothapalle Rayadurg4-12, c,-1,KURNOOL,ANDHRA PRADESH,518002"
    spans = _spans(text, [("Kothapalle Rayadurg", "BUILDING"), ("KURNOOL", "CITY")])
    assert segments_from_spans(text, spans).building is None

    text = "Gooty 2-11 RAMA KRISHNA BLDG.,VIA PAMIDI,-1,KURNOOL,518002"
    spans = _spans(text, [("RAMA KRISHNA BLDG", "BUILDING"), ("KURNOOL", "CITY")])
    assert segments_from_spans(text, spans).building == "RAMA KRISHNA BLDG"

    # the same words outside that export format are left to the model
    text = "Kothapalle Rayadurg, Kurnool 518002"
    spans = _spans(text, [("Kothapalle Rayadurg", "BUILDING"), ("Kurnool", "CITY")])
    assert segments_from_spans(text, spans).building == "Kothapalle Rayadurg"


def test_a_building_span_ends_at_its_building_word() -> None:
    """Without a comma the tagger may run on into the locality; the name ends at its word."""
    text = "KESHAV BHAWAN BUS STAND ROAD, JORHAT 785001"
    spans = _spans(text, [("KESHAV BHAWAN BUS STAND", "BUILDING"), ("JORHAT", "CITY")])
    assert segments_from_spans(text, spans).building == "KESHAV BHAWAN"
    text = "Flat 9, Lotus Apartments Banjara Hills, Hyderabad"
    spans = _spans(text, [("Lotus Apartments Banjara Hills", "BUILDING")])
    assert segments_from_spans(text, spans).building == "Lotus Apartments"


def test_a_legal_tail_phase_or_acronym_stays_in_the_building() -> None:
    for name in [
        "Sai Krupa CHS Ltd",
        "Yamuna Co-op Housing Society Limited",
        "Lotus Towers Phase 2",
        "Manimajra Housing Complex (MHC)",
        "Lotus Apartments",
        "Happy Homes Vasudha",  # no building word at all: left to the model
    ]:
        text = f"Flat 4, {name}, Pune"
        assert segments_from_spans(text, _spans(text, [(name, "BUILDING")])).building == name


def test_a_housing_board_category_is_part_of_the_unit_not_a_building() -> None:
    text = "MIG-45, Shastri Nagar, Kanpur 208005"
    spans = _spans(
        text,
        [("MIG", "BUILDING"), ("45", "UNIT"), ("Shastri Nagar", "LOCALITY"), ("Kanpur", "CITY")],
    )
    seg = segments_from_spans(text, spans)
    assert (seg.building, seg.unit) == (None, "MIG-45")
    text = "LIG 12, Housing Board Colony, Bhopal"
    spans = _spans(text, [("LIG", "BUILDING"), ("Housing Board Colony", "LOCALITY")])
    assert segments_from_spans(text, spans).building is None  # alone it names no building
    # a category followed by a building word is a real building name
    text = "Flat 4, MIG Apartments, Kanpur"
    spans = _spans(text, [("Flat 4", "UNIT"), ("MIG Apartments", "BUILDING"), ("Kanpur", "CITY")])
    assert segments_from_spans(text, spans).building == "MIG Apartments"


def test_a_house_name_word_after_the_door_number_is_the_house() -> None:
    # village-registry row (fields joined by "-1"): "krupa" read as a locality by the tagger
    text = "Kothapeta4/118, kripa,-1,GUNTUR,ANDHRA PRADESH,522001"
    spans = _spans(
        text,
        [
            ("Kothapeta", "LOCALITY"),
            ("4/118", "UNIT"),
            ("kripa", "LOCALITY"),
            ("GUNTUR", "CITY"),
        ],
    )
    assert segments_from_spans(text, spans).building == "kripa"
    text = "12, Ganesh Kripa, Tilak Road, Dombivli"
    spans = _spans(text, [("12", "UNIT"), ("Ganesh Kripa", "LOCALITY"), ("Dombivli", "LOCALITY")])
    seg = segments_from_spans(text, spans)
    assert (seg.building, seg.locality) == ("Ganesh Kripa", "Dombivli")
    # an ordinary locality after the door number stays the locality
    text = "4/118, Kothapalle,-1,KURNOOL"
    spans = _spans(text, [("4/118", "UNIT"), ("Kothapalle", "LOCALITY"), ("KURNOOL", "CITY")])
    assert segments_from_spans(text, spans).building is None
    # not right after a unit: left to the model
    text = "Sai Krupa, Nasik"
    spans = _spans(text, [("Sai Krupa", "LOCALITY"), ("Nasik", "CITY")])
    assert segments_from_spans(text, spans).building is None


def test_a_road_named_locality_after_the_building_is_the_street() -> None:
    text = "1ST FLOOR DEKA COMPLEX, HEM BARUA ROAD, PANBAZAR, GUWAHATI"
    parts = [
        ("1ST FLOOR", "UNIT"),
        ("DEKA COMPLEX", "BUILDING"),
        ("HEM BARUA ROAD", "LOCALITY"),
        ("PANBAZAR", "LOCALITY"),
        ("GUWAHATI", "CITY"),
    ]
    seg = segments_from_spans(text, _spans(text, parts))
    assert (seg.street, seg.locality) == ("HEM BARUA ROAD", "PANBAZAR")
    # with only the city after it, or with no building before it, it stays the locality
    text = "Lotus Court, Residency Road, Bangalore"
    parts = [("Lotus Court", "BUILDING"), ("Residency Road", "LOCALITY"), ("Bangalore", "CITY")]
    assert segments_from_spans(text, _spans(text, parts)).locality == "Residency Road"
    text = "Flat 2, Tank Road, Ashok Vihar, Gurgaon"
    parts = [
        ("Flat 2", "UNIT"),
        ("Tank Road", "LOCALITY"),
        ("Ashok Vihar", "LOCALITY"),
        ("Gurgaon", "CITY"),
    ]
    seg = segments_from_spans(text, _spans(text, parts))
    assert (seg.street, seg.locality) == (None, "Tank Road")
    # a street already found: nothing changes
    text = "Deka Complex, Station Road, Kedar Road, Panbazar"
    parts = [
        ("Deka Complex", "BUILDING"),
        ("Station Road", "STREET"),
        ("Kedar Road", "LOCALITY"),
        ("Panbazar", "LOCALITY"),
    ]
    seg = segments_from_spans(text, _spans(text, parts))
    assert (seg.street, seg.locality) == ("Station Road", "Kedar Road")


def test_a_name_between_the_unit_and_a_sector_is_the_project() -> None:
    text = "Apt 703, Orchid Meadows, Sector 77, Noida"
    parts = [("Apt 703", "UNIT"), ("Orchid Meadows", "LOCALITY"), ("Sector 77", "LOCALITY")]
    seg = segments_from_spans(text, _spans(text, parts))
    assert (seg.building, seg.locality) == ("Orchid Meadows", "Sector 77")
    # a name that ends like a place stays the locality (policy: "Ram Nagar, Sector 5")
    text = "H.No 12, Ram Nagar, Sector 5, Delhi"
    parts = [("H.No 12", "UNIT"), ("Ram Nagar", "LOCALITY"), ("Sector 5", "LOCALITY")]
    seg = segments_from_spans(text, _spans(text, parts))
    assert (seg.building, seg.locality) == (None, "Ram Nagar")
    # not a sector after it, or a building already found: nothing changes
    text = "Flat 5, Orchid Meadows, Baner, Pune"
    parts = [("Flat 5", "UNIT"), ("Orchid Meadows", "LOCALITY"), ("Baner", "LOCALITY")]
    assert segments_from_spans(text, _spans(text, parts)).building is None
    text = "Flat 5, Lotus Court, Orchid Meadows, Sector 7"
    parts = [
        ("Flat 5", "UNIT"),
        ("Lotus Court", "BUILDING"),
        ("Orchid Meadows", "LOCALITY"),
        ("Sector 7", "LOCALITY"),
    ]
    assert segments_from_spans(text, _spans(text, parts)).building == "Lotus Court"


def test_a_place_shaped_name_with_a_marketing_word_is_the_project() -> None:
    text = "Flat 9, Lotus Royale Nagar, Balkum, Thane"
    parts = [("Flat 9", "UNIT"), ("Lotus Royale Nagar", "LOCALITY"), ("Balkum", "LOCALITY")]
    seg = segments_from_spans(text, _spans(text, parts))
    assert (seg.building, seg.locality) == ("Lotus Royale Nagar", "Balkum")
    # without the marketing word, or with only the city after it, it stays the locality
    text = "Flat 9, Lotus Nagar, Balkum, Thane"
    parts = [("Flat 9", "UNIT"), ("Lotus Nagar", "LOCALITY"), ("Balkum", "LOCALITY")]
    assert segments_from_spans(text, _spans(text, parts)).building is None
    text = "Flat 9, Lotus Royale Nagar, Thane"
    parts = [("Flat 9", "UNIT"), ("Lotus Royale Nagar", "LOCALITY"), ("Thane", "CITY")]
    assert segments_from_spans(text, _spans(text, parts)).building is None


def test_a_pincode_is_six_digits_or_a_postal_district_after_the_city() -> None:
    # "e-1102": the model's "1102" is no pincode, so no pincode is given
    text = "e-1102, Sector 50, Noida"
    parts = [("e", "UNIT"), ("1102", "PINCODE"), ("Sector 50", "LOCALITY"), ("Noida", "CITY")]
    assert segments_from_spans(text, _spans(text, parts)).pincode is None
    # a postal-district shorthand right after the city is kept; the same digits elsewhere not
    text = "Flat 4, Kanchan Apartments, Kalkaji, New Delhi-19"
    parts = [("New Delhi", "CITY"), ("19", "PINCODE")]
    seg = segments_from_spans(text, _spans(text, parts))
    assert (seg.city, seg.pincode) == ("New Delhi", "19")
    text = "Room 19, Kolkata"
    assert segments_from_spans(text, _spans(text, [("19", "PINCODE")])).pincode is None
    text = "Flat 2, Lake Road, Kolkata 700 029"
    assert segments_from_spans(text, _spans(text, [("700 029", "PINCODE")])).pincode == "700 029"


def test_rules_can_be_turned_off_one_by_one() -> None:
    from notifier.address.postprocess import ALL_RULES, RULES

    assert set(RULES) == ALL_RULES
    text = "Flat 9, Lotus Apartments Banjara Hills, Hyderabad 500034"
    spans = _spans(text, [("Flat 9", "UNIT"), ("Lotus Apartments Banjara Hills", "BUILDING")])
    seg = segments_from_spans(text, spans)
    assert (seg.building, seg.pincode) == ("Lotus Apartments", "500034")
    bare = segments_from_spans(text, spans, frozenset())
    assert (bare.building, bare.pincode) == ("Lotus Apartments Banjara Hills", None)
    some = segments_from_spans(text, spans, ALL_RULES - {"end_at_building_word"})
    assert (some.building, some.pincode) == ("Lotus Apartments Banjara Hills", "500034")
