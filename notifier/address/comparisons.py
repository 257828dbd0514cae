"""The comparisons of one (address reading, registry building) pair: each comparison's level
(name, brand, pincode, locality, city, tower, kind, phase, words beside the name, where the name
was read from) and the contradictions that rule a pair out, as :class:`PairComparison`, the
part of :class:`~notifier.address.matcher.Matcher` that looks at a single pair (the matcher
adds the registry, blocking and the choice between candidates)."""

from __future__ import annotations

from collections import Counter, defaultdict
from functools import lru_cache

import jellyfish

from notifier.address.brand_words import scattered_brand, unglued_name
from notifier.address.decisions import (
    Decision,
    MatchConfig,
    MatchResult,
)
from notifier.address.linkage import (
    BRAND_FREQUENCY,
    COMMON_WORD_FREQUENCY,
    OTHER_WORD_FREQUENCY,
    probability,
    tf_adjustment,
)
from notifier.address.normalize import (
    NameForm,
    acronym_of,
    region_of,
)
from notifier.address.prepared import (
    NO_WORDS,
    Place,
    PreparedAddress,
    PreparedBuilding,
)
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
from notifier.address.vocabulary import (
    COMMON_NAME_WORDS,
    ROAD_WORD_RE,
    SOFT_KINDS,
    UNIT_KINDS,
)

__all__ = [
    "PairComparison",
    "inner_omission",
    "is_acronym",
    "name_veto",
    "place_area",
    "region_area",
]


class PairComparison:
    """Levels and weights of one pair; needs the registry-wide facts the matcher keeps."""

    config: MatchConfig
    _weight_table: dict[str, dict[str, float]]
    # pincode -> (city, locality) of the registry buildings that have it
    _pin_places: defaultdict[str, Counter[tuple[str, tuple[str, ...]]]]
    # (region, locality words) of the registry buildings
    _localities: Counter[tuple[str, tuple[str, ...]]]

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
            and places.get(place_area(building), 0) >= self.config.implied_pin_support
        ):
            return building._replace(pincode=address.pincode)
        return building

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
        acronym = pairs == 0 and is_acronym(a_name, b_name)
        if acronym:
            extra_a, missing_b = (), ()  # "ITQE" for "In That Quiet Earth"
        elif pairs == 0:
            return "names share no token"
        phase_level = "none"
        extra = [t for t in extra_a if t not in building.place_words]
        brand_apart = bool(extra) and scattered_brand(extra, a_name.brands, building.brands)
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
        locality_level = _LOCALITY_LEVELS.get(locality, "unknown")
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
        elif locality_level == "disagree" and pin_level == "agree":
            # another locality the registry knows, but the building's own pincode: a
            # neighbouring suburb written for the registry's (the pincode spans both)
            locality_level = "neighbour"

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
            if all(t in elsewhere for t in missing_b):
                name_level = "elsewhere"
            elif inner_omission(b_name.core, missing_b, bool(a_brands & building.brands)):
                # a middle word left out ("Sai Tulip" for "Sai Ganga Tulip"); after the brand
                # ("Prestige Habitat" for "Prestige Lakeside Habitat") the one name word left
                # may be another of the developer's projects: a level of its own, held at review
                name_level = "brand_inner" if b_name.core[0] in missing_b else "inner"
            else:
                name_level = "partial"
        elif acronym:
            name_level = "acronym"
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
        frequency = _name_frequency(tuple(matched), tuple([raw_of.get(t, t) for t in matched]))
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
            and levels["name"] != "brand_inner"
        ):
            decision = Decision.MATCH
        elif score >= cfg.review_threshold:
            # (also a match-level pair with words beside the name that may name another
            # building - "Lancor Eastwood | Grande" - or another part that may be the building)
            decision = Decision.REVIEW
        elif (
            cfg.review_partial_names
            and levels["name"] in ("partial", "inner", "brand_inner", "elsewhere")
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
        # the reason is put in words only for the pair that is returned (see worded)
        return MatchResult(decision, building.ref.building_id, score, features, "", levels)


_LOCALITY_LEVELS = {1.0: "agree", 0.0: "disagree"}


# Kind words that say nothing about a building's identity when they differ.
_SOFT_GENERIC = SOFT_KINDS


def name_veto(a_name: NameForm, b_name: NameForm, building: PreparedBuilding) -> str | None:
    """The reason the names alone rule a pair out, as ``comparison_levels`` finds it."""
    if not (a_name.core and b_name.core):
        return "no building name"
    _, extra_a, missing_b, pairs = _align(a_name, b_name)
    if pairs == 0:
        return None if is_acronym(a_name, b_name) else "names share no token"
    extra = [t for t in extra_a if t not in building.place_words]
    if scattered_brand(extra, a_name.brands, building.brands):
        return None
    if extra and all(t.startswith("phase") for t in extra):
        if any(t.startswith("phase") for t in missing_b):
            return "another phase of the project"
        return None
    return "address names a different building (extra name token)" if extra else None


def is_acronym(a_name: NameForm, b_name: NameForm) -> bool:
    """The address names the building by its initials alone."""
    return len(a_name.raw) == 1 and a_name.raw[0] == acronym_of(b_name)


def inner_omission(core: tuple[str, ...], missing: tuple[str, ...], brand_agrees: bool) -> bool:
    """The address keeps the registry name's first and last distinctive words and leaves out
    one word between them ("SMR Iconia" for "SMR Vinay Iconia", the agreeing brand being the
    first word): a short form more often than another building, unlike a name cut at its end
    ("Palm Meadows" for the sub-project "Palm Meadows Magnolia")."""
    if len(missing) != 1 or len(core) < 2 or core[-1] in missing:
        return False
    if core[0] in missing:
        # the first core word left out: only when the brand the address writes comes first
        return brand_agrees
    return len(core) >= 3


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


def region_area(place: Place) -> tuple[str, tuple[str, ...]]:
    return region_of(place.city, place.pincode), place.locality


def place_area(place: Place) -> tuple[str, tuple[str, ...]]:
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


@lru_cache(maxsize=65536)
def _is_road(locality: str | None) -> bool:
    return bool(locality) and bool(ROAD_WORD_RE.search(locality or ""))


def _kinds(designators: frozenset[str]) -> set[str]:
    return {d.split(":")[0] for d in designators}
