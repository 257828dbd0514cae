"""Topics and tables of the Kafka runtime (``P`` = NOTIFIER_TOPIC_PREFIX, ``A`` = NOTIFIER_APP_ID)::

P address-changes  (key customer)  -> address_agents.segment_addresses
P quarantine-events (key building) -> address_agents.route_quarantines
A-routed (key route = city)        -> plan_agent.plan
P email-jobs (key job_id)          -> send_agents.send_emails
A-email-control (key job_id)       -> send_agents.control_jobs
P ses-events (key message id)      -> ses_agent.track_ses_events
P review-decisions (key route)     -> plan_agent.apply_review_decisions (ops views publish)
P review-items (key review id)     <- plan_agent; -> review_index (every worker reads it all)
P dead-letters (key source)        <- anything unparseable (DeadLetter JSON)
"""

from __future__ import annotations

from typing import Any

import faust
from aiokafka.partitioner import murmur2

from notifier.config import get_settings
from notifier.streams import faust_compat
from notifier.streams.app import app
from notifier.streams.faust_compat import KeyPartitioned, RawKeys
from notifier.streams.global_view import follow
from notifier.streams.settings import get_stream_settings
from notifier.streams.staged_tables import TABLES

settings = get_settings()
stream_settings = get_stream_settings()
PARTITIONS = settings.topic_partitions
_prefix = stream_settings.topic_prefix


def _topic(name: str) -> Any:
    # Raw bytes in and out: payloads are validated by our contracts, so a bad record becomes a
    # dead letter instead of a Faust decode error. internal=True: the worker creates missing
    # topics with NOTIFIER_TOPIC_PARTITIONS partitions.
    return app.topic(
        name,
        key_type=str,
        value_type=bytes,
        key_serializer="raw",
        value_serializer="raw",
        partitions=PARTITIONS,
        internal=True,
    )


address_topic = _topic(f"{_prefix}address-changes")
quarantine_topic = _topic(f"{_prefix}quarantine-events")
jobs_topic = _topic(f"{_prefix}email-jobs")
ses_topic = _topic(f"{_prefix}ses-events")
dead_letter_topic = _topic(f"{_prefix}dead-letters")
# Keyed by the review item's route, like the routed topic: same key, same partition count,
# so a decision lands in the partition that holds the item's planner tables.
review_decisions_topic = _topic(f"{_prefix}review-decisions")
# review id -> the ReviewItem record + its "route", published by the planner with every change
# (before its tables are written, like its jobs); every worker reads all of it
# (streams/review_index.py) to list the queue and to find where a decision goes.
review_items_topic = _topic(f"{_prefix}review-items")
routed_topic = _topic(f"{settings.app_id}-routed")
control_topic = _topic(f"{settings.app_id}-email-control")


class _JobKeyed(KeyPartitioned):
    """Mixin: a table keyed like the jobs topic, written to its key's partition.

    The partition is computed like the producer's default partitioner does for the job's
    message key (murmur2 of the raw key), so writes need no real current event (timers
    settle jobs too).
    """

    def partition_for_key(self, key: Any) -> int:
        return job_partition(str(key))


class RouteTable(RawKeys, faust.Table):
    """Written in the partition of the event being processed (Faust's default)."""


class JobTable(_JobKeyed, faust.Table):
    pass


def _table(name: str, cls: type = RouteTable) -> Any:
    return app.tables.add(
        cls(app, name=name, beacon=app.tables.beacon, key_type=str, partitions=PARTITIONS)
    )


def job_partition(job_id: str) -> int:
    """The partition the producer's default (murmur2) partitioner gives a job id."""
    return (murmur2(job_id.encode()) & 0x7FFFFFFF) % PARTITIONS


# Planner state: keys are "route SEP ...", written in the partition of the routed event.
planner_tables = {name: _table(f"plan-{name}") for name in TABLES}
# customer SEP address -> {"route", "at"}: where the address lives now (address partitions).
address_routes = _table("address-routes")
# building -> {"route", "active"}: where the building's quarantine is planned.
building_routes = _table("building-routes")
# job_id -> {"state", "envelope", ...}: keyed like the jobs topic, so the producer's
# partitioner puts each record in its job's partition (and timers may write it too).
job_states = _table("job-states", JobTable)
# sha256(email) -> reason, written in the partition of the job that led to it; every worker
# reads it in full (any job, on any partition, may be for a suppressed address).
suppressions = _table("suppressions", JobTable)
suppressions_view = follow(suppressions)
# job_id -> SES message id, from SES Send events: settles jobs left in doubt (job partitions).
sent_ledger = _table("sent-ledger", JobTable)


enter_event = faust_compat.enter_event  # table writes go to that event's partition


def all_topics() -> list[Any]:
    """Every topic and changelog of this app."""
    topics = [address_topic, quarantine_topic, jobs_topic, ses_topic, dead_letter_topic]
    topics += [review_decisions_topic, review_items_topic]
    topics += [routed_topic, control_topic]
    return topics + [table.changelog_topic for table in app.tables.values()]
