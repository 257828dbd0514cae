"""Blocking keys shared by both directions of matching.

Forward (an address changes -> which quarantined building?) and reverse (ops register a
building -> which stored addresses are inside it?) use the same keys, so the candidate sets
agree. A key is a geographic scope joined with a coarse code of one building-name token:

    p|560066|prs             same pincode
    cl|bengaluru|vtfl|prs    same city and locality
    c|bengaluru|prs          address gives only the city (the matcher can at most ask review)
    l|vtfl|prs               address gives no city

The token codes are the first three and the last two letters of the consonant skeleton, so
vowel typos and transliteration variants (Krupa/Kripa) share keys, and a glued name
("prestigeshantiniketan") shares the head of its first word and the tail of its last one.
A stored address has a handful of keys (codes of its first three name tokens x 1-2 scopes),
and the matcher never decides ``match`` or ``review`` for a pair whose key sets are disjoint.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, Generic, NamedTuple, TypeVar

from notifier.address.normalize import (
    canon_city,
    canon_pincode,
    is_known_city,
    locality_key,
    name_form,
)
from notifier.address.segments import Segments

if TYPE_CHECKING:
    from notifier.address.matcher import BuildingRef

# A building name is a few words; longer segments are cut (bounded work on pathological input).
MAX_NAME_CHARS = 200
# Only the first few name tokens give keys: keeps a stored address at a handful of keys.
MAX_KEY_TOKENS = 3
_VOWELS_RE = re.compile(r"[aeiouyh]")
_DOUBLE_RE = re.compile(r"(.)\1+")
# Initials that alternate in romanised Indian words (Vrindavan/Brindavan, Kaveri/Cauvery,
# Yamuna/Jamuna) share a code; the matcher treats them as the same letter too.
_INITIAL_CLASS = {"v": "b", "c": "k", "y": "j"}


@lru_cache(maxsize=65536)
def token_codes(token: str) -> tuple[str, ...]:
    """Coarse codes of one canonical name token (1 or 2 of them)."""
    if token.startswith("phase") and token[5:].isdigit():
        return ()  # "phase2" says nothing about which building family it is
    first = _INITIAL_CLASS.get(token[0], token[0])
    skeleton = _DOUBLE_RE.sub(r"\1", first + _VOWELS_RE.sub("", token[1:]))
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
    return frozenset(codes)


# A street segment with none of these words is more likely a building the segmenter mislabelled
# ("Brigade Lakefront, Whitefield") than a street.
_STREET_WORD_RE = re.compile(
    r"\b(?:road|rd|marg|street|st|lane|ln|cross|main|avenue|ave|path|highway|hwy|gali|galli|"
    r"chowk|circle|bypass|expressway|salai|veedhi|peth|bazaar|bazar|market|sector|block|stage|"
    r"phase|layout|nagar|colony|extension|extn)\b",
    re.IGNORECASE,
)


_CHUNK_BREAK_RE = re.compile(r"[,;|\n]")
# "near X", "opp. X": a landmark, never part of where the customer lives
_LANDMARK_CUE_RE = re.compile(
    r"\b(?:near|nr|opp|opposite|behind|beside|next to|besides|adjacent to|in front of|"
    r"off|above|below|landmark)\b",
    re.IGNORECASE,
)


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
    if (
        locality
        and (seg.landmark or _LANDMARK_CUE_RE.match(locality))
        and (_follows_landmark_cue(seg.text, locality))
    ):
        locality = None  # "near | Big Bazaar": the rest of a landmark, not a locality
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
        return Reading(seg.street[:MAX_NAME_CHARS], "street", city, locality, seg.text, seg.street)
    if locality and not _looks_like_locality(locality):
        return Reading(locality[:MAX_NAME_CHARS], "locality", city, None, seg.text, locality)
    return Reading(None, "", city, locality, seg.text, None)


# Kinds and word endings of place names: a locality segment like "Shanti Nagar" or
# "Indiranagar" is a place even when a society of that name exists, so it is never read as
# the customer's building.
_LOCALITY_KINDS = frozenset(
    {
        "nagar",
        "colony",
        "layout",
        "vihar",
        "enclave",
        "park",
        "phase",
        "block",
        "society",
        "complex",
    }
)
_LOCALITY_ENDINGS = (
    "nagar",
    "puram",
    "pet",
    "peth",
    "halli",
    "wadi",
    "abad",
    "ganj",
    "pur",
    "gaon",
    "pally",
    "palli",
    "palem",
    "peta",
    "kunj",
    "bagh",
    "wada",
    "guda",
    "patti",
    "kere",
    "sandra",
    "mangalam",
    "kuppam",
)


def _looks_like_locality(text: str) -> bool:
    form = name_form(text[:MAX_NAME_CHARS])
    if not form.core or form.generic & _LOCALITY_KINDS or form.designators:
        return True
    return any(raw.endswith(_LOCALITY_ENDINGS) or raw.isdigit() for raw in form.raw)


_CUE_BEFORE_RE = re.compile(
    r"\b(?:near|nr|opp|opposite|behind|beside|next to|besides|adjacent to|in front of)\W*$",
    re.IGNORECASE,
)


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
    starts = [m.end() for m in _CHUNK_BREAK_RE.finditer(text, 0, at)]
    start = starts[-1] if starts else 0
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

    @classmethod
    def of_address(cls, seg: Segments, reading: Reading | None = None) -> KeyParts:
        reading = reading or read_address(seg)
        # a locality beside the building may be a piece of its name: no locality scope
        locality = None if reading.locality_beside_building else reading.locality
        others = []
        if not reading.locality:  # the matcher then looks for the locality in these
            if seg.street and reading.source != "street":
                others.append(locality_key(seg.street))
            if reading.city and not is_known_city(reading.city):
                others.append(locality_key(reading.city))
        return cls(
            _name_codes(reading.building),
            canon_pincode(seg.pincode),
            canon_city(reading.city),
            locality_key(locality),
            tuple(k for k in others if k),
        )

    @classmethod
    def of_building(cls, building: BuildingRef) -> KeyParts:
        return cls(
            _name_codes(building.name),
            canon_pincode(building.pincode),
            canon_city(building.city),
            locality_key(building.locality),
        )

    def keys(self, scopes: Iterable[str]) -> set[str]:
        return {f"{scope}|{code}" for scope in scopes for code in self.codes}


def address_keys(seg: Segments) -> set[str]:
    """Keys under which a stored (segmented) address is indexed; empty without a building."""
    return address_keys_of(KeyParts.of_address(seg))


def address_keys_of(parts: KeyParts) -> set[str]:
    pin, city, loc = parts.pincode, parts.city, parts.locality
    scopes: list[str] = []
    if pin:
        scopes.append(f"p|{pin}")
    if city and loc:
        scopes.append(f"cl|{city}|{loc}")
    elif city and not pin:
        scopes.append(f"c|{city}")  # only the city: the matcher can at most ask for review
    if loc and not city:
        scopes.append(f"l|{loc}")
    for other in parts.other_localities:
        scopes.append(f"cl|{city}|{other}" if city else f"l|{other}")
        if city and not is_known_city(city):
            scopes.append(f"l|{other}")
    return parts.keys(scopes)


def building_query_keys(building: BuildingRef) -> set[str]:
    """Keys to look up the candidate residents of a registry building (and the keys the
    matcher files the building under)."""
    parts = KeyParts.of_building(building)
    pin, city, loc = parts.pincode, parts.city, parts.locality
    scopes: list[str] = []
    if pin:
        scopes.append(f"p|{pin}")
    if city and loc:
        scopes.append(f"cl|{city}|{loc}")
    if city:
        scopes.append(f"c|{city}")
    if loc:
        scopes.append(f"l|{loc}")
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
