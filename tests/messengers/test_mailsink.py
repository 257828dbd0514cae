"""The local mail sink: the embedded default messenger and its own exact sent ledger."""

from __future__ import annotations

import json
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from notifier.campaigns.store import JobState
from notifier.config import Settings
from notifier.messengers.base import OutgoingEmail, SendError
from notifier.messengers.mailsink import MailSinkMessenger
from notifier.runtime.embedded import EmbeddedRuntime
from notifier.runtime.wiring import open_messenger
from tests.helpers import PipeSegmenter, address, quarantine
from tests.messengers.support import REPLY_TO, SENDER, email

HOME = "Prestige Shantiniketan | Whitefield | Bengaluru | 560066"


def sink(folder: Path) -> MailSinkMessenger:
    return MailSinkMessenger(folder, sender=SENDER, sender_name="Pickup", reply_to=REPLY_TO)


def test_each_email_is_a_readable_eml_named_by_its_job(tmp_path: Path) -> None:
    out = email("c1", "hi")
    message_id = sink(tmp_path).push(out)
    (path,) = tmp_path.glob("*.eml")
    assert path.name == f"{out.job_id}.eml"
    msg = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert msg["To"] == "c1@example.org"
    assert msg["X-Notifier-Job"] == out.job_id
    assert msg["List-Unsubscribe"]
    assert msg["Content-Language"] == "hi"
    assert msg.get_body(("html",)) is not None
    assert list(tmp_path.glob(".*.tmp")) == []  # nothing half-written is left behind
    # The ledger answers for what was written, and only for that.
    assert sink(tmp_path).find_sent([out.job_id, email("c2").job_id]) == {out.job_id: message_id}


def test_a_second_push_of_a_job_is_kept_visible_not_overwritten(tmp_path: Path) -> None:
    messenger = sink(tmp_path)
    out = email("c1")
    first = messenger.push(out)
    messenger.push(out)
    assert messenger.sends_per_job() == {out.job_id: 2}
    assert messenger.find_sent([out.job_id]) == {out.job_id: first}


def test_unusable_job_ids_and_unencodable_emails_are_refused(tmp_path: Path) -> None:
    messenger = sink(tmp_path)
    good = email("c1")
    fields = {k: getattr(good, k) for k in good.__dataclass_fields__}
    with pytest.raises(SendError):
        messenger.push(OutgoingEmail(**{**fields, "job_id": "../../etc/passwd"}))
    with pytest.raises(SendError):
        messenger.push(OutgoingEmail(**{**fields, "to": "a@b.c\r\nBcc: x@y.z"}))
    assert list(tmp_path.iterdir()) == []


class Crash(BaseException):
    """Stands for SIGKILL after the file is on disk and before the job is marked sent."""


class CrashAfterWriting(MailSinkMessenger):
    def push(self, email: OutgoingEmail) -> str:
        super().push(email)
        raise Crash


def test_crash_after_writing_is_settled_from_the_files_without_a_resend(tmp_path: Path) -> None:
    mail = tmp_path / "mail"
    crashing = CrashAfterWriting(mail, sender=SENDER)
    first = EmbeddedRuntime(
        Settings(data_dir=tmp_path), messenger=crashing, ledger=crashing, segmenter=PipeSegmenter()
    )
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

    restarted = sink(mail)
    second = EmbeddedRuntime(
        Settings(data_dir=tmp_path),
        messenger=restarted,
        ledger=restarted,
        segmenter=PipeSegmenter(),
    )
    second.dispatch()
    assert second.store.job_counts() == {JobState.SENT.value: 2}
    per_job = restarted.sends_per_job()
    assert len(per_job) == 2 and set(per_job.values()) == {1}  # both sent, neither twice
    second.close()


def test_the_embedded_default_is_the_mail_sink_with_itself_as_ledger(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    assert settings.ses_endpoint == "mailsink"
    with open_messenger(settings) as (messenger, ledger, endpoint):
        assert isinstance(messenger, MailSinkMessenger)
        assert ledger is messenger
        assert messenger.folder == tmp_path / "mail"
        assert endpoint.startswith("file://")
