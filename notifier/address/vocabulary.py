"""The words of Indian addresses, in one place: roads, landmark cues, building kinds, place
kinds, cities, states, postal districts and developer brands.

Normalisation, blocking and the matcher (and the segmenter's post-processing) read these lists
instead of keeping their own copies, so a word added here is known to all of them. Plain data
plus :func:`words_pattern` to turn a list into a regular expression; the brand list is a small
TSV shipped in the package (``data/brands.tsv``), read once.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

__all__ = [
    "BUILDING_KINDS",
    "CITY_ALIASES",
    "COMMON_NAME_WORDS",
    "CUE_BEFORE_RE",
    "LANDMARK_CUES",
    "LANDMARK_CUES_BEFORE",
    "LANDMARK_CUE_RE",
    "LEGAL_TAIL_PHRASES",
    "LOCALITY_ENDINGS",
    "LOCALITY_KINDS",
    "LOCALITY_NOISE",
    "OPTIONAL_WORDS",
    "PART_BREAK_RE",
    "PINCODE_REGIONS",
    "POSTAL_DISTRICT_CITIES",
    "REGION_OF_CITY",
    "ROAD_WORDS",
    "ROAD_WORD_RE",
    "SEGMENT_BUILDING_WORDS",
    "SEGMENT_HOUSE_NAME_WORDS",
    "SEGMENT_NAME_END_WORDS",
    "SEGMENT_ROAD_END_WORDS",
    "SOFT_KINDS",
    "STATES",
    "STREET_WORDS",
    "UNIT_KINDS",
    "UNIT_WORDS",
    "Brand",
    "brands",
    "words_group",
    "words_pattern",
]


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def words_group(words: tuple[str, ...] | frozenset[str]) -> str:
    """``(?:w1|w2|...)`` with longer words first (a regex alternation takes the first) and any
    run of whitespace where a word has a space; no word boundaries (the caller anchors).
    Words are plain letters: they are not escaped."""
    ordered = sorted(words, key=lambda w: (-len(w), w))
    return "(?:" + "|".join(w.replace(" ", r"\s+") for w in ordered) + ")"


def words_pattern(words: tuple[str, ...] | frozenset[str]) -> str:
    """``\\b(?:w1|w2|...)\\b`` with longer words first (a regex alternation takes the first)."""
    return r"\b" + words_group(words) + r"\b"


# --- streets and landmarks ------------------------------------------------------------------

# Words that make a part of the text a road, never a building's name.
ROAD_WORDS: tuple[str, ...] = _words(
    "road rd marg street st lane ln cross main avenue ave highway hwy gali galli chowk circle "
    "bypass expressway salai veedhi"
)
# A street segment with none of these is more likely a mislabelled building than a street.
STREET_WORDS: tuple[str, ...] = (
    *ROAD_WORDS,
    *_words("path peth bazaar bazar market sector block stage phase layout nagar colony extn"),
    "extension",
)
# "near X", "opp. X": a landmark, never where the customer lives.
LANDMARK_CUES: tuple[str, ...] = (
    "near",
    "nr",
    "opp",
    "opposite",
    "behind",
    "beside",
    "next to",
    "besides",
    "adjacent to",
    "in front of",
    "off",
    "above",
    "below",
    "landmark",
)
# The cues that, written just before a span, make it a landmark.
LANDMARK_CUES_BEFORE: tuple[str, ...] = LANDMARK_CUES[:10]

# Compiled once for every reader of the text (readings, text evidence, comparisons, the fit).
# Words that make a part of the text a road, never a building's name.
ROAD_WORD_RE = re.compile(words_pattern(ROAD_WORDS), re.IGNORECASE)
# "near X", "opp. X": a landmark, never part of where the customer lives
LANDMARK_CUE_RE = re.compile(words_pattern(LANDMARK_CUES), re.IGNORECASE)
# a cue closing the text just before a span ("near, Prestige Shantiniketan")
CUE_BEFORE_RE = re.compile(words_pattern(LANDMARK_CUES_BEFORE) + r"\W*$", re.IGNORECASE)
# what separates the comma-separated parts of an address
PART_BREAK_RE = re.compile(r"[,;|\n]")

# --- building kinds -------------------------------------------------------------------------

# Canonical kind word -> the ways it is written. Kind words say what sort of building a name
# is, not which one.
BUILDING_KINDS: dict[str, str] = {
    "apartments": "apartment apartments apts apt appartment appartments aptmt aptmts apartmnt "
    "apartmnts aprtment aprtments apartmet apartmemts appts appt flats condominium "
    "condominiums condo condos",
    "chs": "chs chsl cghs",
    "society": "society soc socy sosiety",
    "residency": "residency recidency residancy residensy residencey residences residence "
    "residencies res resi resid",
    "tower": "tower towers twr twrs",
    "enclave": "enclave enclv enclav",
    "heights": "heights height hts heigths hieghts",
    "nagar": "nagar ngr nagara",
    "complex": "complex cmplx complx",
    "homes": "homes home",
    "villas": "villas villa",
    "gardens": "gardens garden gdns",
    "park": "park",
    "plaza": "plaza",
    "court": "court courts",
    "mansion": "mansion mansions",
    "niwas": "niwas nivas niwaas nivaas",
    "sadan": "sadan",
    "bhavan": "bhavan bhawan bhuvan",
    "kunj": "kunj",
    "vihar": "vihar",
    "dham": "dham",
    "building": "building bldg bldng",
    "block": "block blk",
    "wing": "wing",
    "phase": "phase ph",
    "layout": "layout",
    "colony": "colony",
    "ltd": "ltd limited pvt",
    # legal and marketing tails of a society's name: "... Residents Welfare Association"
    "association": "association assn asso rwa owners residents welfare aoa",
}
# Multi-word legal tails, collapsed into one kind word before tokenising (regex, kind).
LEGAL_TAIL_PHRASES: tuple[tuple[str, str], ...] = (
    (r"co\s*-?\s*op(?:erative)?\s+h(?:ou)?s(?:in)?g\s+soc(?:iety|y)?(?:\s+ltd|\s+limited)?", "chs"),
    (r"h(?:ou)?s(?:in)?g\s+soc(?:iety|y)?(?:\s+ltd|\s+limited)?", "chs"),
    (r"c\s+h\s+s(?:\s+l)?", "chs"),
    (r"co\s*-?\s*op(?:erative)?\s+soc(?:iety|y)?", "society"),
)
# Kind words that say nothing about a building's identity when they differ.
SOFT_KINDS = frozenset(
    {"tower", "block", "wing", "phase", "building", "ltd", "society", "chs", "association"}
)
# Kind words that do not say whether a name is a place or a building.
UNIT_KINDS = frozenset({"tower", "block", "wing", "phase", "building", "ltd", "association"})
# Honorifics and articles: neither side's presence or absence says anything.
OPTIONAL_WORDS = frozenset(_words("sri shri shree sree shrii the of and at by"))
# Words that only ever introduce a unit number (a flat, door or house number).
UNIT_WORDS: tuple[str, ...] = _words(
    "flat flt apt apartment door house h plot unit room shop office no number d"
)

# Words many society names share ("Sai Krupa", "Shiv Shakti", "Green Park"): a name made only
# of them identifies a building less than a coined one ("Roystonea"). Folded spellings.
COMMON_NAME_WORDS = frozenset(
    _words(
        """
    sai shiv shiva om ganesh ganesha laxmi lakshmi shanti shanthi krupa kripa shakti sagar
    ganga yamuna gokul gokuldham krishna radha ram rama hari hanuman durga kailash parvati
    mahalaxmi vinayak siddhi riddhi samarth swami guru datta balaji venkatesh tirupati
    anand ananda ashirwad aashirwad ashiana sunrise sunshine sun moon star sky skyline green
    greens golden gold silver diamond pearl emerald ruby sapphire crystal royal regal grand
    palace paradise heaven dream dreams happy sweet new old city town park garden gardens
    lake lakeview lakeside river riverside hill hills hillside view vista valley meadows
    palm palms orchid lotus rose jasmine tulip lily oak woods forest spring springs
    harmony unity peace shubham mangal mangalam nandan nandanvan vrindavan gokul sai
    ashok vijay jay jai shree sri amrut amrit sagar samudra tower heights residency enclave
    apartments society complex nagar vihar kunj dham sadan niwas bhavan court plaza homes
    villas estate estates avenue square one central metro prime elite signature premier
    classic supreme imperial crown galaxy planet orbit
    """
    )
)

# --- places ---------------------------------------------------------------------------------

# Canonical city -> other names, old names and shorthands customers write.
CITY_ALIASES: dict[str, tuple[str, ...]] = {
    "bengaluru": (
        "bangalore",
        "blr",
        "bangaluru",
        "banglore",
        "bengalore",
        "bangalooru",
        "bengaluru urban",
        "bangalore urban",
        "bangalore city",
        "bengaluru city",
    ),
    "gurugram": ("gurgaon", "ggn", "gurgram", "gurgoan"),
    "mumbai": ("bombay", "mumbai suburban", "mumbai city", "greater mumbai", "bom"),
    "navi mumbai": ("new bombay",),
    "nashik": ("nasik", "nsk"),
    "visakhapatnam": ("vizag", "vishakhapatnam", "vishakapatnam", "visakapatnam", "vsp"),
    "chennai": ("madras",),
    "kolkata": ("calcutta", "kol"),
    "pune": ("poona",),
    "thiruvananthapuram": ("trivandrum", "tvm"),
    "kochi": ("cochin", "ernakulam"),
    "mysuru": ("mysore",),
    "mangaluru": ("mangalore",),
    "hyderabad": ("hyd", "secunderabad", "secundrabad", "cyberabad"),
    "delhi": ("new delhi", "nct delhi", "nct of delhi", "dilli"),
    "vadodara": ("baroda",),
    "varanasi": ("benares", "banaras", "kashi"),
    "puducherry": ("pondicherry", "pondy"),
    "prayagraj": ("allahabad",),
    "hubballi": ("hubli",),
    "belagavi": ("belgaum",),
    "kalaburagi": ("gulbarga",),
    "tiruchirappalli": ("trichy", "tiruchirapalli"),
    "kozhikode": ("calicut",),
    "thrissur": ("trichur",),
    "thane": ("thana",),
    "kanpur": ("cawnpore",),
    "ahmedabad": ("amdavad", "ahmadabad", "ahd"),
    "noida": ("gautam buddh nagar", "gautam budh nagar"),
    "bhubaneswar": ("bhubaneshwar", "bbsr"),
    "coimbatore": ("kovai", "cbe"),
    "vijayawada": ("bezawada",),
    "indore": (),
    "lucknow": ("lko",),
    "jaipur": ("pink city",),
    "chandigarh": ("chd",),
    "mohali": ("sas nagar", "sahibzada ajit singh nagar"),
    "mullanpur": ("new chandigarh",),
    "zirakpur": (),
    "panchkula": (),
    "ghaziabad": ("gzb",),
    "faridabad": ("fbd",),
    "greater noida": ("gr noida", "greater noida west", "noida extension"),
}
# Cities of one metropolitan region: customers write one for another ("Mumbai" for a Thane
# building), so blocking groups them and the score treats them as near, not as another city.
REGION_OF_CITY: dict[str, str] = {
    **dict.fromkeys(("mumbai", "thane", "navi mumbai"), "mmr"),
    **dict.fromkeys(
        ("delhi", "noida", "greater noida", "ghaziabad", "gurugram", "faridabad"), "ncr"
    ),
    **dict.fromkeys(("chandigarh", "mohali", "mullanpur", "zirakpur", "panchkula"), "tricity"),
    "hyderabad": "hyderabad",
    "kochi": "kochi",
}
# First three digits of a PIN code -> the region (or city) it serves; a missing city is
# inferred from the pincode. Only prefixes that serve one region are listed.
PINCODE_REGIONS: dict[str, str] = {
    **dict.fromkeys(("560", "561", "562"), "bengaluru"),
    **dict.fromkeys(("400", "401", "410", "421"), "mmr"),
    **dict.fromkeys(("411", "412"), "pune"),
    **dict.fromkeys(("500", "501", "502"), "hyderabad"),
    **dict.fromkeys(("600", "601", "602", "603"), "chennai"),
    **dict.fromkeys(("110", "121", "122", "201"), "ncr"),
    **dict.fromkeys(("700", "711", "743"), "kolkata"),
    **dict.fromkeys(("380", "382"), "ahmedabad"),
    **dict.fromkeys(("682", "683"), "kochi"),
    **dict.fromkeys(("160", "140", "134"), "tricity"),
    "302": "jaipur",
    "226": "lucknow",
    **dict.fromkeys(("452", "453"), "indore"),
    "641": "coimbatore",
    "530": "visakhapatnam",
    "751": "bhubaneswar",
    "422": "nashik",
    "680": "thrissur",
}
# Cities whose customers write the postal district instead of the PIN code ("Mumbai 76" is
# 400076): canonical city -> the PIN code's first three digits.
POSTAL_DISTRICT_CITIES: dict[str, str] = {
    "mumbai": "400",
    "kolkata": "700",
    "delhi": "110",
    "chennai": "600",
}
STATES = frozenset(
    s.lower()
    for s in (
        "Andhra Pradesh",
        "Arunachal Pradesh",
        "Assam",
        "Bihar",
        "Chhattisgarh",
        "Goa",
        "Gujarat",
        "Haryana",
        "Himachal Pradesh",
        "Jharkhand",
        "Karnataka",
        "Kerala",
        "Madhya Pradesh",
        "Maharashtra",
        "Manipur",
        "Meghalaya",
        "Mizoram",
        "Nagaland",
        "Odisha",
        "Orissa",
        "Punjab",
        "Rajasthan",
        "Sikkim",
        "Tamil Nadu",
        "Telangana",
        "Tripura",
        "Uttar Pradesh",
        "Uttarakhand",
        "West Bengal",
        "Delhi",
        "NCT of Delhi",
        "Jammu and Kashmir",
        "Ladakh",
        "Puducherry",
        "Chandigarh",
        "India",
        "TN",
        "MH",
        "KA",
        "AP",
        "UP",
        "MP",
    )
)
# Kinds of place: a locality segment of this kind is a place even when a society of that
# name exists.
LOCALITY_KINDS = frozenset(
    _words("nagar colony layout vihar enclave park phase block society complex")
)
# Word endings of place names ("Indiranagar", "Koramangala" is not one: "-mangalam" is).
LOCALITY_ENDINGS: tuple[str, ...] = (
    "nagar",
    "puram",
    "pet",
    "peth",
    "halli",
    "wadi",
    "abad",
    "ganj",
    "pur",
    "gaon",
    "pally",
    "palli",
    "palem",
    "peta",
    "kunj",
    "bagh",
    "wada",
    "guda",
    "patti",
    "kere",
    "sandra",
    "mangalam",
    "kuppam",
)
# Words of a locality that do not tell one locality from another ("HSR Layout Sector 2").
LOCALITY_NOISE: tuple[str, ...] = _words(
    "west east north south w e n s nagar layout colony extension extn ext road rd main cross "
    "sector sec stage block phase area village town post po taluk the"
)

# --- what the segmenter's post-processing reads ---------------------------------------------
# Narrower than the lists above on purpose: each post-processing rule was measured with these
# words (``nlp.evaluate --ablate``), and a word added to one changes segmentation, so a change
# here is re-measured there. They live here so that the words of addresses stay in one module.

# Words that make a name a building's on a village-registry row (matched anywhere in a word).
SEGMENT_BUILDING_WORDS: tuple[str, ...] = _words(
    "bldg building apartment apartments apt apts complex tower towers bhawan bhavan plaza "
    "enclave residency nilayam niwas nivas villa mansion chambers house society heights hostel "
    "quarters arcade"
)
# Words that close a building name: what follows them without a comma is the street or the
# locality ("GITANJALI APARTMENTS LAKE TOWN").
SEGMENT_NAME_END_WORDS: tuple[str, ...] = _words(
    "apartment apartments apt apts appartment appartments complex enclave enclv bhawan bhavan "
    "bhavanam residency residancy residence residences plaza mansion mansions niwas nivas "
    "nilayam chambers arcade building bldg chs chsl heights hts towers society"
)
# Last words of a house's own name ("Sai Krupa", "Thottathil Veedu") that (almost) no
# post-office locality ends with.
SEGMENT_HOUSE_NAME_WORDS: tuple[str, ...] = _words(
    "krupa kripa nilaya nilayam niwas nivas nivasam sadan kutir veedu illam bhavanam smruti "
    "smriti ashirwad aashirwad mandiram"
)
# Developers' marketing words: in "<name> <word> Nagar/Vihar" they make the place-shaped name a
# housing project (labelling policy, nlp/MODEL_CARD.md); no real locality has them.
SEGMENT_PROJECT_WORDS: tuple[str, ...] = _words(
    "grande royale luxuria elite prime supreme signature platinum classic premium exotica "
    "regalia majestic imperial splendour splendor elegance"
)
SEGMENT_PLACE_END_WORDS: tuple[str, ...] = _words("nagar ngr vihar puram park colony")
# Last words of locality names (any name ending so is a place, not a project before a sector).
SEGMENT_LOCALITY_END_WORDS: tuple[str, ...] = _words(
    "nagar ngr vihar puram pur pura colony khand enclave park layout block phase extension town "
    "city lake bagh ganj gunj abad halli palli peth wadi pada gaon garh estate area village "
    "sector east west north south road marg"
)
# How a road-named "locality" ends ("HEM BARUA ROAD").
SEGMENT_ROAD_END_WORDS: tuple[str, ...] = _words("road rd marg path street lane salai gali bylane")

# --- developer brands -----------------------------------------------------------------------


class Brand:
    """One developer brand: its id and the ways it is written (folded, lower case)."""

    __slots__ = ("brand_id", "forms")

    def __init__(self, brand_id: str, forms: tuple[str, ...]) -> None:
        self.brand_id = brand_id
        self.forms = forms

    def __repr__(self) -> str:
        return f"Brand({self.brand_id!r}, {self.forms!r})"


@cache
def brands() -> tuple[Brand, ...]:
    """The shipped brand list (``data/brands.tsv``)."""
    text = resources.files("notifier.address").joinpath("data/brands.tsv").read_text("utf-8")
    found: list[Brand] = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        brand_id, _, forms = line.partition("\t")
        written = tuple(
            " ".join(re.findall(r"[a-z0-9]+", f.lower())) for f in forms.split(";") if f.strip()
        )
        found.append(Brand(brand_id.strip(), written))
    return tuple(found)
