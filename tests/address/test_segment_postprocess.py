"""Deterministic post-processing of predicted spans (no model involved)."""

from __future__ import annotations

from notifier.address.segmenter import segments_from_spans


def _spans(text: str, parts: list[tuple[str, str]]) -> list[tuple[int, int, str]]:
    out, pos = [], 0
    for piece, label in parts:
        start = text.index(piece, pos)
        out.append((start, start + len(piece), label))
        pos = start + len(piece)
    return out


def test_a_lone_landmark_cue_joins_the_place_after_it() -> None:
    text = "Flat 4, Lotus Court, Next to City Mall, Andheri, Mumbai"
    spans = _spans(
        text,
        [
            ("Flat 4", "UNIT"),
            ("Lotus Court", "BUILDING"),
            ("Next to", "LANDMARK"),
            ("City Mall", "LOCALITY"),
            ("Andheri", "LOCALITY"),
            ("Mumbai", "CITY"),
        ],
    )
    seg = segments_from_spans(text, spans)
    assert seg.landmark == "Next to City Mall"
    assert seg.locality == "Andheri"
    assert seg.building == "Lotus Court"


def test_a_locality_that_starts_with_a_cue_is_a_landmark() -> None:
    text = "Lotus Heights, Main Road, Opposite City Mall, Gandhi Colony, Nagpur"
    spans = _spans(
        text,
        [
            ("Lotus Heights", "BUILDING"),
            ("Main Road", "STREET"),
            ("Opposite City Mall", "LOCALITY"),
            ("Gandhi Colony", "LOCALITY"),
            ("Nagpur", "CITY"),
        ],
    )
    seg = segments_from_spans(text, spans)
    assert seg.landmark == "Opposite City Mall"
    assert seg.locality == "Gandhi Colony"


def test_words_that_only_begin_like_a_cue_are_left_alone() -> None:
    text = "12, Nearwell Nagar, Pune"
    seg = segments_from_spans(
        text, _spans(text, [("Nearwell Nagar", "LOCALITY"), ("Pune", "CITY")])
    )
    assert seg.locality == "Nearwell Nagar"
    assert seg.landmark is None


def test_an_untagged_cue_makes_the_next_place_a_landmark() -> None:
    text = "Flat 406, Rose Towers, SV Road, Near City Mall, Electronic City, Bengaluru"
    spans = _spans(
        text,
        [
            ("Flat 406", "UNIT"),
            ("Rose Towers", "BUILDING"),
            ("SV Road", "STREET"),
            ("City Mall", "LOCALITY"),
            ("Electronic City", "LOCALITY"),
            ("Bengaluru", "CITY"),
        ],
    )
    seg = segments_from_spans(text, spans)
    assert seg.landmark == "Near City Mall"
    assert seg.locality == "Electronic City"
    assert seg.building == "Rose Towers"


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
