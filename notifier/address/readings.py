"""How the matcher reads a segmented address: which text is the building name (the building
segment, or a stand-in when the segmenter labelled the name as street or locality, or another
comma-separated part of the text when no segment names it), and what sits beside it.

Both directions of matching and the blocking keys (``blocking.py``) read an address this way,
so the candidates a key offers and the pair the matcher scores are the same reading.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

from notifier.address.normalize import (
    is_known_city,
    is_state,
    name_form,
)
from notifier.address.segments import Segments
from notifier.address.vocabulary import (
    CUE_BEFORE_RE,
    LANDMARK_CUE_RE,
    LOCALITY_ENDINGS,
    LOCALITY_KINDS,
    PART_BREAK_RE,
    ROAD_WORD_RE,
    STREET_WORDS,
    words_pattern,
)

if TYPE_CHECKING:
    pass


# A building name is a few words; longer segments are cut (bounded work on pathological input).
MAX_NAME_CHARS = 200
# At most this many parts of one address are tried as the building when no segment names it.
MAX_FALLBACK_NAMES = 3
# ... and this many other parts are searched for its locality.
MAX_PLACE_PARTS = 3


# A street segment with none of these words is more likely a building the segmenter mislabelled
# ("Brigade Lakefront, Whitefield") than a street.
_STREET_WORD_RE = re.compile(words_pattern(STREET_WORDS), re.IGNORECASE)


class Reading(NamedTuple):
    """How the matcher reads a segmented address, allowing for common segmenter slips."""

    building: str | None  # text naming the customer's building, None when there is none
    source: str  # "building", "chunk", "street" or "locality": where that text came from
    city: str | None
    locality: str | None  # None when absent, read as the city, or read as the building
    text: str
    span: str | None  # the segment value read as the building (None for "chunk")

    @property
    def locality_beside_building(self) -> bool:
        """The locality segment sits in the building's comma-separated part of the text, so
        it may be a piece of the building's name ("Hallmark Rosedale | Grande")."""
        return bool(self.locality and self.span) and _same_part(
            self.text, self.span or "", self.locality or ""
        )


def read_address(seg: Segments) -> Reading:
    """Pick the text that names the building and the place. Never the landmark.

    - the building segment; if it holds no name word ("B" of "B Wing Sai Towers"), its whole
      comma-separated part of the text;
    - else a street segment with no street word in it ("Brigade Lakefront");
    - else the locality segment (the matcher then demands that the registry building's own
      locality is written elsewhere in the address);
    - a locality segment that is a known city and no city segment: the city.
    """
    city, locality = seg.city, seg.locality
    if not city and is_known_city(locality):
        city, locality = locality, None
    if locality and (
        (
            (seg.landmark or LANDMARK_CUE_RE.match(locality))
            and _follows_landmark_cue(seg.text, locality)
        )
        or (seg.landmark and _same_part(seg.text, seg.landmark, locality))
    ):
        # "near | Big Bazaar", "Next to Big | Bazaar": the rest of a landmark, not a locality
        locality = None
    if seg.building:
        name, source = seg.building, "building"
        if not name_form(name[:MAX_NAME_CHARS]).core:
            left, right, _ = beside_building(seg)
            if left.strip() or right.strip():
                name, source = f"{left} {name} {right}", "chunk"
        span = seg.building if source == "building" else None
        return Reading(name[:MAX_NAME_CHARS], source, city, locality, seg.text, span)
    street = seg.street
    if street and not _STREET_WORD_RE.search(street) and not _looks_like_locality(street):
        return Reading(street[:MAX_NAME_CHARS], "street", city, locality, seg.text, seg.street)
    if locality and not _looks_like_locality(locality):
        return Reading(locality[:MAX_NAME_CHARS], "locality", city, None, seg.text, locality)
    return Reading(None, "", city, locality, seg.text, None)


# Kinds and word endings of place names: a locality segment like "Shanti Nagar" or
# "Indiranagar" is a place even when a society of that name exists, so it is never read as
# the customer's building.
_LOCALITY_KINDS = LOCALITY_KINDS


_LOCALITY_ENDINGS = LOCALITY_ENDINGS


def _looks_like_locality(text: str) -> bool:
    form = name_form(text[:MAX_NAME_CHARS])
    if not form.core or form.generic & _LOCALITY_KINDS or form.designators:
        return True
    return any(raw.endswith(_LOCALITY_ENDINGS) or raw.isdigit() for raw in form.raw)


def _follows_landmark_cue(text: str, span: str) -> bool:
    at = text.find(span)
    if at < 0:
        return False
    return bool(LANDMARK_CUE_RE.match(span) or CUE_BEFORE_RE.search(text, max(0, at - 20), at))


def _same_part(text: str, a: str, b: str) -> bool:
    """Both substrings occur and no comma (or ; | newline) separates them."""
    i, j = text.find(a), text.find(b)
    if i < 0 or j < 0:
        return False
    lo, hi = (i + len(a), j) if i <= j else (j + len(b), i)
    return lo > hi or not PART_BREAK_RE.search(text, lo, hi)


def beside_building(seg: Segments, span: str | None = None) -> tuple[str, str, str]:
    """Text left and right of the building segment (or ``span``) within its comma-separated
    part of the text (landmark, city, state and pincode removed), and that part."""
    text, building = seg.text, span or seg.building or ""
    at = text.find(building) if building else -1
    if at < 0:
        return "", "", ""
    end_at = at + len(building)
    # just after the last part break before the building (what PART_BREAK_RE matches)
    start = 1 + max(
        text.rfind(",", 0, at),
        text.rfind(";", 0, at),
        text.rfind("|", 0, at),
        text.rfind("\n", 0, at),
    )
    stop_match = PART_BREAK_RE.search(text, end_at)
    stop = stop_match.start() if stop_match else len(text)
    left, right = text[start:at], text[end_at:stop]
    if not (left.strip() or right.strip()):
        return "", "", ""
    for span in (seg.landmark, seg.city, seg.state, seg.pincode):
        if span:
            left, right = left.replace(span, " "), right.replace(span, " ")
    left = LANDMARK_CUE_RE.split(left)[-1]
    right = LANDMARK_CUE_RE.split(right)[0]
    return left, right, text[start:stop]


# Bounded work on pathological input: only this much of the text is searched for loose parts.
MAX_TEXT_CHARS = 1000


_MASK = "\x00"


_SKIP = "\x01"


_ALNUM_RE = re.compile(r"[^\W_]")


def loose_parts(
    seg: Segments, covered: Iterable[str | None], name_span: str | None = None
) -> list[str]:
    """Pieces of the text outside the ``covered`` segments, split at commas.

    Parts that hold or follow a landmark ("near Big Bazaar", the landmark segment's part) are
    left out, and so is the whole comma-separated part of ``name_span`` (words beside a name
    may be pieces of it, never evidence about the place).
    """
    text = seg.text[:MAX_TEXT_CHARS]
    for span in (seg.landmark, name_span):
        if span:
            text = text.replace(span, _SKIP, 1)  # its whole part is left out
    for span in covered:
        if span:
            text = text.replace(span, _MASK, 1)
    parts: list[str] = []
    for piece in PART_BREAK_RE.split(text):
        if _SKIP in piece:
            continue
        cue = LANDMARK_CUE_RE.search(piece)
        if cue:
            piece = piece[: cue.start()]
        for part in piece.split(_MASK):
            part = part.strip(" -.:")
            if part and _ALNUM_RE.search(part):
                parts.append(part)
    return parts


def fallback_names(seg: Segments, reading: Reading | None = None) -> list[str]:
    """Parts of the text that may name the building when the segmenter gave no building span
    or a weak one (a "Shakti Nagar" society read as the locality): every loose part outside
    the unit, city, state and pincode, and never a landmark or what follows near/opp/behind.
    The matcher accepts a registry name from these only on strong evidence."""
    reading = reading or read_address(seg)
    if reading.source == "building":
        return []
    parts = loose_parts(seg, (seg.unit, seg.city, reading.city, seg.state, seg.pincode))
    names = [
        part[:MAX_NAME_CHARS]
        for part in parts
        if not ROAD_WORD_RE.search(part)
        and not is_known_city(part)
        and not is_state(part)
        and name_form(part[:MAX_NAME_CHARS]).core
    ]
    return names[:MAX_FALLBACK_NAMES]


def fallback_segments(seg: Segments, reading: Reading, name: str) -> Segments:
    """The address re-read with ``name`` (from :func:`fallback_names`) as its building and no
    locality segment (the segmenter's locality may be that very name)."""
    return Segments(
        seg.text,
        building=name,
        unit=seg.unit,
        landmark=seg.landmark,
        city=reading.city,
        state=seg.state,
        pincode=seg.pincode,
    )


def place_parts(seg: Segments, reading: Reading) -> list[str]:
    """Loose parts of the text that may name the locality when no locality segment does:
    the street, unlabelled parts; never the building's own part, a landmark or what follows
    near/opp/behind."""
    covered = (seg.unit, reading.span, seg.city, reading.city, seg.state, seg.pincode)
    name_span = reading.span or (seg.building if reading.source == "chunk" else None)
    return loose_parts(seg, covered, name_span)[:MAX_PLACE_PARTS]


def building_text(seg: Segments) -> str | None:
    """The text that names the customer's building (see read_address)."""
    return read_address(seg).building


def merged_segments(seg: Segments, reading: Reading | None = None) -> Segments | None:
    """The address re-read with the building's whole comma-separated part as its name, when
    the segmenter cut a locality out of that part ("Godrej Properties | Woodsville",
    "The Crest | DLF"): the segmenter's cut is one reading, the whole part another."""
    reading = reading or read_address(seg)
    if reading.source != "building" or not reading.locality_beside_building:
        return None
    _, _, part = beside_building(seg, reading.span)
    for span in (seg.landmark, seg.city, seg.state, seg.pincode):
        if span and span in part:
            part = part.replace(span, " ")
    part = part.strip(" -.:")
    if not part or part == reading.span:
        return None
    return Segments(
        seg.text,
        building=part[:MAX_NAME_CHARS] if part[:MAX_NAME_CHARS] in seg.text else reading.span,
        unit=seg.unit,
        street=seg.street,
        landmark=seg.landmark,
        city=reading.city,
        state=seg.state,
        pincode=seg.pincode,
    )


def may_merge(seg: Segments) -> bool:
    """Cheap and conservative: False means :func:`merged_segments` gives None (no locality
    segment in the building segment's comma-separated part of the text)."""
    building, locality = seg.building, seg.locality
    return bool(building and locality) and _same_part(seg.text, building or "", locality or "")
