"""Jobs left in doubt by a crash, settled by SES Send events (the production ledger) on the
embedded runtime: real SES calls to a moto server, Send events injected through a moto SQS
queue and the real ``notifier ses-bridge`` command."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from notifier.campaigns.store import JobState
from notifier.config import Settings
from notifier.messengers.base import OutgoingEmail
from notifier.messengers.ses import SesMessenger, make_ses_client, send_client_config
from notifier.runtime.embedded import EmbeddedRuntime
from notifier.tracking.cli import ses_bridge
from tests.helpers import PipeSegmenter, address, quarantine
from tests.streams.support import (
    CONFIG_SET,
    SENDER,
    moto_ses,
    recipients,
    send_events_of,
    sqs_queue_with,
)

HOME = "Prestige Shantiniketan | Whitefield | Bengaluru | 560066"
GRACE = 120.0


class Crash(BaseException):
    """Stands for SIGKILL: nothing after it runs."""


class Dying(SesMessenger):
    """The first message reaches SES and then the process dies; the second dies before."""

    pushes = 0

    def push(self, email: OutgoingEmail) -> str:
        Dying.pushes += 1
        if Dying.pushes == 1:
            super().push(email)
        raise Crash


@pytest.fixture
def ses(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("NOTIFIER_SENT_LEDGER", "ses-events")
    with moto_ses() as endpoint:
        yield endpoint


def runtime(
    tmp_path: Path, endpoint: str, cls: type[SesMessenger] = SesMessenger
) -> EmbeddedRuntime:
    messenger = cls(
        sender=SENDER,
        configuration_set=CONFIG_SET,
        client=make_ses_client(endpoint, "ap-south-1", send_client_config()),
        max_rate=100,
    )
    return EmbeddedRuntime(
        Settings(data_dir=tmp_path),
        messenger=messenger,
        segmenter=PipeSegmenter(),
        grace_seconds=GRACE,
    )


def test_send_events_settle_in_doubt_jobs_and_the_unsent_one_goes_once_after_grace(
    tmp_path: Path, ses: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="notifier")
    first = runtime(tmp_path, ses, Dying)
    first.ingest(
        json.dumps(e)
        for e in (
            address("c1", HOME),
            address("c2", HOME),
            quarantine("B1", "Prestige Shantiniketan"),
        )
    )
    for _ in range(2):
        with pytest.raises(Crash):
            first.dispatch()
    first.db.close()
    assert recipients(ses) == {"c1@example.org": 1}  # SES took c1's, never saw c2's

    # SES event publishing delivers c1's Send event: SNS -> SQS -> the bridge -> the ledger
    _sqs, url = sqs_queue_with(ses, "ses-events", send_events_of(ses))
    bridged = CliRunner().invoke(
        ses_bridge,
        ["--queue-url", url, "--endpoint-url", ses, "--once", "--data-dir", str(tmp_path)],
    )
    assert bridged.exit_code == 0, bridged.output
    assert "1 events recorded" in bridged.output

    second = runtime(tmp_path, ses)
    second.dispatch()  # c1 is settled as sent; c2 waits for its grace period
    assert recipients(ses) == {"c1@example.org": 1}
    assert second.store.job_counts() == {JobState.SENT.value: 1, JobState.SENDING.value: 1}

    later = datetime.now(UTC) + timedelta(seconds=GRACE + 1)
    assert second.dispatcher is not None
    second.dispatcher.clock = second.dispatcher.machine.clock = lambda: later
    second.dispatch()  # no Send event for c2 within the grace period: sent, once
    second.dispatch()
    assert recipients(ses) == {"c1@example.org": 1, "c2@example.org": 1}
    assert second.store.job_counts() == {JobState.SENT.value: 2}
    second.close()
    # every decision is logged, with ids only
    decisions = [r.getMessage() for r in caplog.records if r.name == "notifier.engine.settling"]
    assert any("accepted as message" in d for d in decisions)
    assert any("waiting for the grace period" in d for d in decisions)
    assert any("not in the sent ledger after 120s, sending again" in d for d in decisions)
    assert not any("example.org" in r.getMessage() for r in caplog.records)
