"""The city read from the raw text when the segmenter's city is not one.

A segmenter often labels a suburb or a village as the city ("..., Thrikkakara, Ernakulam")
and leaves the real city unlabelled, or labels no city at all. Blocking is by region, so an
address whose city segment is unknown (and whose pincode tells no region) is looked up only
under that unknown name. When a comma-separated part of the text that no segment covers is
a known city, that part is the city; the suburb stays in the text, unlabelled, where the
matcher reads loose parts as the locality.
"""

from __future__ import annotations

import dataclasses

from notifier.address.places import (
    canon_city,
    canon_pincode,
    is_known_city,
    postal_district,
    region_of,
)
from notifier.address.segments import Segments
from notifier.address.vocabulary import PART_BREAK_RE


def with_text_city(seg: Segments) -> Segments:
    """``seg`` with its city taken from an unlabelled part of the text when the city segment
    is missing or unknown; ``seg`` itself when there is nothing to change or the text names
    more than one city (or one the pincode's region contradicts)."""
    if is_known_city(seg.city) or (not seg.city and is_known_city(seg.locality)):
        return seg
    if seg.city and postal_district(seg.city, seg.pincode)[1]:
        return seg  # "Mumbai 76"
    covered = [
        span
        for span in (seg.building, seg.unit, seg.street, seg.landmark, seg.locality, seg.state)
        if span
    ]
    found = {
        canon_city(part): part
        for part in (p.strip(" -.:") for p in PART_BREAK_RE.split(seg.text))
        if is_known_city(part) and not any(part in span for span in covered)
    }
    if len(found) != 1:
        return seg
    ((city, part),) = found.items()
    pin_region = region_of("", canon_pincode(seg.pincode))
    if pin_region and pin_region != region_of(city):
        return seg
    locality = seg.locality
    if locality is None and seg.city:
        locality = seg.city  # the suburb read as the city is where the customer lives
    return dataclasses.replace(seg, city=part, locality=locality)
