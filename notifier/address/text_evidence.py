"""Building names read from the raw text, whatever the segmenter labelled.

The segmenter sometimes cuts a building name short ("My" of "My Home Jewel"), labels it as a
landmark with no cue ("In That Quiet Earth"), as the street or the locality, or splits it
across labels. The matcher then never sees the whole name. This module gives a second,
segmenter-independent source of candidate names: each comma-separated part of the raw text
(never a landmark mentioned with a cue - "near X", "opp X" - nor what follows the cue, nor a
road, a city, a state or the pincode), read as the building. The matcher scores such a
reading with its own comparison level (``source: text``, weighted by the fit like every other
level) and tries it only when the segmenter's readings match nothing. Only the part that holds
the segmenter's own reading is re-read (a part elsewhere would make the text name two
buildings), or every part when the segmenter read no building and did not label it a place.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from notifier.address.normalize import is_known_city, is_state, locality_tokens, name_form
from notifier.address.readings import MAX_TEXT_CHARS
from notifier.address.segments import Segments
from notifier.address.vocabulary import CUE_BEFORE_RE, LANDMARK_CUE_RE, ROAD_WORD_RE

# Bounded work: only the text readings.py reads (MAX_TEXT_CHARS), at most this many parts,
# this long each.
MAX_TEXT_PARTS = 3
MAX_PART_CHARS = 200

_PART_RE = re.compile(r"[^,;|\n]+")
_ALNUM_RE = re.compile(r"[^\W_]")
_MASK = "\x00"


class TextPart(NamedTuple):
    """One part of the raw text that may name the customer's building."""

    text: str  # a substring of the address text
    # the segmenter labelled it (or a piece of it) a place: locality or street
    place_labelled: bool
    # words of a street or locality the matcher read as the building in another part: unless
    # they are the candidate's own place words, the text may name two buildings
    rivals: tuple[tuple[str, ...], ...] = ()


def text_parts(
    seg: Segments, tried: str | None, city: str | None, building: bool = True
) -> list[TextPart]:
    """Parts of ``seg.text`` that may name the building, other than the name already tried
    (``tried``: the text the matcher read as the building; ``building``: it was the
    segmenter's building, not a street or locality standing in; ``city``: the city read)."""
    text = seg.text[:MAX_TEXT_CHARS]
    drop = [v for v in (seg.pincode, seg.state) if v]
    cities = [v for v in (seg.city, city) if v]
    tried_form = name_form(tried[:MAX_PART_CHARS]).core if tried else ()
    span = tried if building else None
    out: list[TextPart] = []
    seen: set[tuple[str, ...]] = set()
    found_parts: Iterable[re.Match[str]] = _PART_RE.finditer(text)
    if span:
        # only the part that holds the segmenter's building is re-read (found directly:
        # most addresses have one)
        at = text.find(span)
        if at < 0:
            return []
        own = next((m for m in _PART_RE.finditer(text) if m.end() > at), None)
        if own is None or own.group().strip() == span:
            return []  # the segmenter's building is its whole part: nothing more to read
        found_parts = (own,)
    for found in found_parts:
        piece = found.group()
        if CUE_BEFORE_RE.search(text, max(0, found.start() - 20), found.start()):
            continue  # "near, Prestige Shantiniketan": a landmark
        cue = LANDMARK_CUE_RE.search(piece)
        if cue:
            piece = piece[: cue.start()]  # what follows near/opp/behind is a landmark
        for value in drop:
            if value in piece:
                piece = piece.replace(value, _MASK)
        # the piece must stay a substring of the text: keep its longest run between masks
        part = max((p.strip(" -.:/") for p in piece.split(_MASK)), key=len, default="")
        for value in cities:
            # the city closing the part ("Whitefield Bangalore"); inside it, it may be a
            # word of the name ("City Thrissur - Sobha")
            if part.endswith(value) and len(part) > len(value):
                part = part[: -len(value)].strip(" -.:/")
        part = part[:MAX_PART_CHARS]
        if (
            not part
            or part not in text
            or not _ALNUM_RE.search(part)
            or ROAD_WORD_RE.search(part)
            or is_known_city(part)
            or is_state(part)
        ):
            continue
        core = name_form(part).core
        if not core or core == tried_form or core in seen:
            continue
        seen.add(core)
        if span and span not in part:
            # another part than the segmenter's building: the text would name two buildings
            # ("Sai Krupa, Phoenix Mall"); the segmenter's own slips stay in its part
            continue
        places = [v for v in (seg.locality, seg.street) if v and (v in part or part in v)]
        place_labelled = bool(places) and not (seg.building and seg.building in part)
        if place_labelled and not span and any(part in v for v in places):
            continue  # the segmenter read the whole part as a place ("Green Park")
        rivals: tuple[tuple[str, ...], ...] = ()
        if tried and not building and tried not in part:
            rivals = (locality_tokens(tried),)
        out.append(TextPart(part, place_labelled, rivals))
        if len(out) == MAX_TEXT_PARTS:
            break
    return out


def text_segments(seg: Segments, city: str | None, part: str) -> Segments:
    """The address re-read with ``part`` as its building: the segments that overlap it (a
    cut name's pieces labelled unit, landmark, street or locality) are dropped."""

    def keep(value: str | None) -> str | None:
        if not value or value in part or part in value:
            return None
        return value

    return Segments(
        seg.text,
        building=part,
        unit=keep(seg.unit),
        street=keep(seg.street),
        landmark=keep(seg.landmark),
        locality=keep(seg.locality),
        city=keep(city),
        state=keep(seg.state),
        pincode=keep(seg.pincode),
    )
