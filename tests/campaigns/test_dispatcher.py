"""The dispatcher's crash window and provider answers, with an in-memory provider."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from notifier.campaigns.renderer import Renderer, TemplateError
from notifier.campaigns.store import JobState
from notifier.config import Settings
from notifier.messengers.base import AmbiguousSend, OutgoingEmail, RetryLater, SendError
from notifier.messengers.memory import MemoryMessenger
from notifier.runtime.embedded import EmbeddedRuntime
from notifier.tracking.ingest import ingest_records
from tests.helpers import PipeSegmenter, address, quarantine

HOME = "Prestige Shantiniketan | Whitefield | Bengaluru | 560066"


class Crash(BaseException):
    """Stands for SIGKILL: nothing after it runs (not an Exception, so nothing catches it)."""


class CrashAfterSending(MemoryMessenger):
    """Accepts the message, then the process 'dies' before the result is recorded."""

    def push(self, email: OutgoingEmail) -> str:
        super().push(email)
        raise Crash


def make(
    tmp_path: Path, messenger: MemoryMessenger, ledger: object | None = None
) -> EmbeddedRuntime:
    return EmbeddedRuntime(
        Settings(data_dir=tmp_path),
        messenger=messenger,
        ledger=ledger,  # type: ignore[arg-type]
        segmenter=PipeSegmenter(),
    )


def test_crash_between_send_and_record_does_not_send_twice(tmp_path: Path) -> None:
    provider = CrashAfterSending()
    first = make(tmp_path, provider)
    first.ingest(
        json.dumps(e)
        for e in (
            address("c1", HOME),
            address("c2", HOME),
            quarantine("B1", "Prestige Shantiniketan"),
        )
    )
    with pytest.raises(Crash):
        first.dispatch()
    assert len(first.store.in_doubt()) == 1
    first.db.close()

    # Restart: the provider (its ledger) knows the first message went out.
    survivor = MemoryMessenger()
    survivor.sent = list(provider.sent)
    second = make(tmp_path, survivor, ledger=survivor)
    second.dispatch()
    recipients = sorted(e.to for _, e in survivor.sent)
    assert recipients == ["c1@example.org", "c2@example.org"]
    assert second.store.job_counts() == {JobState.SENT.value: 2}
    second.close()


def test_in_doubt_jobs_wait_for_their_send_event_through_the_grace_period(
    tmp_path: Path,
) -> None:
    provider = CrashAfterSending()
    first = make(tmp_path, provider)
    first.ingest(
        json.dumps(e) for e in (address("c1", HOME), quarantine("B1", "Prestige Shantiniketan"))
    )
    with pytest.raises(Crash):
        first.dispatch()
    first.db.close()
    blind = MemoryMessenger()
    second = make(tmp_path, blind)  # no provider record: the Send events settle it
    second.dispatch()
    assert blind.sent == []  # no Send event yet, and the 300 s grace period is not over
    assert len(second.store.in_doubt()) == 1
    second.close()


def test_a_send_event_settles_an_in_doubt_job_and_its_absence_resends_after_grace(
    tmp_path: Path,
) -> None:
    provider = CrashAfterSending()
    first = make(tmp_path, provider)
    first.ingest(
        json.dumps(e)
        for e in (
            address("c1", HOME),
            address("c2", HOME),
            quarantine("B1", "Prestige Shantiniketan"),
        )
    )
    with pytest.raises(Crash):
        first.dispatch()
    with pytest.raises(Crash):
        first.dispatch()  # both accepted by the provider, neither recorded
    first.db.close()
    (accepted_id, accepted), (_lost_id, _lost) = provider.sent
    # SES's Send event for the first one arrives through the bridge (the second one's is lost)
    record = {
        "eventType": "Send",
        "mail": {
            "messageId": accepted_id,
            "timestamp": "2026-01-01T00:00:00Z",
            "tags": {"job": [accepted.job_id]},
        },
        "send": {},
    }
    bridge = EmbeddedRuntime(Settings(data_dir=tmp_path), segmenter=PipeSegmenter())
    assert ingest_records([record], bridge).recorded == 1
    bridge.close()
    fresh = MemoryMessenger()
    second = EmbeddedRuntime(
        Settings(data_dir=tmp_path), messenger=fresh, segmenter=PipeSegmenter(), grace_seconds=0
    )
    second.dispatch()
    assert [e.job_id for _, e in fresh.sent] == [_lost.job_id]  # grace 0: resent at once
    assert second.store.get_job(accepted.job_id) is not None
    rows = second.db.query("SELECT message_id FROM jobs WHERE job_id = ?", (accepted.job_id,))
    assert rows[0]["message_id"] == accepted_id
    assert second.store.job_counts() == {JobState.SENT.value: 2}
    second.close()


def test_a_broken_template_fails_the_job_not_the_dispatcher(tmp_path: Path) -> None:
    class Broken(Renderer):
        def render(self, *args: object, **kwargs: object) -> object:
            raise TemplateError("announcement/en is missing")

    messenger = MemoryMessenger()
    rt = EmbeddedRuntime(
        Settings(data_dir=tmp_path),
        messenger=messenger,
        segmenter=PipeSegmenter(),
        renderer=Broken(),
    )
    rt.ingest(
        json.dumps(e) for e in (address("c1", HOME), quarantine("B1", "Prestige Shantiniketan"))
    )
    stats = rt.dispatch()
    assert stats.counts[JobState.FAILED.value] == 1 and messenger.sent == []
    assert rt.store.job_counts() == {JobState.FAILED.value: 1}
    rt.close()


class Scripted(MemoryMessenger):
    def __init__(self, *answers: Exception | None) -> None:
        super().__init__()
        self.answers = list(answers)

    def push(self, email: OutgoingEmail) -> str:
        answer = self.answers.pop(0) if self.answers else None
        if answer is not None:
            raise answer
        return super().push(email)


def test_provider_answers_map_to_job_states(tmp_path: Path) -> None:
    provider = Scripted(
        SendError("MessageRejected"), AmbiguousSend("timeout", "j"), RetryLater("Throttling", 0.0)
    )
    rt = make(tmp_path, provider)
    rt.ingest(
        json.dumps(e)
        for e in (
            address("c1", HOME),
            address("c2", HOME),
            address("c3", HOME),
            quarantine("B1", "Prestige Shantiniketan"),
        )
    )
    rt.dispatch()
    counts = rt.store.job_counts()
    assert counts == {JobState.FAILED.value: 1, JobState.SENDING.value: 1, JobState.SENT.value: 1}
    assert len(provider.sent) == 1  # the throttled one went out on the retry
    rt.close()
