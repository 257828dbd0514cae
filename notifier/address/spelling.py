"""The spelling of text and of one word, as every normaliser compares them.

:func:`fold` makes text lower-case ASCII words; :func:`canon_token` folds the spellings of
one romanised Indian word together (Laxmi/Lakshmi, Shanti/Shanthi). Building names
(``notifier.address.normalize``) and places (``notifier.address.places``) both go through
them, so an address and a registry row spell a word the same way.
"""

from __future__ import annotations

import operator
import re
import unicodedata
from functools import lru_cache

_CAMEL_RE = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")
_HAS_CAMEL_RE = re.compile(r"[a-z][A-Z][a-z]")  # a quicker scan: few names have camelCase glue
_ALNUM_RUN_RE = re.compile(r"[a-z0-9]+")


def fold(text: str) -> str:
    """Lower-case ASCII with punctuation turned into spaces; camelCase glue is split first."""
    if _HAS_CAMEL_RE.search(text):
        text = _CAMEL_RE.sub(" ", text)
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = text.lower()
    text = text.replace("&", " and ").replace("'", "")
    return " ".join(_ALNUM_RUN_RE.findall(text))


# Applied in order to each token; both sides go through it, so lossy is fine as long as it
# merges spellings of one word (Laxmi/Lakshmi, Shanti/Shanthi, Vishwa/Vishva) and little else.
_TRANSLIT: tuple[tuple[str, str], ...] = (
    ("x", "ks"),
    ("ph", "f"),
    ("ck", "k"),
    ("q", "k"),
    ("w", "v"),
    ("v", "b"),  # Madhuvan/Madhuban, Vrindavan/Brindaban
    ("ee", "i"),
    ("oo", "u"),
    ("aa", "a"),
)
_DOUBLE_RE = re.compile(r"([a-z])\1+")
# Replacement by group 1, as ``sub(r"\1", ...)`` would do, but ~5x quicker: a template
# replacement is expanded by Python code for every match.
_FIRST_GROUP = operator.itemgetter(1)
_ASPIRATE_RE = re.compile(r"([b-df-hj-np-tv-z])h")


@lru_cache(maxsize=65536)
def canon_token(token: str) -> str:
    """Transliteration-folded spelling of one lower-case token (numbers pass through)."""
    if token.isdigit():
        return token
    for old, new in _TRANSLIT:
        if old in token:
            token = token.replace(old, new)
    # aspiration is spelled inconsistently (Shanti/Shanthi, Siddhi/Sidhi, Sakti/Shakti)
    if "h" in token:
        token = _ASPIRATE_RE.sub(_FIRST_GROUP, token)
    token = squeeze_doubles(token)
    if len(token) > 3 and token.endswith("y"):
        token = token[:-1] + "i"
    if len(token) > 3 and token.endswith("a"):
        token = token[:-1]  # final schwa comes and goes: Shiv/Shiva, Vinayak/Vinayaka
    # initials that alternate in romanised Indian words: Kaveri/Cauvery, Yamuna/Jamuna
    return _INITIAL_CLASS.get(token[0], "") + token[1:] if token[0] in _INITIAL_CLASS else token


_INITIAL_CLASS = {"c": "k", "y": "j"}


def squeeze_doubles(token: str) -> str:
    """Doubled letters written once ("Shanthii" -> "Shanthi")."""
    return _DOUBLE_RE.sub(_FIRST_GROUP, token)
