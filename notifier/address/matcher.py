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
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache

import jellyfish

from notifier.address.blocking import (
    ScopedKeyIndex,
    address_keys,
    address_keys_of,
    address_scopes,
    merged_segments,
    precise_scopes,
    read_address,
)
from notifier.address.brand_words import scattered_brand, unglued_name
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
    name_form,
    region_of,
)
from notifier.address.prepared import (
    NO_WORDS,
    BuildingRef,
    Place,
    PreparedAddress,
    PreparedBuilding,
    prepare_address,
    prepare_building,
)
from notifier.address.screening import ResidentScreen
from notifier.address.segments import Segments
from notifier.address.similarity import (
    align as _align,
)
from notifier.address.similarity import (
    concat as _concat,
)
from notifier.address.similarity import (
    explained as _explained,
)
from notifier.address.similarity import (
    locality_agreement as _locality_agreement,
)
from notifier.address.text_city import with_text_city
from notifier.address.text_evidence import text_parts
from notifier.address.vocabulary import (
    COMMON_NAME_WORDS,
    ROAD_WORDS,
    SOFT_KINDS,
    UNIT_KINDS,
    words_pattern,
)


class Decision(StrEnum):
    MATCH = "match"
    REVIEW = "review"
    NONE = "none"


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


# Kind words that say nothing about a building's identity when they differ.
_SOFT_GENERIC = SOFT_KINDS


class Matcher:
    """The registry of quarantined buildings, blocked by key, and the decision rules."""

    def __init__(self, buildings: Iterable[BuildingRef] = (), config: MatchConfig | None = None):
        self.config = config or MatchConfig()
        self._weight_table = {c: dict(self.config.weights.levels.get(c, {})) for c in COMPARISONS}
        self._buildings: dict[str, PreparedBuilding] = {}
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
        prepared = prepare_building(building)
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

    def _implied_place(self, address: Place, building: Place) -> Place:
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
        """Best decision over the blocked candidates (``none`` when there is no candidate);
        with the city read from the raw text (see text_city) when the segments give no match."""
        result = self._match(seg)
        if result.decision is Decision.MATCH:
            return result
        alt = with_text_city(seg)
        return result if alt is seg else _better(result, self._match(alt))

    def _match(self, seg: Segments) -> MatchResult:
        address = prepare_address(seg)
        readings = [address] if address.reading.building is not None else []
        stage = 0  # 1: the alternates were added, 2: the text readings too
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
                while i == len(readings) and stage < 2 and not _any_match(results):
                    # no building segment, a weak stand-in or a building cut short: other
                    # readings of the text (tried only when the first matches nothing), then
                    # each part of the raw text whatever the segmenter labelled it
                    readings.extend(address.alternates() if stage == 0 else address.text_readings())
                    stage += 1
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

    def _readings(self, seg: Segments) -> list[PreparedAddress]:
        readings = self._seg_readings(seg)
        alt = with_text_city(seg)
        return readings if alt is seg else readings + self._seg_readings(alt)

    def _seg_readings(self, seg: Segments) -> list[PreparedAddress]:
        address = prepare_address(seg)
        readings = [address] if address.reading.building is not None else []
        readings.extend(address.alternates())
        readings.extend(address.text_readings())
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
        """Score one pair without blocking (but keys must still intersect to decide non-none);
        with the city read from the raw text when the segments do not match (as ``match``)."""
        result = self._score_pair(seg, building)
        if result.decision is Decision.MATCH:
            return result
        alt = with_text_city(seg)
        return result if alt is seg else _better(result, self._score_pair(alt, building))

    def _score_pair(self, seg: Segments, building: BuildingRef) -> MatchResult:
        prepared = self._buildings.get(building.building_id)
        if prepared is None or prepared.ref != building:
            prepared = prepare_building(building)
        # the reverse direction scores thousands of candidates that share only a name code:
        # most are ruled out by their names alone, before the address is read any further
        reading = read_address(seg)
        if reading.source == "building" and len(prepared.names) == 1:
            a_name = name_form(reading.building or "")
            if not a_name.brands and prepared.brands and reading.building:
                a_name = unglued_name(reading.building, prepared.brands) or a_name
            veto = _name_veto(a_name, prepared.names[0], prepared)
            if (
                veto is not None
                and merged_segments(seg, reading) is None
                and not text_parts(seg, reading.building, reading.city)
            ):
                # (no other reading of the text could name the building either)
                return MatchResult(Decision.NONE, building.building_id, 0.0, {}, veto)
        return _worded(self._score(prepare_address(seg), prepared))

    def residents(
        self, building: BuildingRef, addresses: Iterable[tuple[str, Segments]]
    ) -> Iterator[tuple[str, MatchResult]]:
        """Reverse direction: score candidate addresses (e.g. ``ResidentIndex.candidates``)
        against one building; yields ``(address_id, result)`` for match and review only."""
        prepared = self._buildings.get(building.building_id)
        if prepared is None or prepared.ref != building:
            prepared = prepare_building(building)
        screen = ResidentScreen(prepared, _name_veto)
        for address_id, seg in addresses:
            if not screen.may_reside(seg):
                continue  # decided none by the names alone
            result = self._score(PreparedAddress(seg), prepared)
            if result.decision is not Decision.MATCH and (alt := with_text_city(seg)) is not seg:
                result = _better(result, self._score(PreparedAddress(alt), prepared))
            if result.decision is not Decision.NONE:
                yield address_id, _worded(result)

    def resident_screen(self, building: BuildingRef) -> ResidentScreen:
        """The reverse direction's exact first pass for ``building``: its ``may_reside(seg)``
        is False only for addresses ``score(seg, building)`` decides ``none`` for."""
        prepared = self._buildings.get(building.building_id)
        if prepared is None or prepared.ref != building:
            prepared = prepare_building(building)
        return ResidentScreen(prepared, _name_veto)

    def _score(self, address: PreparedAddress, building: PreparedBuilding) -> MatchResult:
        result: MatchResult | str = "no building in address"
        readings = [address] if address.reading.building is not None else []
        readings.extend(address.alternates())
        readings.extend(address.text_readings())
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

    def _evaluate(self, address: PreparedAddress, building: PreparedBuilding) -> MatchResult | str:
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
        self, address: PreparedAddress, building: PreparedBuilding, b_name: NameForm
    ) -> tuple[dict[str, str], float] | str:
        """Each comparison's level for the pair and the name's frequency (for the tf
        adjustment), or the contradiction that rules the pair out."""
        cfg = self.config
        a_name = address.name
        if not a_name.brands and building.brands and address.reading.building:
            # "rohanpalmgrove": the candidate's brand glued to its name
            a_name = unglued_name(address.reading.building, building.brands) or a_name
        if not (a_name.core and b_name.core):
            return "no building name"

        # --- name ------------------------------------------------------------------------
        total, extra_a, missing_b, pairs = _align(a_name, b_name)
        if pairs == 0:
            return "names share no token"
        phase_level = "none"
        extra = [t for t in extra_a if t not in building.place_words]
        brand_apart = scattered_brand(extra, a_name.brands, building.brands)
        if brand_apart:
            extra = []  # the developer's words, written apart or in another order
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
        if locality == 0.5 and b_place.locality in address.fallback_areas:
            locality = 1.0  # "Sector 90" written as a part of its own
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
        elif locality == 0.0 and _is_road(address.reading.locality):
            # a road the registry also knows as a locality ("Ghodbunder Road"), written for
            # another one: the building may stand on it, or it is another place
            locality_level = "road"

        loose: list[str] = []
        rival = False
        left, right = address.beside
        a_brands = building.brands if brand_apart else a_name.brands
        if left.brand_only or right.brand_only:
            # "Forest View - Sobha": the developer written beside the name, not another name
            for side in (left, right):
                if side.brand_only:
                    a_brands = a_brands | side.brands
            left = NO_WORDS if left.brand_only else left
            right = NO_WORDS if right.brand_only else right
        if left.core or right.core:
            beside = _concat(left, right)
            left_over = beside.core
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
            missing_b = tuple(t for t in missing_b if t not in building.place_words)
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
        if brand_level == "conflict" and (address.strict or address.text_part is not None):
            # a part read as the building (a stand-in or a part of the raw text) must be the
            # whole registry name: another developer's name in it is another building
            # ("M3M Aurora" / "Casagrand Aurora")
            return "no building segment (a part of the text names another developer's building)"
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
        text_part = address.text_part
        if address.strict:
            source_level = "fallback_rival" if rival else "fallback"
        elif text_part is not None:
            source_level = "text"
            if any(not _explained(words, building.place_words) for words in text_part.rivals):
                source_level = "text_rival"
            # a part the segmenter labelled a place: as strict as the locality read as the
            # building (its place confirmed, or the pincode and the brand)
            locality_source = text_part.place_labelled and locality != 1.0
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
        self, address: PreparedAddress, building: PreparedBuilding, b_name: NameForm
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
            # (a stand-in name whose place nothing confirms is weighed by the fit, source
            # unconfirmed, not held back: its learned weight already keeps most at review)
            and levels["source"] not in ("fallback_rival", "text_rival")
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


_DECISION_RANK = {Decision.NONE: 0, Decision.REVIEW: 1, Decision.MATCH: 2}


def _better(first: MatchResult, second: MatchResult) -> MatchResult:
    """The stronger decision of two readings of one address (the first on a tie)."""
    return second if _DECISION_RANK[second.decision] > _DECISION_RANK[first.decision] else first


def _name_veto(a_name: NameForm, b_name: NameForm, building: PreparedBuilding) -> str | None:
    """The reason the names alone rule a pair out, as ``comparison_levels`` finds it."""
    if not (a_name.core and b_name.core):
        return "no building name"
    _, extra_a, missing_b, pairs = _align(a_name, b_name)
    if pairs == 0:
        return "names share no token"
    extra = [t for t in extra_a if t not in building.place_words]
    if scattered_brand(extra, a_name.brands, building.brands):
        return None
    if extra and all(t.startswith("phase") for t in extra):
        if any(t.startswith("phase") for t in missing_b):
            return "another phase of the project"
        return None
    return "address names a different building (extra name token)" if extra else None


def _worded(result: MatchResult) -> MatchResult:
    if result.reason or not result.levels:
        return result
    # built directly: dataclasses.replace() costs more than the rest of this
    return MatchResult(
        result.decision,
        result.building_id,
        result.score,
        result.features,
        _reason(result.levels, result.features),
        result.levels,
    )


def _any_match(results: dict[str, MatchResult]) -> bool:
    return any(r.decision is Decision.MATCH for r in results.values())


def _lo(result: MatchResult) -> float:
    return result.features.get("log_odds", -1e9)


def _reason(levels: dict[str, str], features: dict[str, float]) -> str:
    """The comparisons that weighed most, for and against, in words."""
    # list comprehensions, not generators: this runs for every returned result
    items = [(c, w) for c, w in features.items() if c in levels and abs(w) >= 0.5]
    items.sort(key=_weight_size, reverse=True)  # stable, as sorted() on -abs(w) was
    return "; ".join([f"{c} {levels[c]} ({w:+.1f})" for c, w in items[:4]]) or "no strong evidence"


def _weight_size(item: tuple[str, float]) -> float:
    return abs(item[1])


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
    a: Place, fallback: frozenset[str], b: Place, city_similarity: float
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


def _region_area(place: Place) -> tuple[str, tuple[str, ...]]:
    return region_of(place.city, place.pincode), place.locality


def _area(place: Place) -> tuple[str, tuple[str, ...]]:
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


_ROAD_RE = re.compile(words_pattern(ROAD_WORDS), re.IGNORECASE)


@lru_cache(maxsize=65536)
def _is_road(locality: str | None) -> bool:
    return bool(locality) and bool(_ROAD_RE.search(locality or ""))


def _kinds(designators: frozenset[str]) -> set[str]:
    return {d.split(":")[0] for d in designators}
