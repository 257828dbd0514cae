"""Whatever arrives on the SES event stream, tracking answers with a record or a dead letter."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notifier.events.contracts import InvalidEvent
from notifier.reporting.report import build_report
from notifier.runtime.database import Database
from notifier.runtime.sqlite_store import SqliteStore
from notifier.tracking.ingest import Tracker, TrackingStats
from notifier.tracking.ses_events import parse_ses_record
from notifier.tracking.store import SqliteTrackingStore
from tests.helpers import T0
from tests.tracking import aws_examples as aws

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)
TYPES = [
    "Open",
    "Click",
    "Bounce",
    "Delivery",
    "Complaint",
    "Send",
    "Subscription",
    "DeliveryDelay",
    "Reject",
    "Rendering Failure",
]
BLOCKS = [
    "open",
    "click",
    "bounce",
    "delivery",
    "complaint",
    "send",
    "subscription",
    "deliveryDelay",
    "reject",
    "failure",
]


@st.composite
def almost_records(draw) -> dict:
    """Real-looking records with random parts replaced by junk."""
    record = aws.open_("m-1", T0)
    record["eventType"] = draw(st.sampled_from(TYPES) | json_values)
    block = draw(st.sampled_from(BLOCKS))
    record[block] = draw(
        st.fixed_dictionaries(
            {},
            optional={
                "timestamp": st.sampled_from(
                    ["2026-11-01T10:00:00Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59+14:00"]
                )
                | json_values,
                "bounceType": st.sampled_from(["Permanent", "Transient"]) | json_values,
                "userAgent": json_values,
                "ipAddress": json_values,
                "link": json_values,
                "newTopicPreferences": json_values,
            },
        )
    )
    if draw(st.booleans()):
        record["mail"] = draw(json_values)
    elif draw(st.booleans()):
        record["mail"]["tags"] = draw(json_values)
    return record


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(json_values, almost_records(), st.binary(max_size=40)))
def test_parser_raises_only_invalid_event(raw) -> None:
    try:
        event = parse_ses_record(raw if isinstance(raw, bytes) else json.dumps(raw))
    except InvalidEvent as exc:
        assert exc.reason
    else:
        assert event.message_id


@settings(max_examples=100, deadline=None)
@given(st.lists(almost_records(), max_size=6))
def test_recording_junk_keeps_the_report_working(records) -> None:
    db = Database(":memory:")
    store = SqliteStore(db)
    tracker = Tracker(SqliteTrackingStore(db), store)
    stats = TrackingStats()
    for record in records:
        tracker.record(record, stats)
    assert stats.recorded + stats.duplicates + stats.invalid == len(records)
    assert len(store.dead_letters()) == stats.invalid
    build_report(db)  # states from odd records still add up
    db.close()
