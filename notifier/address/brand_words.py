"""A developer brand written apart, out of order or glued, so the name reading did not take it.

``normalize`` reads a brand only where its words stand together in their order ("My Home
Avatar"); a customer may move a word of it ("Home Avatar My") or write a long form around
the name ("Pallonji Joyville Shapoorji"). The words left over are then extra name words and
would rule the pair out as another building. They are the building's own developer when they
are all words of one multi-word form of its brand and that brand (if any was read) is the
building's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, lru_cache

from notifier.address.normalize import NameForm, name_form
from notifier.address.spelling import canon_token
from notifier.address.vocabulary import brands


@cache
def _form_words() -> dict[str, tuple[frozenset[str], ...]]:
    """Brand id -> the word sets (as name cores spell them) of its multi-word forms."""
    out: dict[str, tuple[frozenset[str], ...]] = {}
    for brand in brands():
        sets = {
            frozenset(canon_token(w) for w in form.split())
            for form in brand.forms
            if len(form.split()) > 1
        }
        if sets:
            out[brand.brand_id] = tuple(sets)
    return out


@lru_cache(maxsize=8192)
def _scattered(extra: frozenset[str], building_brands: frozenset[str]) -> bool:
    table = _form_words()
    return any(extra <= words for b in building_brands for words in table.get(b, ()))


def scattered_brand(
    extra: Iterable[str], address_brands: frozenset[str], building_brands: frozenset[str]
) -> bool:
    """The address's extra name words are the building's brand written apart: all words of
    one multi-word form of its brand, and no other developer's brand read in the name."""
    extra_set = frozenset(extra)
    if not extra_set or not building_brands:
        return False
    if address_brands and not address_brands <= building_brands:
        return False
    return _scattered(extra_set, building_brands)


@cache
def _glue_patterns() -> dict[str, tuple[re.Pattern[str], ...]]:
    """Brand id -> patterns of its one-word forms glued to a following word of 4+ letters."""
    out: dict[str, tuple[re.Pattern[str], ...]] = {}
    for brand in brands():
        forms = [f for f in brand.forms if " " not in f and len(f) >= 3]
        if forms:
            out[brand.brand_id] = tuple(
                re.compile(rf"\b({re.escape(f)})(?=[a-z0-9]{{4,}})", re.IGNORECASE) for f in forms
            )
    return out


@lru_cache(maxsize=16384)
def unglued_name(text: str, building_brands: frozenset[str]) -> NameForm | None:
    """The name read with the building's own brand split off a word it is glued to
    ("rohanpalmgrove" for Rohan's "Palmgrove"), or None. ``normalize`` splits glued brands
    only for brands that rarely begin another word; against a candidate of that brand the
    split is its own reading (the candidate's whole name must still agree)."""
    patterns = _glue_patterns()
    for brand_id in sorted(building_brands):
        for pattern in patterns.get(brand_id, ()):
            if pattern.search(text):
                name = name_form(pattern.sub(r"\1 ", text, count=1))
                if brand_id in name.brands:
                    return name
    return None
