"""The send side's job-state machine against a real (moto) SES endpoint."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from notifier.campaigns.renderer import Renderer, TemplateError
from notifier.campaigns.store import JobState
from notifier.engine.sending import DispatchSettings
from notifier.events.contracts import EmailJob, EmailKind, PickupPoint
from notifier.messengers.ledger import MotoSentLedger
from notifier.messengers.ses import SesMessenger, make_ses_client, send_client_config
from notifier.streams.job_outbox import TableSuppressions
from notifier.streams.messages import JobEnvelope, RenderContext
from notifier.streams.sender import SenderStage
from tests.streams.support import CONFIG_SET, SENDER, moto_ses, recipients

SETTINGS = DispatchSettings(
    unsubscribe_secret=b"unit-test-secret-0123456789",
    public_base_url="http://127.0.0.1:8080",
    reply_to="help@notices.example.in",
)
CONTEXT = RenderContext(
    name="Prestige Shantiniketan",
    locality="Whitefield",
    city="Bengaluru",
    pickup=PickupPoint(name="Society office", location="Main gate", hours="9-18"),
)


@pytest.fixture
def ses(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with moto_ses() as endpoint:
        yield endpoint


def messenger(endpoint: str) -> SesMessenger:
    return SesMessenger(
        sender=SENDER,
        configuration_set=CONFIG_SET,
        client=make_ses_client(endpoint, "ap-south-1", send_client_config()),
        max_rate=500,
    )


def envelope(customer: str, kind: EmailKind = EmailKind.ANNOUNCEMENT) -> JobEnvelope:
    job = EmailJob(
        job_id=EmailJob.make_id("B1~ep", kind, 0, customer),
        kind=kind,
        campaign_id="B1~ep",
        building_id="B1",
        episode_id="B1~ep",
        customer_id=customer,
        address_id="home",
        email=f"{customer}@example.org",
        name=f"Customer {customer}",
    )
    return JobEnvelope(job=job, route="bengaluru", context=CONTEXT)


def send(stage: SenderStage, endpoint: str, envelopes: list[JobEnvelope]) -> list[Any]:
    ready = [e for e in envelopes if stage.prepare(e)[0]]
    results = stage.push_all(messenger(endpoint), ready)
    return [stage.record(e, r) for e, r in zip(ready, results, strict=True)]


def test_sends_once_and_repeats_the_verdict_for_duplicates(ses: str) -> None:
    stage = SenderStage({}, Renderer(), SETTINGS)
    first = envelope("c1")
    feedback = send(stage, ses, [first, first, envelope("c2")])  # a duplicate in the batch
    assert [f.status.state for f in feedback] == [JobState.SENT, JobState.SENT]
    assert recipients(ses) == {"c1@example.org": 1, "c2@example.org": 1}
    again, repeated = stage.prepare(first)
    assert not again and repeated is not None and repeated.status.state is JobState.SENT
    assert stage.table[first.job.job_id]["message_id"]


def test_cancel_before_arrival_and_suppression(ses: str) -> None:
    suppressions = TableSuppressions({})
    suppressions.suppress(" C3@example.org", "complaint")  # the same key, however written
    stage = SenderStage({}, Renderer(), SETTINGS, suppressions=suppressions)
    cancelled = envelope("c1")
    assert stage.cancel(cancelled.job.job_id)
    send(stage, ses, [cancelled, envelope("c2"), envelope("c3")])
    assert recipients(ses) == {"c2@example.org": 1}
    assert stage.state(cancelled.job.job_id) is JobState.CANCELLED
    assert stage.state(envelope("c3").job.job_id) is JobState.SUPPRESSED
    assert not stage.cancel(envelope("c2").job.job_id)  # already sent: too late


def test_in_doubt_jobs_are_settled_with_the_ledger(ses: str) -> None:
    """A worker died after marking SENDING: one job reached SES, one did not."""
    table: dict[str, Any] = {}
    dead = SenderStage(table, Renderer(), SETTINGS)
    reached, lost = envelope("c1"), envelope("c2")
    assert dead.prepare(reached)[0] and dead.prepare(lost)[0]
    dead.push_all(messenger(ses), [reached])  # killed before recording anything

    restarted = SenderStage(table, Renderer(), SETTINGS)
    doubtful = restarted.in_doubt()
    assert sorted(e.job.customer_id for e in doubtful) == ["c1", "c2"]
    # a redelivered job in doubt is never sent blindly
    assert restarted.prepare(reached) == (False, None)
    accepted = MotoSentLedger(ses).find_sent([e.job.job_id for e in doubtful])
    settled = restarted.settle(accepted, doubtful)
    assert [f.status.job_id for f in settled.confirmed] == [reached.job.job_id]
    assert [e.job.job_id for e in settled.resend] == [lost.job.job_id]
    send(restarted, ses, settled.resend)
    assert recipients(ses) == {"c1@example.org": 1, "c2@example.org": 1}
    assert restarted.in_doubt() == []


def test_in_doubt_is_only_settled_for_owned_jobs(ses: str) -> None:
    """Another worker's partitions are its business: never resend what it may be sending."""
    stage = SenderStage({}, Renderer(), SETTINGS)
    mine, theirs = envelope("c1"), envelope("c2")
    assert stage.prepare(mine)[0] and stage.prepare(theirs)[0]
    owned = stage.in_doubt(lambda job_id: job_id == mine.job.job_id)
    assert [e.job.job_id for e in owned] == [mine.job.job_id]


def test_a_template_error_fails_the_job_instead_of_the_batch(ses: str) -> None:
    class Broken(Renderer):
        def render(self, *args: Any, **kwargs: Any) -> Any:
            raise TemplateError("announcement/xx is missing")

    stage = SenderStage({}, Broken(), SETTINGS)
    job = envelope("c1")
    (verdict,) = send(stage, ses, [job])
    assert verdict.status.state is JobState.FAILED
    assert stage.table[job.job.job_id]["reason"] == "announcement/xx is missing"
    assert recipients(ses) == {}
