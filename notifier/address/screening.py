"""A cheap, exact first pass of the reverse direction: which stored addresses need scoring.

A newly quarantined building's blocking keys are region-wide, so they offer every stored
address of the region sharing a name code: tens of thousands at a million stored addresses,
nearly all of them other buildings whose names alone rule the pair out ("Prestige Lakeside" is
not "Prestige Shantiniketan"). :class:`ResidentScreen` finds those from the building segment's
text, once per distinct text, before the stored record is even read in full.

It is exact, not a heuristic: ``may_reside(seg)`` is False only when ``Matcher.score(seg,
building)`` decides ``none`` (the address's only reading is its building segment, and every
name of the building vetoes it, as ``Matcher.comparison_levels`` would). Anything else - no
building segment, a segment with no name word, a locality cut out of the building's part of
the text, another part of the raw text that may name the building (``text_evidence``), a city
read from the text (``text_city``), a name that is not ruled out - answers True and is scored
in full.
``tests/address/test_screening.py`` checks the promise on the labelled sets.
"""

from __future__ import annotations

from collections.abc import Callable

from notifier.address.brand_words import unglued_name
from notifier.address.normalize import NameForm, name_form
from notifier.address.prepared import PreparedBuilding
from notifier.address.readings import MAX_NAME_CHARS, may_merge
from notifier.address.segments import Segments
from notifier.address.text_city import with_text_city
from notifier.address.text_evidence import text_parts

# (address name, registry name, building) -> why the names alone rule the pair out, or None
NameVeto = Callable[[NameForm, NameForm, PreparedBuilding], str | None]


class ResidentScreen:
    """For one registry building: does a stored address need scoring at all?"""

    __slots__ = ("_building", "_form_ruled_out", "_ruled_out", "_veto")

    def __init__(self, building: PreparedBuilding, veto: NameVeto) -> None:
        self._building = building
        self._veto = veto
        # building segment text -> every name of the building vetoes it (residents of one
        # building write its name alike: most candidates are answered by a lookup)
        self._ruled_out: dict[str, bool] = {}
        # and per name form: spellings that differ only in kind words, case or punctuation
        # ("Apts", "Apartments") are compared once
        self._form_ruled_out: dict[NameForm, bool] = {}

    def may_reside(self, seg: Segments) -> bool:
        """False only when the matcher would decide ``none`` for the pair."""
        text = seg.building
        if not text:
            return True  # the name is read from other parts of the text
        ruled_out = self._ruled_out.get(text)
        if ruled_out is None:
            ruled_out = self._ruled_out[text] = self._names_rule_out(text)
        return not ruled_out or _other_reading(seg)

    def _names_rule_out(self, text: str) -> bool:
        a_name = name_form(text[:MAX_NAME_CHARS])
        building = self._building
        if not a_name.brands and building.brands:
            # "rohanpalmgrove": the candidate's brand glued to its name (as the matcher reads it)
            a_name = unglued_name(text, building.brands) or a_name
        if not a_name.core:
            return False  # no name word: the matcher reads the whole part of the text
        ruled_out = self._form_ruled_out.get(a_name)
        if ruled_out is None:
            veto = self._veto
            ruled_out = all(veto(a_name, b_name, building) is not None for b_name in building.names)
            self._form_ruled_out[a_name] = ruled_out
        return ruled_out


def _other_reading(seg: Segments) -> bool:
    """Could the matcher read the building from anything but the building segment? (city
    None: no part is dropped as the city, so this errs towards scoring in full)"""
    if may_merge(seg) or text_parts(seg, seg.building, None):
        return True
    return with_text_city(seg) is not seg
