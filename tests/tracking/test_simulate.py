from __future__ import annotations

from collections import Counter
from datetime import timedelta

from notifier.events.contracts import SesEventType
from notifier.reporting.report import build_report
from notifier.tracking.ses_events import parse_ses_record
from notifier.tracking.simulate import (
    SentMessage,
    feed_simulated_events,
    sent_messages,
    simulate_events,
)
from tests.helpers import T0
from tests.tracking.support import send_campaign, sending_runtime


def _messages(n: int) -> list[SentMessage]:
    cities = ("Bengaluru", "Mumbai", "Chennai")
    return [
        SentMessage(
            message_id=f"msg-{i}",
            sent_at=T0 + timedelta(seconds=i),
            tags={"campaign": "B1_x", "building": "B1", "language": ("en", "hi", "ta")[i % 3]},
            city=cities[i % 3],
        )
        for i in range(n)
    ]


def test_same_seed_same_records_and_every_record_parses() -> None:
    sent = _messages(300)
    a = list(simulate_events(sent, seed=3))
    assert a == list(simulate_events(sent, seed=3))
    assert a != list(simulate_events(sent, seed=4))
    events = [parse_ses_record(r) for r in a]
    assert [e.timestamp for e in events] == sorted(e.timestamp for e in events)
    assert {e.message_id for e in events} <= {m.message_id for m in sent}


def test_mix_is_realistic() -> None:
    sent = _messages(3000)
    events = [parse_ses_record(r) for r in simulate_events(sent, seed=11)]
    by_type: dict[SesEventType, set[str]] = {}
    for e in events:
        by_type.setdefault(e.event_type, set()).add(e.message_id)
    n = len(sent)
    assert 0.95 < len(by_type[SesEventType.DELIVERY]) / n < 0.99
    assert 0.01 < len(by_type[SesEventType.BOUNCE]) / n < 0.03
    assert len(by_type.get(SesEventType.COMPLAINT, ())) / n < 0.005
    assert 0.40 < len(by_type[SesEventType.OPEN]) / n < 0.60
    assert len(by_type[SesEventType.CLICK]) / n > 0.05
    opens = Counter(e.message_id for e in events if e.event_type is SesEventType.OPEN)
    assert max(opens.values()) > 1  # repeat opens happen
    agents = Counter(e.detail["user_agent"] for e in events if e.event_type is SesEventType.OPEN)
    assert agents["Mozilla/5.0"] > 0  # Apple MPP proxy loads
    bounces = [e for e in events if e.event_type is SesEventType.BOUNCE]
    permanent = sum(e.detail["bounce_type"] == "Permanent" for e in bounces)
    assert permanent > len(bounces) / 2


def test_demo_loop_sent_messages_to_report(tmp_path) -> None:
    runtime, _ = sending_runtime(tmp_path)
    try:
        sent = send_campaign(runtime, per_building=150)
        messages = sent_messages(runtime.db)
        assert {m.message_id for m in messages} == {s.message_id for s in sent}
        assert {m.city for m in messages} == {"Bengaluru", "Mumbai"}
        stats = feed_simulated_events(runtime, seed=7)
        assert stats.recorded == len(list(simulate_events(messages, seed=7)))
        assert stats.invalid == 0 and stats.unattributed == 0
        report = build_report(runtime.db)
        t = report.totals
        assert t.sent == 300
        assert t.human_opened < t.opened  # some opens were machines
        assert 0.35 < (t.open_rate or 0) < 0.65
        assert {row.key for row in report.rows("language")} == {"en", "hi", "ta"}
        assert len(report.rows("campaign")) == 2
    finally:
        runtime.close()
