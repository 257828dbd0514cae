"""Build the hand-written matching set from ``projects.tsv``: the registry and the addresses.

    python bench/matching/handset/make.py        # rewrites registry.jsonl and addresses.jsonl

Not the generator's mirror: the projects (names, brands, localities, pincodes, the spellings and
place words customers write, parent estates) are hand-written knowledge in ``projects.tsv``;
this script only lays them out as customers write addresses, with templates chosen by hand per
kind (below). Deterministic (seeded per project), so the files can be diffed. The split is by
project: every address of one building is in the same split, so tuning on ``dev`` never sees
a ``test`` building. ``test`` is report-only.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent

# How customers write their city besides its name (hand-written, by city).
CITY_SHORT = {
    "Bengaluru": ["Bangalore", "Blr", "BANGALORE", "Bengaluru"],
    "Mumbai": ["Bombay", "Mumbai", "MUMBAI"],
    "Pune": ["Pune", "PUNE", "Poona"],
    "Hyderabad": ["Hyd", "Hyderabad", "Secunderabad"],
    "Chennai": ["Madras", "Chennai", "CHENNAI"],
    "Gurugram": ["Gurgaon", "Ggn", "Gurgoan", "GURGAON"],
    "Noida": ["Noida", "NOIDA", "Gautam Buddh Nagar"],
    "Greater Noida": ["Gr Noida", "Greater Noida West", "Noida Extension"],
    "Delhi": ["New Delhi", "Delhi", "Dilli"],
    "Kolkata": ["Calcutta", "Kolkata", "Kol"],
    "Thane": ["Thane W", "Thane", "Thane West"],
    "Navi Mumbai": ["Navi Mumbai", "New Bombay"],
    "Ahmedabad": ["Amdavad", "Ahmedabad", "Ahd"],
    "Kochi": ["Cochin", "Ernakulam", "Kochi"],
    "Nashik": ["Nasik", "Nsk", "Nashik"],
    "Mohali": ["Mohali", "SAS Nagar"],
    "Mullanpur": ["New Chandigarh", "Mullanpur"],
    "Zirakpur": ["Zirakpur", "Zirakpur Chd"],
    "Jaipur": ["Jaipur", "JAIPUR"],
    "Lucknow": ["Lko", "Lucknow"],
    "Indore": ["Indore"],
    "Coimbatore": ["Kovai", "Coimbatore", "Cbe"],
    "Visakhapatnam": ["Vizag", "Visakhapatnam"],
    "Bhubaneswar": ["Bbsr", "Bhubaneswar"],
    "Thrissur": ["Thrissur", "Trichur"],
    "Ghaziabad": ["Ghaziabad", "Gzb"],
}
STATE = {
    "Bengaluru": "Karnataka",
    "Mumbai": "Maharashtra",
    "Pune": "Maharashtra",
    "Thane": "Maharashtra",
    "Navi Mumbai": "Maharashtra",
    "Nashik": "Maharashtra",
    "Hyderabad": "Telangana",
    "Chennai": "Tamil Nadu",
    "Coimbatore": "Tamil Nadu",
    "Gurugram": "Haryana",
    "Noida": "Uttar Pradesh",
    "Greater Noida": "Uttar Pradesh",
    "Ghaziabad": "Uttar Pradesh",
    "Lucknow": "Uttar Pradesh",
    "Kolkata": "West Bengal",
    "Ahmedabad": "Gujarat",
    "Kochi": "Kerala",
    "Thrissur": "Kerala",
    "Jaipur": "Rajasthan",
    "Indore": "Madhya Pradesh",
}
# Cities whose customers write the postal district ("Mumbai 76" for 400076).
POSTAL_DISTRICT = {"Mumbai", "Kolkata", "Delhi", "Chennai"}
UNITS = [
    "Flat 302",
    "A-1104",
    "B 1202",
    "Flat No. 5A",
    "T4-1801",
    "Apt 703",
    "C/404",
    "H.No 12",
    "Flat-G2",
    "1203",
    "Tower C 905",
    "Villa 42",
    "E-602",
    "#210",
    "Wing B 1506",
    "D1 / 803",
]
LEGAL_TAILS = [
    "CHS Ltd",
    "Co-op Hsg Soc Ltd",
    "Apartments",
    "Condominium",
    "Residents Welfare Association",
    "Phase 2",
    "Apts",
    "CGHS",
    "Owners Association",
]
LANDMARKS = [
    "Near Big Bazaar",
    "Opp. HP Petrol Pump",
    "Behind Reliance Fresh",
    "Near Metro Station",
    "Opp Ganesh Temple",
]
ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV"}


@dataclass
class Project:
    key: str
    role: str
    name: str
    brand: str
    locality: str
    city: str
    pincode: str
    spellings: list[str]
    places: list[str]
    parent: str


def load_projects(path: Path = HERE / "projects.tsv") -> list[Project]:
    projects = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        f = line.split("\t")
        projects.append(
            Project(
                f[0],
                f[1],
                f[2],
                f[3].strip(),
                f[4],
                f[5],
                f[6],
                [s for s in f[7].split(";") if s],
                [s for s in f[8].split(";") if s],
                f[9].strip(),
            )
        )
    return projects


def split_of(key: str) -> str:
    return "test" if int(hashlib.sha256(key.encode()).hexdigest(), 16) % 2 else "dev"


def brand_words(p: Project) -> list[str]:
    """The brand as written inside the registry name (its first word(s)), or []."""
    if not p.brand:
        return []
    for candidate in (p.brand, p.brand.split()[0]):
        if p.name.lower().startswith(candidate.lower() + " "):
            return candidate.split()
    return []


def without_brand(p: Project) -> str | None:
    words = brand_words(p)
    if not words:
        return None
    rest = p.name.split()[len(words) :]
    return " ".join(rest) if rest else None


class Address:
    """Parts joined into a text, each labelled (gold segments are substrings)."""

    def __init__(self, sep: str = ", ") -> None:
        self.parts: list[tuple[str, str | None]] = []
        self.sep = sep

    def add(self, text: str | None, label: str | None) -> Address:
        if text:
            self.parts.append((text, label))
        return self

    def build(self, upper: bool = False) -> tuple[str, dict[str, str]]:
        texts = [t.upper() if upper else t for t, _ in self.parts]
        text = self.sep.join(texts)
        segments: dict[str, str] = {}
        for t, (_, label) in zip(texts, self.parts, strict=True):
            if label and label not in segments:
                segments[label] = t
            elif label == "locality":
                # a second locality: the segmenter tags one; gold keeps the first
                pass
        return text, segments


def city_written(p: Project, rng: random.Random) -> str:
    return rng.choice(CITY_SHORT.get(p.city, [p.city]))


def typo(name: str, rng: random.Random) -> str:
    """A vowel changed, a letter doubled or dropped in the longest word (a customer's slip)."""
    words = name.split()
    i = max(range(len(words)), key=lambda j: len(words[j]))
    w = words[i]
    if len(w) < 5:
        return name
    kind = rng.choice(["vowel", "double", "drop", "swap"])
    pos = rng.randrange(2, len(w) - 1)
    if kind == "vowel":
        vowels = [j for j in range(1, len(w)) if w[j] in "aeiou"]
        if vowels:
            j = rng.choice(vowels)
            w = w[:j] + rng.choice([v for v in "aeiou" if v != w[j]]) + w[j + 1 :]
    elif kind == "double":
        w = w[:pos] + w[pos] + w[pos:]
    elif kind == "drop":
        w = w[:pos] + w[pos + 1 :]
    else:
        w = w[: pos - 1] + w[pos] + w[pos - 1] + w[pos + 1 :]
    words[i] = w
    return " ".join(words)


def sector_form(locality: str, rng: random.Random) -> str:
    m = re.fullmatch(r"Sector (\d+)([A-Z]?)", locality)
    if not m:
        return locality
    num, letter = m.groups()
    return rng.choice(
        [
            f"Sec-{num}{letter}",
            f"Sec {num}{'-' + letter if letter else ''}",
            f"Sector-{num}{letter}",
            f"sector {num}{letter.lower()}",
        ]
    )


def positive(p: Project, kind: str, rng: random.Random) -> tuple[str, dict[str, str]] | None:
    unit = rng.choice(UNITS)
    city = city_written(p, rng)
    pin = p.pincode
    name = p.name
    loc = p.locality
    rest = without_brand(p)
    brand = " ".join(brand_words(p))
    a = Address()
    upper = False
    if kind == "exact":
        a.add(unit, "unit").add(name, "building").add(loc, "locality").add(city, "city")
        a.add(pin, "pincode")
    elif kind == "brand_omitted":
        if not rest:
            return None
        a.add(unit, "unit").add(rest, "building").add(loc, "locality").add(city, "city")
        a.add(pin if rng.random() < 0.7 else None, "pincode")
    elif kind == "brand_moved":
        if not rest:
            return None
        form = rng.choice([f"{rest} {brand}", f"{rest} by {brand}", f"{rest} - {brand}"])
        a.add(unit, "unit").add(form, "building").add(loc, "locality").add(city, "city")
        a.add(pin, "pincode")
    elif kind == "brand_bracketed":
        if not rest:
            return None
        a.add(unit, "unit").add(f"{rest} ({brand})", "building").add(loc, "locality")
        a.add(city, "city").add(pin, "pincode")
    elif kind == "brand_glued":
        if not rest:
            return None
        words = [w for w in rest.split() if w.lower() != "the"]
        glued = rng.choice([brand.lower() + words[0].lower(), brand + words[0]])
        form = " ".join([glued, *words[1:]])
        a.add(unit, "unit").add(form, "building").add(loc, "locality").add(city, "city")
        a.add(pin, "pincode")
    elif kind == "brand_group":
        if not rest or len(p.brand.split()) < 2 or p.brand.split()[0] != brand:
            return None
        a.add(unit, "unit").add(f"{p.brand} {rest}", "building").add(loc, "locality")
        a.add(city, "city").add(pin, "pincode")
    elif kind == "spelling":
        if not p.spellings:
            return None
        form = rng.choice(p.spellings)
        a.add(unit, "unit").add(form, "building").add(loc, "locality").add(city, "city")
        a.add(pin if rng.random() < 0.8 else None, "pincode")
    elif kind == "legal_tail":
        tail = rng.choice(LEGAL_TAILS)
        a.add(unit, "unit").add(f"{name} {tail}", "building").add(loc, "locality")
        a.add(city, "city").add(pin, "pincode")
    elif kind == "tower":
        tower = rng.choice(["Tower 4", "Tower B", "B Wing", "Block C", "T2"])
        a.add(f"{tower}, {unit}", "unit").add(name, "building").add(loc, "locality")
        a.add(city, "city").add(pin, "pincode")
    elif kind == "several_localities":
        if not p.places:
            return None
        other = rng.choice(p.places)
        a.add(unit, "unit").add(name, "building")
        if rng.random() < 0.5:
            a.add(other, "locality").add(loc, None)
        else:
            a.add(loc, "locality").add(other, None)
        a.add(city, "city").add(pin, "pincode")
    elif kind == "other_locality":
        # the customer writes a road or suburb, not the registry's locality
        if not p.places:
            return None
        other = rng.choice(p.places)
        a.add(unit, "unit").add(name, "building").add(other, "locality").add(city, "city")
        a.add(pin if rng.random() < 0.6 else None, "pincode")
    elif kind == "parent_estate":
        if not p.parent:
            return None
        short = next((s for s in p.spellings if p.parent.lower() not in s.lower()), None)
        if short is None:
            return None
        a.add(unit, "unit").add(short, "building").add(p.parent, "locality").add(loc, None)
        a.add(city, "city").add(pin if rng.random() < 0.6 else None, "pincode")
    elif kind == "postal_district":
        if p.city not in POSTAL_DISTRICT:
            return None
        district = str(int(pin[3:]))
        a.add(unit, "unit").add(name, "building").add(loc, "locality")
        a.add(f"{rng.choice(CITY_SHORT[p.city])} {district}", "city")
    elif kind == "no_city":
        a.add(unit, "unit").add(name, "building").add(loc, "locality").add(pin, "pincode")
    elif kind == "city_only":
        # no locality: the pincode and the city are all the place there is
        a.add(unit, "unit").add(name, "building").add(city, "city").add(pin, "pincode")
    elif kind == "sector":
        if not loc.startswith("Sector "):
            return None
        a.add(unit, "unit").add(name, "building").add(sector_form(loc, rng), "locality")
        a.add(city, "city").add(pin if rng.random() < 0.5 else None, "pincode")
    elif kind == "roman":
        m = re.search(r"\b([1-4])\b", name)
        if not m:
            return None
        form = name[: m.start()] + ROMAN[m.group(1)] + name[m.end() :]
        a.add(unit, "unit").add(form, "building").add(loc, "locality").add(city, "city")
        a.add(pin, "pincode")
    elif kind == "typo":
        a.add(unit, "unit").add(typo(name, rng), "building").add(loc, "locality")
        a.add(city, "city").add(pin, "pincode")
    elif kind == "spacing":
        words = name.split()
        if len(words) < 2:
            return None
        i = rng.randrange(len(words) - 1)
        form = " ".join([*words[:i], words[i] + words[i + 1], *words[i + 2 :]])
        a.add(unit, "unit").add(form, "building").add(loc, "locality").add(city, "city")
        a.add(pin, "pincode")
    elif kind == "word_order":
        words = name.split()
        if len(words) < 2:
            return None
        form = " ".join(words[1:] + words[:1])
        a.add(unit, "unit").add(form, "building").add(loc, "locality").add(city, "city")
        a.add(pin, "pincode")
    elif kind == "all_caps":
        upper = True
        a = Address(" ")
        a.add(unit, "unit").add(name, "building").add(loc, "locality").add(city, "city")
        a.add(pin, "pincode")
    elif kind == "no_commas":
        a = Address(" ")
        a.add(unit, "unit").add(name, "building").add(loc, "locality").add(city, "city")
        a.add(pin, "pincode")
    elif kind == "state_landmark":
        a.add(unit, "unit").add(name, "building").add(rng.choice(LANDMARKS), "landmark")
        a.add(loc, "locality").add(city, "city").add(STATE.get(p.city), "state")
        a.add(pin, "pincode")
    elif kind == "unit_glued":
        # "C-1104 DLF Belaire": the unit run into the name, no comma
        a = Address(" ")
        a.add(unit, "unit").add(name, "building")
        a.sep = " "
        text, segments = a.build()
        tail = Address()
        tail.add(text, None).add(loc, "locality").add(city, "city").add(pin, "pincode")
        full, more = tail.build()
        return full, {**segments, **more}
    elif kind == "wrong_pincode":
        # a neighbouring pincode (the next post office): not the registry's
        near = pin[:-1] + str((int(pin[-1]) + rng.choice([1, 2, 3])) % 10)
        a.add(unit, "unit").add(name, "building").add(loc, "locality").add(city, "city")
        a.add(near, "pincode")
    else:
        raise ValueError(kind)
    return a.build(upper)


POSITIVE_KINDS = [
    "exact",
    "brand_omitted",
    "brand_moved",
    "brand_bracketed",
    "brand_glued",
    "brand_group",
    "spelling",
    "legal_tail",
    "tower",
    "several_localities",
    "other_locality",
    "parent_estate",
    "postal_district",
    "no_city",
    "city_only",
    "sector",
    "roman",
    "typo",
    "spacing",
    "word_order",
    "all_caps",
    "no_commas",
    "state_landmark",
    "unit_glued",
    "wrong_pincode",
]
# Always tried when they apply (the rare variations), the rest drawn.
RARE = {"brand_group", "parent_estate", "postal_district", "sector", "roman"}


def negative_of(p: Project, kind: str, rng: random.Random) -> tuple[str, dict[str, str]]:
    """An address of a building that is NOT in the registry (p.role == "N"), written with
    the variations a resident of it would use."""
    unit = rng.choice(UNITS)
    city = city_written(p, rng)
    a = Address()
    if kind == "neg_exact":
        a.add(unit, "unit").add(p.name, "building").add(p.locality, "locality")
        a.add(city, "city").add(p.pincode, "pincode")
    elif kind == "neg_short":
        form = rng.choice(p.spellings) if p.spellings else (without_brand(p) or p.name)
        a.add(unit, "unit").add(form, "building").add(p.locality, "locality")
        a.add(city, "city").add(p.pincode if rng.random() < 0.7 else None, "pincode")
    elif kind == "neg_tail":
        a.add(unit, "unit").add(f"{p.name} {rng.choice(LEGAL_TAILS)}", "building")
        a.add(p.locality, "locality").add(city, "city").add(p.pincode, "pincode")
    else:  # neg_caps
        a = Address(" ")
        a.add(unit, "unit").add(p.name, "building").add(p.locality, "locality")
        a.add(city, "city").add(p.pincode, "pincode")
        return a.build(upper=True)
    return a.build()


def landmark_only(p: Project, rng: random.Random) -> tuple[str, dict[str, str]]:
    """Someone who lives near a quarantined building, not in it."""
    house = rng.choice(["House No 14", "Plot 221", "No. 7", "H-12", "Shop 3"])
    street = rng.choice(["2nd Cross", "Main Road", "5th Main", "Service Road", "Lane 3"])
    cue = rng.choice(["Near", "Opp", "Opposite", "Behind", "Next to"])
    a = Address()
    a.add(house, "unit").add(street, "street").add(f"{cue} {p.name}", "landmark")
    a.add(p.locality, "locality").add(city_written(p, rng), "city").add(p.pincode, "pincode")
    return a.build()


def parent_only(p: Project, rng: random.Random) -> tuple[str, dict[str, str]]:
    """Only the township is written: which of its sub-projects is not known."""
    a = Address()
    a.add(rng.choice(UNITS), "unit").add(p.parent, "building").add(p.locality, "locality")
    a.add(city_written(p, rng), "city").add(p.pincode, "pincode")
    return a.build()


def main() -> None:
    projects = load_projects()
    registry = [p for p in projects if p.role == "R"]
    rows: list[dict] = []

    def emit(p: Project, kind: str, built: tuple[str, dict[str, str]], gold: str | None) -> None:
        text, segments = built
        rows.append(
            {
                "id": f"hw-{len(rows):05d}",
                "split": split_of(p.key),
                "kind": kind,
                "project": p.key,
                "text": text,
                "segments": segments,
                "gold": gold,
            }
        )

    for p in projects:
        rng = random.Random(f"handset:{p.key}")
        if p.role == "R":
            kinds = [k for k in POSITIVE_KINDS if k in RARE]
            common = [k for k in POSITIVE_KINDS if k not in RARE]
            kinds += rng.sample(common, 5)
            for kind in kinds:
                built = positive(p, kind, rng)
                if built is not None:
                    emit(p, kind, built, p.key)
            if rng.random() < 0.5:
                emit(p, "landmark_only", landmark_only(p, rng), None)
        else:
            for kind in ("neg_exact", "neg_short", "neg_tail", "neg_caps"):
                emit(p, kind, negative_of(p, kind, rng), None)
        if p.parent and p.role == "R" and rng.random() < 0.5:
            emit(p, "parent_only", parent_only(p, rng), None)

    with (HERE / "registry.jsonl").open("w", encoding="utf-8") as fh:
        for p in registry:
            row = {
                "building_id": p.key,
                "name": p.name,
                "locality": p.locality,
                "city": p.city,
                "pincode": p.pincode,
            }
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    with (HERE / "addresses.jsonl").open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    by_split: dict[str, int] = {}
    for row in rows:
        by_split[row["split"]] = by_split.get(row["split"], 0) + 1
    print(f"{len(registry)} registry projects, {len(rows)} addresses {by_split}")


if __name__ == "__main__":
    main()
