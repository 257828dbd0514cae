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
    text = "Flat 4, Lodha Bellwood, Next to Big Bazaar, Andheri, Mumbai"
    spans = _spans(
        text,
        [
            ("Flat 4", "UNIT"),
            ("Lodha Bellwood", "BUILDING"),
            ("Next to", "LANDMARK"),
            ("Big Bazaar", "LOCALITY"),
            ("Andheri", "LOCALITY"),
            ("Mumbai", "CITY"),
        ],
    )
    seg = segments_from_spans(text, spans)
    assert seg.landmark == "Next to Big Bazaar"
    assert seg.locality == "Andheri"
    assert seg.building == "Lodha Bellwood"


def test_a_locality_that_starts_with_a_cue_is_a_landmark() -> None:
    text = "Mahindra Harmony, Main Road, Opposite Big Bazaar, MVP Colony, Visakhapatnam"
    spans = _spans(
        text,
        [
            ("Mahindra Harmony", "BUILDING"),
            ("Main Road", "STREET"),
            ("Opposite Big Bazaar", "LOCALITY"),
            ("MVP Colony", "LOCALITY"),
            ("Visakhapatnam", "CITY"),
        ],
    )
    seg = segments_from_spans(text, spans)
    assert seg.landmark == "Opposite Big Bazaar"
    assert seg.locality == "MVP Colony"


def test_words_that_only_begin_like_a_cue_are_left_alone() -> None:
    text = "12, Nearwell Nagar, Pune"
    seg = segments_from_spans(
        text, _spans(text, [("Nearwell Nagar", "LOCALITY"), ("Pune", "CITY")])
    )
    assert seg.locality == "Nearwell Nagar"
    assert seg.landmark is None


def test_an_untagged_cue_makes_the_next_place_a_landmark() -> None:
    text = "Flat 406, Rohan Towers, SV Road, Near Big Bazaar, Electronic City, Bengaluru"
    spans = _spans(
        text,
        [
            ("Flat 406", "UNIT"),
            ("Rohan Towers", "BUILDING"),
            ("SV Road", "STREET"),
            ("Big Bazaar", "LOCALITY"),
            ("Electronic City", "LOCALITY"),
            ("Bengaluru", "CITY"),
        ],
    )
    seg = segments_from_spans(text, spans)
    assert seg.landmark == "Near Big Bazaar"
    assert seg.locality == "Electronic City"
    assert seg.building == "Rohan Towers"
