"""Canonical places for matching and blocking: cities, postal districts, regions, states,
localities and PIN codes.

Pure functions over strings and the shipped tables (``notifier.address.vocabulary``), no I/O;
cached, as every address and registry row goes through them.
"""

from __future__ import annotations

import re
from functools import lru_cache

from notifier.address.spelling import canon_token, fold, squeeze_doubles
from notifier.address.vocabulary import (
    CITY_ALIASES,
    LOCALITY_NOISE,
    PINCODE_REGIONS,
    POSTAL_DISTRICT_CITIES,
    REGION_OF_CITY,
    STATES,
    words_pattern,
)

_DIGIT_RE = re.compile(r"\d")

_CITY_ALIASES: dict[str, str] = {}
for _canon, _aliases in CITY_ALIASES.items():
    _CITY_ALIASES[_canon] = _canon
    for _alias in _aliases:
        _CITY_ALIASES[_alias] = _canon

_KNOWN_CITIES = frozenset(_CITY_ALIASES.values())
# "Thane W", "Andheri (East)", "Pune District": qualifiers that do not change the city.
_CITY_QUALIFIER_RE = re.compile(
    r"\b(?:west|east|north|south|w|e|n|s|city|district|dist|urban|rural|municipal corporation)\b"
)


@lru_cache(maxsize=8192)
def canon_city(city: str | None) -> str:
    """Canonical city name ("" when unknown): aliases, old names and qualifiers folded."""
    if not city:
        return ""
    text = fold(city)
    if text in _CITY_ALIASES:
        return _CITY_ALIASES[text]
    text = " ".join(_CITY_QUALIFIER_RE.sub(" ", text).split())
    return _CITY_ALIASES.get(text, text)


_DISTRICT_RE = re.compile(r"(.*\D)\s(\d{1,3})")


@lru_cache(maxsize=8192)
def postal_district(city: str | None, pincode: str | None = None) -> tuple[str, str]:
    """(canonical city, PIN code) of a city written with its postal district ("Mumbai 76",
    or the city "Kolkata" with a pincode segment "64"); ("", "") when it is not one."""
    if not city:
        return "", ""
    text = fold(city)
    number = ""
    m = _DISTRICT_RE.fullmatch(text)
    if m:
        text, number = m.group(1).strip(), m.group(2)
    elif pincode and pincode.strip().isdigit() and len(pincode.strip()) <= 3:
        number = pincode.strip()
    canon = canon_city(text) if number else ""
    prefix = POSTAL_DISTRICT_CITIES.get(canon)
    if not prefix or not number or int(number) == 0:
        return "", ""
    return canon, f"{prefix}{int(number):03d}"


@lru_cache(maxsize=8192)
def region_of(city: str, pincode: str = "") -> str:
    """The blocking region of a canonical city (its metropolitan region, or itself), else
    the region its PIN code serves; "" when neither is known."""
    if city:
        return REGION_OF_CITY.get(city, city)
    if pincode:
        return PINCODE_REGIONS.get(pincode[:3], "")
    return ""


def is_known_city(text: str | None) -> bool:
    """True for a city the alias table knows ("Nasik", "Thane W", "BLR")."""
    return bool(text) and canon_city(text) in _KNOWN_CITIES


_STATES = frozenset(fold(s) for s in STATES)


def is_state(text: str | None) -> bool:
    """True for an Indian state or union territory name (or "India")."""
    return fold(text) in _STATES if text else False


_LOCALITY_NOISE_RE = re.compile(words_pattern(tuple(LOCALITY_NOISE)))


@lru_cache(maxsize=65536)
def locality_tokens(locality: str | None) -> tuple[str, ...]:
    """Discriminating tokens of a locality ("HSR Layout Sector 2" -> ("hsr", "2"))."""
    if not locality:
        return ()
    text = _LOCALITY_NOISE_RE.sub(" ", fold(locality))
    return tuple(canon_token(t) for t in text.split())


_SKELETON_RE = re.compile(r"(?<!^)[aeiouyh]")


@lru_cache(maxsize=65536)
def locality_key(locality: str | None) -> str:
    """Coarse blocking key for a locality: the consonant skeleton of its first discriminating
    word, so spelling slips ("Whitfield") keep the key."""
    tokens = locality_tokens(locality)
    words = [t for t in tokens if not _DIGIT_RE.search(t)]
    if not words:
        return tokens[0] if tokens else ""
    return squeeze_doubles(_SKELETON_RE.sub("", words[0]))[:4]


_PIN_RE = re.compile(r"[1-9]\d{5}")


@lru_cache(maxsize=65536)
def canon_pincode(pincode: str | None) -> str:
    """Six-digit Indian PIN code, or "" when absent or malformed ("560 066" -> "560066")."""
    if not pincode:
        return ""
    digits = re.sub(r"\D", "", pincode)
    return digits if _PIN_RE.fullmatch(digits) else ""
