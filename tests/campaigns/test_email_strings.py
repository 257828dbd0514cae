"""Every language has every string, with the same placeholders, in its own script."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from notifier.campaigns.renderer import (
    KNOWN_CHANGES,
    default_templates_dir,
    load_strings,
    placeholders,
)
from notifier.events.contracts import EmailKind, Language

STRINGS = load_strings()
ENGLISH = STRINGS[Language.EN]
# Unicode script name (first word of the character name) each language is written in.
SCRIPT = {
    Language.HI: "DEVANAGARI",
    Language.MR: "DEVANAGARI",
    Language.BN: "BENGALI",
    Language.GU: "GUJARATI",
    Language.TA: "TAMIL",
    Language.TE: "TELUGU",
    Language.KN: "KANNADA",
}


def test_every_language_has_a_strings_file() -> None:
    assert set(STRINGS) == set(Language)


@pytest.mark.parametrize("language", [lang for lang in Language if lang is not Language.EN])
def test_no_key_is_missing_or_extra(language: Language) -> None:
    keys = set(STRINGS[language])
    assert sorted(set(ENGLISH) - keys) == [], "missing keys"
    assert sorted(keys - set(ENGLISH)) == [], "keys English does not have"


@pytest.mark.parametrize("language", list(Language))
def test_placeholders_match_english(language: Language) -> None:
    wrong = {
        key: (sorted(placeholders(text)), sorted(placeholders(ENGLISH[key])))
        for key, text in STRINGS[language].items()
        if key in ENGLISH and placeholders(text) != placeholders(ENGLISH[key])
    }
    assert wrong == {}


@pytest.mark.parametrize("language", list(SCRIPT))
def test_strings_are_translated_into_the_languages_own_script(language: Language) -> None:
    for key, text in STRINGS[language].items():
        letters = [c for c in re.sub(r"\{\w+\}", "", text) if c.isalpha()]
        native = [c for c in letters if unicodedata.name(c, "").startswith(SCRIPT[language])]
        assert letters, key
        # Loan words stay in the native script too, so nearly every letter is native.
        assert len(native) >= 0.9 * len(letters), (key, text)
        assert text != ENGLISH[key], key


def test_every_string_the_templates_use_exists() -> None:
    used: set[str] = set()
    for path in Path(default_templates_dir()).glob("*.*"):
        used |= set(re.findall(r"""t\(\s*["'](\w+)["']\s*[,)]""", path.read_text(encoding="utf-8")))
    used |= {f"subject_{kind.value}" for kind in EmailKind}
    used |= {f"change_{name}" for name in KNOWN_CHANGES}
    used |= {"greeting", "greeting_no_name", "period_from_to", "period_from", "period_until"}
    assert sorted(used - set(ENGLISH)) == []


def test_the_checks_catch_a_renamed_placeholder_and_a_missing_key() -> None:
    bad = dict(STRINGS[Language.HI])
    bad["greeting"] = "नमस्ते {naam},"
    del bad["unsubscribe"]
    assert placeholders(bad["greeting"]) != placeholders(ENGLISH["greeting"])
    assert set(ENGLISH) - set(bad) == {"unsubscribe"}
