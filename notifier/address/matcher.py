"""Decide whether a segmented address is inside a quarantined building.

Precision first: telling a stranger their building is quarantined is the worse error, so

- the building is read from the ``building`` segment, never from ``landmark`` ("near Prestige
  Shantiniketan" is where the customer is *not*); common segmenter slips are allowed for (see
  ``readings.read_address``): a name cut short (words beside it in the same comma-separated
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

Within those rules each pair's comparisons (``comparisons.py``) are weighed by the fitted
Fellegi-Sunter weights (``linkage.py``); the result and its thresholds are in ``decisions.py``.
This module holds the registry, its blocking index and the choice between candidates, in both
directions. No I/O here.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator

from notifier.address.blocking import address_keys, address_keys_of, address_scopes, precise_scopes
from notifier.address.brand_words import unglued_name
from notifier.address.comparisons import PairComparison, name_veto, place_area, region_area
from notifier.address.decisions import (
    Decision,
    MatchConfig,
    MatchResult,
    better,
    logit,
    worded,
)
from notifier.address.key_index import ScopedKeyIndex
from notifier.address.linkage import (
    COMPARISONS,
)
from notifier.address.normalize import (
    name_form,
)
from notifier.address.prepared import (
    BuildingRef,
    PreparedAddress,
    PreparedBuilding,
    prepare_address,
    prepare_building,
)
from notifier.address.readings import merged_segments, read_address
from notifier.address.screening import ResidentScreen
from notifier.address.segments import Segments
from notifier.address.text_city import with_text_city
from notifier.address.text_evidence import text_parts

__all__ = ["BuildingRef", "Decision", "MatchConfig", "MatchResult", "Matcher"]


class Matcher(PairComparison):
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
        self._localities[region_area(prepared.place)] += 1
        if prepared.place.pincode:
            self._pin_places[prepared.place.pincode][place_area(prepared.place)] += 1

    def remove(self, building_id: str) -> None:
        prepared = self._buildings.pop(building_id, None)
        self._index.discard(building_id)
        if prepared is not None:
            area = region_area(prepared.place)
            self._localities[area] -= 1
            if self._localities[area] <= 0:
                del self._localities[area]
        if prepared is not None and prepared.place.pincode:
            places = self._pin_places[prepared.place.pincode]
            places[place_area(prepared.place)] -= 1
            if places[place_area(prepared.place)] <= 0:
                del places[place_area(prepared.place)]
            if not places:
                del self._pin_places[prepared.place.pincode]

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
        return result if alt is seg else better(result, self._match(alt))

    def _match(self, seg: Segments) -> MatchResult:
        address = prepare_address(seg)
        readings = [address] if address.reading.building is not None else []
        stage = 0  # 1: the alternates were added, 2: the text readings too
        # per building, its best result over the readings
        results: dict[str, MatchResult] = {}
        # per building, the log-odds of its result, and how many of the results are matches
        # (what any_match(results) says, kept up to date instead of scanned for per reading)
        odds: dict[str, float] = {}
        matches = 0
        buildings = self._buildings
        evaluate = self._evaluate
        lookup_scoped = self._index.lookup_scoped
        match_decision = Decision.MATCH
        veto = ""
        seen: dict[int, set[str]] = {}
        # Two tiers of the same recall-first blocking: the buildings that share the address's
        # pincode or a locality it writes first, then every building of its region (city) -
        # asked only when the first tier found no match, so most addresses cost a few pairs.
        for tier in (precise_scopes, address_scopes):
            for i in itertools.count():
                while i == len(readings) and stage < 2 and not matches:
                    # no building segment, a weak stand-in or a building cut short: other
                    # readings of the text (tried only when the first matches nothing), then
                    # each part of the raw text whatever the segmenter labelled it
                    readings.extend(address.alternates() if stage == 0 else address.text_readings())
                    stage += 1
                if i == len(readings):
                    break
                reading = readings[i]
                if reading.strict and matches:
                    break
                parts = reading.key_parts
                done = seen.setdefault(i, set())
                candidates = lookup_scoped(tier(parts), parts.codes) - done
                done |= candidates
                # sorted: ties and the reason given resolve the same way every run
                for building_id in sorted(candidates):
                    result = evaluate(reading, buildings[building_id])
                    if isinstance(result, str):
                        veto = veto or result
                        continue
                    log_odds = result.features["log_odds"]
                    old = results.get(building_id)
                    if old is None or log_odds > odds[building_id]:
                        if old is not None and old.decision is match_decision:
                            matches -= 1
                        if result.decision is match_decision:
                            matches += 1
                        results[building_id] = result
                        odds[building_id] = log_odds
            if matches:
                break
        if not readings:
            return MatchResult(Decision.NONE, None, 0.0, {}, "no building in address")
        if not results:
            if not veto:
                return MatchResult(Decision.NONE, None, 0.0, {}, "no candidate building")
            return MatchResult(Decision.NONE, None, 0.0, {}, f"no candidate passed ({veto})")
        best: MatchResult | None = None
        second: MatchResult | None = None
        best_odds = second_odds = 0.0
        for building_id in sorted(results):
            result, log_odds = results[building_id], odds[building_id]
            if best is None or log_odds > best_odds:
                best, second, best_odds, second_odds = result, best, log_odds, best_odds
            elif second is None or log_odds > second_odds:
                second, second_odds = result, log_odds
        assert best is not None
        cfg = self.config
        if (
            best.decision is Decision.MATCH
            and second is not None
            and second.score >= cfg.review_threshold
            and logit(second) >= logit(best) - cfg.ambiguity_margin
        ):
            return MatchResult(
                Decision.REVIEW,
                best.building_id,
                best.score,
                {**best.features, "runner_up": second.score},
                f"ambiguous: {best.building_id} vs {second.building_id}",
                best.levels,
            )
        return worded(best)

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
        return result if alt is seg else better(result, self._score_pair(alt, building))

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
            veto = name_veto(a_name, prepared.names[0], prepared)
            if (
                veto is not None
                and merged_segments(seg, reading) is None
                and not text_parts(seg, reading.building, reading.city)
            ):
                # (no other reading of the text could name the building either)
                return MatchResult(Decision.NONE, building.building_id, 0.0, {}, veto)
        return worded(self._score(prepare_address(seg), prepared))

    def residents(
        self, building: BuildingRef, addresses: Iterable[tuple[str, Segments]]
    ) -> Iterator[tuple[str, MatchResult]]:
        """Reverse direction: score candidate addresses (e.g. ``ResidentIndex.candidates``)
        against one building; yields ``(address_id, result)`` for match and review only."""
        prepared = self._buildings.get(building.building_id)
        if prepared is None or prepared.ref != building:
            prepared = prepare_building(building)
        screen = ResidentScreen(prepared, name_veto)
        for address_id, seg in addresses:
            if not screen.may_reside(seg):
                continue  # decided none by the names alone
            result = self._score(PreparedAddress(seg), prepared)
            if result.decision is not Decision.MATCH and (alt := with_text_city(seg)) is not seg:
                result = better(result, self._score(PreparedAddress(alt), prepared))
            if result.decision is not Decision.NONE:
                yield address_id, worded(result)

    def resident_screen(self, building: BuildingRef) -> ResidentScreen:
        """The reverse direction's exact first pass for ``building``: its ``may_reside(seg)``
        is False only for addresses ``score(seg, building)`` decides ``none`` for."""
        prepared = self._buildings.get(building.building_id)
        if prepared is None or prepared.ref != building:
            prepared = prepare_building(building)
        return ResidentScreen(prepared, name_veto)

    def _score(self, address: PreparedAddress, building: PreparedBuilding) -> MatchResult:
        result: MatchResult | str = "no building in address"
        readings = [address] if address.reading.building is not None else []
        readings.extend(address.alternates())
        readings.extend(address.text_readings())
        reading = address
        for candidate in readings:
            other = self._evaluate(candidate, building)
            if isinstance(result, str) or (
                not isinstance(other, str) and logit(other) > logit(result)
            ):
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
        names = building.names
        if len(names) == 1:  # most buildings: no alias
            return self._evaluate_name(address, building, names[0])
        best: MatchResult | str = "no building name"
        for name in names:
            result = self._evaluate_name(address, building, name)
            if isinstance(best, str) or (
                not isinstance(result, str)
                and result.features["log_odds"] > best.features["log_odds"]
            ):
                best = result
        return best
