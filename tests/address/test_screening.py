"""The reverse direction's first pass (``Matcher.resident_screen``) is exact: it leaves out
only addresses the matcher decides ``none`` for, and it does leave out most candidates."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from notifier.address.key_index import ResidentIndex
from notifier.address.matcher import BuildingRef, Decision, Matcher
from notifier.address.segments import Segments

BENCH = Path(__file__).resolve().parents[2] / "bench" / "matching"


def _labelled(handset: bool) -> tuple[list[BuildingRef], list[Segments]]:
    sys.path.insert(0, str(BENCH))
    try:
        from evaluate import gold_segments, load_registry, load_rows
    finally:
        sys.path.pop(0)
    base = BENCH / "handset" if handset else BENCH
    rows = load_rows(base / ("addresses.jsonl" if handset else "eval.jsonl"), "all")
    return load_registry(base / "registry.jsonl"), [gold_segments(r) for r in rows]


@pytest.mark.parametrize("handset", [False, True], ids=["generated", "hand-written"])
def test_screen_leaves_out_only_pairs_decided_none(handset: bool) -> None:
    registry, segments = _labelled(handset)
    matcher = Matcher(registry)
    index = ResidentIndex()
    for i, seg in enumerate(segments):
        index.add(str(i), seg)
    offered = left_out = kept_decided = 0
    for building in registry:
        screen = matcher.resident_screen(building)
        for address_id in sorted(index.candidates(building)):
            seg = segments[int(address_id)]
            result = matcher.score(seg, building)
            offered += 1
            if not screen.may_reside(seg):
                left_out += 1
                assert result.decision is Decision.NONE, (building, seg, result)
            elif result.decision is not Decision.NONE:
                kept_decided += 1
    assert kept_decided > 0
    # most candidates of a region-wide key are other buildings that the names rule out
    assert left_out > 0.4 * offered, (left_out, offered)


def test_screen_keeps_what_another_reading_may_match() -> None:
    building = BuildingRef("b", "Prestige Shantiniketan", "Whitefield", "Bengaluru", "560066")
    screen = Matcher([building]).resident_screen(building)
    other = "Prestige Lakeside Habitat"
    # another building's name: ruled out by the names alone
    assert not screen.may_reside(
        Segments(f"{other}, Whitefield", building=other, locality="Whitefield")
    )
    # the same name with a locality segment in its part of the text: the whole part is
    # another reading, so the pair is scored in full
    assert screen.may_reside(Segments(f"{other} Whitefield", building=other, locality="Whitefield"))
    # no building segment, or one with no name word: the name is read from elsewhere
    assert screen.may_reside(Segments(f"{other}, Whitefield", locality=other))
    assert screen.may_reside(Segments("B Wing, Prestige Shantiniketan", building="B Wing"))
    # a name that the names do not rule out is scored
    name = "Prestige Shantiniketan"
    assert screen.may_reside(Segments(f"{name}, Whitefield", building=name))
