"""Every agent, table and timer of the Kafka runtime, imported so the worker registers them
(``notifier.streams.worker``, the entry point, imports this module). Each module holds one job:

- ``topics``: topic names, the Faust tables and the partition a job id lives in;
- ``outbox``: what a batch publishes (acks awaited before tables are written) and retries;
- ``address_agents``: address changes and quarantine events -> routed topic;
- ``plan_agent``: routed topic -> the engine's planner -> email jobs, cancellations;
- ``send_agents``: email jobs -> the engine's job state machine -> SES; job control;
- ``ses_agent``: SES events -> suppressions; ``timers``: rebalances, timers, metrics page;
- ``review_index``: the review-items topic read in full (the ops views list and route from it).

Every stage publishes its output and waits for Kafka's acknowledgement *before* it writes
its own tables, so a worker killed at any point replays input whose effects are idempotent.
"""

from __future__ import annotations

from notifier.streams import (
    address_agents,
    plan_agent,
    review_index,
    send_agents,
    ses_agent,
    timers,
)
from notifier.streams.topics import enter_event

__all__ = [
    "address_agents",
    "enter_event",
    "plan_agent",
    "review_index",
    "send_agents",
    "ses_agent",
    "timers",
]
