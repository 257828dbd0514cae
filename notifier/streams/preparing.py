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
from notifier.streams.routing import address_route
from notifier.streams.table_store import SEP, segments_to_dict


@dataclass(frozen=True, slots=True)
class PreparedAddress:
    """One address event, parsed, segmented and routed.

    ``item`` is the serialized :class:`Routed` message for the planner (``route`` None for
    a deletion, which goes wherever the address was). ``error`` is why the event is a dead
    letter instead (the rest is then empty).
    """

    customer_id: str = ""
    address_id: str = ""
    occurred_at: datetime | None = None
    deleted: bool = False
    route: str | None = None
    item: bytes = b""
    error: str | None = None

    @property
    def key(self) -> str:
        return self.customer_id + SEP + self.address_id


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
    prepared = []
    for event in parsed:
        if isinstance(event, str):
            prepared.append(PreparedAddress(error=event))
            continue
        segments = None if event.deleted else next(segmented)
        common = {
            "customer_id": event.customer_id,
            "address_id": event.address_id,
            "occurred_at": event.occurred_at,
            "deleted": event.deleted,
        }
        if event.deleted:
            item = Routed(event=event.to_json()).model_dump_json().encode()
            prepared.append(PreparedAddress(**common, item=item))
        elif segments is None:
            prepared.append(PreparedAddress(**common, error="address could not be segmented"))
        else:
            routed = Routed(event=event.to_json(), segments=segments_to_dict(segments))
            prepared.append(
                PreparedAddress(
                    **common,
                    route=address_route(segments, event.customer_id),
                    item=routed.model_dump_json().encode(),
                )
            )
    return prepared
