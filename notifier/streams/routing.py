"""The partition key that co-locates addresses with the quarantines they may match.

Everything the planner joins (an address and a building) must live in the same partition, so
both are re-keyed by a *route*: the canonical city. The city comes from the pincode when the
pincode is known (the India Post table shipped with ``bharataddress``), so an address written
"Thane" and a building registered in "Mumbai" with the same pincode still meet; otherwise from
the city text. The matcher's blocking keys are all scoped by pincode or city, so two records
that could ever share a blocking key share a route (up to pincode/city data disagreements).

Addresses with neither a usable pincode nor a city get a per-customer fallback route
(``~`` + customer id): they spread over all partitions and can never match, because every
quarantine has a city. (The embedded runtime can still match them by locality.)
"""

from __future__ import annotations

from functools import lru_cache

from notifier.address.places import canon_city, canon_pincode
from notifier.address.segments import Segments

FALLBACK_PREFIX = "~"


@lru_cache(maxsize=65536)
def city_of_pincode(pincode: str | None) -> str:
    """Canonical city of an Indian pincode, "" when unknown."""
    pin = canon_pincode(pincode)
    if not pin:
        return ""
    from bharataddress.pincode import lookup  # lazy: parses a 4 MB table on first use

    record = lookup(pin)
    return canon_city(record["city"]) if record and record.get("city") else ""


def route_for(city: str | None, pincode: str | None) -> str:
    """The route of a place, "" when it has neither a known pincode nor a city."""
    return city_of_pincode(pincode) or canon_city(city)


def address_route(segments: Segments, customer_id: str) -> str:
    """Route of a segmented address; the per-customer fallback when it has none."""
    return route_for(segments.city, segments.pincode) or FALLBACK_PREFIX + customer_id


def is_fallback(route: str) -> bool:
    return route.startswith(FALLBACK_PREFIX)
