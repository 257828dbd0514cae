"""Pure helpers in messengers.ses and messengers.ledger."""

from __future__ import annotations

from notifier.messengers.ledger import job_id_of
from notifier.messengers.ses import BounceAction, bounce_action, ses_tag_value


def test_tag_values_are_made_safe_for_ses() -> None:
    assert ses_tag_value("blr:prestige.tower-b") == "blr_prestige_tower-b"
    assert ses_tag_value("ok_Value-1") == "ok_Value-1"
    assert ses_tag_value("") == "_"
    assert len(ses_tag_value("x" * 400)) == 255


def test_bounce_types_map_to_suppression_decisions() -> None:
    assert bounce_action("Permanent", "General") is BounceAction.SUPPRESS
    assert bounce_action("Permanent", "SomethingNew") is BounceAction.SUPPRESS
    assert bounce_action("Transient", "MailboxFull") is BounceAction.SOFT
    assert bounce_action("Transient", "MessageTooLarge") is BounceAction.IGNORE
    assert bounce_action("Undetermined", "Undetermined") is BounceAction.SOFT


def test_job_header_is_read_from_raw_messages() -> None:
    raw = "From: a@b.c\r\nX-Notifier-Job:  abc123 \r\nSubject: x\r\n\r\nbody"
    assert job_id_of(raw) == "abc123"
    assert job_id_of("From: a@b.c\r\n\r\nbody") is None
