"""Normalisation of building names for matching.

Pure functions over strings (plus small tables), no I/O: the matcher, the blocking keys and the
reverse index all go through the same code, so an address and a registry row that mean the same
building end up with the same tokens. Places (cities, localities, pincodes) are canonicalised in
``notifier.address.places``, the spelling of words in ``notifier.address.spelling``.

A building name becomes a :class:`NameForm`:
- ``core``: discriminating tokens in order ("brigade", "lakefront"), transliteration-folded;
- ``generic``: canonical suffix words ("apartments", "chs", "tower"...), which say what kind of
  building it is but not which one;
- ``designators``: tower/wing/block ids ("tower:3", "wing:b"), unit noise that only matters when the
  registry row itself names a tower.
Flat numbers, house numbers and honorifics (Sri/Shree, "The") are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import jellyfish

# Re-exported: prepared.py, blocking.py, matcher.py and bench/match.py import these from here
# (move their imports to places/spelling, then drop these lines).
from notifier.address.places import (
    canon_city,
    canon_pincode,
    is_known_city,
    is_state,
    locality_key,
    locality_tokens,
    postal_district,
    region_of,
)
from notifier.address.spelling import canon_token, fold, squeeze_doubles
from notifier.address.vocabulary import (
    BUILDING_KINDS,
    LEGAL_TAIL_PHRASES,
    OPTIONAL_WORDS,
    UNIT_WORDS,
    brands,
)

__all__ = [
    "NameForm",
    "acronym_of",
    "canon_city",
    "canon_pincode",
    "canon_token",
    "designators",
    "fold",
    "is_known_city",
    "is_state",
    "locality_key",
    "locality_tokens",
    "name_form",
    "postal_district",
    "region_of",
]

# --- generic suffix words -------------------------------------------------------------------

# Multi-word spellings first; they are collapsed into one canonical token before tokenising.
_GENERIC_PHRASES: tuple[tuple[str, str], ...] = LEGAL_TAIL_PHRASES
_MAYBE_PHRASE_RE = re.compile(r"\b(?:co|hsg|hsng|housing|c h s)\b")
_GENERIC_PHRASES_RE = tuple((re.compile(rf"\b{p}\b"), c) for p, c in _GENERIC_PHRASES)
_GENERIC_WORDS: dict[str, str] = {}
for _canon, _variants in BUILDING_KINDS.items():
    for _v in _variants.split():
        _GENERIC_WORDS[_v] = _canon

# Honorifics and articles: neither side's presence or absence says anything.
# Long kind words, to recognise them misspelt ("Apartmnets", "Resdency", "Tawers").
_LONG_GENERIC = tuple(
    (word, canon) for word, canon in _GENERIC_WORDS.items() if len(word) >= 6 and word.isalpha()
)


# Short kind words ("vihar", "plaza", "villa"), keyed by their letters written once: a doubled
# or undoubled letter ("Viharr", "Plazza", "Vila") is the same word; two letters swapped
# ("Palza") too, the first kept.
_SHORT_GENERIC = {
    squeeze_doubles(word): canon
    for word, canon in _GENERIC_WORDS.items()
    if len(word) == 5 and word.isalpha()
}
_SHORT_GENERIC_BY_LETTERS = {
    (word[0], "".join(sorted(word))): word for word in _SHORT_GENERIC if len(word) == 5
}


def _misspelt_short_generic(token: str) -> str | None:
    squeezed = squeeze_doubles(token)
    canon = _SHORT_GENERIC.get(squeezed)
    if canon is not None or len(squeezed) != len(token) or len(token) != 5:
        return canon
    word = _SHORT_GENERIC_BY_LETTERS.get((token[0], "".join(sorted(token))))
    # one swap of neighbouring letters, not an anagram ("nagar" / "ngara")
    if word is None or jellyfish.damerau_levenshtein_distance(word, token) != 1:
        return None
    return _SHORT_GENERIC[word]


@lru_cache(maxsize=65536)
def _misspelt_generic(token: str) -> str | None:
    """The kind word a token misspells (one edit, two for long words), or None."""
    if 4 <= len(token) <= 6 and token.isalpha() and (short := _misspelt_short_generic(token)):
        return short
    if len(token) < 6 or not token.isalpha():
        return None
    for word, canon in _LONG_GENERIC:
        if word[0] != token[0] or abs(len(word) - len(token)) > 2:
            continue
        limit = 2 if min(len(word), len(token)) >= 9 else 1
        if jellyfish.damerau_levenshtein_distance(word, token) <= limit:
            return canon
    return None


_OPTIONAL_WORDS = OPTIONAL_WORDS

# Words that only ever introduce unit noise (a flat, door or house number).
_UNIT_WORDS = "(?:" + "|".join(UNIT_WORDS) + ")"
_UNIT_RE = re.compile(
    rf"\b{_UNIT_WORDS}(?:\s*(?:no|number))?\s*[#:.-]?\s*[a-z]?\d+[a-z0-9/-]*\b|#\s*[a-z0-9/-]+"
)
_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6", "vii": "7"}
_ID = r"(?:[a-z]?\d{1,3}[a-z]?|[a-z]|i{1,3}|iv|vi{0,2})"
# "Tower 3", "Wing-B", "Block C2" and the reversed "B Wing", "3rd Tower".
_DESIGNATOR_RE = re.compile(
    rf"\b(tower|twr|wing|block|blk|bldg|building)(?:\s*[#:.-]\s*|\s+|(?=\d))(?:no\.?\s*)?({_ID})\b"
    rf"|\b({_ID})(?:st|nd|rd|th)?\s*[-]?\s*(tower|twr|wing|block|blk)\b"
)
_PHASE_RE = re.compile(rf"\b(?:phase|ph)(?:\s*[#:.-]\s*|\s+|(?=\d))({_ID})\b")
_HAS_DIGIT_OR_KIND_RE = re.compile(r"\d|#|\b(?:tower|twr|wing|block|blk|bldg|building|phase|ph)\b")
# The words _MAYBE_PHRASE_RE and _HAS_DIGIT_OR_KIND_RE look for: in folded text (words of
# letters and digits between single spaces) a set test finds them quicker than the regexes.
_SPECIAL_WORDS = frozenset(
    {"co", "hsg", "hsng", "housing", "c", "tower", "twr", "wing", "block", "blk", "bldg"}
    | {"building", "phase", "ph"}
)
_DESIGNATOR_KIND = {"twr": "tower", "blk": "block", "bldg": "building"}

_DIGIT_RE = re.compile(r"\d")


# Not frozen: a frozen dataclass's __init__ (object.__setattr__ per field) cost 3% of
# matching time, as every new address name builds one. Treat instances as read-only:
# name_form() hands out shared, cached ones.
@dataclass(slots=True)
class NameForm:
    """A building name reduced to what identifies it."""

    core: tuple[str, ...]
    generic: frozenset[str]
    designators: frozenset[str]
    # the same tokens before transliteration folding, to split glued words on
    raw: tuple[str, ...] = ()
    # first letters of core and raw tokens: names with none in common cannot align
    initials: frozenset[str] = frozenset()
    # developer brands named ("godrej"), their words left out of ``core``
    brands: frozenset[str] = frozenset()
    # the name is only a brand ("Sobha"): ``core`` holds the brand's words
    brand_only: bool = False
    # Derived once here, not per compared pair (the matcher reads them for most candidates):
    # the core tokens glued together,
    joined: str = field(init=False, repr=False, compare=False)
    # folded token -> its spelling as written (shared: read it, never change it),
    raw_of: Mapping[str, str] = field(init=False, repr=False, compare=False)
    # whether some token is written other than folded ("laxmi" -> "laksmi").
    respelt: bool = field(init=False, repr=False, compare=False)
    # computed once, over what tells forms apart (forms alike in words but not in kind or
    # tower would collide, and each collision costs a field-by-field comparison): pairs
    # of names are cache keys, hashed for every compared pair
    _hash: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.joined = "".join(self.core)
        self.raw_of = dict(zip(self.core, self.raw, strict=False))
        self.respelt = self.raw != self.core
        self._hash = hash((self.core, self.raw, self.generic, self.designators, self.brands))

    def __hash__(self) -> int:
        # hashable so that pairs of names can be cached (equal forms have equal words)
        return self._hash

    @property
    def empty(self) -> bool:
        return not self.core


def _designator_id(raw: str) -> str:
    return _ROMAN.get(raw, raw.lstrip("0") or "0")


def designators(text: str) -> frozenset[str]:
    """Tower/wing/block ids named in any text, e.g. a unit segment ("B Wing, Flat 302")."""
    lowered = text.lower()
    if not any(kind in lowered for kind in ("tower", "twr", "wing", "block", "blk", "bldg")):
        return frozenset()
    return name_form(text).designators


@lru_cache(maxsize=65536)
def name_form(name: str) -> NameForm:
    """Normalise a building name (from an address segment or a registry row)."""
    text = fold(name)
    tokens = text.split()
    designators: set[str] = set()
    # most names have no digit, phrase or tower word: skip the regexes
    if _DIGIT_RE.search(text) or not _SPECIAL_WORDS.isdisjoint(tokens):
        if _MAYBE_PHRASE_RE.search(text):
            for pattern, canon in _GENERIC_PHRASES_RE:
                text = pattern.sub(canon, text)
        if _HAS_DIGIT_OR_KIND_RE.search(text):
            text = _PHASE_RE.sub(_phase_token, text)
            text = _DESIGNATOR_RE.sub(lambda m: _take_designator(m, designators), text)
            text = _UNIT_RE.sub(" ", text)
        tokens = text.split()
    if (
        len(tokens) >= 2
        and tokens[-1] in _NAME_NUMERAL
        and tokens[-2].isalpha()
        and (len(tokens) >= 3 or tokens[-1] not in ("i", "v"))
    ):
        # "Eco Village 2", "Safal Parisar II": the numbered project is a phase of its own
        tokens = [*tokens[:-1], f"phase{_NAME_NUMERAL[tokens[-1]]}"]
    all_tokens = tokens
    tokens, brands = _take_brands(tokens)
    core, raw, generic = _roles(tokens)
    brand_only = bool(brands) and not core
    if brand_only:
        # the brand is the whole name ("Sobha" alone): its words are the name
        core, raw, generic = _roles(all_tokens)
    initials = frozenset([t[0] for t in core] + [t[0] for t in raw])
    return NameForm(
        tuple(core),
        frozenset(generic),
        frozenset(designators),
        tuple(raw),
        initials,
        brands,
        brand_only,
    )


def _roles(tokens: list[str]) -> tuple[list[str], list[str], set[str]]:
    core: list[str] = []
    raw: list[str] = []
    generic: set[str] = set()
    role_of = _token_role
    for token in tokens:
        role, value = role_of(token)
        if role is _CORE:
            core.append(value)
            raw.append(token)
        elif role is _GENERIC:
            generic.add(value)
    return core, raw, generic


def _split(text: str) -> list[str]:
    return text.split()


# Words of a developer's company name that follow the brand ("Godrej Properties").
_COMPANY_WORDS = frozenset(
    [
        "group",
        "realty",
        "realtors",
        "builders",
        "builder",
        "developers",
        "developer",
        "properties",
        "infratech",
        "buildtech",
        "lifespaces",
        "constructions",
        "projects",
        "enterprises",
        "corp",
        "infra",
    ]
)
# Brands that are also common personal or place words: never split off a glued word
# ("gaurav" is not Gaur + "av", "kumaraswamy" not Kumar + "aswamy").
_NOT_GLUED = frozenset(
    [
        "kumar",
        "amit",
        "gaur",
        "indu",
        "rohan",
        "paras",
        "nahar",
        "gera",
        "arvind",
        "vipul",
        "ekta",
        "jains",
    ]
)


@lru_cache(maxsize=1)
def _brand_tables() -> tuple[dict[str, tuple[tuple[tuple[str, ...], str], ...]], dict[str, str]]:
    """First word -> (phrase words, brand id), longest first; and single-word brand -> id
    for glued words ("godrejgarden")."""
    phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    glue: dict[str, str] = {}
    for brand in brands():
        for form in brand.forms:
            words = tuple(form.split())
            if not words:
                continue
            phrases.setdefault(words[0], []).append((words, brand.brand_id))
            if len(words) == 1 and len(words[0]) >= 3 and words[0] not in _NOT_GLUED:
                glue[words[0]] = brand.brand_id
    return (
        {k: tuple(sorted(v, key=lambda p: -len(p[0]))) for k, v in phrases.items()},
        glue,
    )


def _take_brands(tokens: list[str]) -> tuple[list[str], frozenset[str]]:
    """The tokens without developer brands (and their company words), and the brands."""
    phrases, glue = _brand_tables()
    if not any(t in phrases or len(t) >= 5 for t in tokens):
        return tokens, frozenset()
    kept: list[str] = []
    found: set[str] = set()
    i, n = 0, len(tokens)
    while i < n:
        token = tokens[i]
        # one brand per name: a second brand word is a name word ("Hiranandani Skyline")
        for words, brand_id in phrases.get(token, ()) if not found else ():
            if tuple(tokens[i : i + len(words)]) == words:
                found.add(brand_id)
                i += len(words)
                while i < n and tokens[i] in _COMPANY_WORDS:
                    i += 1
                break
        else:
            split = _glued_brand(token, glue) if len(token) >= 6 and not found else None
            misspelt = _misspelt_brand(token) if (i == 0 or i == n - 1) and not found else None
            if split is not None:
                found.add(split[0])
                kept.append(split[1])
            elif misspelt is not None and n > 1:
                found.add(misspelt)  # "Prostige Falcon City": the first or last word only
            else:
                kept.append(token)
            i += 1
    return kept, frozenset(found)


@lru_cache(maxsize=65536)
def _misspelt_brand(token: str) -> str | None:
    """The brand a word of 5+ letters misspells by one edit ("Csaagrand"), or None."""
    if len(token) < 5 or not token.isalpha():
        return None
    for form, brand_id in _misspelling_candidates().get((token[0], len(token)), ()):
        if jellyfish.damerau_levenshtein_distance(form, token) == 1:
            return brand_id
    return None


@lru_cache(maxsize=1)
def _misspelling_candidates() -> dict[tuple[str, int], tuple[tuple[str, str], ...]]:
    """(first letter, length) of a word -> the glued-brand forms of 5+ letters it may
    misspell by one edit (same first letter, length within one), in the glue table's order."""
    found: dict[tuple[str, int], list[tuple[str, str]]] = {}
    for form, brand_id in _brand_tables()[1].items():
        if len(form) >= 5:
            for length in (len(form) - 1, len(form), len(form) + 1):
                found.setdefault((form[0], length), []).append((form, brand_id))
    return {k: tuple(v) for k, v in found.items()}


@lru_cache(maxsize=1)
def _glue_heads() -> frozenset[str]:
    """The first three letters of the glued-brand forms (``_brand_tables()[1]``)."""
    return frozenset(form[:3] for form in _brand_tables()[1])


def _glued_brand(token: str, glue: dict[str, str]) -> tuple[str, str] | None:
    """("godrej", "garden") for "godrejgarden": a brand glued to a word of 4+ letters
    (``glue``: the glued-brand table, ``_brand_tables()[1]``)."""
    if not token.isalnum() or token[:3] not in _glue_heads():
        return None  # every glued brand has 3+ letters: no brand starts so
    for k in range(3, len(token) - 2):
        brand_id = glue.get(token[:k])
        if brand_id is not None:
            return brand_id, token[k:]
    return None


_CORE, _GENERIC = "core", "generic"
_NOISE = ("", "")


@lru_cache(maxsize=65536)
def _token_role(token: str) -> tuple[str, str]:
    """What one token of a folded name is: (_CORE, its folded spelling), (_GENERIC, the
    canonical kind word) or _NOISE (honorifics, articles, flat numbers, stray letters).
    A function of the token alone, so cached: names share most of their words."""
    if token in _OPTIONAL_WORDS or token in _COMPANY_WORDS:
        return _NOISE  # "Clover Builders Highlands": the developer's company word
    canon = _GENERIC_WORDS.get(token) or _misspelt_generic(token)
    if canon is not None:
        return _GENERIC, canon
    if token.startswith("phase") and token[5:].isdigit():
        return _CORE, token
    if len(token) == 1 or _is_number_like(token):
        return _NOISE  # flat/house numbers left over ("302", "12a"), stray wing letters
    return _CORE, canon_token(token)


def _phase_token(m: re.Match[str]) -> str:
    # A phase is a sub-project with its own residents: keep it as a discriminating token.
    return f" phase{_designator_id(m.group(1))} "


def _take_designator(m: re.Match[str], found: set[str]) -> str:
    """Add the tower/wing/block id a _DESIGNATOR_RE match names to ``found``; blank it out."""
    if m.group(1):
        kind, ident = m.group(1), m.group(2)
    else:
        ident, kind = m.group(3), m.group(4)
    found.add(f"{_DESIGNATOR_KIND.get(kind, kind)}:{_designator_id(ident)}")
    return " "


def _is_number_like(token: str) -> bool:
    """ "302", "12a", "b12" are unit numbers; "m3m" or "1st" are words."""
    if token.isalpha():
        return False
    if _ORDINAL_RE.fullmatch(token):
        return False  # "12th Avenue" of a township is a name, not a flat number
    digits = sum(c.isdigit() for c in token)
    return digits >= len(token) - digits


_ORDINAL_RE = re.compile(r"\d{1,2}(?:st|nd|rd|th)")
_NAME_NUMERAL = {
    "i": "1",
    "ii": "2",
    "iii": "3",
    "iv": "4",
    **{str(n): str(n) for n in range(1, 10)},
}


@lru_cache(maxsize=65536)
def acronym_of(name: NameForm) -> str | None:
    """The initials of a name of three or more words ("itqe" for "In That Quiet Earth"), its
    brand and kind words left out, as customers shorten a long name; None for shorter ones."""
    if len(name.raw) < 3 or not all(t.isalpha() for t in name.raw):
        return None
    return "".join(t[0] for t in name.raw)
