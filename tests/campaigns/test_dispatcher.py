"""The dispatcher's crash window and provider answers, with an in-memory provider."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from notifier.campaigns.store import JobState
from notifier.config import Settings
from notifier.messengers.base import AmbiguousSend, OutgoingEmail, RetryLater, SendError
from notifier.messengers.memory import MemoryMessenger
from notifier.runtime.embedded import EmbeddedRuntime
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


def test_in_doubt_jobs_without_a_ledger_are_not_resent(tmp_path: Path) -> None:
    provider = CrashAfterSending()
    first = make(tmp_path, provider)
    first.ingest(
        json.dumps(e) for e in (address("c1", HOME), quarantine("B1", "Prestige Shantiniketan"))
    )
    with pytest.raises(Crash):
        first.dispatch()
    first.db.close()
    blind = MemoryMessenger()
    second = make(tmp_path, blind)
    second.dispatch()
    assert blind.sent == []
    assert len(second.store.in_doubt()) == 1
    second.close()


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
