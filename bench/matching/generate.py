"""Generate the labelled building-matching evaluation set (seeded, reproducible).

A synthetic "world" of buildings in Indian cities, of which some are quarantined (the registry),
and customer addresses written the way people write them. Each address row carries its gold
segments (substrings of the text) and the registry ``building_id`` it is in, or null.

Hard cases on purpose: brand siblings (Brigade Lakefront / Brigade Lakeview), sub-projects
(Aparna Sarovar / Aparna Sarovar Zenith), the same name in another city or another locality,
landmark-only mentions ("near Prestige Shantiniketan"), addresses without a building, and
transliteration / typo / suffix / glued / case / tower-wing-flat variants of registry names.

Rows are split into ``dev`` (tune thresholds on it) and ``test`` (report on it) by a hash of the
row id. Writes ``registry.jsonl`` and ``eval.jsonl`` next to this file:

    python bench/matching/generate.py [--seed 7] [--rows 4000]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent

# city -> (spellings customers use, {locality: [pincodes]}, state)
CITIES: dict[str, tuple[list[str], dict[str, list[str]], str]] = {
    "Bengaluru": (
        ["Bengaluru", "Bangalore", "BLR", "bangalore", "Banglore", "Bengaluru Urban"],
        {
            "Whitefield": ["560066"],
            "Koramangala": ["560034", "560095"],
            "HSR Layout": ["560102"],
            "Indiranagar": ["560038"],
            "Hebbal": ["560024"],
            "Sarjapur Road": ["560035"],
            "Yelahanka": ["560064"],
            "Electronic City": ["560100"],
        },
        "Karnataka",
    ),
    "Mumbai": (
        ["Mumbai", "Bombay", "mumbai", "MUMBAI"],
        {
            "Andheri West": ["400053", "400058"],
            "Andheri East": ["400069", "400093"],
            "Powai": ["400076"],
            "Borivali West": ["400092"],
            "Chembur": ["400071"],
            "Malad West": ["400064"],
            "Goregaon East": ["400063"],
        },
        "Maharashtra",
    ),
    "Thane": (
        ["Thane", "Thane W", "Thane West", "thane"],
        {"Ghodbunder Road": ["400615"], "Majiwada": ["400601"], "Kolshet": ["400607"]},
        "Maharashtra",
    ),
    "Gurugram": (
        ["Gurugram", "Gurgaon", "gurgaon", "GURGAON"],
        {
            "DLF Phase 4": ["122009"],
            "Sohna Road": ["122018"],
            "Golf Course Road": ["122002"],
            "Sector 56": ["122011"],
        },
        "Haryana",
    ),
    "Hyderabad": (
        ["Hyderabad", "Hyd", "hyderabad"],
        {
            "Gachibowli": ["500032"],
            "Kondapur": ["500084"],
            "Nallagandla": ["500019"],
            "Kukatpally": ["500072"],
            "Madhapur": ["500081"],
        },
        "Telangana",
    ),
    "Pune": (
        ["Pune", "Poona", "pune", "PUNE"],
        {
            "Baner": ["411045"],
            "Hinjewadi": ["411057"],
            "Kharadi": ["411014"],
            "Wakad": ["411057"],
            "Kothrud": ["411038"],
        },
        "Maharashtra",
    ),
    "Nashik": (
        ["Nashik", "Nasik", "nashik"],
        {"Gangapur Road": ["422013"], "College Road": ["422005"], "Indira Nagar": ["422009"]},
        "Maharashtra",
    ),
    "Visakhapatnam": (
        ["Visakhapatnam", "Vizag", "vizag", "Vishakhapatnam"],
        {"MVP Colony": ["530017"], "Madhurawada": ["530048"], "Seethammadhara": ["530013"]},
        "Andhra Pradesh",
    ),
    "Chennai": (
        ["Chennai", "Madras", "chennai"],
        {"Velachery": ["600042"], "OMR Thoraipakkam": ["600097"], "Anna Nagar": ["600040"]},
        "Tamil Nadu",
    ),
}

BRANDS = [
    "Prestige",
    "Brigade",
    "Sobha",
    "Aparna",
    "Godrej",
    "Lodha",
    "Kalpataru",
    "Mantri",
    "Purva",
    "Salarpuria",
    "Raheja",
    "Hiranandani",
    "Rohan",
    "Nyati",
    "Ajmera",
    "Runwal",
    "Sumadhura",
    "Vaswani",
    "Casagrand",
    "Lancor",
    "Ramky",
    "Gera",
    "Paranjape",
    "Mahindra",
    "Shapoorji",
    "DLF",
    "M3M",
    "Vatika",
    "Emaar",
    "Assetz",
    "Provident",
    "Ozone",
    "Hallmark",
    "Vasavi",
    "Janapriya",
]

STEMS = [
    "Lakefront",
    "Lakeview",
    "Shantiniketan",
    "Sarovar",
    "Meadows",
    "Gardenia",
    "Palmgrove",
    "Sunrise",
    "Silveroak",
    "Greenvalley",
    "Kingfisher",
    "Harmony",
    "Serenity",
    "Utopia",
    "Bliss",
    "Vista",
    "Horizon",
    "Skyline",
    "Crest",
    "Summit",
    "Riviera",
    "Lotus",
    "Orchid",
    "Tulip",
    "Jasmine",
    "Emerald",
    "Sapphire",
    "Solitaire",
    "Symphony",
    "Tranquil",
    "Heritage",
    "Splendour",
    "Westwind",
    "Brookside",
    "Parkridge",
    "Rosedale",
    "Cedarwood",
    "Fernhill",
    "Oakwood",
    "Highland",
    "Riverdale",
    "Woodbury",
    "Amberley",
    "Whitehall",
    "Glenmore",
    "Ashford",
    "Eastwood",
    "Springfield",
    "Maplewood",
    "Bellwood",
    "Northgate",
    "Seabreeze",
    "Monarch",
    "Regalia",
    "Celestia",
    "Aurora",
    "Elegance",
    "Grandeur",
    "Infinity",
    "Pristine",
    "Radiance",
    "Tranquility",
]

SUBPROJECT_TAILS = [
    "Zenith",
    "Grande",
    "Elite",
    "Signature",
    "Royale",
    "Luxuria",
    "Prime",
    "Classic",
    "Supreme",
    "Platinum",
]

# (canonical spelling, variant spellings customers use)
INDIAN_WORDS: list[tuple[str, list[str]]] = [
    ("Lakshmi", ["Laxmi", "Lakshmee", "Luxmi"]),
    ("Krupa", ["Kripa", "Kruppa"]),
    ("Shanti", ["Shanthi", "Shaanti"]),
    ("Sai", ["Sai"]),
    ("Ganesh", ["Ganesha", "Ganesh"]),
    ("Gokul", ["Gokool", "Gokul"]),
    ("Vrindavan", ["Vrundavan", "Brindavan", "Vrindaban"]),
    ("Saraswati", ["Saraswathi", "Sarasvati"]),
    ("Ashirwad", ["Aashirwad", "Ashirvad", "Aashirvaad"]),
    ("Parvati", ["Parvathi", "Paarvati"]),
    ("Siddhi", ["Sidhi", "Siddi"]),
    ("Vinayak", ["Vinayaka", "Vinayak"]),
    ("Kaveri", ["Cauvery", "Kaaveri"]),
    ("Ganga", ["Gangaa", "Ganga"]),
    ("Anand", ["Aanand", "Anandh"]),
    ("Madhuban", ["Madhubun", "Madhuvan"]),
    ("Om", ["Om"]),
    ("Shiv", ["Shiva", "Shiv"]),
    ("Shakti", ["Shakthi", "Sakti"]),
    ("Navratna", ["Navaratna", "Navrathna"]),
    ("Yamuna", ["Jamuna", "Yamunaa"]),
    ("Sunder", ["Sundar", "Sundara"]),
    ("Kamdhenu", ["Kamadhenu", "Kaamdhenu"]),
    ("Pushpa", ["Pushpaa", "Puspa"]),
    ("Mangal", ["Mangala", "Mangal"]),
    ("Tirupati", ["Tirupathi", "Tirupati"]),
    ("Samruddhi", ["Samrudhi", "Samriddhi"]),
    ("Jyoti", ["Jyothi", "Joyti"]),
    ("Darshan", ["Darshana", "Dharshan"]),
    ("Raghav", ["Raghava", "Ragav"]),
]

# suffix class -> spellings (the first is what the registry uses)
SUFFIXES: dict[str, list[str]] = {
    "apartments": ["Apartments", "Apts", "Apt", "Appartments", "Apartment", "APTS"],
    "chs": [
        "CHS",
        "Co-op Hsg Soc",
        "Cooperative Housing Society",
        "Co-operative Housing Society Ltd",
        "C.H.S.",
    ],
    "residency": ["Residency", "Recidency", "Residancy", "Residency"],
    "towers": ["Towers", "Tower", "Twrs"],
    "enclave": ["Enclave", "Enclave", "Enclv"],
    "heights": ["Heights", "Hts", "Height"],
    "nagar": ["Nagar", "Nagar", "Ngr"],
    "nivas": ["Niwas", "Nivas", "Niwaas"],
}

STREETS = [
    "MG Road",
    "12th Main Road",
    "Link Road",
    "100 Feet Road",
    "SV Road",
    "Station Road",
    "Outer Ring Road",
    "LBS Marg",
    "Hill Road",
    "2nd Cross",
    "Temple Street",
    "Old Airport Road",
    "Church Street",
    "Main Road",
    "5th Avenue",
]
LANDMARK_CUES = ["Near", "near", "Opp", "Opposite", "Behind", "Next to", "nr"]
OTHER_LANDMARKS = ["SBI Bank", "Apollo Hospital", "Reliance Fresh", "Shiv Temple", "Big Bazaar"]


@dataclass(frozen=True)
class Building:
    building_id: str
    name: str  # registry spelling
    city: str
    locality: str
    pincode: str
    core: tuple[str, ...]  # name words without suffix, for variants
    suffix: str | None  # suffix class or None
    indian: bool


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 6:
        return word
    i = rng.randrange(1, len(word) - 1)
    op = rng.choice(["drop", "swap", "double", "sub"])
    if op == "drop":
        return word[:i] + word[i + 1 :]
    if op == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if op == "double":
        return word[:i] + word[i] + word[i:]
    vowels = "aeiou"
    if word[i].lower() in vowels:
        return word[:i] + rng.choice([v for v in vowels if v != word[i].lower()]) + word[i + 1 :]
    return word[:i] + word[i] + word[i:]  # consonant: double it rather than invent a new word


class World:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.buildings: list[Building] = []
        self.registry: list[Building] = []
        self._names_at: set[tuple[str, str, str]] = set()
        self._n = 0

    def _new(
        self, core: tuple[str, ...], suffix: str | None, city: str, locality: str, indian: bool
    ) -> Building | None:
        suffix_text = SUFFIXES[suffix][0] if suffix else ""
        name = " ".join([*core, suffix_text]).strip()
        # one building per name (whatever its suffix) per locality, so gold is unambiguous
        key = (" ".join(core).lower(), city, locality)
        # the gold answer must be unique: one building per name per locality
        if key in self._names_at:
            return None
        self._names_at.add(key)
        self._n += 1
        pin = self.rng.choice(CITIES[city][1][locality])
        b = Building(f"B{self._n:05d}", name, city, locality, pin, core, suffix, indian)
        self.buildings.append(b)
        return b

    def random_place(self) -> tuple[str, str]:
        city = self.rng.choice(list(CITIES))
        return city, self.rng.choice(list(CITIES[city][1]))

    def build(self, n_families: int) -> None:
        rng = self.rng
        for _ in range(n_families):
            city, locality = self.random_place()
            if rng.random() < 0.55:
                brand, stem = rng.choice(BRANDS), rng.choice(STEMS)
                core: tuple[str, ...] = (brand, stem)
                suffix = rng.choice([None, None, None, "towers", "heights", "residency", "enclave"])
                indian = False
            else:
                words = rng.sample(INDIAN_WORDS, rng.choice([1, 2, 2]))
                core = tuple(w for w, _ in words)
                suffix = rng.choice(list(SUFFIXES))
                indian = True
            base = self._new(core, suffix, city, locality, indian)
            if base is None:
                continue
            roll = rng.random()
            if roll < 0.2 and not indian:
                # brand sibling in the same locality (Brigade Lakefront / Brigade Lakeview)
                self._new((core[0], rng.choice(STEMS)), suffix, city, locality, indian)
            elif roll < 0.35:
                # sub-projects: "Aparna Sarovar Zenith", "Aparna Sarovar Grande"
                for tail in rng.sample(SUBPROJECT_TAILS, 2):
                    self._new((*core, tail), suffix, city, locality, indian)
            elif roll < 0.5:
                # same name in another locality of the same city, or in another city
                other_city, other_loc = self.random_place()
                if rng.random() < 0.5:
                    other_city = city
                    other_loc = rng.choice(list(CITIES[city][1]))
                if other_loc != locality:
                    self._new(core, suffix, other_city, other_loc, indian)
        # a third of the world is quarantined
        self.registry = [b for b in self.buildings if rng.random() < 0.33]


def _name_variant(b: Building, rng: random.Random, kind: str) -> str:
    """How a resident writes the name of building ``b`` (kind selects the variation)."""
    words = list(b.core)
    if kind in ("translit", "mixed") and b.indian:
        table = dict(INDIAN_WORDS)
        words = [rng.choice(table.get(w, [w])) if w in table else w for w in words]
    if kind in ("typo", "mixed"):
        i = rng.randrange(len(words))
        words[i] = _typo(words[i], rng)
    suffix = ""
    if b.suffix:
        spellings = SUFFIXES[b.suffix]
        suffix = rng.choice(spellings) if kind in ("suffix", "mixed") else spellings[0]
        if kind == "suffix" and rng.random() < 0.15:
            suffix = ""  # dropped suffix
    if kind == "glued" and len(words) >= 2:
        glued = "".join(w.capitalize() for w in words[:2])
        words = [glued.lower() if rng.random() < 0.3 else glued, *words[2:]]
    name = " ".join([*words, suffix]).strip()
    if rng.random() < 0.1 and b.indian:
        name = rng.choice(["Sri ", "Shree ", "Shri "]) + name
    case = rng.random()
    if case < 0.12:
        name = name.upper()
    elif case < 0.22:
        name = name.lower()
    return name


def _city_spelling(city: str, rng: random.Random) -> str:
    spellings = CITIES[city][0]
    return spellings[0] if rng.random() < 0.5 else rng.choice(spellings)


def _render(
    rng: random.Random,
    building: str | None,
    city: str,
    locality: str,
    pincode: str,
    landmark_name: str | None = None,
    full_location: bool = False,
) -> tuple[str, dict[str, str | None]]:
    """Join address parts into text; returns (text, gold segments as substrings)."""
    parts: list[tuple[str | None, str]] = []
    if rng.random() < 0.75:
        unit = rng.choice(
            [
                f"Flat {rng.randint(1, 20)}0{rng.randint(1, 8)}",
                f"{rng.choice('ABCDE')}-{rng.randint(1, 12)}0{rng.randint(1, 6)}",
                f"{rng.choice('ABCD')} Wing {rng.randint(1, 9)}0{rng.randint(1, 4)}",
                f"Tower {rng.randint(1, 9)}, Flat {rng.randint(1, 30)}0{rng.randint(1, 6)}",
                f"#{rng.randint(1, 99)}",
                f"House No {rng.randint(1, 400)}",
            ]
        )
        parts.append(("unit", unit))
    if building:
        parts.append(("building", building))
    if rng.random() < 0.5:
        parts.append(("street", rng.choice(STREETS)))
    if landmark_name is not None:
        parts.append(("landmark", f"{rng.choice(LANDMARK_CUES)} {landmark_name}"))
    elif rng.random() < 0.2:
        parts.append(("landmark", f"{rng.choice(LANDMARK_CUES)} {rng.choice(OTHER_LANDMARKS)}"))
    if full_location or rng.random() < 0.93:
        parts.append(("locality", locality))
    parts.append(("city", _city_spelling(city, rng)))
    if rng.random() < 0.3:
        parts.append(("state", CITIES[city][2]))
    if full_location or rng.random() < 0.72:
        pin = pincode if rng.random() < 0.85 else f"{pincode[:3]} {pincode[3:]}"
        parts.append(("pincode", pin))
    text = ""
    segments: dict[str, str | None] = {}
    for i, (field, value) in enumerate(parts):
        sep = "" if i == 0 else (" - " if field == "pincode" and rng.random() < 0.5 else ", ")
        text += sep + value
        if field:
            segments[field] = value
    return text, segments


def generate(seed: int, n_rows: int) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    rng = random.Random(seed)
    world = World(rng)
    world.build(n_families=900)
    in_registry = {b.building_id for b in world.registry}
    registry_rows = [
        {
            "building_id": b.building_id,
            "name": b.name,
            "locality": b.locality,
            "city": b.city,
            "pincode": b.pincode if rng.random() < 0.9 else None,
        }
        for b in world.registry
    ]
    by_family: dict[str, list[Building]] = {}
    for b in world.buildings:
        by_family.setdefault(b.core[0].lower(), []).append(b)

    kinds = [
        # (kind, weight)
        ("exact", 10),
        ("suffix", 9),
        ("translit", 8),
        ("typo", 8),
        ("glued", 5),
        ("mixed", 5),
        ("wing_in_name", 4),
        ("other_building", 22),  # resident of a non-quarantined building (siblings, same names)
        ("landmark_only", 7),
        ("no_building", 6),
    ]
    population = [k for k, w in kinds for _ in range(w)]
    rows: list[dict[str, object]] = []
    registry_buildings = world.registry
    others = [b for b in world.buildings if b.building_id not in in_registry]
    # non-quarantined buildings that look like a quarantined one (the hard negatives)
    lookalikes = [
        b
        for b in others
        if any(
            r.building_id in in_registry for r in by_family.get(b.core[0].lower(), []) if r is not b
        )
    ]
    for n in range(n_rows):
        kind = rng.choice(population)
        landmark_name = None
        if kind in ("exact", "suffix", "translit", "typo", "glued", "mixed", "wing_in_name"):
            b = rng.choice(registry_buildings)
            name_kind = "exact" if kind == "wing_in_name" else kind
            name = _name_variant(b, rng, name_kind)
            if kind == "wing_in_name":
                wing = rng.choice(["B Wing", "Tower 3", "Wing-C", "Block A", "A wing"])
                name = f"{wing} {name}" if rng.random() < 0.5 else f"{name} {wing}"
            gold: str | None = b.building_id
            city, locality, pin = b.city, b.locality, b.pincode
        elif kind == "other_building":
            pool = lookalikes if lookalikes and rng.random() < 0.7 else others
            b = rng.choice(pool)
            name = _name_variant(b, rng, rng.choice(["exact", "exact", "suffix", "translit"]))
            gold = None
            city, locality, pin = b.city, b.locality, b.pincode
        elif kind == "landmark_only":
            target = rng.choice(registry_buildings)
            city, locality, pin = target.city, target.locality, target.pincode
            landmark_name = _name_variant(target, rng, "exact")
            # the resident lives in a non-quarantined building of that locality, or gives none
            near = [o for o in others if (o.city, o.locality) == (city, locality)]
            name = _name_variant(rng.choice(near), rng, "exact") if near else None
            gold = None
        else:  # no_building
            city, locality = world.random_place()
            pin = rng.choice(CITIES[city][1][locality])
            name = None
            gold = None
        text, segments = _render(rng, name, city, locality, pin, landmark_name)
        row_id = f"m{seed}-{n:05d}"
        split = "dev" if int(hashlib.sha1(row_id.encode()).hexdigest(), 16) % 2 == 0 else "test"
        rows.append(
            {
                "id": row_id,
                "split": split,
                "kind": kind,
                "text": text,
                "segments": segments,
                "gold": gold,
            }
        )
    return registry_rows, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rows", type=int, default=4000)
    parser.add_argument("--out", type=Path, default=HERE)
    args = parser.parse_args()
    registry, rows = generate(args.seed, args.rows)
    args.out.mkdir(parents=True, exist_ok=True)
    with (args.out / "registry.jsonl").open("w", encoding="utf-8") as fh:
        for r in registry:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    with (args.out / "eval.jsonl").open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"wrote {len(registry)} registry buildings and {len(rows)} addresses to {args.out}")


if __name__ == "__main__":
    main()
