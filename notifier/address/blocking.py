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
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from notifier.address.normalize import (
    NameForm,
    acronym_of,
    canon_city,
    canon_pincode,
    is_known_city,
    locality_key,
    name_form,
    postal_district,
    region_of,
)
from notifier.address.readings import (
    Reading,
    fallback_names,
    fallback_segments,
    merged_segments,
    place_parts,
    read_address,
)
from notifier.address.segments import Segments
from notifier.address.text_city import with_text_city
from notifier.address.text_evidence import text_parts, text_segments

if TYPE_CHECKING:
    from notifier.address.matcher import BuildingRef

# Bump whenever address_keys() changes what it returns: stores re-key their saved addresses,
# or the reverse direction (a new quarantine finds its residents) would miss them.
KEYS_VERSION = "6"

# Only the first few name tokens give keys: keeps a stored address at a handful of keys.
MAX_KEY_TOKENS = 3
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


def _acronym_codes(names: Iterable[str]) -> frozenset[str]:
    """A long name's initials as a name code ("ITQE"): registry side only, so an address
    written with them meets the building (the address's keys are its own words' codes)."""
    codes: set[str] = set()
    for name in names:
        acronym = acronym_of(name_form(name))
        if acronym:
            codes.update(_codes_of(name_form(acronym).core))
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
        names = (building.name, *building.aliases)
        codes = frozenset().union(*(_name_codes(name) for name in names), _acronym_codes(names))
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
