"""Normalisation of building names, cities, localities and pincodes."""

from __future__ import annotations

import pytest

from notifier.address.normalize import designators, name_form
from notifier.address.places import canon_city, canon_pincode, locality_key, locality_tokens
from notifier.address.spelling import canon_token, fold


def test_fold_lowercases_strips_punctuation_and_splits_camel_case() -> None:
    assert fold("PrestigeShantiniketan, Tower-B!") == "prestige shantiniketan tower b"
    assert fold("  Sri  Sai\tKrupa  ") == "sri sai krupa"
    assert fold("Café Résidency") == "cafe residency"


@pytest.mark.parametrize(
    "variant",
    ["Sunrise Apartments", "Sunrise Apts", "Sunrise Apt", "Sunrise Appartment", "SUNRISE APTS."],
)
def test_apartment_suffix_spellings_share_one_generic(variant: str) -> None:
    form = name_form(variant)
    assert form.core == ("sunrise",)
    assert form.generic == {"apartments"}


@pytest.mark.parametrize(
    "variant",
    [
        "Laxmi Krupa CHS",
        "Laxmi Krupa Co-op Hsg Soc",
        "Laxmi Krupa Co-op. Hsg. Soc. Ltd.",
        "Laxmi Krupa Cooperative Housing Society",
        "Laxmi Krupa Co-operative Housing Society Limited",
        "Laxmi Krupa C.H.S.",
    ],
)
def test_housing_society_spellings_collapse_to_chs(variant: str) -> None:
    form = name_form(variant)
    assert form.core == name_form("Laxmi Krupa").core
    assert "chs" in form.generic


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Shanti Residency", "Shanti Recidency"),
        ("Lake Towers", "Lake Tower"),
        ("Green Heights", "Green Hts"),
        ("Gokul Enclave", "Gokul Enclv"),
        ("Ram Nagar", "Ram Ngr"),
    ],
)
def test_suffix_synonyms(a: str, b: str) -> None:
    assert name_form(a) == name_form(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Lakshmi", "Laxmi"),
        ("Shanti", "Shanthi"),
        ("Siddhi", "Sidhi"),
        ("Yamuna", "Jamuna"),
        ("Kaveri", "Kaveri"),
        ("Shiv", "Shiva"),
        ("Vinayak", "Vinayaka"),
        ("Madhuban", "Madhuvan"),
    ],
)
def test_transliteration_variants_fold_to_one_token(a: str, b: str) -> None:
    assert canon_token(a.lower()) == canon_token(b.lower())


@pytest.mark.parametrize(("a", "b"), [("shakti", "santi"), ("pride", "prime"), ("rada", "rama")])
def test_different_words_stay_different(a: str, b: str) -> None:
    assert canon_token(a) != canon_token(b)


def test_unit_noise_is_removed_and_towers_kept_as_designators() -> None:
    form = name_form("B Wing, Flat 302, Sri Laxmi Krupa Co-op Hsg Soc")
    assert form.core == (canon_token("laxmi"), canon_token("krupa"))
    assert form.designators == {"wing:b"}
    assert name_form("Tower 3 Brigade Meadows").designators == {"tower:3"}
    assert name_form("Brigade Meadows Tower-III").designators == {"tower:3"}
    assert name_form("3rd Tower, Brigade Meadows").designators == {"tower:3"}
    assert name_form("#12 Sunrise Towers").core == ("sunrise",)
    # a plural "Towers" is a kind of building, not tower "s"
    assert name_form("Sunrise Towers").designators == frozenset()


def test_phase_is_a_discriminating_token() -> None:
    assert name_form("Prestige Phase 2").core == ("phase2",)
    assert name_form("Prestige Ph-II").brands == {"prestige"}
    assert name_form("Sai Krupa Phase 2").core == ("sai", "krup", "phase2")
    # a numbered project is a phase of its own ("Eco Village II" is not "Eco Village 1")
    assert name_form("Eco Village II").core == name_form("Eco Village 2").core
    assert name_form("Eco Village 1").core != name_form("Eco Village 2").core


def test_honorifics_and_digits_in_brand_names() -> None:
    assert name_form("Shree Sai Residency").core == name_form("Sai Residency").core
    assert name_form("M3M Merlin").core == (canon_token("merlin"),)
    assert name_form("M3M Merlin").brands == {"m3m"}


def test_unit_designators_from_free_text() -> None:
    assert designators("A Wing, Flat 901") == {"wing:a"}
    assert designators("Flat 901") == frozenset()


@pytest.mark.parametrize(
    ("spelling", "canonical"),
    [
        ("Bangalore", "bengaluru"),
        ("BLR", "bengaluru"),
        ("Bengaluru Urban", "bengaluru"),
        ("Gurgaon", "gurugram"),
        ("Bombay", "mumbai"),
        ("Nasik", "nashik"),
        ("Vizag", "visakhapatnam"),
        ("Thane W", "thane"),
        ("Thane (West)", "thane"),
        ("New Delhi", "delhi"),
        ("Navi Mumbai", "navi mumbai"),
        ("Madras", "chennai"),
        ("Some Town", "some town"),
        (None, ""),
    ],
)
def test_city_aliases(spelling: str | None, canonical: str) -> None:
    assert canon_city(spelling) == canonical


@pytest.mark.parametrize(
    ("raw", "pin"),
    [
        ("560066", "560066"),
        ("560 066", "560066"),
        ("PIN-560066", "560066"),
        ("056006", ""),
        ("5600", ""),
        (None, ""),
    ],
)
def test_pincode(raw: str | None, pin: str) -> None:
    assert canon_pincode(raw) == pin


def test_locality_tokens_drop_noise_words() -> None:
    assert locality_tokens("HSR Layout Sector 2") == ("hsr", "2")
    assert locality_key("Andheri (W)") == locality_key("Andheri West")
    assert locality_key("5th Block Koramangala") == locality_key("Koramangala")
    assert locality_key("Sector 56") == "56"
    assert locality_key(None) == ""


@pytest.mark.parametrize(
    ("misspelt", "kind"),
    [
        ("Sunrise Apartmnets", "apartments"),
        ("Sunrise Resdency", "residency"),
        ("Sunrise Tawers", "tower"),
        ("Sunrise Heigths", "heights"),
        ("Sunrise Res.", "residency"),
    ],
)
def test_misspelt_kind_words_are_still_kind_words(misspelt: str, kind: str) -> None:
    form = name_form(misspelt)
    assert form.core == ("sunrise",)
    assert form.generic == {kind}


def test_short_name_words_are_not_taken_for_kind_words() -> None:
    assert name_form("Power Heights").core == (canon_token("power"),)
    assert name_form("Royal Court").core == ("royal",)


@pytest.mark.parametrize(
    ("written", "kind"),
    [
        ("Viharr", "vihar"),
        ("Plazza", "plaza"),
        ("Palza", "plaza"),
        ("Nivsa", "niwas"),
        ("Towre", "tower"),
    ],
)
def test_short_kind_words_misspelt_are_kind_words(written: str, kind: str) -> None:
    form = name_form(f"Sunshine {written}")
    assert form.core == name_form("Sunshine").core
    assert kind in form.generic


def test_a_name_word_near_a_kind_word_stays_a_name_word() -> None:
    # "Shanti Vilas": a name word, not "villas" misspelt
    assert name_form("Shanti Vilas").generic == frozenset()
