"""The planning half of the engine: one :class:`Engine` per ``PlanStore``.

Both runtimes hand it validated events (addresses already segmented: they segment in
batches) and review decisions; it holds the one event-type dispatch. The sending half is
:class:`~notifier.engine.sending.JobMachine`, driven per job (the two halves are apart because
the Kafka runtime partitions them differently: planning by city, sending by job id).
"""

from __future__ import annotations

from notifier.address.matcher import MatchConfig
from notifier.address.segments import Segments
from notifier.campaigns.planner import Outcome, Planner
from notifier.engine.ports import PlanStore
from notifier.events.contracts import (
    AddressChanged,
    Event,
    QuarantineLifted,
    QuarantineRegistered,
    QuarantineUpdated,
)


class Engine:
    def __init__(self, store: PlanStore, config: MatchConfig | None = None) -> None:
        self.store = store
        self.planner = Planner(store, config)

    def apply(self, event: Event, segments: Segments | None = None) -> tuple[Outcome, str]:
        """(what it led to, "address" or "quarantine"). ``segments``: None for deletions and
        quarantine events."""
        if isinstance(event, AddressChanged):
            return self.planner.on_address(event, segments), "address"
        if isinstance(event, QuarantineRegistered):
            return self.planner.on_registered(event), "quarantine"
        if isinstance(event, QuarantineUpdated):
            return self.planner.on_updated(event), "quarantine"
        if isinstance(event, QuarantineLifted):
            return self.planner.on_lifted(event), "quarantine"
        raise TypeError(f"unsupported event {type(event).__name__}")

    def approve(self, review_id: str) -> Outcome:
        return self.planner.approve(review_id)

    def reject(self, review_id: str) -> None:
        self.planner.reject(review_id)
