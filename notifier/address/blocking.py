"""Blocking keys shared by both directions of matching.

Forward (an address changes -> which quarantined building?) and reverse (ops register a
building -> which stored addresses are inside it?) use the same keys, so the candidate sets
agree. A key is a geographic scope joined with a coarse code of one building-name token:

    p|560066|prs             same pincode
    cl|bengaluru|vtfl|prs    same city and locality
    c|bengaluru|prs          address gives only the city (the matcher can at most ask review)
    n|bengaluru|prs          address gives a pincode but no locality: registry rows without one
    l|vtfl|prs               address gives no city

The token codes are the first three and the last two letters of the consonant skeleton, so
vowel typos and transliteration variants (Krupa/Kripa) share keys, and a glued name
("prestigeshantiniketan") shares the head of its first word and the tail of its last one.
A stored address has a handful of keys (codes of its first three name tokens x 1-2 scopes),
and the matcher never decides ``match`` or ``review`` for a pair whose key sets are disjoint.
When no segment names the building, the parts of the text that may name it add their keys
(``fallback_names``), and a one-word name adds codes with a letter left out (typos near its
start: "Laskhmi Enclave").
"""

from __future__ import annotations

import operator
import re
import sys
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, Generic, NamedTuple, TypeVar

from notifier.address.normalize import (
    NameForm,
    canon_city,
    canon_pincode,
    is_known_city,
    is_state,
    locality_key,
    name_form,
    postal_district,
    region_of,
)
from notifier.address.segments import Segments
from notifier.address.text_city import with_text_city
from notifier.address.text_evidence import text_parts, text_segments
from notifier.address.vocabulary import (
    LANDMARK_CUES,
    LANDMARK_CUES_BEFORE,
    LOCALITY_ENDINGS,
    LOCALITY_KINDS,
    ROAD_WORDS,
    STREET_WORDS,
    words_pattern,
)

if TYPE_CHECKING:
    from notifier.address.matcher import BuildingRef

# Bump whenever address_keys() changes what it returns: stores re-key their saved addresses,
# or the reverse direction (a new quarantine finds its residents) would miss them.
KEYS_VERSION = "5"

# A building name is a few words; longer segments are cut (bounded work on pathological input).
MAX_NAME_CHARS = 200
# Only the first few name tokens give keys: keeps a stored address at a handful of keys.
MAX_KEY_TOKENS = 3
# At most this many parts of one address are tried as the building when no segment names it.
MAX_FALLBACK_NAMES = 3
# ... and this many other parts are searched for its locality.
MAX_PLACE_PARTS = 3
_VOWELS_RE = re.compile(r"[aeiouyh]")
_DOUBLE_RE = re.compile(r"(.)\1+")
_FIRST_GROUP = operator.itemgetter(1)  # as sub(r"\1", ...) but not expanded in Python per match
# Initials that alternate in romanised Indian words (Vrindavan/Brindavan, Kaveri/Cauvery,
# Yamuna/Jamuna) share a code; the matcher treats them as the same letter too.
_INITIAL_CLASS = {"v": "b", "c": "k", "y": "j"}


@lru_cache(maxsize=65536)
def token_codes(token: str) -> tuple[str, ...]:
    """Coarse codes of one canonical name token (1 or 2 of them)."""
    if token.startswith("phase") and token[5:].isdigit():
        return ()  # "phase2" says nothing about which building family it is
    first = _INITIAL_CLASS.get(token[0], token[0])
    skeleton = _DOUBLE_RE.sub(_FIRST_GROUP, first + _VOWELS_RE.sub("", token[1:]))
    if len(skeleton) <= 2:
        return (skeleton,)
    return (skeleton[:3], "~" + skeleton[-2:])


def _name_codes(name: str | None) -> frozenset[str]:
    if not name:
        return frozenset()
    return _codes_of(name_form(name).core)


@lru_cache(maxsize=65536)
def _codes_of(core: tuple[str, ...]) -> frozenset[str]:
    codes: set[str] = set()
    for token in core[:MAX_KEY_TOKENS]:
        codes.update(token_codes(token))
    if len(core) >= 2 and core[0].isalpha() and core[1].isalpha():
        # the first two words glued: "Sky Line" meets "Skyline"
        codes.update(token_codes(core[0] + core[1]))
    if len(core) == 1:
        # a one-word name has no second word to share a key when the first is misspelt
        # ("Laskhmi Enclave", "Shati CHS"): add its head with each letter left out in turn
        codes.update(_deletion_codes(core[0]))
    return frozenset(codes)


@lru_cache(maxsize=65536)
def _deletion_codes(token: str) -> tuple[str, ...]:
    """The first four letters of the skeleton with one left out: a letter dropped, doubled,
    swapped or added in the first few letters still leaves one code in common."""
    codes = token_codes(token)
    if not codes or token.startswith("phase"):
        return ()
    first = _INITIAL_CLASS.get(token[0], token[0])
    head = _DOUBLE_RE.sub(_FIRST_GROUP, first + _VOWELS_RE.sub("", token[1:]))[:4]
    return tuple(head[:i] + head[i + 1 :] for i in range(len(head)) if len(head) > 2)


# A street segment with none of these words is more likely a building the segmenter mislabelled
# ("Brigade Lakefront, Whitefield") than a street.
_STREET_WORD_RE = re.compile(words_pattern(STREET_WORDS), re.IGNORECASE)


# Words that make a part of the text a road, never a building's name.
_ROAD_WORD_RE = re.compile(words_pattern(ROAD_WORDS), re.IGNORECASE)
_CHUNK_BREAK_RE = re.compile(r"[,;|\n]")
# "near X", "opp. X": a landmark, never part of where the customer lives
_LANDMARK_CUE_RE = re.compile(words_pattern(LANDMARK_CUES), re.IGNORECASE)


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
            (seg.landmark or _LANDMARK_CUE_RE.match(locality))
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


_CUE_BEFORE_RE = re.compile(words_pattern(LANDMARK_CUES_BEFORE) + r"\W*$", re.IGNORECASE)


def _follows_landmark_cue(text: str, span: str) -> bool:
    at = text.find(span)
    if at < 0:
        return False
    return bool(_LANDMARK_CUE_RE.match(span) or _CUE_BEFORE_RE.search(text, max(0, at - 20), at))


def _same_part(text: str, a: str, b: str) -> bool:
    """Both substrings occur and no comma (or ; | newline) separates them."""
    i, j = text.find(a), text.find(b)
    if i < 0 or j < 0:
        return False
    lo, hi = (i + len(a), j) if i <= j else (j + len(b), i)
    return lo > hi or not _CHUNK_BREAK_RE.search(text, lo, hi)


def beside_building(seg: Segments, span: str | None = None) -> tuple[str, str, str]:
    """Text left and right of the building segment (or ``span``) within its comma-separated
    part of the text (landmark, city, state and pincode removed), and that part."""
    text, building = seg.text, span or seg.building or ""
    at = text.find(building) if building else -1
    if at < 0:
        return "", "", ""
    end_at = at + len(building)
    # just after the last part break before the building (what _CHUNK_BREAK_RE matches)
    start = 1 + max(
        text.rfind(",", 0, at),
        text.rfind(";", 0, at),
        text.rfind("|", 0, at),
        text.rfind("\n", 0, at),
    )
    stop_match = _CHUNK_BREAK_RE.search(text, end_at)
    stop = stop_match.start() if stop_match else len(text)
    left, right = text[start:at], text[end_at:stop]
    if not (left.strip() or right.strip()):
        return "", "", ""
    for span in (seg.landmark, seg.city, seg.state, seg.pincode):
        if span:
            left, right = left.replace(span, " "), right.replace(span, " ")
    left = _LANDMARK_CUE_RE.split(left)[-1]
    right = _LANDMARK_CUE_RE.split(right)[0]
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
    for piece in _CHUNK_BREAK_RE.split(text):
        if _SKIP in piece:
            continue
        cue = _LANDMARK_CUE_RE.search(piece)
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
        if not _ROAD_WORD_RE.search(part)
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


class KeyParts(NamedTuple):
    """What the keys are made of: name codes and the canonical place."""

    codes: frozenset[str]
    pincode: str
    city: str
    locality: str
    # extra locality keys of an address: its street (often the locality, "Ghodbunder Road")
    # and a city segment the alias table does not know (often a locality, "Gachibowli")
    other_localities: tuple[str, ...] = ()
    # the metropolitan region (or city) of a known city or of the PIN code: recall-first
    # blocking is by region and name code; pincode and locality are evidence in the score
    region: str = ""

    @classmethod
    def of_address(
        cls,
        seg: Segments,
        reading: Reading | None = None,
        beside: bool | None = None,
        places: list[str] | None = None,
        name: NameForm | None = None,
    ) -> KeyParts:
        """``beside``, ``places`` and ``name``: ``reading.locality_beside_building``,
        ``place_parts(seg, reading)`` and ``name_form(reading.building)`` when the caller has
        them."""
        reading = reading or read_address(seg)
        if beside is None:
            beside = reading.locality_beside_building
        # a locality beside the building may be a piece of its name: no locality scope
        locality = None if beside else reading.locality
        others: list[str] = []
        if not locality and (seg.pincode or not is_known_city(reading.city)):
            # no locality segment: the matcher looks for the locality in these
            if places is None:
                places = place_parts(seg, reading)
            others.extend(locality_key(part) for part in places)
            if reading.city and not is_known_city(reading.city):
                others.append(locality_key(reading.city))
        city, pincode = canon_city(reading.city), canon_pincode(seg.pincode)
        known = is_known_city(reading.city)
        if not pincode and (not known or seg.pincode):
            district_city, district_pin = postal_district(reading.city, seg.pincode)
            if district_pin:
                city, pincode, known = district_city, district_pin, True
        return cls(
            _name_codes(reading.building) if name is None else _codes_of(name.core),
            pincode,
            city,
            locality_key(locality),
            tuple(filter(None, others)),  # "": a part with no locality word
            region_of(city if known else "", pincode),
        )

    @classmethod
    def of_building(cls, building: BuildingRef) -> KeyParts:
        codes = frozenset().union(
            *(_name_codes(name) for name in (building.name, *building.aliases))
        )
        city, pincode = canon_city(building.city), canon_pincode(building.pincode)
        return cls(
            codes,
            pincode,
            city,
            locality_key(building.locality),
            region=region_of(city, pincode),
        )

    def keys(self, scopes: Iterable[str]) -> set[str]:
        return {f"{scope}|{code}" for scope in scopes for code in self.codes}


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


def address_keys(seg: Segments) -> set[str]:
    """Keys under which a stored (segmented) address is indexed; empty without a building.
    Without a building segment, the parts that may name the building add theirs; a building
    cut short by a locality in its part adds the whole part's; a city read from the raw text
    (the segmenter's city unknown or missing, see text_city) adds the keys of that reading."""
    keys = _address_keys(seg)
    alt = with_text_city(seg)
    return keys if alt is seg else keys | _address_keys(alt)


def _address_keys(seg: Segments) -> set[str]:
    reading = read_address(seg)
    keys = address_keys_of(KeyParts.of_address(seg, reading))
    merged = merged_segments(seg, reading)
    if merged is not None:
        keys |= address_keys_of(KeyParts.of_address(merged))
    for name in fallback_names(seg, reading):
        keys |= address_keys_of(KeyParts.of_address(fallback_segments(seg, reading, name)))
    # each part of the raw text read as the building (the segmenter may have cut the name)
    from_building = reading.source in ("building", "chunk")
    for part in text_parts(seg, reading.building, reading.city, from_building):
        keys |= address_keys_of(KeyParts.of_address(text_segments(seg, reading.city, part.text)))
    return keys


def address_keys_of(parts: KeyParts) -> set[str]:
    return parts.keys(address_scopes(parts))


def address_scopes(parts: KeyParts) -> list[str]:
    """The geographic scopes of an address's keys (each key is a scope and a name code):
    its region when the city or the PIN code tells it; else the pincode and the localities
    written (a city the alias table does not know may be a locality, "Gachibowli")."""
    pin, city, loc, region = parts.pincode, parts.city, parts.locality, parts.region
    scopes: list[str] = []
    if region:
        scopes.append(f"r|{region}")
    if city and not is_known_city(city):
        scopes.append(f"r|{city}")  # a registry row may name the same unknown city
        if not region and (city_key := locality_key(city)):
            scopes.append(f"l|{city_key}")  # or it is a locality ("Rohini")
    if not region:
        if pin:
            scopes.append(f"p|{pin}")
        if loc:
            scopes.append(f"l|{loc}")
        scopes.extend(f"l|{other}" for other in parts.other_localities)
    return scopes


def precise_scopes(parts: KeyParts) -> list[str]:
    """The narrower scopes the matcher tries first: the address's pincode and the localities
    it writes (a subset of each building's keys, see :func:`building_query_keys`)."""
    scopes = [f"p|{parts.pincode}"] if parts.pincode else []
    if parts.locality:
        scopes.append(f"l|{parts.locality}")
    scopes.extend(f"l|{other}" for other in parts.other_localities)
    return scopes


def building_query_keys(building: BuildingRef) -> set[str]:
    """Keys to look up the candidate residents of a registry building (and the keys the
    matcher files the building under): every scope an address of it may be keyed by."""
    parts = KeyParts.of_building(building)
    scopes: list[str] = []
    if parts.region:
        scopes.append(f"r|{parts.region}")
    if parts.pincode:
        scopes.append(f"p|{parts.pincode}")
    if parts.locality:
        scopes.append(f"l|{parts.locality}")
    return parts.keys(scopes)


T = TypeVar("T")


class KeyIndex(Generic[T]):
    """A multimap key -> items, with the reverse map so an item can be removed or re-keyed."""

    __slots__ = ("_by_key", "_keys_of")

    def __init__(self) -> None:
        self._by_key: dict[str, set[T]] = defaultdict(set)
        self._keys_of: dict[T, tuple[str, ...]] = {}

    def put(self, item: T, keys: Iterable[str]) -> None:
        self.discard(item)
        # interned: a million addresses share a few hundred thousand distinct keys
        stored = tuple(sys.intern(key) for key in set(keys))
        self._keys_of[item] = stored
        for key in stored:
            self._by_key[key].add(item)

    def discard(self, item: T) -> None:
        for key in self._keys_of.pop(item, ()):
            bucket = self._by_key.get(key)
            if bucket is not None:
                bucket.discard(item)
                if not bucket:
                    del self._by_key[key]

    def lookup(self, keys: Iterable[str]) -> set[T]:
        found: set[T] = set()
        for key in keys:
            bucket = self._by_key.get(key)
            if bucket:
                found |= bucket
        return found

    def keys_of(self, item: T) -> frozenset[str]:
        return frozenset(self._keys_of.get(item, ()))

    def __len__(self) -> int:
        return len(self._keys_of)

    def __contains__(self, item: object) -> bool:
        return item in self._keys_of


class ScopedKeyIndex(KeyIndex[T]):
    """A KeyIndex that can also be searched by scopes x name codes without building the key
    strings: the matcher's forward lookup runs once per address and reading, and formatting
    every scope|code pair cost more than the dictionary lookups themselves."""

    __slots__ = ("_by_scope",)

    def __init__(self) -> None:
        super().__init__()
        # "p|560066" -> "prs" -> items, holding the same entries as the key map
        self._by_scope: dict[str, dict[str, set[T]]] = {}

    def put(self, item: T, keys: Iterable[str]) -> None:
        super().put(item, keys)  # discards the item's old keys first
        for key in self._keys_of[item]:
            scope, _, code = key.rpartition("|")  # name codes never hold a "|"
            self._by_scope.setdefault(scope, {}).setdefault(code, set()).add(item)

    def discard(self, item: T) -> None:
        for key in self._keys_of.get(item, ()):
            scope, _, code = key.rpartition("|")
            by_code = self._by_scope.get(scope)
            bucket = by_code.get(code) if by_code else None
            if by_code is not None and bucket is not None:
                bucket.discard(item)
                if not bucket:
                    del by_code[code]
                    if not by_code:
                        del self._by_scope[scope]
        super().discard(item)

    def lookup_scoped(self, scopes: Iterable[str], codes: Iterable[str]) -> set[T]:
        """Same as ``lookup`` of every ``f"{scope}|{code}"`` key."""
        found: set[T] = set()
        for scope in scopes:
            by_code = self._by_scope.get(scope)
            if by_code:
                for code in codes:
                    bucket = by_code.get(code)
                    if bucket:
                        found |= bucket
        return found


class ResidentIndex:
    """In-memory reverse index: stored addresses by blocking key.

    ``candidates(building)`` is a superset of the addresses the matcher could place in that
    building (score them with ``Matcher.score`` to decide).
    """

    __slots__ = ("_index",)

    def __init__(self) -> None:
        self._index: KeyIndex[str] = KeyIndex()

    def add(self, address_id: str, seg: Segments) -> None:
        """Index (or re-index) one stored address."""
        self._index.put(address_id, address_keys(seg))

    def remove(self, address_id: str) -> None:
        self._index.discard(address_id)

    def candidates(self, building: BuildingRef) -> set[str]:
        return self._index.lookup(building_query_keys(building))

    def __len__(self) -> int:
        return len(self._index)
