"""Addresses and registry buildings made ready for comparison.

The matcher compares one address with many buildings and one building with many addresses, so
each side is read once (its building name as a NameForm, its canonical place, the words of its
other parts) and the costlier parts are computed on first use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from notifier.address.blocking import KeyParts, building_query_keys
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
)
from notifier.address.normalize import (
    designators as unit_designators,
)
from notifier.address.readings import (
    beside_building,
    fallback_names,
    fallback_segments,
    merged_segments,
    place_parts,
    read_address,
)
from notifier.address.segments import Segments
from notifier.address.text_evidence import TextPart, text_parts, text_segments
from notifier.address.vocabulary import CITY_ALIASES


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


class Place(NamedTuple):  # a tuple: hashed often as a cache key
    city: str
    pincode: str
    locality: tuple[str, ...]
    # an address city the alias table does not know, as locality words ("Gachibowli")
    unknown_city: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PreparedBuilding:
    ref: BuildingRef
    name: NameForm
    # the registry name and its aliases
    names: tuple[NameForm, ...]
    brands: frozenset[str]
    place: Place
    keys: frozenset[str]
    # Words of the locality and city: an address building segment that swallowed them
    # ("Prestige Shantiniketan Whitefield") has not named another building.
    place_words: frozenset[str]


class PreparedAddress:
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
        "fallback_areas",
        "fallback_locality",
        "name",
        "place",
        "reading",
        "rivals",
        "seg",
        "strict",
        "text_part",
    )

    def __init__(
        self,
        seg: Segments,
        strict: bool = False,
        rivals: tuple[tuple[str, ...], ...] = (),
        text_part: TextPart | None = None,
    ) -> None:
        self.seg = seg
        # a re-reading with a part of the raw text as the building, whatever the segmenter
        # labelled it (see text_evidence): scored as source "text"
        self.text_part = text_part
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
        self.place = Place(
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
        # parts that are a whole locality with its place word ("Sector 90": its locality
        # tokens are a bare number, which a stray number elsewhere must not confirm)
        self.fallback_areas: frozenset[tuple[str, ...]] = (
            frozenset(
                locality_tokens(part)
                for part in self._places
                if not all(t.isalpha() for t in locality_tokens(part)) and _HAS_WORD_RE.search(part)
            )
            if self._places
            else _NO_AREAS
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
                self._beside = (NO_WORDS, NO_WORDS)
        return self._beside

    def alternates(self) -> list[PreparedAddress]:
        """Re-readings with another part of the text as the building, when the segments
        name none or only a weak one (see ``readings.fallback_names``), or with the
        building's whole part when a locality was cut out of it (``merged_segments``)."""
        reading = self.reading
        if reading.source == "building":
            merged = merged_segments(self.seg, reading)
            return [] if merged is None else [PreparedAddress(merged)]
        names = fallback_names(self.seg, reading)
        words = [locality_tokens(name) for name in names]
        return [
            PreparedAddress(
                fallback_segments(self.seg, reading, name),
                strict=True,
                rivals=tuple(w for j, w in enumerate(words) if j != i and w),
            )
            for i, name in enumerate(names)
        ]

    def text_readings(self) -> list[PreparedAddress]:
        """Re-readings with each part of the raw text as the building (see
        ``text_evidence``): the segmenter may have cut or mislabelled the name."""
        reading = self.reading
        parts = text_parts(
            self.seg, reading.building, reading.city, reading.source in ("building", "chunk")
        )
        return [
            PreparedAddress(text_segments(self.seg, reading.city, part.text), text_part=part)
            for part in parts
        ]

    @property
    def alt_place(self) -> Place | None:
        """The place without a locality segment that sits in the building's part of the
        text (it may be a piece of the name)."""
        if self.beside_locality and self.place.locality:
            return self.place._replace(locality=())
        return None


NO_WORDS = NameForm((), frozenset(), frozenset())
_NO_AREAS: frozenset[tuple[str, ...]] = frozenset()
_HAS_WORD_RE = re.compile(r"[^\W\d_]{2,}")


def prepare_building(ref: BuildingRef) -> PreparedBuilding:
    place = Place(canon_city(ref.city), canon_pincode(ref.pincode), locality_tokens(ref.locality))
    city_names = " ".join(CITY_ALIASES.get(place.city, ()))  # "Gurgaon" for Gurugram
    place_words = frozenset(place.locality) | frozenset(
        canon_token(t) for t in fold(f"{ref.locality} {ref.city} {place.city} {city_names}").split()
    )
    names = tuple(name_form(n) for n in (ref.name, *ref.aliases) if name_form(n).core)
    names = names or (name_form(ref.name),)
    brand_ids = frozenset().union(*(n.brands for n in names))
    if ref.brand:
        brand_ids |= name_form(ref.brand).brands or {fold(ref.brand)}
    return PreparedBuilding(
        ref,
        names[0],
        names,
        brand_ids,
        place,
        frozenset(building_query_keys(ref)),
        place_words,
    )


def prepare_address(seg: Segments) -> PreparedAddress:
    return PreparedAddress(seg)
