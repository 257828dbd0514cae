"""Decide whether a segmented address is inside a quarantined building.

Precision first: telling a stranger their building is quarantined is the worse error, so

- the building is read from the ``building`` segment, never from ``landmark`` ("near Prestige
  Shantiniketan" is where the customer is *not*); common segmenter slips are allowed for (see
  ``blocking.read_address``): a name cut short (words beside it in the same comma-separated
  part complete it, or cap the pair at review), a name labelled as street, or as locality
  (only when the registry building's own locality is written elsewhere in the address);
- a discriminating name token on the address side that the registry name lacks vetoes the pair
  ("Aparna Sarovar Zenith" is not "Aparna Sarovar", "Brigade Lakeview" is not "Brigade Lakefront");
- a registry token the address lacks, a city-only location, a disagreeing pincode or a tower the
  address does not name cap the score in the review band;
- another city or another locality vetoes the pair;
- when no segment names the building, or only a weak stand-in does (a "<Name> Nagar" society
  read as the locality), each other comma-separated part of the text (never a landmark, nor
  what follows near/opp/behind, nor a road, city or state) is tried as the building, strictly:
  the whole registry name and nothing more, the same kind word if any, not the building's own
  locality, and the pincode or the locality (written in yet another part) confirmed; another
  unexplained part that could be the building caps such a pair at review;
- the locality may be written in an unlabelled part or the street; a registry row without a
  pincode takes the address's when the registry's other rows with that pincode all lie in its
  locality.

Within those rules the score blends string measures of the normalised names (token alignment,
Jaro-Winkler, Damerau-Levenshtein, phonetic agreement) with location agreement. Thresholds live
in :class:`MatchConfig`. No I/O here and jellyfish is the only dependency.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import lru_cache
from typing import NamedTuple

import jellyfish

from notifier.address.blocking import (
    KeyParts,
    ScopedKeyIndex,
    address_keys,
    address_keys_of,
    address_scopes,
    beside_building,
    building_query_keys,
    fallback_names,
    fallback_segments,
    merged_segments,
    place_parts,
    precise_scopes,
    read_address,
)
from notifier.address.linkage import (
    BRAND_FREQUENCY,
    COMMON_WORD_FREQUENCY,
    COMPARISONS,
    OTHER_WORD_FREQUENCY,
    Weights,
    probability,
    shipped_weights,
    tf_adjustment,
)
from notifier.address.normalize import (
    NameForm,
    canon_city,
    canon_pincode,
    canon_token,
    fold,
    is_known_city,
    locality_tokens,
    name_form,
    postal_district,
    region_of,
)
from notifier.address.normalize import (
    designators as unit_designators,
)
from notifier.address.segments import Segments
from notifier.address.vocabulary import CITY_ALIASES, COMMON_NAME_WORDS, SOFT_KINDS, UNIT_KINDS


class Decision(StrEnum):
    MATCH = "match"
    REVIEW = "review"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class BuildingRef:
    """One quarantined building as registered by ops.

    ``aliases``: other names the building goes by (a marketing name, the society's registered
    name); ``brand``: its developer when ops know it (else read from the name with the shipped
    brand list). Both optional, used by both directions of matching."""

    building_id: str
    name: str
    locality: str = ""
    city: str = ""
    pincode: str | None = None
    aliases: tuple[str, ...] = ()
    brand: str | None = None


@dataclass(frozen=True, slots=True)
class MatchResult:
    decision: Decision
    building_id: str | None
    score: float  # probability that the pair is the same building
    features: dict[str, float]  # per-comparison weights (bits) and the log-odds
    reason: str
    levels: dict[str, str] = field(default_factory=dict)  # per-comparison level

    def explanation(self) -> dict[str, object]:
        """JSON-able record of why, stored with the decision (the review queue shows it)."""
        return {
            "decision": self.decision.value,
            "building_id": self.building_id,
            "score": round(self.score, 4),
            "reason": self.reason,
            "features": {k: round(v, 4) for k, v in self.features.items()},
            "levels": dict(self.levels),
        }


@dataclass(frozen=True, slots=True)
class MatchConfig:
    """Decision thresholds (probabilities; defaults fitted with the weights, see
    ``bench/matching/fit.py``) and the fitted weights themselves."""

    match_threshold: float = field(default_factory=lambda: shipped_weights().match_probability)
    review_threshold: float = field(default_factory=lambda: shipped_weights().review_probability)
    # An address naming part of a registry name, in its place, goes to review whatever
    # its score (a short form or a sub-project: a person tells them apart).
    review_partial_names: bool = True
    # Two different buildings both at match level within this many bits: let a human pick.
    ambiguity_margin: float = 3.0
    # City names closer than this (Jaro-Winkler) count as the same city (typos: "Banglore").
    city_similarity: float = 0.93
    # A registry row without a pincode takes an address's pincode when at least this many
    # other registry buildings have it, all in the row's locality (see Matcher._implied_place).
    implied_pin_support: int = 2
    weights: Weights = field(default_factory=shipped_weights)

    def __post_init__(self) -> None:
        if not 0.0 < self.review_threshold <= self.match_threshold:
            raise ValueError(
                f"need 0 < review_threshold ({self.review_threshold}) <= match_threshold "
                f"({self.match_threshold})"
            )


NO_MATCH_FEATURES: dict[str, float] = {}

# Kind words that say nothing about a building's identity when they differ.
_SOFT_GENERIC = SOFT_KINDS


class _Place(NamedTuple):  # a tuple: hashed often as a cache key
    city: str
    pincode: str
    locality: tuple[str, ...]
    # an address city the alias table does not know, as locality words ("Gachibowli")
    unknown_city: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _PreparedBuilding:
    ref: BuildingRef
    name: NameForm
    # the registry name and its aliases
    names: tuple[NameForm, ...]
    brands: frozenset[str]
    place: _Place
    keys: frozenset[str]
    # Words of the locality and city: an address building segment that swallowed them
    # ("Prestige Shantiniketan Whitefield") has not named another building.
    place_words: frozenset[str]


class _PreparedAddress:
    """An address made ready for scoring; the costlier parts are computed on first use, as
    most candidate pairs are decided before they are needed."""

    __slots__ = (
        "_beside",
        "_designators",
        "_key_parts",
        "_place_words",
        "_places",
        "beside_locality",
        "district_pin",
        "fallback_locality",
        "name",
        "place",
        "reading",
        "rivals",
        "seg",
        "strict",
    )

    def __init__(
        self, seg: Segments, strict: bool = False, rivals: tuple[tuple[str, ...], ...] = ()
    ) -> None:
        self.seg = seg
        # a re-reading of an address whose segments named no building: only near-exact names
        # with the place confirmed count (see Matcher._evaluate)
        self.strict = strict
        # (strict only) words of the other parts that might name the building instead
        self.rivals = rivals
        self.reading = reading = read_address(seg)
        self.name = name_form(reading.building or "")
        city, pincode = canon_city(reading.city), canon_pincode(seg.pincode)
        known_city = is_known_city(reading.city)
        self.district_pin = False
        if not pincode and (not known_city or seg.pincode):
            # "Mumbai 76", or the city with the district read as a pincode: a PIN code
            district_city, district_pin = postal_district(reading.city, seg.pincode)
            if district_pin:
                city, pincode, known_city = district_city, district_pin, True
                self.district_pin = True
        self.place = _Place(
            city,
            pincode,
            locality_tokens(reading.locality),
            () if known_city else locality_tokens(reading.city),
        )
        # locality words written elsewhere when there is no locality segment to compare
        # (the street and unlabelled parts: segmenters often leave the locality unlabelled)
        self.beside_locality = bool(reading.locality) and reading.locality_beside_building
        self.fallback_locality: frozenset[str] = frozenset()
        self._places: list[str] | None = None
        if not self.place.locality or self.beside_locality:
            self._places = place_parts(seg, reading)
            self.fallback_locality = frozenset(
                t for part in self._places for t in locality_tokens(part)
            )
        self._key_parts: KeyParts | None = None
        self._place_words: frozenset[str] | None = None
        self._designators: frozenset[str] | None = None
        self._beside: tuple[NameForm, NameForm] | None = None

    @property
    def key_parts(self) -> KeyParts:
        if self._key_parts is None:
            self._key_parts = KeyParts.of_address(
                self.seg, self.reading, self.beside_locality, self._places, self.name
            )
        return self._key_parts

    @property
    def place_words(self) -> frozenset[str]:
        """Words of every part of the text outside the building's: its locality, the street,
        unlabelled parts (a parent estate written beside the sub-project is one of them)."""
        if self._place_words is None:
            if self._places is None:
                self._places = place_parts(self.seg, self.reading)
            words = set(self.place.locality) | self.fallback_locality
            for part in self._places:
                words.update(locality_tokens(part))
            words.update(canon_token(t) for t in fold(self.reading.locality or "").split())
            self._place_words = frozenset(words)
        return self._place_words

    @property
    def designators(self) -> frozenset[str]:
        if self._designators is None:
            found = self.name.designators
            if self.seg.unit:
                found = found | unit_designators(self.seg.unit)
            self._designators = found
        return self._designators

    @property
    def beside(self) -> tuple[NameForm, NameForm]:
        """Words written beside the building segment in the same comma-separated part of the
        text (a segmenter may cut "Hallmark Rosedale Grande" short): they can complete the
        registry name, and if they name something else the pair is only worth a review."""
        if self._beside is None:
            span = self.reading.span
            if span:
                left, right, _ = beside_building(self.seg, span)
                self._beside = (name_form(left), name_form(right))
            else:
                self._beside = (_NO_WORDS, _NO_WORDS)
        return self._beside

    def alternates(self) -> list[_PreparedAddress]:
        """Re-readings with another part of the text as the building, when the segments
        name none or only a weak one (see ``blocking.fallback_names``), or with the
        building's whole part when a locality was cut out of it (``merged_segments``)."""
        reading = self.reading
        if reading.source == "building":
            merged = merged_segments(self.seg, reading)
            return [] if merged is None else [_PreparedAddress(merged)]
        names = fallback_names(self.seg, reading)
        words = [locality_tokens(name) for name in names]
        return [
            _PreparedAddress(
                fallback_segments(self.seg, reading, name),
                strict=True,
                rivals=tuple(w for j, w in enumerate(words) if j != i and w),
            )
            for i, name in enumerate(names)
        ]

    @property
    def alt_place(self) -> _Place | None:
        """The place without a locality segment that sits in the building's part of the
        text (it may be a piece of the name)."""
        if self.beside_locality and self.place.locality:
            return self.place._replace(locality=())
        return None


_NO_WORDS = NameForm((), frozenset(), frozenset())


def _prepare_building(ref: BuildingRef) -> _PreparedBuilding:
    place = _Place(canon_city(ref.city), canon_pincode(ref.pincode), locality_tokens(ref.locality))
    city_names = " ".join(CITY_ALIASES.get(place.city, ()))  # "Gurgaon" for Gurugram
    place_words = frozenset(place.locality) | frozenset(
        canon_token(t) for t in fold(f"{ref.locality} {ref.city} {place.city} {city_names}").split()
    )
    names = tuple(name_form(n) for n in (ref.name, *ref.aliases) if name_form(n).core)
    names = names or (name_form(ref.name),)
    brand_ids = frozenset().union(*(n.brands for n in names))
    if ref.brand:
        brand_ids |= name_form(ref.brand).brands or {fold(ref.brand)}
    return _PreparedBuilding(
        ref,
        names[0],
        names,
        brand_ids,
        place,
        frozenset(building_query_keys(ref)),
        place_words,
    )


def _prepare_address(seg: Segments) -> _PreparedAddress:
    return _PreparedAddress(seg)


@lru_cache(maxsize=262144)
def _token_similarity(a: str, b: str) -> float:
    """1 for the same token, less for a transliteration variant or a typo, else 0.

    Typos are an extra or missing letter, two swapped letters, or vowels that differ (which
    metaphone ignores); a different consonant in the same place makes a different word
    (Shakti/Shanti, Pride/Prime, Rada/Rama), as does a different first letter.
    """
    if a == b:
        return 1.0
    if min(len(a), len(b)) < 4 or a[0] != b[0] or not (a.isalpha() and b.isalpha()):
        return 0.0  # also keeps "phase2" from matching "phase3"
    distance = jellyfish.damerau_levenshtein_distance(a, b)
    if distance > 2:
        return 0.0
    if jellyfish.metaphone(a) == jellyfish.metaphone(b):
        return 0.92
    if distance == 1 and (len(a) != len(b) or sorted(a) == sorted(b)):
        return 0.88
    return 0.0


def _split_glued(token: str, vocabulary: Iterable[str]) -> list[str]:
    """Split a glued token on known words at its start and end ("prestigeshantiniketan")."""
    words = sorted((w for w in vocabulary if len(w) >= 2 and w != token), key=len, reverse=True)
    head: list[str] = []
    tail: list[str] = []
    rest = token
    progress = True
    while rest and progress:
        progress = False
        for word in words:
            if rest.startswith(word):
                head.append(word)
                rest = rest[len(word) :]
                progress = True
                break
            if rest.endswith(word):
                tail.insert(0, word)
                rest = rest[: -len(word)]
                progress = True
                break
    if not head and not tail:
        return [token]
    middle = [rest] if len(rest) >= 2 else []
    return head + middle + tail


def _pair_up(
    free_a: list[str], free_b: list[str], names: tuple[NameForm, NameForm] | None = None
) -> tuple[float, int]:
    """Greedy pairing, exact first so a fuzzy pair never steals an exact partner.
    Removes paired tokens from both lists; returns (similarity sum, pairs). With ``names``,
    tokens are also compared as written (folding can add distance: "jaapriya" -> "japriya"
    is two edits from "janapriya", the spelling one)."""
    total, pairs = 0.0, 0
    for b in list(free_b):
        if b in free_a:
            free_a.remove(b)
            free_b.remove(b)
            total += 1.0
            pairs += 1
    if not (free_a and free_b):
        return total, pairs  # nothing left to pair fuzzily
    # compare spellings as written too, unless both names are written as folded
    written = names is not None and (names[0].respelt or names[1].respelt)
    written_a = names[0].raw_of if written else {}
    written_b = names[1].raw_of if written else {}
    similarity = _token_similarity
    for b in list(free_b):
        best, best_sim = None, 0.0
        raw_b = written_b.get(b, b)
        b0 = b[0]
        for a in free_a:
            # different first letters are never similar: skip the (cached) call
            sim = similarity(a, b) if a[0] == b0 else 0.0
            if not sim and written:
                raw_a = written_a.get(a, a)
                if (raw_a != a or raw_b != b) and raw_a[0] == raw_b[0]:
                    sim = similarity(raw_a, raw_b)
            if sim > best_sim:
                best, best_sim = a, sim
        if best is not None:
            free_a.remove(best)
            free_b.remove(b)
            total += best_sim
            pairs += 1
    return total, pairs


def _glued_equal(free_a: list[str], free_b: list[str]) -> bool:
    """What is left on both sides is the same words spaced differently."""
    left_a, left_b = "".join(free_a), "".join(free_b)
    return left_a == left_b or (
        min(len(left_a), len(left_b)) >= 8
        and abs(len(left_a) - len(left_b)) <= 1  # else the distance is > 1: skip computing it
        and jellyfish.damerau_levenshtein_distance(left_a, left_b) <= 1
    )


def _align(a_name: NameForm, b_name: NameForm) -> tuple[float, list[str], list[str], int]:
    """Token alignment of two names. Returns (similarity sum, unmatched address tokens,
    unmatched building tokens, matched pairs)."""
    total, extra, missing, pairs = _aligned(a_name, b_name)
    return total, list(extra), list(missing), pairs


@lru_cache(maxsize=262144)
def _aligned(
    a_name: NameForm, b_name: NameForm
) -> tuple[float, tuple[str, ...], tuple[str, ...], int]:
    """:func:`_align`, cached: many residents of one building write its name alike."""
    total, extra, missing, pairs = _align_names(a_name, b_name)
    return total, tuple(extra), tuple(missing), pairs


def _align_names(a_name: NameForm, b_name: NameForm) -> tuple[float, list[str], list[str], int]:
    if a_name.core == b_name.core:
        return float(len(b_name.core)), [], [], len(b_name.core)
    if a_name.initials.isdisjoint(b_name.initials):
        return 0.0, list(a_name.core), list(b_name.core), 0
    free_a, free_b = list(a_name.core), list(b_name.core)
    total, pairs = _pair_up(free_a, free_b, (a_name, b_name))
    if not (free_a and free_b):
        return total, free_a, free_b, pairs
    if _glued_equal(free_a, free_b):
        return total + 0.95 * len(free_b), [], [], pairs + len(free_b)
    # glued words ("prestigeshantiniketan"): split the spelling as written on the
    # building's words, then fold the pieces
    raw_of = a_name.raw_of
    written = [raw_of.get(token, token) for token in free_a]
    if not any(raw.startswith(b_name.raw) or raw.endswith(b_name.raw) for raw in written):
        return total, free_a, free_b, pairs  # the usual case: glued to no building word
    vocabulary = tuple(r for c, r in zip(b_name.core, b_name.raw, strict=False) if c in free_b)
    glued = [
        len(raw) >= 5 and (raw.startswith(vocabulary) or raw.endswith(vocabulary))
        for raw in written
    ]
    if not any(glued):
        return total, free_a, free_b, pairs
    pieces: list[str] = []
    split_any = False
    for raw, maybe_glued in zip(written, glued, strict=True):
        parts = _split_glued(raw, vocabulary) if maybe_glued else [raw]
        split_any |= len(parts) > 1
        pieces.extend(canon_token(p) for p in parts)
    if split_any:
        more, more_pairs = _pair_up(pieces, free_b)
        free_a = pieces
        total += 0.95 * more
        pairs += more_pairs
    return total, free_a, free_b, pairs


@lru_cache(maxsize=65536)
def _locality_agreement(a: tuple[str, ...] | frozenset[str], b: tuple[str, ...]) -> bool:
    """Localities agree when the discriminating words of one are all in the other."""
    words_a, words_b = list(a), list(b)
    if not words_a or not words_b:
        return False
    joined_a, joined_b = "".join(words_a), "".join(words_b)
    if joined_a == joined_b:
        return True
    shorter, longer = (words_a, words_b) if len(words_a) <= len(words_b) else (words_b, words_a)
    return all(any(_token_similarity(s, t) > 0 for t in longer) for s in shorter)


class Matcher:
    """The registry of quarantined buildings, blocked by key, and the decision rules."""

    def __init__(self, buildings: Iterable[BuildingRef] = (), config: MatchConfig | None = None):
        self.config = config or MatchConfig()
        self._weight_table = {c: dict(self.config.weights.levels.get(c, {})) for c in COMPARISONS}
        self._buildings: dict[str, _PreparedBuilding] = {}
        self._index: ScopedKeyIndex[str] = ScopedKeyIndex()
        # pincode -> (city, locality) of the registry buildings that have it
        self._pin_places: defaultdict[str, Counter[tuple[str, tuple[str, ...]]]] = defaultdict(
            Counter
        )
        # (region, locality words) of the registry buildings: a locality the registry knows
        # is a place of its own; another place word may be a road or sub-locality of it
        self._localities: Counter[tuple[str, tuple[str, ...]]] = Counter()
        for building in buildings:
            self.add(building)

    def add(self, building: BuildingRef) -> None:
        """Add, or replace by ``building_id``."""
        self.remove(building.building_id)
        prepared = _prepare_building(building)
        self._buildings[building.building_id] = prepared
        self._index.put(building.building_id, prepared.keys)
        self._localities[_region_area(prepared.place)] += 1
        if prepared.place.pincode:
            self._pin_places[prepared.place.pincode][_area(prepared.place)] += 1

    def remove(self, building_id: str) -> None:
        prepared = self._buildings.pop(building_id, None)
        self._index.discard(building_id)
        if prepared is not None:
            area = _region_area(prepared.place)
            self._localities[area] -= 1
            if self._localities[area] <= 0:
                del self._localities[area]
        if prepared is not None and prepared.place.pincode:
            places = self._pin_places[prepared.place.pincode]
            places[_area(prepared.place)] -= 1
            if places[_area(prepared.place)] <= 0:
                del places[_area(prepared.place)]
            if not places:
                del self._pin_places[prepared.place.pincode]

    def _implied_place(self, address: _Place, building: _Place) -> _Place:
        """A registry row without a pincode takes the address's pincode when every other
        registry building with that pincode (at least ``implied_pin_support`` of them) is in
        its own city and locality: the pincode then confirms the place as well as a locality
        would."""
        if building.pincode or not address.pincode or not building.locality:
            return building
        places = self._pin_places.get(address.pincode)
        if (
            places
            and len(places) == 1
            and places.get(_area(building), 0) >= self.config.implied_pin_support
        ):
            return building._replace(pincode=address.pincode)
        return building

    def __len__(self) -> int:
        return len(self._buildings)

    def __contains__(self, building_id: object) -> bool:
        return building_id in self._buildings

    def building(self, building_id: str) -> BuildingRef | None:
        prepared = self._buildings.get(building_id)
        return prepared.ref if prepared else None

    def candidates(self, seg: Segments) -> list[BuildingRef]:
        """Registry buildings sharing a blocking key with the address."""
        ids = self._index.lookup(address_keys(seg))
        return [self._buildings[i].ref for i in sorted(ids)]

    def match(self, seg: Segments) -> MatchResult:
        """Best decision over the blocked candidates (``none`` when there is no candidate)."""
        address = _prepare_address(seg)
        readings = [address] if address.reading.building is not None else []
        alternates: list[_PreparedAddress] | None = None
        # per building, its best result over the readings
        results: dict[str, MatchResult] = {}
        buildings = self._buildings
        veto = ""
        seen: dict[int, set[str]] = {}
        # Two tiers of the same recall-first blocking: the buildings that share the address's
        # pincode or a locality it writes first, then every building of its region (city) -
        # asked only when the first tier found no match, so most addresses cost a few pairs.
        for tier in (precise_scopes, address_scopes):
            for i in itertools.count():
                if i == len(readings):
                    if alternates is not None or _any_match(results):
                        break
                    # no building segment, a weak stand-in or a building cut short: other
                    # readings of the text (tried only when the first matches nothing)
                    alternates = address.alternates()
                    readings.extend(alternates)
                    if i == len(readings):
                        break
                reading = readings[i]
                if reading.strict and _any_match(results):
                    break
                parts = reading.key_parts
                done = seen.setdefault(i, set())
                candidates = self._index.lookup_scoped(tier(parts), parts.codes) - done
                done |= candidates
                # sorted: ties and the reason given resolve the same way every run
                for building_id in sorted(candidates):
                    result = self._evaluate(reading, buildings[building_id])
                    if isinstance(result, str):
                        veto = veto or result
                    elif building_id not in results or _lo(result) > _lo(results[building_id]):
                        results[building_id] = result
            if _any_match(results):
                break
        if not readings:
            return MatchResult(Decision.NONE, None, 0.0, {}, "no building in address")
        if not results:
            if not veto:
                return MatchResult(Decision.NONE, None, 0.0, {}, "no candidate building")
            return MatchResult(Decision.NONE, None, 0.0, {}, f"no candidate passed ({veto})")
        best: MatchResult | None = None
        second: MatchResult | None = None
        for building_id in sorted(results):
            result = results[building_id]
            if best is None or _lo(result) > _lo(best):
                best, second = result, best
            elif second is None or _lo(result) > _lo(second):
                second = result
        assert best is not None
        cfg = self.config
        if (
            best.decision is Decision.MATCH
            and second is not None
            and second.score >= cfg.review_threshold
            and _lo(second) >= _lo(best) - cfg.ambiguity_margin
        ):
            return MatchResult(
                Decision.REVIEW,
                best.building_id,
                best.score,
                {**best.features, "runner_up": second.score},
                f"ambiguous: {best.building_id} vs {second.building_id}",
                best.levels,
            )
        return _worded(best)

    def _readings(self, seg: Segments) -> list[_PreparedAddress]:
        address = _prepare_address(seg)
        readings = [address] if address.reading.building is not None else []
        readings.extend(address.alternates())
        return readings

    def blocked(self, seg: Segments) -> set[str]:
        """Ids of the registry buildings blocking offers for the address (every reading)."""
        found: set[str] = set()
        for reading in self._readings(seg):
            parts = reading.key_parts
            found |= self._index.lookup_scoped(address_scopes(parts), parts.codes)
        return found

    def comparisons(self, seg: Segments) -> Iterator[tuple[str, dict[str, str], float]]:
        """(building id, comparison levels, name frequency) of every blocked pair no
        contradiction rules out, per reading and registry name: what the weights are fitted
        on (``bench/matching/fit.py``)."""
        for reading in self._readings(seg):
            parts = reading.key_parts
            for building_id in sorted(
                self._index.lookup_scoped(address_scopes(parts), parts.codes)
            ):
                building = self._buildings[building_id]
                for name in building.names:
                    compared = self.comparison_levels(reading, building, name)
                    if not isinstance(compared, str):
                        yield building_id, compared[0], compared[1]

    def score(self, seg: Segments, building: BuildingRef) -> MatchResult:
        """Score one pair without blocking (but keys must still intersect to decide non-none)."""
        prepared = self._buildings.get(building.building_id)
        if prepared is None or prepared.ref != building:
            prepared = _prepare_building(building)
        return _worded(self._score(_prepare_address(seg), prepared))

    def residents(
        self, building: BuildingRef, addresses: Iterable[tuple[str, Segments]]
    ) -> Iterator[tuple[str, MatchResult]]:
        """Reverse direction: score candidate addresses (e.g. ``ResidentIndex.candidates``)
        against one building; yields ``(address_id, result)`` for match and review only."""
        prepared = self._buildings.get(building.building_id)
        if prepared is None or prepared.ref != building:
            prepared = _prepare_building(building)
        for address_id, seg in addresses:
            result = self._score(_PreparedAddress(seg), prepared)
            if result.decision is not Decision.NONE:
                yield address_id, _worded(result)

    def _score(self, address: _PreparedAddress, building: _PreparedBuilding) -> MatchResult:
        result: MatchResult | str = "no building in address"
        readings = [address] if address.reading.building is not None else []
        readings.extend(address.alternates())
        reading = address
        for candidate in readings:
            other = self._evaluate(candidate, building)
            if isinstance(result, str) or (not isinstance(other, str) and _lo(other) > _lo(result)):
                result, reading = other, candidate
        if isinstance(result, str):
            return MatchResult(Decision.NONE, building.ref.building_id, 0.0, {}, result)
        if result.decision is not Decision.NONE and building.keys.isdisjoint(
            address_keys_of(reading.key_parts)
        ):
            # the promise to the reverse index: no decision without a shared blocking key
            # (match() only ever sees such pairs; a pair scored directly may not be one)
            return MatchResult(
                Decision.NONE,
                building.ref.building_id,
                0.0,
                result.features,
                "no shared blocking key",
            )
        return result

    def _evaluate(
        self, address: _PreparedAddress, building: _PreparedBuilding
    ) -> MatchResult | str:
        """The pair's result over the registry name and its aliases, or just the reason when
        a contradiction makes it ``none`` (cheap path: most blocked candidates stop early)."""
        best: MatchResult | str = "no building name"
        for name in building.names:
            result = self._evaluate_name(address, building, name)
            if isinstance(best, str) or (
                not isinstance(result, str)
                and result.features["log_odds"] > best.features["log_odds"]
            ):
                best = result
        return best

    def comparison_levels(
        self, address: _PreparedAddress, building: _PreparedBuilding, b_name: NameForm
    ) -> tuple[dict[str, str], float] | str:
        """Each comparison's level for the pair and the name's frequency (for the tf
        adjustment), or the contradiction that rules the pair out."""
        cfg = self.config
        a_name = address.name
        if not (a_name.core and b_name.core):
            return "no building name"

        # --- name ------------------------------------------------------------------------
        total, extra_a, missing_b, pairs = _align(a_name, b_name)
        if pairs == 0:
            return "names share no token"
        phase_level = "none"
        extra = [t for t in extra_a if t not in building.place_words]
        if extra and all(t.startswith("phase") for t in extra):
            if any(t.startswith("phase") for t in missing_b):
                return "another phase of the project"
            phase_level = "address_only"  # a phase of the project the registry names whole
        elif extra:
            return "address names a different building (extra name token)"
        # --- location: evidence, not gates (only another city rules a pair out) ----------
        b_place = building.place
        if not b_place.pincode and address.place.pincode:
            b_place = self._implied_place(address.place, b_place)
        pin, city, locality = _location_agreement(
            address.place, address.fallback_locality, b_place, cfg.city_similarity
        )
        if locality == 0.0 and (alt_place := address.alt_place) is not None:
            pin, city, locality = _location_agreement(
                alt_place, address.fallback_locality, b_place, cfg.city_similarity
            )
        if locality == 0.0 and b_place.locality:
            words = address.place_words
            if all(t in words for t in b_place.locality):
                locality = 1.0  # several places written; the registry's is one of them
            elif set(address.place.locality) <= building.place_words:
                locality = 0.5  # the "locality" is the city ("Thane West")
        if pin == 0.0 and address.district_pin:
            pin = 0.5  # "Chennai 103": 600103 or a suburb's 603103
        # a name read from the locality segment or another part of the text: its place
        # confirmed (the pincode or the locality agree) or not is a level of its own
        unconfirmed = pin != 1.0 and locality != 1.0
        # the locality segment read as the building: its own locality confirmed, or the
        # pincode and the developer's brand ("DLF Regal Gardens" in the locality slot)
        locality_source = address.reading.source == "locality" and locality != 1.0
        city_level = "agree" if city == 1.0 else "unknown"
        if city == 0.0:
            if region_of(address.place.city) == region_of(b_place.city) != "":
                city_level = "region"
            elif pin != 1.0:
                return "another city"
        if pin == 1.0:
            pin_level = "agree"
        elif pin == 0.0:
            near = address.place.pincode[:5] == b_place.pincode[:5]  # the next post office
            pin_level = "near" if near else "disagree"
        else:
            pin_level = "unknown"
        locality_level = {1.0: "agree", 0.0: "disagree"}.get(locality, "unknown")
        if (
            locality == 0.0
            and (
                region_of(address.place.city, address.place.pincode),
                address.place.locality,
            )
            not in self._localities
        ):
            locality_level = "other"  # not a locality the registry knows: a road, a suburb

        loose: list[str] = []
        rival = False
        left, right = address.beside
        a_brands = a_name.brands
        if left.brand_only or right.brand_only:
            # "Forest View - Sobha": the developer written beside the name, not another name
            for side in (left, right):
                if side.brand_only:
                    a_brands = a_brands | side.brands
            left = _NO_WORDS if left.brand_only else left
            right = _NO_WORDS if right.brand_only else right
        if left.core or right.core:
            beside = _concat(left, right)
            left_over = list(beside.core)
            if missing_b:
                raw_b = b_name.raw_of
                rest_b = NameForm(
                    tuple(missing_b),
                    frozenset(),
                    frozenset(),
                    tuple(raw_b.get(t, t) for t in missing_b),
                    frozenset(t[0] for t in (*missing_b, *(raw_b.get(t, t) for t in missing_b))),
                )
                more, left_over, missing_b, more_pairs = _align(beside, rest_b)
                if more_pairs:
                    total, pairs = total + more, pairs + more_pairs
            loose = [t for t in left_over if t not in building.place_words]
        if address.strict:
            # a part of the text read as the building: the whole registry name, nothing else
            # beside it, no other kind of building, and not the building's own locality
            if missing_b or loose:
                return "no building segment (a part of the text names only part of it)"
            a_kinds = _strict_kinds(a_name)
            if a_kinds and a_kinds != _strict_kinds(b_name):
                # "Shanti Nagar" is a place; the registry's "Shanti Nagar CHS" is a society
                return "no building segment (a part of the text names another kind of place)"
            if building.place_words.issuperset(a_name.core):
                return "no building segment (a part of the text names the locality)"
            rival = any(not _explained(words, building.place_words) for words in address.rivals)
        if missing_b:
            # "Sobha City Gurgaon": the registry name's own city or locality words
            missing_b = [t for t in missing_b if t not in building.place_words]
        matched = [t for t in b_name.core if t not in missing_b]
        if missing_b:
            # a parent estate written beside its sub-project ("Cosmos, Magarpatta City")
            elsewhere = address.place_words
            name_level = "elsewhere" if all(t in elsewhere for t in missing_b) else "partial"
        else:
            similarity = total / len(b_name.core)
            if similarity >= 0.999:
                name_level = "exact"
            elif similarity >= 0.88:
                name_level = "fuzzy"
            else:
                name_level = "weak"

        # --- brand, tower, kind ------------------------------------------------------------
        b_brands = building.brands
        if a_brands and b_brands:
            brand_level = "agree" if a_brands & b_brands else "conflict"
        elif b_brands:
            brand_level = "address_omits"
        elif a_brands:
            brand_level = "address_only"
        else:
            brand_level = "none"
        tower_level = "none"
        if b_name.designators:
            same_kind = {
                d for d in address.designators if d.split(":")[0] in _kinds(b_name.designators)
            }
            if same_kind and not (same_kind & b_name.designators):
                return "another tower/wing of the complex"
            tower_level = "agree" if address.designators & b_name.designators else "registry_only"
        if _kind_conflict(a_name, b_name):
            kind_level = "conflict"
        elif a_name.generic & b_name.generic:
            kind_level = "same"
        else:
            kind_level = "none"
        source = address.reading.source
        if address.strict:
            source_level = "fallback_rival" if rival else "fallback"
        else:
            source_level = "building" if source == "building" else "other"
        if locality_source and not (pin_level == "agree" and brand_level == "agree"):
            unconfirmed = True
        if source_level != "building" and unconfirmed:
            source_level = "unconfirmed"  # a stand-in name whose place nothing confirms
        levels = {
            "name": name_level,
            "brand": brand_level,
            "pincode": pin_level,
            "locality": locality_level,
            "city": city_level,
            "tower": tower_level,
            "kind": kind_level,
            "phase": phase_level,
            "beside": "words" if loose else "none",
            "source": source_level,
        }
        raw_of = b_name.raw_of
        frequency = _name_frequency(tuple(matched), tuple(raw_of.get(t, t) for t in matched))
        if brand_level == "agree":
            frequency *= BRAND_FREQUENCY  # "Nahar" + "Amrit Shakti": the pair is the value
        return levels, frequency

    def _evaluate_name(
        self, address: _PreparedAddress, building: _PreparedBuilding, b_name: NameForm
    ) -> MatchResult | str:
        compared = self.comparison_levels(address, building, b_name)
        if isinstance(compared, str):
            return compared
        levels, frequency = compared
        cfg = self.config
        weights = cfg.weights
        table = self._weight_table
        features = {c: table[c].get(level, 0.0) for c, level in levels.items()}
        log_odds = weights.prior + sum(features.values())
        features["prior"] = weights.prior
        if levels["name"] in ("exact", "fuzzy", "elsewhere"):
            adjust = tf_adjustment(frequency, weights)
            features["name_frequency"] = adjust
            log_odds += adjust
        features["log_odds"] = log_odds
        score = probability(log_odds)
        if (
            score >= cfg.match_threshold
            and levels["beside"] == "none"
            and levels["source"] not in ("fallback_rival", "unconfirmed")
            and levels["tower"] != "registry_only"  # the registry names one tower of many
        ):
            decision = Decision.MATCH
        elif score >= cfg.review_threshold:
            # (also a match-level pair with words beside the name that may name another
            # building - "Lancor Eastwood | Grande" - or another part that may be the building)
            decision = Decision.REVIEW
        elif (
            cfg.review_partial_names
            and levels["name"] in ("partial", "elsewhere")
            and levels["brand"] != "conflict"
            and levels["source"] == "building"
            and (levels["pincode"] == "agree" or levels["locality"] == "agree")
            and levels["city"] != "region"
        ):
            # "Prestige Habitat" for "Prestige Lakeside Habitat", in its place: a sub-project
            # or a short form - weighed as unlikely, but a person should look
            decision = Decision.REVIEW
        else:
            decision = Decision.NONE
        # the reason is put in words only for the pair that is returned (see _worded)
        return MatchResult(decision, building.ref.building_id, score, features, "", levels)


def _worded(result: MatchResult) -> MatchResult:
    if result.reason or not result.levels:
        return result
    return replace(result, reason=_reason(result.levels, result.features))


def _any_match(results: dict[str, MatchResult]) -> bool:
    return any(r.decision is Decision.MATCH for r in results.values())


def _lo(result: MatchResult) -> float:
    return result.features.get("log_odds", -1e9)


def _reason(levels: dict[str, str], features: dict[str, float]) -> str:
    """The comparisons that weighed most, for and against, in words."""
    items = sorted(
        ((c, w) for c, w in features.items() if c in levels and abs(w) >= 0.5),
        key=lambda cw: -abs(cw[1]),
    )
    return "; ".join(f"{c} {levels[c]} ({w:+.1f})" for c, w in items[:4]) or "no strong evidence"


@lru_cache(maxsize=65536)
def _name_frequency(matched: tuple[str, ...], written: tuple[str, ...]) -> float:
    """How often a building name made of these words occurs (common society words are
    frequent, coined ones rare): the tf adjustment's input."""
    rarest = 1.0
    for token, raw in zip(matched, written, strict=True):
        common = token in COMMON_NAME_WORDS or raw in COMMON_NAME_WORDS
        rarest = min(rarest, COMMON_WORD_FREQUENCY if common else OTHER_WORD_FREQUENCY)
    # the rarest word says most; each further word halves how often the name occurs (words
    # of one name are far from independent: "Shanti" goes with "Sagar")
    return rarest * 0.5 ** max(len(matched) - 1, 0)


@lru_cache(maxsize=65536)
def _location_agreement(
    a: _Place, fallback: frozenset[str], b: _Place, city_similarity: float
) -> tuple[float, float, float]:
    """(pincode, city, locality) agreement: 1 agree, 0 disagree, 0.5 unknown."""
    pin = _agreement(a.pincode, b.pincode)
    city = _agreement(a.city, b.city)
    if city == 0.0 and jellyfish.jaro_winkler_similarity(a.city, b.city) >= city_similarity:
        city = 1.0  # a typo ("Banglore") that the alias table does not know
    if city == 0.0 and a.unknown_city:
        city = 0.5  # not a city we know: maybe a locality in the city slot ("Gachibowli")
    if a.locality:
        locality = 1.0 if _locality_agreement(a.locality, b.locality) else 0.0
        if not b.locality:
            locality = 0.5
    elif fallback and any(t.isalpha() for t in b.locality):
        # no locality segment: the building's locality written in another part counts (not a
        # bare number: "Sector 56" is not confirmed by a stray "56")
        locality = 1.0 if _locality_agreement(b.locality, fallback) else 0.5
    else:
        locality = 0.5
    if locality == 0.5 and a.unknown_city and b.locality:
        locality = 1.0 if _locality_agreement(b.locality, a.unknown_city) else 0.5
    return pin, city, locality


def _string_similarities(a: str, b: str) -> tuple[float, float, float]:
    """Jaro-Winkler, Damerau-Levenshtein similarity and metaphone agreement (Jaro-Winkler of
    the codes: immune to spacing and vowel typos) of two glued names."""
    if a == b:
        return 1.0, 1.0, 1.0
    jw = jellyfish.jaro_winkler_similarity(a, b)
    dl = 1.0 - jellyfish.damerau_levenshtein_distance(a, b) / max(len(a), len(b))
    phonetic = jellyfish.jaro_winkler_similarity(_phonetic(a), _phonetic(b))
    return jw, max(dl, 0.0), phonetic


def _concat(a: NameForm, b: NameForm) -> NameForm:
    if not a.core:
        return b
    if not b.core:
        return a
    return NameForm(
        a.core + b.core,
        a.generic | b.generic,
        a.designators | b.designators,
        a.raw + b.raw,
        a.initials | b.initials,
    )


def _explained(words: tuple[str, ...], place_words: frozenset[str]) -> bool:
    """Every word is (a spelling of) a word of the building's locality or city."""
    return all(w in place_words or any(_token_similarity(w, p) for p in place_words) for w in words)


def _region_area(place: _Place) -> tuple[str, tuple[str, ...]]:
    return region_of(place.city, place.pincode), place.locality


def _area(place: _Place) -> tuple[str, tuple[str, ...]]:
    return place.city, place.locality


def _kind_conflict(a: NameForm, b: NameForm) -> bool:
    """Both names carry a kind word and they differ ("Shanti Nagar" / "Shanti CHS")."""
    a_kinds = a.generic - _SOFT_GENERIC
    b_kinds = b.generic - _SOFT_GENERIC
    return bool(a_kinds and b_kinds and not (a_kinds & b_kinds))


# Kind words that do not say whether a name is a place or a building.
_UNIT_GENERIC = UNIT_KINDS


def _strict_kinds(name: NameForm) -> frozenset[str]:
    return frozenset("chs" if k == "society" else k for k in name.generic - _UNIT_GENERIC)


def _agreement(a: str, b: str) -> float:
    if not a or not b:
        return 0.5
    return 1.0 if a == b else 0.0


def _kinds(designators: frozenset[str]) -> set[str]:
    return {d.split(":")[0] for d in designators}


@lru_cache(maxsize=65536)
def _phonetic(token: str) -> str:
    return jellyfish.metaphone(token) if token.isalpha() else token  # metaphone needs letters
