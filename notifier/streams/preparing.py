"""Address events made ready for routing, in the segmenting child process.

Parsing, segmenting, routing and serializing an address event need no table, so all of it
runs beside spaCy (``notifier.streams.segmenting``) and the worker's event loop, the
bottleneck of a worker, only checks and writes the route records. Like the segmenter, this
module must not import the Faust app: the child loads it on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from notifier.events.contracts import AddressChanged, InvalidEvent, parse_event
from notifier.streams import segmenting
from notifier.streams.messages import Routed
from notifier.streams.records import SEP, segments_to_dict
from notifier.streams.routing import address_route


@dataclass(frozen=True, slots=True)
class _Keyed:
    customer_id: str
    address_id: str
    occurred_at: datetime
    item: bytes  # the serialized :class:`Routed` message for the planner

    @property
    def key(self) -> str:
        return self.customer_id + SEP + self.address_id


@dataclass(frozen=True, slots=True)
class Changed(_Keyed):
    """An address created or edited, segmented: ``route`` is where it goes now."""

    route: str


@dataclass(frozen=True, slots=True)
class Deleted(_Keyed):
    """An address deleted: it goes wherever the address was (the route record knows)."""


@dataclass(frozen=True, slots=True)
class Rejected:
    """An event that is a dead letter instead, and why."""

    error: str


# One address event, parsed, segmented and routed (picklable: made in the segmenting child).
PreparedAddress = Changed | Deleted | Rejected


def prepare_addresses(values: list[bytes], topic: str) -> list[PreparedAddress]:
    """Prepare a batch of raw address-change payloads (from ``topic``), in order."""
    parsed: list[AddressChanged | str] = []
    for value in values:
        try:
            event = parse_event(value)
            if not isinstance(event, AddressChanged):
                raise InvalidEvent(f"{event.type} event does not belong on {topic}")
            parsed.append(event)
        except InvalidEvent as exc:
            parsed.append(exc.reason)
    live = [e.text for e in parsed if isinstance(e, AddressChanged) and not e.deleted]
    segmented = iter(segmenting.segment_all(live)) if live else iter(())
    prepared: list[PreparedAddress] = []
    for change in parsed:
        if isinstance(change, str):
            prepared.append(Rejected(change))
        elif change.deleted:
            item = Routed(event=change.to_json()).model_dump_json().encode()
            when = change.occurred_at
            prepared.append(Deleted(change.customer_id, change.address_id, when, item))
        elif (segments := next(segmented)) is None:
            prepared.append(Rejected("address could not be segmented"))
        else:
            routed = Routed(event=change.to_json(), segments=segments_to_dict(segments))
            prepared.append(
                Changed(
                    change.customer_id,
                    change.address_id,
                    change.occurred_at,
                    routed.model_dump_json().encode(),
                    address_route(segments, change.customer_id),
                )
            )
    return prepared
