"""A developer brand written apart or out of order, so the name reading did not take it.

``normalize`` reads a brand only where its words stand together in their order ("My Home
Avatar"); a customer may move a word of it ("Home Avatar My") or write a long form around
the name ("Pallonji Joyville Shapoorji"). The words left over are then extra name words and
would rule the pair out as another building. They are the building's own developer when they
are all words of one multi-word form of its brand and that brand (if any was read) is the
building's.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache, lru_cache

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
