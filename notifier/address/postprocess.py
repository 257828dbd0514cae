"""Post-processing rules: labelled character spans -> :class:`Segments`.

Light and deterministic, for what the per-token tagger cannot see or keeps getting wrong:
the first span of each label kept (a business named after "C/O" yields to a following
building), landmark cues pulling the following place into the landmark, code-like "buildings"
such as "C3" dropped, a building span cut after its last building word, names that the words
around them show are not buildings (a person after "S/O", the start of a road's name), a
place-named society between a unit and a locality made the building when the model found none,
housing-board categories ("MIG-45") kept in the unit, a house name ("7/2630, krupa") after the
door number, a long building name's first words taken back, a road-named "locality" between the
building and a locality made the street, and a 6-digit PIN regex as a back-up for ``pincode``.
"""

from __future__ import annotations

import re

from notifier.address.segments import FIELDS, Segments
from notifier.address.spans import _trim

_WORD_RE = re.compile(r"[^\W\d_]{2,}")
_CARE_OF_RE = re.compile(r"(?:\bc\s*/\s*o|\bcare\s+of)[\s.,:;-]*$", re.I)
# A landmark cue ("Next to", "Opp.") - only the cue, or the start of a longer span.
_CUE = (
    r"(?:near(?:\s+to)?|nr|opp(?:osite)?(?:\s+to)?|next\s+to|behind|beside|besides"
    r"|in\s+front\s+of|adjacent\s+to|close\s+to)"
)
_CUE_ONLY_RE = re.compile(_CUE + r"[\s.]*", re.I)
_CUE_START_RE = re.compile(_CUE + r"\.?\s+\S", re.I)
_CUE_BEFORE_RE = re.compile(r"(?<![^\W\d_])" + _CUE + r"[\s.:-]*$", re.I)
# Village-registry exports join fields with "-1" for an empty one; their address field holds
# village, door number and relation names, and names a building only with a building word.
_REGISTRY_EXPORT_RE = re.compile(r",\s*-1\s*,")
_BUILDING_WORD_RE = re.compile(
    r"(?:bldg|building|apartments?|apts?|complex|towers?|bhawan|bhavan|plaza|enclave|residency"
    r"|nilayam|niwas|nivas|villa|mansion|chambers|house|society|heights|hostel|quarters|arcade)",
    re.I,
)
_GAP_RE = re.compile(r"[\s,.:-]*")
_SPACES_RE = re.compile(r" *")
_PLACE_WORD_RE = re.compile(
    r"\b(?:west|east|north|south|main|road|rd|street|st|cross|lane|marg|sector|phase|stage|block)\b",
    re.I,
)
_DIRECTION_END_RE = re.compile(r"\s(?:west|east|north|south|\([wensWENS]\))\.?$", re.I)
# A relation marker and honorifics: the name after them is a person ("S/O Late Shri Ram Prasad").
_RELATION_BEFORE_RE = re.compile(
    r"\b[sdw]\s*/\s*o\b[\s.:,-]*(?:(?:late|shri|sri|smt|mr|mrs|ms|dr|km|kumari)\b[\s.]*)*$",
    re.I,
)
_ROAD_WORD_RE = re.compile(r"(?:road|rd|drive|marg|street|st|lane|path|gali|salai)\.?", re.I)
# Any word that makes a name a building's (wider than _BUILDING_WORD_RE, which guards registry rows)
_NAME_WORD_RE = re.compile(
    _BUILDING_WORD_RE.pattern
    + r"|\b(?:kutir|sadan|niketan|manor|court|dham|residences?|residancy|homes|villas|nilaya"
    r"|bhavanam|heights|hts|twrs?|apartment|appartments?|chsl?|mahal|castle|palace|gardens)\b",
    re.I,
)
_ACRONYM_RE = re.compile(r"(?:[A-Z]\.? ?){1,4}")
_TOWER_RE = re.compile(r"towers?\b|twrs?\b", re.I)
# (no \b before: fields are often glued, "... INDUSTRIESINDUSTRIAL ESTATE")
_INDUSTRIAL_AREA_RE = re.compile(r"industrial\s+(?:estate|area)\b", re.I)
# Words that close a building name: what follows them without a comma is the street or the
# locality ("HANSARAJ BHAWAN STATION CHARIALI", "SRINILAYA APARTMENTS KAVURI HILLS").
_NAME_END_RE = re.compile(
    r"\b(?:apartments?|apts?|appartments?|complex|enclave|enclv|bhawan|bhavan|bhavanam|residency"
    r"|residancy|residences?|plaza|mansions?|niwas|nivas|nilayam|chambers|arcade|building|bldg"
    r"|chsl?|heights|hts|towers|society)\b\.?",
    re.I,
)
# What may still follow that word inside the name: a legal tail, a phase, a number or a code.
_NAME_TAIL_RE = re.compile(
    r"(?:[\s,.:/&-]+|\([^)]*\)?|\b(?:ltd|limited|pvt|phase|annexe?|extn|extension|new|old|no|[ivx]+|\w{1,2}"
    r"|\d\w*)\b)*",
    re.I,
)
# A housing society named like a place ("Jyoti Krupa Nagar", "Yamuna Vihar"): a name of two or
# more words ending in one of these. Single glued words ("Ramnagar") are left to the model.
_SOCIETY_AS_PLACE_RE = re.compile(
    r"\S.*\s(?:nagar|ngr|vihar|kunj|puram|park|colony|enclave|enclv|dham|residency|society)\.?",
    re.I,
)
# Housing-board allotment categories written before a house number ("MIG-45", "LIG 123",
# "Type-II/23"): the whole is the unit, never a building named "MIG".
_HOUSING_CATEGORY_RE = re.compile(r"(?:[MLH]IG|EWS|type)(?:[\s-]*(?:[ivx]+|\d))?\.?", re.I)
_CATEGORY_GAP_RE = re.compile(r"[\s/.:-]*(?:no\b[\s.:-]*)?", re.I)
# Last words of a house's own name ("Sai Krupa", "Lakshmi Nilaya", "Thottathil Veedu") that
# (almost) no post-office locality ends with: such a name right after the door number is the
# house, also in village-registry rows and with no building word.
_HOUSE_NAME_WORDS = (
    r"(?:krupa|kripa|nilaya|nilayam|niwas|nivas|nivasam|sadan|kutir|veedu|illam"
    r"|bhavanam|smruti|smriti|a?ashirwad|mandiram)"
)
_HOUSE_NAME_END_RE = re.compile(rf"(?:.*\s)?{_HOUSE_NAME_WORDS}\.?", re.I | re.S)
# Words that may stand, untagged, before a building name in its own clause and still be part of
# it ("DR GOPAL" + "CHANDRA SARMA BLDG"): capitalised name words only, no cue or filler words.
_NAME_PREFIX_RE = re.compile(r"(?:[A-Z][^\W\d_]*\.?\s+)+")
_NOT_NAME_TEXT = (
    "near nr opp opposite behind beside besides next to at post po via vill village care of"
    " c o s d w my our home house flat room shop plot door no deliver please the in and is"
    " above below landmark lm ward gali street road lane sector block phase adj mr mrs ms smt"
    " enterprise enterprises traders trading industries agency agencies store stores co company"
    " services associates brothers sons ltd pvt"
)
_NOT_NAME_WORDS = frozenset(_NOT_NAME_TEXT.split())
# the tagger's context covers about 4 tokens each side: only the first few words of a name
# escape it, so a longer untagged run before the span is something else (a person, a firm)
_MAX_NAME_PREFIX = 3
_PINCODE_RE = re.compile(r"(?<!\d)([1-9]\d{2}) ?(\d{3})(?!\d)")


def _landmarks(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """A place after a landmark cue is the landmark: a lone cue span ("Next to") joins the span
    right after it, and a locality/street/city span that starts with a cue ("Opposite Big
    Bazaar") is relabelled, since no locality or road name starts with "near"/"opposite"."""
    out: list[tuple[int, int, str]] = []
    i = 0
    while i < len(spans):
        start, end, label = spans[i]
        nxt = spans[i + 1] if i + 1 < len(spans) else None
        if (
            label == "LANDMARK"
            and nxt is not None
            and _CUE_ONLY_RE.fullmatch(text, start, end)
            and _GAP_RE.fullmatch(text, end, nxt[0])
            and nxt[2] in ("LOCALITY", "STREET", "BUILDING", "LANDMARK")
        ):
            out.append((start, nxt[1], "LANDMARK"))
            i += 2
            continue
        if label in ("LOCALITY", "STREET", "CITY") and _CUE_START_RE.match(text, start, end):
            label = "LANDMARK"
        elif label in ("LOCALITY", "STREET", "BUILDING"):
            # "..., Near Big Bazaar, ..." with the cue left untagged: the place is a landmark
            prev_end = out[-1][1] if out else 0
            cue = _CUE_BEFORE_RE.search(text, prev_end, start)
            if cue is not None:
                start, label = cue.start(), "LANDMARK"
        out.append((start, end, label))
        i += 1
    return out


def segments_from_spans(text: str, spans: list[tuple[int, int, str]]) -> Segments:
    """First span of each label wins (addresses list the most specific part first)."""
    values: dict[str, str] = {}
    spans = _landmarks(text, spans)
    # a building name has a word in it; a lone code such as "C3" or "B-12" is a unit number
    spans = [sp for sp in spans if sp[2] != "BUILDING" or _WORD_RE.search(text, sp[0], sp[1])]
    spans = _housing_category_units(text, spans)
    if _REGISTRY_EXPORT_RE.search(text):
        spans = [
            sp
            for sp in spans
            if sp[2] != "BUILDING" or _BUILDING_WORD_RE.search(text, sp[0], sp[1])
        ]
    else:  # (registry rows repeat village names, "SC Colony, SC Colony": no society rule there)
        spans = _society_building(text, spans)
    spans = _house_name_building(text, spans)
    spans = [_end_at_building_word(text, sp) if sp[2] == "BUILDING" else sp for sp in spans]
    spans = _building_from_clause_start(text, spans)
    spans = _names_that_are_not_buildings(text, spans)
    spans = _road_named_locality(text, spans)
    buildings = [sp for sp in spans if sp[2] == "BUILDING"]
    if len(buildings) > 1 and _CARE_OF_RE.search(text[: buildings[0][0]]):
        # "C/O Verma Traders, Lotus Apartments, ...": a business written as the care-of is the
        # building only when no other building follows it
        spans = [sp for sp in spans if sp is not buildings[0]]
    for start, end, label in spans:
        field = label.lower()
        if field in FIELDS and field not in values:
            values[field] = text[start:end]
    if "pincode" not in values:
        # Deterministic back-up: a 6-digit Indian PIN (first digit 1-9, optional middle space).
        # Only when the model found none, and only as the last 6-digit group (PIN comes last).
        found = list(_PINCODE_RE.finditer(text))
        if found and not _looks_like_phone(text, found[-1]):
            values["pincode"] = found[-1].group()
    return Segments(text=text, **values)


def _names_that_are_not_buildings(
    text: str, spans: list[tuple[int, int, str]]
) -> list[tuple[int, int, str]]:
    """Building spans that the words around them show to be something else:

    - a name right after a relation marker ("S/O Late Shri Ram Prasad") is a person;
    - a name with no building word followed, without a comma, by a lone road word ("AMBARI
      LAMB" + "ROAD", "marine" + "drive") is the start of that road's name: one street span;
    - a bare acronym followed, without a comma, by a unit that starts with a building word
      ("BR" + "TOWER 21") is the name of that building ("BR TOWER"); the rest stays the unit;
    - an industrial estate/area is a locality, not a building.
    """
    out: list[tuple[int, int, str]] = []
    i = 0
    while i < len(spans):
        start, end, label = spans[i]
        nxt = spans[i + 1] if i + 1 < len(spans) else None
        if label == "BUILDING" and _INDUSTRIAL_AREA_RE.search(text, start, end):
            label = "LOCALITY"
        if label != "BUILDING" or _NAME_WORD_RE.search(text, start, end):
            out.append((start, end, label))
            i += 1
            continue
        joined = nxt is not None and _SPACES_RE.fullmatch(text, end, nxt[0]) is not None
        if joined and nxt is not None and _ROAD_WORD_RE.fullmatch(text, nxt[0], nxt[1]):
            out.append((start, nxt[1], "STREET"))
            i += 2
            continue
        word = None
        if (
            joined
            and nxt is not None
            and nxt[2] == "UNIT"
            and _ACRONYM_RE.fullmatch(text, start, end)
        ):
            word = _NAME_END_RE.match(text, nxt[0], nxt[1]) or _TOWER_RE.match(text, nxt[0], nxt[1])
        if word is not None and nxt is not None:
            out.append((start, word.end(), "BUILDING"))
            rest = _trim(text, word.end(), nxt[1])
            if rest[1] > rest[0]:
                out.append((rest[0], rest[1], "UNIT"))
            i += 2
            continue
        before = text[out[-1][1] if out else 0 : start]
        if not _RELATION_BEFORE_RE.search(before):
            out.append((start, end, label))
        i += 1
    return out


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
    word ("7/2630, krupa", "12, Ganesh Kripa", "TC 4/12, Thottathil Veedu") is the house: the
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


def _building_from_clause_start(
    text: str, spans: list[tuple[int, int, str]]
) -> list[tuple[int, int, str]]:
    """A building name longer than the tagger's context ("DR GOPAL CHANDRA SARMA BLDG", a
    person's name with titles) may come back without its first words. Untagged capitalised
    name words between the start of its clause (text start or the last comma/semicolon) and
    the span, with no other span, cue, firm or building word between and at most
    ``_MAX_NAME_PREFIX`` of them, belong to the name; not after a care-of ("C/O, ME SHARMA
    ENTERPRISE H. P. BLDG": the firm is not part of the building)."""
    for i, (start, end, label) in enumerate(spans):
        if label != "BUILDING":
            continue
        floor = spans[i - 1][1] if i else 0
        if start - floor < 2 or not _NAME_END_RE.search(text, start, end):
            continue
        clause = max(floor, *(text.rfind(ch, floor, start) + 1 for ch in ",;|(\n"))
        while clause < start and text[clause].isspace():
            clause += 1
        if clause >= start:
            continue
        prefix = _NAME_PREFIX_RE.fullmatch(text, clause, start)
        if prefix is None:
            continue
        words = text[clause:start].lower().replace(".", " ").split()
        if (
            len(words) > _MAX_NAME_PREFIX
            or any(w in _NOT_NAME_WORDS for w in words)
            or _NAME_WORD_RE.search(text, clause, start)
            or _CARE_OF_RE.search(text[:clause].rstrip(" ,;"))
        ):
            continue
        return [*spans[:i], (clause, end, label), *spans[i + 1 :]]  # one building is kept
    return spans


_ROAD_WORDS = r"(?:road|rd|marg|path|street|lane|salai|gali|bylane)"
_ROAD_END_RE = re.compile(rf"(?:.*[\s.])?{_ROAD_WORDS}\.?", re.I | re.S)


def _road_named_locality(
    text: str, spans: list[tuple[int, int, str]]
) -> list[tuple[int, int, str]]:
    """With no street found, a first "locality" named like a road right after the building and
    before another locality ("DAS COMPLEX, SHYAMA PRASAD ROAD, CACHAR") is the street. With only
    the city after it ("Brigade Road, Bangalore") it stays the locality, as the public sets label
    it, and so does a post office named "... Road" after a unit ("Flat 2, Sohna Road, ...")."""
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


def _society_building(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The labelling policy for societies named like places, applied when the model found no
    building: "Flat 1703, Sundar Brindavan Nagar, Kolshet, Thane" - a place-like name right after
    a unit, with another locality after it, is the building the unit sits in ("Flat 7, Vasant
    Kunj, New Delhi", with only the city after it, stays the locality). The tagger sees only a
    few tokens either side, so it often cannot tell these two apart on its own."""
    if any(sp[2] == "BUILDING" for sp in spans):
        return spans
    for i in range(1, len(spans) - 1):
        start, end, label = spans[i]
        if label != "LOCALITY":
            continue
        prev = spans[i - 1]
        if (
            prev[2] == "UNIT"
            and _GAP_RE.fullmatch(text, prev[1], start)
            and (
                _SOCIETY_AS_PLACE_RE.fullmatch(text, start, end)
                or _before_suburb_with_direction(text, (start, end), spans[i + 1])
            )
            and any(
                sp[2] == "LOCALITY" and text[sp[0] : sp[1]].lower() != text[start:end].lower()
                for sp in spans[i + 1 :]
            )
        ):
            return [*spans[:i], (start, end, "BUILDING"), *spans[i + 1 :]]
        break  # only the first locality can be the building the unit sits in
    return spans


def _before_suburb_with_direction(
    text: str, name: tuple[int, int], nxt: tuple[int, int, str]
) -> bool:
    """Mumbai/Pune style "302 Sai Krupa Mulund West": a name of 2+ words typed, without a comma,
    between the flat number and a suburb with its direction is the society (the policy of
    ``t_flat_society``); "302 Borivali West" alone has no such name."""
    start, end = name
    return (
        nxt[2] == "LOCALITY"
        and " " in text[start:end].strip()
        and not _PLACE_WORD_RE.search(text, start, end)  # "Mamidi East", "Kasturba Main" are places
        and _SPACES_RE.fullmatch(text, end, nxt[0]) is not None
        and _DIRECTION_END_RE.search(text, nxt[0], nxt[1]) is not None
    )


def _looks_like_phone(text: str, match: re.Match[str]) -> bool:
    return bool(re.search(r"\d", text[match.end() : match.end() + 1])) or bool(
        re.search(r"\d", text[max(0, match.start() - 1) : match.start()])
    )
