"""Seeded generator of labelled synthetic Indian addresses (the model's only training data).

Sources: the India Post pincode directory in ``nlp/assets/pincodes.tsv`` (see SOURCES.md) and the
word lists in ``nlp/lexicon.py``. Every lexicon entry and every pincode is put in a "train" or a
"heldout" bucket by a stable hash, so ``--split dev`` addresses use names and places the model
never saw in training (it tests generalisation, not memory).

Usage::

    python -m nlp.generate --split train --n 60000 --seed 1 --out nlp/corpus/train.spacy
    python -m nlp.generate --split dev --n 3000 --seed 2 --out nlp/corpus/dev.spacy
    python -m nlp.generate --split dev --n 5 --seed 3 --show      # print a few examples
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from nlp import lexicon as lx
from nlp import lexicon_regional as lr

ASSETS = Path(__file__).resolve().parent / "assets"
Span = tuple[int, int, str]


# ----------------------------------------------------------------------------- splitting


def bucket(value: str) -> str:
    """'heldout' for ~15% of values (stable across runs and machines), else 'train'."""
    digest = hashlib.blake2b(value.lower().encode("utf-8"), digest_size=2).digest()
    return "heldout" if int.from_bytes(digest, "big") % 100 < 15 else "train"


def split(items: list[str], which: str) -> list[str]:
    """Items of one bucket; 'dev' draws from held-out items, 'train' from the rest."""
    want = "heldout" if which == "dev" else "train"
    chosen = [x for x in items if bucket(x) == want]
    return chosen or items


def words(block: str) -> list[str]:
    return [w.replace("-", " ") if not w.startswith("Kolte") else w for w in block.split()]


# ----------------------------------------------------------------------------- world


@dataclass
class Place:
    pincode: str
    district: str
    city: str
    state: str
    offices: list[str]


_BUILDINGISH = re.compile(
    r"\b(bhawan|bhavan|complex|tower|towers|house|court|building|bldg|apartments?|mansion|plaza|"
    r"estate|secretariat|hostel|hospital|college|school|office|mill|factory|mandir|temple|"
    r"campus|airport|stadium|market|university|exchange|station|gpo|g p o|collectorate)\b",
    re.I,
)


@dataclass
class World:
    which: str
    places: list[Place]
    developers: list[str]
    stems_en: list[str]
    stems_in: list[str]
    first: list[str]
    last: list[str]
    street_names: list[str]
    landmark_places: list[str]
    lookalikes: list[str]
    name_words: list[str]  # single words from post-office names: an open vocabulary of stems
    brands: list[str] = field(default_factory=list)  # "Happy Homes": brands of ordinary words
    societies: list[str] = field(default_factory=list)  # "Shiv Darshan": suffix-less societies
    city_alias: dict[str, list[str]] = field(default_factory=dict)
    # region -> (housing words, name stems of that region; stems split train/held-out)
    regions: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)


@lru_cache(maxsize=2)
def load_world(which: str) -> World:
    places = []
    with (ASSETS / "pincodes.tsv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if bucket(row["pincode"]) != ("heldout" if which == "dev" else "train"):
                continue
            offices = [
                o
                for o in row["offices"].split("|")
                if o and not _BUILDINGISH.search(o) and len(o) < 30
            ]
            if offices:
                places.append(
                    Place(row["pincode"], row["district"], row["city"], row["state"], offices)
                )
    name_words = sorted(
        {w for p in places for o in p.offices for w in o.split() if w.isalpha() and 3 < len(w) < 13}
    )
    city_alias = {}
    for group in lx.CITY_ALIASES:
        for name in group:
            city_alias[name.lower()] = group
    return World(
        which=which,
        places=places,
        # brands are a small closed set a real model should know: not held out (stems are)
        developers=words(lx.DEVELOPERS),
        stems_en=split(words(lx.STEMS_EN), which),
        stems_in=split(words(lx.STEMS_IN), which),
        first=words(lx.FIRST_NAMES),
        last=words(lx.SURNAMES),
        street_names=split(lx.STREET_NAMES, which),
        landmark_places=split(lx.LANDMARK_PLACES, which),
        lookalikes=lx.LOCALITY_LOOKALIKES,  # hard-negative patterns: both splits see all
        name_words=name_words,
        city_alias=city_alias,
        brands=split(pairs(lx.BRAND_HEADS, lx.BRAND_TAILS), which),
        societies=split(pairs(lx.SOCIETY_HEADS, lx.SOCIETY_TAILS), which),
        regions={k: (v[0], split(words(v[1]), which)) for k, v in lr.REGIONS.items()},
    )


def pairs(heads: str, tails: str) -> list[str]:
    """Every head word followed by every other tail word ("Happy" + "Homes")."""
    return [f"{h} {t}" for h in words(heads) for t in words(tails) if h != t]


# ----------------------------------------------------------------------------- parts

Seg = tuple[str, str | None]  # (text, LABEL or None for unlabelled filler)
GLUE = "\x00glue"  # template marker: join the next segment without any separator


def num(rng: random.Random, lo: int = 1, hi: int = 999) -> str:
    return str(rng.randint(lo, hi))


def letter(rng: random.Random) -> str:
    return rng.choice("ABCDEFGHJKLMNPRS")


def unit_number(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.08:  # one code: "e-1102", "B2-704", "T3/1202" (the whole code is the unit)
        return unit_code(rng)
    r = rng.random()
    if r < 0.30:
        return num(rng, 1, 2999)
    if r < 0.45:
        return f"{letter(rng)}{rng.choice(['-', '', ' ', '-'])}{num(rng, 1, 1999)}"
    if r < 0.55:
        return f"{num(rng, 1, 999)}{letter(rng)}"
    if r < 0.68:
        return f"{num(rng, 1, 99)}/{num(rng, 1, 999)}"
    if r < 0.80:
        parts = [num(rng, 1, 20), num(rng, 1, 9), num(rng, 1, 999)]
        if rng.random() < 0.4:
            parts.append(rng.choice([letter(rng), num(rng, 1, 99)]))
        if rng.random() < 0.3:
            parts[-1] += "/" + rng.choice([letter(rng), num(rng, 1, 99)])
        return "-".join(parts[: rng.choice([2, 3, 3, len(parts)])])
    if r < 0.88:
        return f"{letter(rng)}-{num(rng, 1, 20)}/{num(rng, 1, 999)}"
    if r < 0.94:
        return f"{num(rng, 1, 99)}-{letter(rng)}"
    return f"{letter(rng)}{letter(rng)}-{num(rng, 1, 99)}"


def unit_code(rng: random.Random) -> str:
    head = rng.choice(lr.UNIT_CODE_LETTERS)
    if rng.random() < 0.3:
        head = head.lower()
    if rng.random() < 0.3:
        head += num(rng, 1, 9)
    flat = f"{num(rng, 1, 30)}{num(rng, 1, 12):0>2}"
    return f"{head}{rng.choice(['-', '-', '/', '', ' - '])}{flat}"


def unit(rng: random.Random, with_cue: float = 0.7) -> str:
    n = unit_number(rng)
    if rng.random() > with_cue:
        return n
    cue = rng.choice(lx.UNIT_CUES)
    if cue in ("Old No", "New No"):
        return f"Old No {num(rng, 1, 99)} New No {num(rng, 1, 99)}"
    joiner = "" if cue.endswith(("-", "#", ".", ":")) and rng.random() < 0.5 else " "
    return f"{cue}{joiner}{n}"


def wing(rng: random.Random) -> str:
    w = rng.choice(lx.WING_WORDS)
    val = rng.choice([letter(rng), num(rng, 1, 12), letter(rng), "I", "II", "III"])
    return f"{w}{'' if w.endswith('-') else ' '}{val}"


def floor(rng: random.Random) -> str:
    return rng.choice(lx.FLOOR_WORDS)


def person(rng: random.Random, world: World) -> str:
    r = rng.random()
    if r < 0.5:
        return f"{rng.choice(world.first)} {rng.choice(world.last)}"
    if r < 0.7:
        title = rng.choice(["Late ", "Shri ", "Sri ", "Mr. ", "Dr. ", "Smt "])
        return f"{title}{rng.choice(world.first)} {rng.choice(world.last)}"
    if r < 0.85:
        return f"{rng.choice(world.last)} {rng.choice(world.first)}"
    return f"{letter(rng)} {rng.choice(world.first)} {rng.choice(world.last)}"


def initials(rng: random.Random) -> str:
    n = rng.choice([2, 2, 2, 3])
    ls = [letter(rng) for _ in range(n)]
    style = rng.random()
    if style < 0.35:
        return ". ".join(ls) + "."
    if style < 0.55:
        return ".".join(ls) + rng.choice([".", ""])
    if style < 0.8:
        return " ".join(ls)
    return "".join(ls)


def stem(rng: random.Random, world: World, english: float = 0.0) -> str:
    """A name stem: known Indian/English stems, or any word(s) from place and person names, so
    the model learns "<word> Apartments" = building rather than memorising the stems."""
    r = rng.random()
    if r < english:
        return rng.choice(world.stems_en)
    if r < english + (1 - english) * 0.4:
        return rng.choice(world.stems_in) if rng.random() < 0.7 else stem(rng, world)
    if r < english + (1 - english) * 0.8:
        n = rng.choice([1, 1, 1, 2])
        return " ".join(rng.choice(world.name_words) for _ in range(n))
    return rng.choice([rng.choice(world.first), rng.choice(world.last)])


def suffix(rng: random.Random, kinds: list[str] | None = None) -> str:
    kind = rng.choice(kinds or list(lx.BUILDING_SUFFIXES))
    return rng.choice(lx.BUILDING_SUFFIXES[kind])


def building(rng: random.Random, world: World, bare_ok: bool = True) -> str:
    """A building / society / complex / named house name (sometimes with its acronym)."""
    name = _building(rng, world, bare_ok)
    if rng.random() < 0.03 and len(name.split()) > 2:
        name += f" ({''.join(w[0] for w in name.split() if w[0].isalpha()).upper()})"
    return name


def _building(rng: random.Random, world: World, bare_ok: bool) -> str:
    r = rng.random()
    if r < 0.22:  # Prestige Shantiniketan, Brand Lakeside (Phase 2)
        if rng.random() < 0.3:  # a brand of ordinary words + project: "Happy Homes Vasudha"
            return brand_project(rng, world)
        glued = rng.random() < 0.05  # typed without the space: "RamkyBrookside Heights"
        sep = "" if glued else " "
        name = f"{rng.choice(world.developers)}{sep}{stem(rng, world, english=0.5)}"
        if rng.random() < 0.25:  # "Gera Oakwood Grande", "Ajmera Shantiniketan Supreme"
            name += f" {rng.choice(lx.PROJECT_QUALIFIERS)}"
        if rng.random() < 0.3:
            name += f" {suffix(rng)}"
        if rng.random() < 0.08:
            name += f" Phase {rng.choice(['1', '2', 'II', '3'])}"
        return name
    if r < 0.42:  # Lake View Apartments, Green Heights
        return f"{stem(rng, world, english=0.6)} {suffix(rng)}"
    if r < 0.60:  # Sai Krupa Apt, Gokul Dham, Shanti Niwas
        return f"{stem(rng, world)} {suffix(rng)}"
    if r < 0.67 and bare_ok:  # a bare named house: "Sai Krupa", "Ashirwad"
        if rng.random() < 0.4:
            return bare_society(rng, world)
        return rng.choice(world.stems_in) if rng.random() < 0.7 else stem(rng, world)
    if r < 0.78:  # SHARMA BHAWAN, DEKA COMPLEX, Rungta Mansion
        who = rng.choice(
            [
                rng.choice(world.first),
                rng.choice(world.last),
                f"{rng.choice(world.first)} {rng.choice(world.last)}",
                f"{initials(rng)} {rng.choice(world.last)}",
                stem(rng, world),
            ]
        )
        kinds = [
            "Bhawan",
            "Complex",
            "Mansion",
            "Plaza",
            "Building",
            "Villa",
            "Niwas",
            "Court",
            "Towers",
            "Apartments",
        ]
        return f"{who} {suffix(rng, kinds)}"
    if r < 0.90:  # G. M. TOWER, K.P.R ROYAL RESIDENCY, S.K COMPLEX
        mid = f" {stem(rng, world, english=0.5)}" if rng.random() < 0.25 else ""
        kinds = ["Towers", "Complex", "Plaza", "Residency", "Building", "Apartments", "Bhawan"]
        return f"{initials(rng)}{mid} {suffix(rng, kinds)}"
    if r < 0.95:  # DDA Flats, CGHS Society, LIG Apartments
        org = rng.choice(
            [
                "DDA",
                "MHADA",
                "HUDA",
                "CIDCO",
                "BDA",
                "NBCC",
                "LIC",
                "BSNL",
                "ONGC",
                "NTPC",
                "CPWD",
                "PWD",
                "HAL",
                "BHEL",
                "SAIL",
                "Railway Officers",
                "Police",
                "Teachers",
                "Journalists",
                "HIG",
                "MIG",
                "LIG",
                "CGHS",
                "KHB",
                "TNHB",
                "APHB",
                "GHB",
                "Army Officers",
                "Bank Officers",
                "Doctors",
                "Ex-Servicemen",
                "Govt Employees",
            ]
        )
        return (
            f"{org} {suffix(rng, ['CHS', 'Complex', 'Homes', 'Apartments', 'Enclave', 'Towers'])}"
        )
    # named villas / houses: "Sharma Villa", "Lakshmi Nilayam"
    kinds = ["Villa", "Niwas", "Nilayam", "Bhawan", "Mansion", "Court"]
    return f"{stem(rng, world)} {suffix(rng, kinds)}"


def brand_project(rng: random.Random, world: World) -> str:
    """A developer brand made of ordinary English words and its project: "Sunny Acres Aranya",
    "Our Nest Vasudha Phase 2". The whole name is the building; "My"/"Home"/"City" inside it
    must not end the span."""
    name = rng.choice(world.brands)
    r = rng.random()
    if r < 0.75:
        name += f" {stem(rng, world, english=0.3)}"
    elif r < 0.85:
        name += f" {rng.choice(lx.PROJECT_QUALIFIERS)}"
    if rng.random() < 0.15:
        name += f" {suffix(rng)}"
    if rng.random() < 0.06:
        name += f" Phase {rng.choice(['1', '2', 'II', '3'])}"
    return name


def bare_society(rng: random.Random, world: World) -> str:
    """A society name with no building word: "Shiv Darshan", "Shree Gajanan Krupa"."""
    name = rng.choice(world.societies) if rng.random() < 0.75 else rng.choice(world.stems_in)
    if rng.random() < 0.12 and not name.startswith(("Shr", "Sri")):
        name = f"{rng.choice(['Shree', 'Shri', 'Sri'])} {name}"
    return name


def shop(rng: random.Random, world: World) -> str:
    who = rng.choice(
        [
            rng.choice(world.first),
            rng.choice(world.last),
            stem(rng, world),
            initials(rng),
            f"{rng.choice(world.first)} {rng.choice(world.last)}",
            f"Dr. {rng.choice(world.last)}",
        ]
    )
    return f"{who} {rng.choice(lx.SHOP_TYPES)}"


def firm(rng: random.Random, world: World) -> str:
    """A trading firm named in business addresses: "NAYAN ENTERPRISE", "S K JAIN & CO"."""
    who = rng.choice(
        [
            rng.choice(world.last),
            stem(rng, world),
            f"{rng.choice(world.first)} {rng.choice(world.last)}",
            f"{rng.choice(world.first)} Kumar {rng.choice(world.last)}",
            f"{initials(rng)} {rng.choice(world.last)}",
        ]
    )
    return f"{who} {rng.choice(lx.FIRM_TYPES)}"


def society_as_place(rng: random.Random, world: World, project: bool = True) -> str:
    """A housing society named like a locality: "Jyoti Krupa Nagar", "Yamuna Elite Enclave".
    Marketing words ("Elite", "Royale") only go into projects: no real locality has them."""
    name = rng.choice(world.stems_in + world.stems_en + world.first)
    if not project and name in lx.PROJECT_QUALIFIERS:  # "Paradise" is a stem and a qualifier
        name = rng.choice(world.stems_in)
    if rng.random() < 0.3:
        extra = world.stems_en + lx.PROJECT_QUALIFIERS if project else world.stems_in
        name = f"{name} {rng.choice(extra)}"
    if project and rng.random() < 0.35 and not any(q in name for q in lx.PROJECT_QUALIFIERS):
        # the marketing word is what makes "<name> Nagar" a project: teach it often enough
        name = f"{name} {rng.choice(lx.PROJECT_QUALIFIERS)}"
    if rng.random() < 0.2:
        name = f"{rng.choice(['Shri', 'Sri', 'Shree', 'SHRI'])} {name}"
    return f"{name} {rng.choice(lx.SOCIETY_AS_PLACE_SUFFIXES)}"


def apartment_units(rng: random.Random) -> list[Seg]:
    """Units that only exist inside a housing complex: "A Wing 503", "Tower 9, Flat 2201"."""
    r = rng.random()
    cue = rng.choice(["Flat", "Flat No", "FLAT", "Apt"])
    flat = f"{cue} {num(rng, 1, 30)}{num(rng, 1, 12):0>2}"
    if r < 0.35:
        return [(f"{letter(rng)} Wing {num(rng, 1, 30)}{num(rng, 1, 12):0>2}", "UNIT")]
    if r < 0.5:
        return [(f"Tower {num(rng, 1, 12)}", "UNIT"), (flat, "UNIT")]
    if r < 0.6:
        return [(flat, "UNIT"), (f"Tower {rng.choice([num(rng, 1, 12), letter(rng)])}", "UNIT")]
    if r < 0.85:
        return [(f"{letter(rng)}-{num(rng, 1, 30)}{num(rng, 1, 12):0>2}", "UNIT")]
    return [(flat, "UNIT"), (f"{letter(rng)} Wing", "UNIT")]


ORDINALS = ["1st", "2nd", "3rd", "4th", "5th", "6th", "7th", "8th", "9th", "10th", "12th", "14th"]
NUMBERED_STREETS = [
    "Road No.",
    "Road No",
    "Street No.",
    "Street No",
    "Lane No",
    "Gali No",
    "gali no.",
    "Gali",
    "Lane",
    "Line",
    "ROADNO.",
    "Bylane",
    "Cross No",
]


def street(rng: random.Random, world: World) -> str:
    r = rng.random()
    if r < 0.45:
        return f"{rng.choice(world.street_names)} {rng.choice(lx.STREET_TYPES)}"
    if r < 0.57:  # "2nd Cross", "5th Main"
        kind = rng.choice(
            [
                "Cross",
                "Main",
                "Cross Road",
                "Main Road",
                "Street",
                "Avenue",
                "Lane",
                "Stage",
                "A Cross",
            ]
        )
        return f"{rng.choice(ORDINALS)} {kind}"
    if r < 0.66:  # "Road No. 12", "Gali No 4"
        return f"{rng.choice(NUMBERED_STREETS)} {num(rng, 1, 40)}"
    if r < 0.71:
        kind = rng.choice(["Bylane", "By Lane", "Lane", "Feet Road", "Ft Road", "Mile"])
        return f"{num(rng, 1, 12)} {kind}"
    if r < 0.76:  # highways
        return f"{rng.choice(['NH', 'SH', 'MDR', 'NH-', 'SH-'])}{rng.choice(['', ' '])}{num(rng)}"
    if r < 0.86:  # initials: "K.P. ROAD", "S N Road", glued "A.B.ROAD", "Dr. B.K. Path"
        title = rng.choice(["", "", "", "Dr. ", "DR "])
        road = rng.choice(["Road", "ROAD", "Rd", "Path", "Marg", "Lane"])
        return f"{title}{initials(rng)}{rng.choice([' ', ' ', ''])}{road}"
    if r < 0.93:  # a street named after a local place: "<village> Road"
        village = rng.choice(rng.choice(world.places).offices).split()[0]
        return f"{village} {rng.choice(lx.STREET_TYPES)}"
    road = rng.choice(["Road", "Marg", "Path", "Street", "Salai"])
    return f"{person(rng, world).split(' ', 1)[-1]} {road}"


def landmark(rng: random.Random, world: World) -> str:
    cue = rng.choice(lx.LANDMARK_CUES)
    r = rng.random()
    if r < 0.55:
        target = rng.choice(world.landmark_places)
    elif r < 0.75:  # hard negative: the landmark is another building
        target = building(rng, world, bare_ok=False)
    elif r < 0.87:
        target = shop(rng, world)
    elif r < 0.94:
        kind = rng.choice(
            [
                "Temple",
                "Mandir",
                "Hospital",
                "School",
                "Hotel",
                "Talkies",
                "Theatre",
                "Bank",
                "Office",
                "Hall",
                "Petrol Pump",
                "Factory",
            ]
        )
        target = f"{rng.choice(world.last + world.stems_in)} {kind}"
    else:
        target = (
            rng.choice(world.landmark_places)
            + " "
            + rng.choice(["Gate 2", "Main Gate", "Road", "Branch", "Area"])
        )
    if cue.endswith("opposite") or cue in ("MRO opposite",):
        return f"{target} {cue}"
    if rng.random() < 0.03:  # cue after the place ("MRO opposite")
        return f"{target} {rng.choice(['opposite', 'near', 'back side'])}"
    return f"{cue} {target}"


def locality(rng: random.Random, world: World, place: Place) -> str:
    r = rng.random()
    if r < 0.55:
        name = rng.choice(place.offices)
    elif r < 0.75:
        base = rng.choice(
            [
                rng.choice(world.first),
                rng.choice(world.last),
                rng.choice(world.stems_in),
                rng.choice(place.offices).split()[0],
            ]
        )
        name = f"{base} {rng.choice(lx.LOCALITY_SUFFIXES)}"
    elif r < 0.88:
        name = rng.choice(world.lookalikes)
    else:
        base = rng.choice(place.offices)
        part = rng.choice(
            [
                f"Sector {num(rng, 1, 70)}{rng.choice(['', '', 'A', 'B', 'C', 'D', '-A'])}",
                f"Phase {num(rng, 1, 8)}",
                f"{rng.choice(ORDINALS[:9])} Block",
                f"{num(rng, 1, 9)}th Phase",
                *["Extension", "East", "West", "North", "South", "Main", "Town", "Old City"],
            ]
        )
        name = f"{base} {part}"
    if rng.random() < 0.04:  # estates and areas that sound like buildings but are places
        kind = rng.choice(
            [
                "Tea Estate",
                "Industrial Estate",
                "Industrial Area",
                "Housing Board",
                "Township",
                "Cantonment",
                "Colony",
                "Layout",
            ]
        )
        name = f"{rng.choice(place.offices)} {kind}"
    if rng.random() < 0.05:
        name = (
            rng.choice(["Sector", "Sector-", "SECTOR ", "Sec "])
            + num(rng, 1, 70)
            + rng.choice(["", "", "A", "B", "C", "D", "-C", " D"])
        )
    return name.replace("  ", " ").strip()


def city(rng: random.Random, world: World, place: Place) -> str:
    name = place.city if rng.random() < 0.75 else place.district
    group = world.city_alias.get(name.lower())
    if group and rng.random() < 0.6:
        name = rng.choice(group)
    return name


def state(rng: random.Random, place: Place) -> str:
    canon = {"Chattisgarh": "Chhattisgarh", "Andaman Nicobar": "Andaman & Nicobar Islands"}.get(
        place.state, place.state
    )
    choices = lx.STATE_ALIASES.get(canon, [canon])
    return canon if rng.random() < 0.5 else rng.choice(choices)


def pin_text(rng: random.Random, place: Place) -> tuple[str, str]:
    """(prefix words, the pin as written)."""
    pin = place.pincode
    if rng.random() < 0.08:
        pin = f"{pin[:3]} {pin[3:]}"
    prefix = rng.choice(
        [
            "",
            "",
            "",
            "",
            "",
            "Pin - ",
            "PIN: ",
            "Pin ",
            "Pincode - ",
            "Pin Code: ",
            "PIN-",
            "Pincode ",
            "P.O. Box "[:0],
        ]
    )
    return prefix, pin


# ----------------------------------------------------------------------------- rendering


@dataclass
class Built:
    text: str
    spans: list[Span]


class Renderer:
    """Joins segments with noisy separators and casing, tracking the character spans."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        r = rng.random()
        self.case = "as" if r < 0.45 else "upper" if r < 0.75 else "lower" if r < 0.88 else "mixed"
        self.sep = rng.choice(
            [", ", ", ", ", ", ",", " , ", " ", " ", " - ", " / ", "; ", "  ", ", "]
        )
        self.drop_comma = rng.choice([0.0, 0.0, 0.1, 0.3, 0.6])
        self.typo = rng.choice([0.0, 0.0, 0.0, 0.03, 0.08])

    def _case(self, text: str) -> str:
        mode = self.case
        if mode == "mixed":
            mode = self.rng.choice(["as", "upper", "lower"])
        return text.upper() if mode == "upper" else text.lower() if mode == "lower" else text

    def _typo(self, text: str) -> str:
        if len(text) < 5 or self.rng.random() >= self.typo:
            return text
        i = self.rng.randrange(1, len(text) - 2)
        op = self.rng.random()
        if not text[i].isalpha() or not text[i + 1].isalpha():
            return text
        if op < 0.4:
            return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
        if op < 0.7:
            return text[:i] + text[i + 1 :]
        return text[:i] + text[i] + text[i:]

    def render(self, segs: list[Seg]) -> Built:
        out: list[str] = []
        spans: list[Span] = []
        pos = 0
        forced: str | None = None  # a literal separator requested by the template
        for text, label in segs:
            if not text:
                continue
            if label is None and (text == GLUE or not text.strip() or text == ","):
                forced = "" if text == GLUE else " , " if text == "," else text
                continue
            if out:
                sep = self.sep if forced is None else forced
                r = self.rng.random()
                if forced is None and r < self.drop_comma:
                    sep = " "
                elif forced is None and r < self.drop_comma + 0.015:
                    sep = ""  # glued: "BLDGPANBAZAR", "Badvel8-2-31"
                out.append(sep)
                pos += len(sep)
            forced = None
            if label in ("CITY", "LOCALITY", "STREET", "BUILDING", "LANDMARK"):
                text = self._typo(text)
            text = self._case(text)
            if label:
                spans.append((pos, pos + len(text), label))
            out.append(text)
            pos += len(text)
        return Built("".join(out), spans)


# ----------------------------------------------------------------------------- templates


def t_society(rng: random.Random, world: World, place: Place) -> list[Seg]:
    """A flat in a society named like a place, then the real locality and the city:
    'Tower 9, Flat 2201, Pushpa Prime Nagar, 2nd Cross, Velachery, Chennai'. The same name with
    only the city after it ('Flat 7, Mayur Vihar, Delhi') is the locality, so both forms
    are generated: the model must read the context, not the suffix."""
    is_building = rng.random() < 0.6
    name = society_as_place(rng, world, project=is_building)
    if is_building and rng.random() < 0.3:  # Enclave/Dham are building words anyway
        name = f"{name.rsplit(' ', 1)[0]} {rng.choice(['Enclave', 'Enclv', 'Dham'])}"
    segs: list[Seg] = []
    marketed = any(q in name.split() for q in lx.PROJECT_QUALIFIERS)
    if (
        is_building
        and rng.random() < 0.15
        and not name.startswith(("Shri", "Sri", "Shree", "SHRI"))
    ):
        # a developer brand in front is a project word too ("<brand> Vihar")
        name = f"{rng.choice(world.developers)} {name}"
        branded = True
    else:
        branded = False
    if not is_building and name.endswith(" Kunj"):  # Kunj is a housing word (policy), not a place
        name = f"{name[: -len('Kunj')]}{rng.choice(['Nagar', 'Vihar', 'Puram', 'Colony'])}"
    housing = name.endswith(("Enclave", "Enclv", "Dham", " Kunj"))
    if is_building and not marketed and not branded and not housing:
        # policy: a plain "<name> Nagar/Vihar/Colony" is a locality even between a flat number
        # and another locality ("H.No 12, Ram Nagar, Sector 5"); only a project word makes it a
        # society ("Pushpa Royale Nagar")
        is_building = False
    second_locality = is_building or rng.random() < 0.5
    if is_building and marketed and rng.random() < 0.3:
        pass  # "Pushpa Royale Nagar, MG Road, Balkum, Thane": the project name alone says it
    elif is_building:
        segs += apartment_units(rng) if rng.random() < 0.8 else [(unit(rng, 0.9), "UNIT")]
    else:
        segs.append((unit(rng, 0.8), "UNIT"))
    segs.append((name, "BUILDING" if is_building else "LOCALITY"))
    if rng.random() < 0.4:
        segs.append((street(rng, world), "STREET"))
    if rng.random() < 0.2:
        segs.append((landmark(rng, world), "LANDMARK"))
    if second_locality:
        real = rng.choice(place.offices) if rng.random() < 0.7 else locality(rng, world, place)
        segs.append((real, "LOCALITY"))
    segs.append((city(rng, world, place), "CITY"))
    tail(rng, world, place, segs, city_p=0.0)
    return segs


def t_residential(rng: random.Random, world: World, place: Place) -> list[Seg]:
    segs: list[Seg] = []
    if rng.random() < 0.1:
        segs.append((f"{rng.choice(lx.RELATION_CUES)} {person(rng, world)}", None))
    elif rng.random() < 0.03:  # typed as a sentence: "my house is at ..."
        segs.append((rng.choice(lx.CHATTY_OPENERS), None))
    elif rng.random() < 0.03:
        segs += [(rng.choice(["C/O", "C/o", "c/o"]), None), (shop(rng, world), "BUILDING")]
    has_building = rng.random() < 0.6
    u = unit(rng) if rng.random() < 0.85 else ""
    if has_building and not u and rng.random() < 0.25:  # "B Wing M3M Woodbury", "A Wing 503"
        segs += apartment_units(rng)
    b = building(rng, world) if has_building else ""
    if b and u and rng.random() < 0.15:  # "Sai Krupa Apt, Flat 5" / "NEELAM SOCIETY , FLAT NO 904"
        segs += [(b, "BUILDING"), (u, "UNIT")]
        if rng.random() < 0.3:
            segs.append((floor(rng), "UNIT"))
    else:
        if u:
            segs.append((u, "UNIT"))
        if rng.random() < 0.2:
            segs.append((wing(rng), "UNIT"))
        if rng.random() < 0.15:
            segs.append((floor(rng), "UNIT"))
        if b:
            segs.append((b, "BUILDING"))
    if rng.random() < 0.1 and b:
        segs.append((f"Plot No.{num(rng, 1, 300)}", "UNIT"))
    if rng.random() < 0.5:
        segs.append((street(rng, world), "STREET"))
    if rng.random() < 0.2:
        segs.append((landmark(rng, world), "LANDMARK"))
        if rng.random() < 0.2:
            segs.append((landmark(rng, world), "LANDMARK"))
    if not b or rng.random() < 0.88:  # "Flat 5, Lotus Apartments, Pune 411001": no locality
        segs.append((locality(rng, world, place), "LOCALITY"))
    if rng.random() < 0.2:
        segs.append((locality(rng, world, place), "LOCALITY"))
    tail(rng, world, place, segs)
    return segs


def t_flat_society(rng: random.Random, world: World, place: Place) -> list[Seg]:
    """Mumbai/Pune style: flat number, a suffix-less society name, the suburb with its side,
    often with no commas: '302 Shiv Darshan Dombivli East Thane 421201',
    'B/12, Om Sai Prasad, Kothrud, Pune'. The name right after the flat is the building; with no
    name ('302 Borivali West Mumbai') the suburb stays the locality."""
    n = num(rng, 1, 2999)
    u = rng.choice(
        [
            n,
            n,
            f"{letter(rng)}/{num(rng, 1, 1299)}",
            f"{letter(rng)}-{num(rng, 1, 1299)}",
            f"{letter(rng)} {num(rng, 1, 1299)}",
            f"{num(rng, 1, 1299)}/{letter(rng)}",
            f"Flat No {n}",
            f"Flat No. {n}",
            f"Flat {n}",
            f"Room No {n}",
            f"R. No. {n}",
            f"Block {n}",
            unit(rng, 0.5),
        ]
    )
    segs: list[Seg] = []
    if rng.random() < 0.05:
        segs.append((f"{rng.choice(lx.RELATION_CUES)} {person(rng, world)}", None))
    segs.append((u, "UNIT"))
    if rng.random() < 0.1:
        segs.append((rng.choice([floor(rng), wing(rng)]), "UNIT"))
    if rng.random() < 0.85:
        name = bare_society(rng, world)
        if rng.random() < 0.2:  # the same kind of name with its society word
            name = f"{name} {rng.choice(lx.SOCIETY_WORDS)}"
        segs.append((name, "BUILDING"))
        if rng.random() < 0.08:
            segs.append((rng.choice([f"Bldg No {num(rng, 1, 12)}", wing(rng)]), "UNIT"))
    if rng.random() < 0.25:
        segs.append((street(rng, world), "STREET"))
    if rng.random() < 0.1:
        segs.append((landmark(rng, world), "LANDMARK"))
    office = rng.choice(place.offices)
    if rng.random() < 0.7:
        office = f"{office} {rng.choice(lx.DIRECTION_TAILS)}"
    segs.append((office if rng.random() < 0.75 else locality(rng, world, place), "LOCALITY"))
    tail(rng, world, place, segs, city_p=0.8)
    if rng.random() < 0.55:  # typed without commas: "302 Sai Prasad Mulund West Mumbai"
        spaced: list[Seg] = []
        for seg in segs:
            if spaced:
                spaced.append((" ", None))
            spaced.append(seg)
        segs = spaced
    return segs


def tail(
    rng: random.Random, world: World, place: Place, segs: list[Seg], city_p: float = 0.85
) -> None:
    """City, state, pincode and the junk that follows them, each optional."""
    if rng.random() < city_p:
        segs.append((city(rng, world, place), "CITY"))
    if rng.random() < 0.1:
        segs.append(
            (
                f"{place.district} {rng.choice(['Dist', 'District', 'Dist.', '(Dist)', 'Distt'])}",
                None,
            )
        )
    if rng.random() < 0.45:
        segs.append((state(rng, place), "STATE"))
    if rng.random() < 0.7:
        prefix, pin = pin_text(rng, place)
        if prefix:
            segs.append((prefix.strip(), None))
        segs.append((pin, "PINCODE"))
    if rng.random() < 0.05:
        segs.append((rng.choice(["India", "INDIA", "IN"]), None))
    if rng.random() < 0.04:
        segs.append(
            (
                rng.choice(["Ph:", "Mob", "Phone", "Ph.No:", "Mobile:", "Contact"])
                + f" {rng.choice('6789')}{num(rng, 100000000, 999999999)}",
                None,
            )
        )


def t_business_ne(rng: random.Random, world: World, place: Place) -> list[Seg]:
    """Company-registry / bank style, often ALL CAPS, district + 'Unclassified' + state code:
    'DEKA PLAZA, 1ST FLOOR, R.G. ROAD, <locality> GUWAHATI , <district> Unclassified AS <pin>'."""
    segs: list[Seg] = []
    building_p = 0.82
    if rng.random() < 0.12:
        cue = rng.choice(["C/O", "C/o", "C/O.", "c/o", "Care of"])
        r = rng.random()
        if r < 0.5:
            segs.append((f"{cue} {person(rng, world)}", None))
        elif r < 0.7:  # a firm followed by its building: the named building is the building
            segs += [(cue, None), (firm(rng, world), None)]
            building_p = 0.9
        else:  # a business named as the care-of is the delivery point, so the building
            segs += [
                (cue, None),
                (shop(rng, world) if r < 0.85 else building(rng, world), "BUILDING"),
            ]
            building_p = 0.0
    elif rng.random() < 0.05:  # "PATHAK CHEMICAL INDUSTRIES INDUSTRIAL ESTATE ...": no building
        segs.append((firm(rng, world), None))
        building_p = 0.1
    if rng.random() < 0.35:
        segs.append((rng.choice([floor(rng), unit(rng, 0.5)]), "UNIT"))
    street_first = rng.random() < 0.12  # "KESAR BAGH ROAD, DURGA MANDIR COMPLEX HOUSE NO-9"
    if street_first:
        segs.append((street(rng, world), "STREET"))
    if rng.random() < building_p:
        b = building(rng, world, bare_ok=False)
        if rng.random() < 0.04:
            b = f'"{b}"'
        segs.append((b, "BUILDING"))
        if rng.random() < 0.04:  # "BORA BLDGPANBAZAR ROAD"
            segs.append((GLUE, None))
    if rng.random() < 0.25:
        segs.append((rng.choice([floor(rng), unit(rng, 0.6)]), "UNIT"))
    elif rng.random() < 0.12:  # door number written before the street: "..., 21 K.P. Road"
        segs.append((num(rng, 1, 250), "UNIT"))
    if rng.random() < 0.2:
        segs.append((landmark(rng, world), "LANDMARK"))
    if not street_first and rng.random() < 0.75:
        segs.append((street(rng, world), "STREET"))
    if rng.random() < 0.15:
        segs.append((landmark(rng, world), "LANDMARK"))
    segs.append((locality(rng, world, place), "LOCALITY"))
    if rng.random() < 0.12:
        segs.append(
            (
                rng.choice(["P.O.", "PO", "P.O", "PS", "P.S."])
                + rng.choice(["", " "])
                + rng.choice(place.offices),
                "LOCALITY",
            )
        )
    segs.append((city(rng, world, place), "CITY"))
    if rng.random() < 0.15:
        segs.append((rng.choice(["ASSAM", "Assam", state(rng, place)]), "STATE"))
    segs.append((",", None))
    if rng.random() < 0.6:
        segs.append((place.district, None))
    segs.append(("Unclassified" if rng.random() < 0.8 else "", None))
    segs.append((rng.choice(["AS", "AS", "ASSAM", state(rng, place)]), "STATE"))
    segs.append((place.pincode, "PINCODE"))
    return segs


def t_chandigarh(rng: random.Random, world: World, place: Place) -> list[Seg]:
    """Tricity style:
    '# 1187, <name> ENCLAVE, SECTOR 9     CHANDIGARH Chandigarh CH IN <pin>'."""
    segs: list[Seg] = [
        (
            rng.choice(
                [
                    f"# {num(rng, 1, 6999)}",
                    f"#{num(rng, 1, 6999)}",
                    unit(rng, 0.9),
                    f"SCO {num(rng, 1, 999)}-{num(rng, 1, 99)}",
                    f"Booth No. {num(rng, 1, 200)}",
                ]
            ),
            "UNIT",
        )
    ]
    if rng.random() < 0.2:
        segs.append(
            (rng.choice([floor(rng), f"Cabin No. {num(rng, 100, 400)}", wing(rng)]), "UNIT")
        )
    if rng.random() < 0.6:
        segs.append((building(rng, world, bare_ok=False), "BUILDING"))
    sector = (
        rng.choice(["Sector", "SECTOR", "Sector-", "Sec"])
        + rng.choice([" ", ""])
        + num(rng, 1, 70)
        + rng.choice(["", "", "-A", "B", " C", "-D", "/B", ""])
    )
    segs.append((rng.choice([sector, sector, locality(rng, world, place)]), "LOCALITY"))
    c = city(rng, world, place)
    segs.append(("    " if rng.random() < 0.6 else "", None))
    segs.append((c, "CITY"))
    segs.append((c.title() if rng.random() < 0.5 else "", None))
    segs.append((rng.choice(["CH", "Chandigarh", state(rng, place)]), "STATE"))
    segs.append(("IN", None))
    segs.append((place.pincode, "PINCODE"))
    return segs


def t_hyderabad_business(rng: random.Random, world: World, place: Place) -> list[Seg]:
    """Door-number style:
    '2-4-117/1, IIND FLOOR,<name> CHAMBERS, <road>,   HYDERABAD-5 Telangana INDIA <pin>'."""
    segs: list[Seg] = []
    if rng.random() < 0.8:
        segs.append((unit(rng, 0.5), "UNIT"))
    if rng.random() < 0.4:
        segs.append((floor(rng), "UNIT"))
    if rng.random() < 0.8:
        segs.append((building(rng, world, bare_ok=False), "BUILDING"))
    if rng.random() < 0.3:
        segs.append((unit(rng, 0.5), "UNIT"))
    if rng.random() < 0.7:
        segs.append((street(rng, world), "STREET"))
    segs.append((locality(rng, world, place), "LOCALITY"))
    segs.append(("  ", None))
    segs.append(
        (city(rng, world, place) + rng.choice(["", "", "-" + num(rng, 1, 99), "."]), "CITY")
    )
    segs.append((rng.choice(["A.P.", "", ""]), None))
    segs.append((state(rng, place), "STATE"))
    segs.append(("INDIA", None))
    segs.append((place.pincode, "PINCODE"))
    return segs


def plus_code(rng: random.Random) -> str:
    chars = lx.PLUS_CODE_CHARS
    return "".join(rng.choice(chars) for _ in range(rng.choice([4, 6, 7, 8])))


def district(rng: random.Random, place: Place) -> str:
    canon = "Andhra Pradesh" if place.state == "Andhra Pradesh" else place.state
    newer = lx.NEW_DISTRICTS.get(canon)
    if newer and rng.random() < 0.35:
        return rng.choice(newer)
    return place.district


def t_rural_south(rng: random.Random, world: World, place: Place) -> list[Seg]:
    """Village-registry style: village and door number (often typed twice, glued), map-app
    fragments, a '-1' junk field, then DISTRICT,STATE,PIN:
    'Kothapalle2-41, Kothapalle2-41,-1,KURNOOL,ANDHRA PRADESH,518002'."""
    body: list[Seg] = []
    for _ in range(rng.choice([1, 1, 2, 3])):
        body.append((rng.choice(place.offices), "LOCALITY"))
    if rng.random() < 0.5:
        body.insert(
            rng.randrange(len(body) + 1),
            (unit_number(rng) if rng.random() < 0.7 else unit(rng), "UNIT"),
        )
    if rng.random() < 0.12:
        body.insert(0, (f"S/O {person(rng, world)}".upper(), None))
    elif rng.random() < 0.08:  # the resident's name without a cue: "SUNKI REDDY,NO 4 3 ..."
        body.insert(0, (person(rng, world).upper(), None))
    if rng.random() < 0.1:
        body.append((landmark(rng, world), "LANDMARK"))
    if rng.random() < 0.15:
        colony = rng.choice(
            ["BC Colony", "SC Colony", "Indiramma Colony", "AA Colony", "ST Colony"]
        )
        body.append((colony, "LOCALITY"))
    if rng.random() < 0.2:
        admin = [
            "Mandal",
            "Mandalam",
            "Village",
            "(Village)",
            "(V)",
            "(M)",
            "Post",
            "Taluk",
            "Dist",
            "Panchayat",
            "Mandal/Taluk",
            "village and post",
        ]
        body.insert(rng.randrange(len(body) + 1), (rng.choice(admin), None))
    if rng.random() < 0.25:  # pasted from a map app: district, plus code, state + pin, India
        frag: list[Seg] = []
        if rng.random() < 0.5:
            frag.append((district(rng, place), "CITY"))
        frag.append((plus_code(rng), None))
        if rng.random() < 0.6:
            frag += [(state(rng, place), "STATE"), (place.pincode, "PINCODE")]
        frag.append(("India", None))
        at = rng.randrange(len(body) + 1)
        body[at:at] = frag
    if rng.random() < 0.08:
        body.append((f"Ph.No: {rng.choice('6789')}{num(rng, 100000000, 999999999)}", None))
    if rng.random() < 0.15:  # form filler: "current office", a bank branch, "Near"
        body.insert(rng.randrange(len(body) + 1), (rng.choice(lx.RURAL_FILLER), None))
    if rng.random() < 0.12:  # map-app header: village, district, DISTRICT glued to the next village
        office = rng.choice(place.offices)
        head: list[Seg] = [(office, "LOCALITY")]
        if rng.random() < 0.5:
            head.append((district(rng, place), "CITY"))
        head += [(district(rng, place).upper(), None), (GLUE, None)]
        body[0:0] = head
    segs = list(body)
    if rng.random() < 0.5:  # the whole field typed twice, glued
        segs.append((GLUE, None))
        segs += body
    segs.append(("-1" if rng.random() < 0.8 else rng.choice(lx.JUNK), None))
    segs.append(
        (district(rng, place).upper() if rng.random() < 0.6 else city(rng, world, place), "CITY")
    )
    segs.append((state(rng, place).upper(), "STATE"))
    segs.append((place.pincode, "PINCODE"))
    return segs


def t_rural_north(rng: random.Random, world: World, place: Place) -> list[Seg]:
    segs: list[Seg] = []
    if rng.random() < 0.45:
        segs.append((f"{rng.choice(lx.RELATION_CUES[:8])} {person(rng, world)}", None))
    if rng.random() < 0.25:
        segs.append((unit(rng), "UNIT"))
    if rng.random() < 0.15:
        segs.append((landmark(rng, world), "LANDMARK"))
    for _ in range(rng.choice([1, 2, 2, 3])):
        cue = rng.choice(lx.ADMIN_CUES)
        segs.append((f"{cue} {rng.choice(place.offices)}", "LOCALITY"))
    tail(rng, world, place, segs, city_p=0.7)
    return segs


def t_landmark_first(rng: random.Random, world: World, place: Place) -> list[Seg]:
    segs: list[Seg] = []
    if rng.random() < 0.12:  # typed as a sentence: "my home is near ..."
        segs.append((rng.choice(lx.CHATTY_OPENERS), None))
    if rng.random() < 0.3:
        segs.append((unit(rng), "UNIT"))
        if rng.random() < 0.5:
            segs.append((floor(rng), "UNIT"))
    if rng.random() < 0.25:
        segs.append((building(rng, world), "BUILDING"))
    segs.append((landmark(rng, world), "LANDMARK"))
    if rng.random() < 0.4:
        segs.append((landmark(rng, world), "LANDMARK"))
    if rng.random() < 0.6:
        segs.append((street(rng, world), "STREET"))
    segs.append((locality(rng, world, place), "LOCALITY"))
    tail(rng, world, place, segs)
    return segs


def t_shop(rng: random.Random, world: World, place: Place) -> list[Seg]:
    """'C/O Verma Kirana Store, Main Bazar, Solan, HP 173212': a business named as the care-of
    (and no building after it) is where the post is delivered, so it is the building. Without
    "C/O" a shop or office is not a building (``t_hard_negative``)."""
    segs: list[Seg] = [
        (rng.choice(["C/O", "C/o", "c/o", "Care of"]), None),
        (shop(rng, world), "BUILDING"),
    ]
    if rng.random() < 0.5:
        segs.append((street(rng, world), "STREET"))
    segs.append((locality(rng, world, place), "LOCALITY"))
    tail(rng, world, place, segs)
    return segs


def t_minimal(rng: random.Random, world: World, place: Place) -> list[Seg]:
    """Fragments and junk customers type: only a city, a pin, random letters, a phone number."""
    r = rng.random()
    if r < 0.2:
        return [(city(rng, world, place), "CITY")]
    if r < 0.35:
        return [(pin_text(rng, place)[1], "PINCODE")]
    if r < 0.5:
        return [(state(rng, place), "STATE")]
    if r < 0.65:
        return [(city(rng, world, place), "CITY"), (place.pincode, "PINCODE")]
    if r < 0.8:
        junk = "".join(rng.choice("qwertyuiopasdfghjklzxcvbnm") for _ in range(rng.randint(3, 10)))
        return [(junk, None)]
    if r < 0.9:
        return [(num(rng, 1, 99999), None)]
    return [(rng.choice([*lx.FLOOR_WORDS, "Ground Floor", "Main Road", "Near Temple"]), None)]


# ----------------------------------------------------------------------------- regional templates
# Kinds of address that one generator's habits missed (issue 13): names with no building word,
# regional housing words, names with common words inside, the building after the locality, and
# hard negatives (colonies, shops, offices, roads). Word lists: ``nlp/lexicon_regional.py``.


def regional_stem(rng: random.Random, world: World, region: str | None = None) -> str:
    stems = world.regions[region or rng.choice(sorted(world.regions))][1]
    return rng.choice(stems)


def bare_name(rng: random.Random, world: World) -> str:
    """A building name with no building word: "Tulsi", "Sapphire", "Skyline Ivy",
    "Godrej Woodsville", "Orchid Petals (Sobha)", "Meadows by Shriram"."""
    r = rng.random()
    if r < 0.25:
        return rng.choice(world.stems_en)
    if r < 0.4:
        return f"{rng.choice(world.stems_en)} {rng.choice(world.stems_en)}"
    if r < 0.55:
        return regional_stem(rng, world)
    if r < 0.65:
        return rng.choice(world.stems_in)
    if r < 0.75:
        return bare_society(rng, world)
    brand = rng.choice(world.developers)
    name = rng.choice(world.stems_en + world.stems_in)
    if rng.random() < 0.4:
        name = f"{name} {rng.choice(world.stems_en)}"
    pattern = rng.choice(lr.BRAND_PATTERNS)
    return pattern.format(brand=brand, name=name, n=rng.choice(["1", "2", "II", "3"]))


def inner_word_name(rng: random.Random, world: World) -> str:
    """A name with a building or place word inside it: "Palm Greens Villa", "Gold Coast Towers
    Annexe", "Park View Residency". The whole is the building."""
    head = rng.choice(world.stems_en + world.stems_in)
    name = f"{head} {rng.choice(lr.INNER_WORDS)}"
    r = rng.random()
    if r < 0.65:
        name += f" {rng.choice(lr.NAME_TAILS)}"
    elif r < 0.75:  # a part of a bigger project: "<name> City South", "<name> Colony Building 4"
        name += f" {rng.choice(['North', 'South', 'East', 'West', 'Building', 'Bldg No', 'Wing'])}"
        if name.endswith(("Building", "No", "Wing")):
            name += f" {rng.choice([str(num(rng, 1, 12)), letter(rng)])}"
    if rng.random() < 0.2:
        name = f"{rng.choice(world.developers)} {name}"
    return name


def regional_building(rng: random.Random, world: World, region: str) -> str:
    housing, _ = world.regions[region]
    word = rng.choice(housing)
    if word == "Chawl":
        who = rng.choice(
            [
                rng.choice(world.last),
                regional_stem(rng, world, region),
                f"{rng.choice(world.first)} {rng.choice(world.last)}",
                f"{rng.choice(['Seth', 'Sheth', 'Master', 'Mukadam'])} {rng.choice(world.first)}",
                rng.choice(["Municipal", "Mill", "Railway", "Police", "Port Trust", "Mhada"]),
            ]
        )
        return f"{who} Chawl" + (f" No {num(rng, 1, 12)}" if rng.random() < 0.3 else "")
    if word == "Bari":
        return f"{rng.choice(world.last)} Bari"
    stem_ = regional_stem(rng, world, region)
    if rng.random() < 0.25:
        stem_ = f"{stem_} {regional_stem(rng, world, region)}"
    if rng.random() < 0.1:
        stem_ = f"{rng.choice(['Shree', 'Shri', 'Sri'])} {stem_}"
    return f"{stem_} {word}"


def short_tail(rng: random.Random, world: World, place: Place, segs: list[Seg]) -> None:
    """City and pincode, sometimes a postal-district shorthand ("Delhi 34", "Kolkata-64"):
    the number is the pincode's shorthand (PINCODE), the name the city."""
    c = city(rng, world, place)
    if rng.random() < 0.12:
        segs.append((rng.choice(lr.POSTAL_DISTRICT_CITIES), "CITY"))
        segs.append((rng.choice([" ", " - ", "-", " "]), None))
        segs.append((str(int(place.pincode[-2:]) or num(rng, 1, 99)), "PINCODE"))
        return
    tail(rng, world, place, segs, city_p=0.9 if c else 0.0)


def _units_for_complex(rng: random.Random) -> list[Seg]:
    r = rng.random()
    if r < 0.4:
        return apartment_units(rng)
    if r < 0.6:
        return [(unit_code(rng), "UNIT")]
    if r < 0.7:  # a tower letter glued to the flat: "T5 503", "T-2 1104"
        return [
            (
                f"T{rng.choice(['', '-'])}{num(rng, 1, 9)} {num(rng, 1, 30)}{num(rng, 1, 8):0>2}",
                "UNIT",
            )
        ]
    return [(unit(rng, 0.8), "UNIT")]


def t_bare_name(rng: random.Random, world: World, place: Place) -> list[Seg]:
    """'C-304 Tulsi, Baner, Pune', 'Flat 5A, Sapphire, Kakkanad', 'Skyline Ivy, Tower B, ...',
    'Wakad, Sai Paradise, Flat 12, Pune', 'Emerald Gardens T5 503, ...'. Names without a
    building word, in any order; the unit and a real locality around the name show it."""
    name = bare_name(rng, world) if rng.random() < 0.7 else inner_word_name(rng, world)
    units = _units_for_complex(rng)
    loc = (
        rng.choice(place.offices) if rng.random() < 0.8 else locality(rng, world, place),
        "LOCALITY",
    )
    # a sector or a colony-named place between the name and the locality ("Sec 137", "Keshav
    # Nagar"): the name before it is still the building
    between: list[Seg] = []
    r = rng.random()
    if r < 0.15:
        between = [(sector(rng), "LOCALITY")]
    elif r < 0.25:
        between = [(colony(rng, world), "LOCALITY")]
    order = rng.random()
    segs: list[Seg] = []
    if order < 0.55:
        segs += [*units, (name, "BUILDING"), *between]
        if rng.random() < 0.3:
            segs.append((street(rng, world), "STREET"))
        if not between or rng.random() < 0.6:
            segs.append(loc)
    elif order < 0.8:
        segs += [(name, "BUILDING"), *units, *between]
        if rng.random() < 0.3:
            segs.append((street(rng, world), "STREET"))
        if not between or rng.random() < 0.6:
            segs.append(loc)
    else:  # the building after the locality
        segs += [loc, (name, "BUILDING"), *units]
    if rng.random() < 0.15:
        segs.insert(len(segs) - 1, (landmark(rng, world), "LANDMARK"))
    short_tail(rng, world, place, segs)
    return segs


def t_regional(rng: random.Random, world: World, place: Place) -> list[Seg]:
    """Regional housing words: '12, Sukhobristi Abasan, Baguiati, Kolkata 59', 'A-14 Shreeji
    Tenements, Naroda', 'Puthenpurayil House, Kuzhimattom P.O., Kottayam', 'Room 5, Patil Chawl'."""
    region = rng.choice(sorted(world.regions))
    segs: list[Seg] = []
    if region == "kerala" and rng.random() < 0.6:
        family = regional_stem(rng, world, "kerala")
        if rng.random() < 0.3:
            segs.append(
                (rng.choice([f"TC {num(rng, 1, 60)}/{num(rng, 1, 3000)}", unit(rng, 0.6)]), "UNIT")
            )
        segs.append(
            (f"{family} {rng.choice(['House', 'House', 'Veedu', 'Villa', 'Illam'])}", "BUILDING")
        )
        if rng.random() < 0.25:
            segs.append((street(rng, world), "STREET"))
        segs.append((rng.choice(place.offices), "LOCALITY"))
        segs.append((GLUE, None))
        segs.append((f" {rng.choice(lr.POST_OFFICE_TAILS)}", None))
        segs.append((place.district, "CITY"))
        tail(rng, world, place, segs, city_p=0.0)
        return segs
    name = regional_building(rng, world, region)
    if rng.random() < 0.75:
        cue = rng.choice(["Room No", "R. No.", "Room"]) if "Chawl" in name else None
        segs.append((f"{cue} {num(rng, 1, 60)}" if cue else unit(rng, 0.6), "UNIT"))
    loc: Seg = (
        rng.choice(place.offices) if rng.random() < 0.75 else locality(rng, world, place),
        "LOCALITY",
    )
    if rng.random() < 0.15:  # the locality first: "Thaltej, Shreeji Bungalows, No 9"
        segs = [loc, (name, "BUILDING"), *segs]
        short_tail(rng, world, place, segs)
        return segs
    if rng.random() < 0.2 and segs:
        segs = [(name, "BUILDING"), *segs]
    else:
        segs.append((name, "BUILDING"))
    if rng.random() < 0.35:
        segs.append((street(rng, world), "STREET"))
    if rng.random() < 0.15:
        segs.append((landmark(rng, world), "LANDMARK"))
    segs.append(loc)
    short_tail(rng, world, place, segs)
    return segs


def sector(rng: random.Random) -> str:
    """A numbered sector as planned cities write it, up to three digits ("Sec 137", "Sector-62")."""
    cue = rng.choice(["Sector ", "Sec ", "Sec. ", "sector ", "SECTOR ", "Sector-", "Sec-"])
    return f"{cue}{num(rng, 1, 170)}{rng.choice(['', '', '', 'A', 'B'])}"


def colony(rng: random.Random, world: World) -> str:
    head = rng.choice(lr.COLONY_HEADS).replace("-", " ")
    word = rng.choice(lr.COLONY_WORDS)
    if word in ("Block", "Sector"):
        return f"{head} {word} {rng.choice([letter(rng), num(rng, 1, 40)])}"
    return f"{head} {word}"


def t_hard_negative(rng: random.Random, world: World, place: Place) -> list[Seg]:
    """Names that look like buildings but are not: a colony after the house number ('H.No 45,
    Shastri Khand, ...'), a shop or office ('Gupta Kirana Store, Main Bazar'), a road named after
    a place ('12, Station Road'). A named complex after a shop is still the building."""
    segs: list[Seg] = []
    r = rng.random()
    if r < 0.4:
        segs.append((unit(rng, 0.8), "UNIT"))
        segs.append((colony(rng, world), "LOCALITY"))
        if rng.random() < 0.5:
            segs.append((rng.choice(place.offices), "LOCALITY"))
    elif r < 0.75:
        who = rng.choice(
            [
                rng.choice(world.last),
                rng.choice(world.first),
                regional_stem(rng, world),
                rng.choice(["Om", "Sai", "Jai", "New", "Shree", "Balaji"]),
                # several words in front: "New <name>", "Sri <god>", "Dr. <surname>"
                f"{rng.choice(['New', 'Sri', 'Shree', 'Jai', 'Om', 'Royal', 'Dr.', 'Dr'])} "
                f"{rng.choice(world.first + world.last + world.stems_in)}",
            ]
        )
        what = rng.choice(lr.SHOP_WORDS)
        if rng.random() < 0.15 and what.endswith(("Store", "Centre")):
            what += "s"  # "Provision Stores"
        segs.append((f"{who} {what}", None))
        if rng.random() < 0.2:  # "<shop>, 1st Floor, <complex>": the complex is the building
            if rng.random() < 0.5:
                segs.append((floor(rng), "UNIT"))
            segs.append(
                (
                    f"{stem(rng, world, 0.4)} "
                    + rng.choice(
                        [suffix(rng, ["Complex", "Plaza", "Building"]), "Chambers", "Arcade"]
                    ),
                    "BUILDING",
                )
            )
        elif rng.random() < 0.5:
            segs.append(
                (
                    rng.choice(
                        [
                            f"Shop No {num(rng, 1, 40)}",
                            f"Shop {num(rng, 1, 40)}",
                            floor(rng),
                            f"Office {num(rng, 100, 900)}",
                        ]
                    ),
                    "UNIT",
                )
            )
            if rng.random() < 0.4:  # the complex the shop is in is the building
                segs.append(
                    (
                        f"{stem(rng, world, 0.4)} {suffix(rng, ['Complex', 'Plaza', 'Building'])}",
                        "BUILDING",
                    )
                )
    else:
        segs.append((unit(rng, 0.5), "UNIT"))
    if rng.random() < 0.6:
        head = rng.choice(lr.ROAD_HEADS).replace("-", " ")
        segs.append(
            (f"{head} {rng.choice(['Road', 'Rd', 'Road', 'Street', 'Marg', 'Lane'])}", "STREET")
        )
    if rng.random() < 0.2:
        segs.append((landmark(rng, world), "LANDMARK"))
    segs.append(
        (
            rng.choice(place.offices) if rng.random() < 0.7 else locality(rng, world, place),
            "LOCALITY",
        )
    )
    short_tail(rng, world, place, segs)
    return segs


TEMPLATES: list[tuple[float, Callable[[random.Random, World, Place], list[Seg]]]] = [
    (0.29, t_residential),
    (0.04, t_flat_society),
    (0.05, t_society),
    (0.17, t_business_ne),
    (0.06, t_chandigarh),
    (0.05, t_hyderabad_business),
    (0.11, t_rural_south),
    (0.09, t_rural_north),
    (0.08, t_landmark_first),
    (0.04, t_shop),
    (0.04, t_minimal),
    (0.08, t_bare_name),
    (0.07, t_regional),
    (0.06, t_hard_negative),
]


def _prefer_state(world: World, rng: random.Random, template: Callable) -> Place:
    wanted = {
        t_business_ne: ("Assam",),
        t_flat_society: ("Maharashtra", "Gujarat", "Goa"),
        t_chandigarh: ("Chandigarh", "Punjab", "Haryana"),
        t_hyderabad_business: ("Telangana", "Andhra Pradesh"),
        t_rural_south: ("Andhra Pradesh", "Telangana", "Karnataka", "Tamil Nadu"),
    }.get(template)
    for _ in range(30):
        place = rng.choice(world.places)
        if not wanted or place.state in wanted:
            return place
    return place


NOTES = [
    "(call before delivery)",
    "(ring the bell twice)",
    "(on weekdays)",
    "(ask for the watchman)",
    "(leave with security)",
    "(come to the gate and call)",
    "Ph: 98xxxxxx10",
    "Deliver after 6 pm",
    "(office hours only)",
    "(back side entrance)",
    "(near the big tree)",
    "c/o security desk",
]


def generate(n: int, seed: int, which: str = "train") -> Iterator[Built]:
    """``n`` labelled addresses; the same (n, seed, which) always gives the same list."""
    rng = random.Random(seed)
    world = load_world(which)
    weights = [w for w, _ in TEMPLATES]
    funcs = [f for _, f in TEMPLATES]
    for _ in range(n):
        template = rng.choices(funcs, weights)[0]
        place = _prefer_state(world, rng, template)
        built = Renderer(rng).render(template(rng, world, place))
        if rng.random() < 0.03:  # stray whitespace or a trailing dot / ellipsis
            built = Built(built.text + rng.choice(["...", ".", " ", "  "]), built.spans)
        elif rng.random() < 0.02:  # a note to the courier
            note = rng.choice(NOTES)
            built = Built(built.text + rng.choice([" ", ", "]) + note, built.spans)
        yield built


# ----------------------------------------------------------------------------- spaCy corpus


def to_doc(nlp, built: Built):  # type: ignore[no-untyped-def]
    """A Doc with one BIO tag per token (tags live in ``token.tag_``)."""
    doc = nlp.make_doc(built.text)
    tags = ["O"] * len(doc)
    for start, end, label in built.spans:
        inside = False
        for token in doc:
            if token.idx >= end:
                break
            if token.idx + len(token) <= start or token.idx < start:
                continue
            if token.is_space:
                if inside:
                    tags[token.i] = f"I-{label}"
                continue
            tags[token.i] = f"{'I' if inside else 'B'}-{label}"
            inside = True
    # whitespace tokens at the end of a span are outside it
    for i in range(len(doc) - 1, -1, -1):
        if (
            doc[i].is_space
            and tags[i] != "O"
            and (i + 1 == len(doc) or not tags[i + 1].startswith("I-"))
        ):
            tags[i] = "O"
    for token, tag in zip(doc, tags, strict=True):
        token.tag_ = tag
    return doc


def write_docbin(path: Path, n: int, seed: int, which: str) -> int:
    import spacy
    from spacy.tokens import DocBin

    from notifier.address.tokenizer import register_spacy_tokenizers

    register_spacy_tokenizers()

    nlp = spacy.blank(
        "en", config={"nlp": {"tokenizer": {"@tokenizers": "notifier.address_tokenizer.v2"}}}
    )
    db = DocBin(attrs=["TAG"], store_user_data=False)
    count = 0
    for built in generate(n, seed, which):
        db.add(to_doc(nlp, built))
        count += 1
    path.parent.mkdir(parents=True, exist_ok=True)
    db.to_disk(path)
    return count


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--split", choices=["train", "dev"], default="train")
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path)
    ap.add_argument(
        "--show", action="store_true", help="print JSON lines instead of writing a corpus"
    )
    args = ap.parse_args()
    if args.show or not args.out:
        for built in generate(args.n, args.seed, args.split):
            spans = [(built.text[s:e], label) for s, e, label in built.spans]
            print(json.dumps({"text": built.text, "spans": spans}, ensure_ascii=False))
        return
    count = write_docbin(args.out, args.n, args.seed, args.split)
    print(f"wrote {count} docs to {args.out}")


if __name__ == "__main__":
    main()
