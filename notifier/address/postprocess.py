"""Post-processing rules: labelled character spans -> :class:`Segments`.

Light and deterministic, for what the per-token tagger cannot see or keeps getting wrong:
the first span of each label kept, code-like "buildings" such as "C3" dropped, a building span
cut after its last building word, housing-board categories ("MIG-45") kept in the unit, a house
name ("4/118, kripa") after the door number, a road-named "locality" between the building and
a locality made the street, a place-shaped name with a marketing word after the unit made the
building ("Pushpa Royale Nagar"), a name between the unit and a sector made the project, and a
6-digit PIN regex as a back-up for ``pincode``. Each rule stays only while it is measured to
help (``nlp.evaluate --ablate``; nlp/MODEL_CARD.md lists the rules removed because the model
learnt them).
"""

from __future__ import annotations

import re

from notifier.address.segments import FIELDS, Segments
from notifier.address.vocabulary import (
    SEGMENT_BUILDING_WORDS,
    SEGMENT_HOUSE_NAME_WORDS,
    SEGMENT_LOCALITY_END_WORDS,
    SEGMENT_NAME_END_WORDS,
    SEGMENT_PLACE_END_WORDS,
    SEGMENT_PROJECT_WORDS,
    SEGMENT_ROAD_END_WORDS,
    words_group,
)

_WORD_RE = re.compile(r"[^\W\d_]{2,}")
# Village-registry exports join fields with "-1" for an empty one; their address field holds
# village, door number and relation names, and names a building only with a building word.
_REGISTRY_EXPORT_RE = re.compile(r",\s*-1\s*,")
_BUILDING_WORD_RE = re.compile(words_group(SEGMENT_BUILDING_WORDS), re.I)
_GAP_RE = re.compile(r"[\s,.:-]*")
# Words that close a building name: what follows them without a comma is the street or the
# locality ("KESHAV BHAWAN BUS STAND ROAD", "GITANJALI APARTMENTS LAKE TOWN", no comma).
_NAME_END_RE = re.compile(r"\b" + words_group(SEGMENT_NAME_END_WORDS) + r"\b\.?", re.I)
# What may still follow that word inside the name: a legal tail, a phase, a number or a code.
_NAME_TAIL_RE = re.compile(
    r"(?:[\s,.:/&-]+|\([^)]*\)?|\b(?:ltd|limited|pvt|phase|annexe?|extn|extension|new|old|no|[ivx]+|\w{1,2}"
    r"|\d\w*)\b)*",
    re.I,
)
# Housing-board allotment categories written before a house number ("MIG-45", "LIG 123",
# "Type-II/23"): the whole is the unit, never a building named "MIG".
_HOUSING_CATEGORY_RE = re.compile(r"(?:[MLH]IG|EWS|type)(?:[\s-]*(?:[ivx]+|\d))?\.?", re.I)
_CATEGORY_GAP_RE = re.compile(r"[\s/.:-]*(?:no\b[\s.:-]*)?", re.I)
# Last words of a house's own name ("Sai Krupa", "Lakshmi Nilaya", "Thottathil Veedu") that
# (almost) no post-office locality ends with: such a name right after the door number is the
# house, also in village-registry rows and with no building word.
_HOUSE_NAME_WORDS = words_group(SEGMENT_HOUSE_NAME_WORDS)
_HOUSE_NAME_END_RE = re.compile(rf"(?:.*\s)?{_HOUSE_NAME_WORDS}\.?", re.I | re.S)
# "<name> Royale Nagar": a place-shaped name with a developer's marketing word in it
_PROJECT_PLACE_RE = re.compile(
    rf"(?:.*\s)?{words_group(SEGMENT_PROJECT_WORDS)}\s+{words_group(SEGMENT_PLACE_END_WORDS)}\.?",
    re.I | re.S,
)
# a numbered sector ("Sector 77", "Sec-53", "sector 90")
_SECTOR_RE = re.compile(r"sec(?:tor)?\.?[\s-]*\d{1,3}\s*-?\s*[a-z]?", re.I)
_LOCALITY_END_RE = re.compile(
    rf"(?:.*[\s-])?{words_group(SEGMENT_LOCALITY_END_WORDS)}\.?|.*\d.*", re.I | re.S
)
_PINCODE_RE = re.compile(r"(?<!\d)([1-9]\d{2}) ?(\d{3})(?!\d)")


# The rules by name, in the order they run. ``segments_from_spans(..., rules=...)`` runs a subset:
# ``nlp.evaluate`` scores every set with none of them too, and each one left out in turn, so
# that what each rule adds is measured (MODEL_CARD.md lists the result).
RULES: tuple[str, ...] = (
    "code_is_unit",
    "housing_category",
    "registry_building_word",
    "house_name",
    "end_at_building_word",
    "road_locality",
    "pin_regex",
    "project_place_name",
    "name_before_sector",
)
ALL_RULES: frozenset[str] = frozenset(RULES)


def segments_from_spans(
    text: str, spans: list[tuple[int, int, str]], rules: frozenset[str] = ALL_RULES
) -> Segments:
    """First span of each label wins (addresses list the most specific part first). ``rules``:
    the post-processing rules to apply (all by default; see :data:`RULES`). Field validity is
    always checked: a pincode is six digits, or a postal-district number after the city."""
    values: dict[str, str] = {}
    on = rules.__contains__
    if on("code_is_unit"):
        # a building name has a word in it; a lone code such as "C3" or "B-12" is a unit number
        spans = [sp for sp in spans if sp[2] != "BUILDING" or _WORD_RE.search(text, sp[0], sp[1])]
    if on("housing_category"):
        spans = _housing_category_units(text, spans)
    if _REGISTRY_EXPORT_RE.search(text) and on("registry_building_word"):
        spans = [
            sp
            for sp in spans
            if sp[2] != "BUILDING" or _BUILDING_WORD_RE.search(text, sp[0], sp[1])
        ]
    if on("house_name"):
        spans = _house_name_building(text, spans)
    if on("end_at_building_word"):
        spans = [_end_at_building_word(text, sp) if sp[2] == "BUILDING" else sp for sp in spans]
    if on("road_locality"):
        spans = _road_named_locality(text, spans)
    if on("project_place_name"):
        spans = _project_place_name(text, spans)
    if on("name_before_sector"):
        spans = _name_before_sector(text, spans)
    city_end = -1
    for start, end, label in spans:
        field = label.lower()
        if field == "pincode" and not _valid_pincode(text, start, end, city_end):
            continue  # "1102" of "e-1102" is not a pincode: the model's span is dropped
        if field == "city" and "city" not in values:
            city_end = end
        if field in FIELDS and field not in values:
            values[field] = text[start:end]
    if "pincode" not in values and on("pin_regex"):
        # Deterministic back-up: a 6-digit Indian PIN (first digit 1-9, optional middle space).
        # Only when the model found none, and only as the last 6-digit group (PIN comes last).
        found = list(_PINCODE_RE.finditer(text))
        if found and not _looks_like_phone(text, found[-1]):
            values["pincode"] = found[-1].group()
    return Segments(text=text, **values)


_PIN_VALUE_RE = re.compile(r"[1-9]\d{2} ?\d{3}")
_POSTAL_DISTRICT_RE = re.compile(r"\d{1,2}")
_CITY_GAP_RE = re.compile(r"[\s-]*")


def _valid_pincode(text: str, start: int, end: int, city_end: int) -> bool:
    """A pincode value is six digits ("411045", "411 045"), or a postal-district number written
    right after the city ("Delhi 34", "Kolkata-64"), which stands for the pincode's last digits."""
    if _PIN_VALUE_RE.fullmatch(text, start, end):
        return True
    return (
        city_end >= 0
        and _POSTAL_DISTRICT_RE.fullmatch(text, start, end) is not None
        and _CITY_GAP_RE.fullmatch(text, city_end, start) is not None
    )


def _housing_category_units(
    text: str, spans: list[tuple[int, int, str]]
) -> list[tuple[int, int, str]]:
    """A "building" that is only a housing-board category ("MIG" of "MIG-45") is the start of
    the unit after it: merged into that unit, or dropped when no unit follows."""
    i = next(
        (
            k
            for k, (start, end, label) in enumerate(spans)
            if label == "BUILDING"
            and end - start <= 10
            and _HOUSING_CATEGORY_RE.fullmatch(text, start, end)
        ),
        -1,
    )
    if i < 0:
        return spans
    start, end, _ = spans[i]
    nxt = spans[i + 1] if i + 1 < len(spans) else None
    if nxt is not None and nxt[2] == "UNIT" and _CATEGORY_GAP_RE.fullmatch(text, end, nxt[0]):
        return [*spans[:i], (start, nxt[1], "UNIT"), *spans[i + 2 :]]
    return [*spans[:i], *spans[i + 1 :]]  # a category alone names no building


def _house_name_building(
    text: str, spans: list[tuple[int, int, str]]
) -> list[tuple[int, int, str]]:
    """With no building found, a name right after the door number that ends in a house-name
    word ("4/118, kripa", "12, Ganesh Kripa", "TC 4/12, Thottathil Veedu") is the house: the
    tagger reads such short names as a locality."""
    labels = {sp[2] for sp in spans}  # (runs on every address: cheap tests first)
    if "BUILDING" in labels or "UNIT" not in labels or "LOCALITY" not in labels:
        return spans
    for i in range(1, len(spans)):
        start, end, label = spans[i]
        prev = spans[i - 1]
        if (
            label == "LOCALITY"
            and prev[2] == "UNIT"
            and _GAP_RE.fullmatch(text, prev[1], start)
            and _HOUSE_NAME_END_RE.fullmatch(text, start, end)
        ):
            return [*spans[:i], (start, end, "BUILDING"), *spans[i + 1 :]]
    return spans


_ROAD_WORDS = words_group(SEGMENT_ROAD_END_WORDS)
_ROAD_END_RE = re.compile(rf"(?:.*[\s.])?{_ROAD_WORDS}\.?", re.I | re.S)


def _road_named_locality(
    text: str, spans: list[tuple[int, int, str]]
) -> list[tuple[int, int, str]]:
    """With no street found, a first "locality" named like a road right after the building and
    before another locality ("DEKA COMPLEX, HEM BARUA ROAD, PANBAZAR") is the street. With only
    the city after it ("Residency Road, Bangalore") it stays the locality, and so does a post
    office named "... Road" after a unit ("Flat 2, Tank Road, ...")."""
    labels = {sp[2] for sp in spans}  # (runs on every address: cheap tests first)
    if "STREET" in labels or "BUILDING" not in labels or "LOCALITY" not in labels:
        return spans
    for i, (start, end, label) in enumerate(spans[:-1]):
        if label != "LOCALITY":
            continue
        if (
            _ROAD_END_RE.fullmatch(text, start, end)
            and spans[i + 1][2] == "LOCALITY"
            and i > 0
            and spans[i - 1][2] == "BUILDING"
        ):
            return [*spans[:i], (start, end, "STREET"), *spans[i + 1 :]]
        break  # only the first locality
    return spans


def _name_before_sector(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """With no building found, a "locality" between the unit and a numbered sector whose name
    does not end like a place ("Apt 703, Prateek Wisteria, Sector 77") is the project: planned
    cities' addresses name the project, then the sector."""
    if any(label == "BUILDING" for _, _, label in spans):
        return spans
    for i in range(1, len(spans) - 1):
        start, end, label = spans[i]
        nxt = spans[i + 1]
        if (
            label == "LOCALITY"
            and spans[i - 1][2] == "UNIT"
            and nxt[2] == "LOCALITY"
            and _SECTOR_RE.fullmatch(text, nxt[0], nxt[1])
            and not _LOCALITY_END_RE.fullmatch(text, start, end)
        ):
            return [*spans[:i], (start, end, "BUILDING"), *spans[i + 1 :]]
        if label != "UNIT":
            break
    return spans


def _project_place_name(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """With no building found, a "locality" right after the unit that is named like a place but
    carries a developer's marketing word ("Flat 1703, Pushpa Royale Nagar, Balkum") is the
    housing project, when another locality follows it (labelling policy: only a project word
    makes "<name> Nagar" a society)."""
    if any(label == "BUILDING" for _, _, label in spans):
        return spans
    for i in range(1, len(spans) - 1):
        start, end, label = spans[i]
        if (
            label == "LOCALITY"
            and spans[i - 1][2] == "UNIT"
            and any(sp[2] == "LOCALITY" for sp in spans[i + 1 :])
            and _PROJECT_PLACE_RE.fullmatch(text, start, end)
        ):
            return [*spans[:i], (start, end, "BUILDING"), *spans[i + 1 :]]
    return spans


def _end_at_building_word(text: str, span: tuple[int, int, str]) -> tuple[int, int, str]:
    """Cut a building span after its last building word when more words follow it inside the
    span: the tagger sometimes runs on into the street or locality when no comma separates
    them. A legal tail, phase or number after the word stays ("... CHS Ltd", "... Phase 2")."""
    start, end, label = span
    last = None
    for found in _NAME_END_RE.finditer(text, start, end):
        last = found
    if last is None or last.end() >= end or _NAME_TAIL_RE.fullmatch(text, last.end(), end):
        return span
    return start, last.end(), label


def _looks_like_phone(text: str, match: re.Match[str]) -> bool:
    return bool(re.search(r"\d", text[match.end() : match.end() + 1])) or bool(
        re.search(r"\d", text[max(0, match.start() - 1) : match.start()])
    )
