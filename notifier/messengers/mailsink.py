"""A local mail sink: every email is written as an ``.eml`` file instead of being sent.

It is the embedded default when no SES endpoint is configured (``notifier demo``, a first
``notifier run``): a plain ``pip install`` works with no AWS account and no test tooling. The
files are the exact MIME bytes SES would get, so they open in any mail client.

It is also the exact :class:`~notifier.messengers.ledger.SentLedger` of what it accepted: a
message is written to a temporary name, flushed to disk and then linked to ``<job id>.eml`` in
one step, so after a crash a job's file either exists (sent) or does not (safe to send).
"""

from __future__ import annotations

import contextlib
import os
import re
import uuid
from collections import Counter
from collections.abc import Sequence
from email.parser import BytesHeaderParser
from email.policy import default as default_policy
from pathlib import Path

from notifier.messengers.base import OutgoingEmail, SendError
from notifier.messengers.mime import MimeError, build_mime

__all__ = ["MailSinkMessenger"]

_SAFE_JOB_ID = re.compile(r"^[A-Za-z0-9_-]{1,128}$")


class MailSinkMessenger:
    """Writes ``<folder>/<job id>.eml``; a second push of a job is kept as a visible duplicate."""

    name = "mailsink"

    def __init__(
        self,
        folder: Path,
        *,
        sender: str,
        sender_name: str = "",
        reply_to: str | None = None,
        configuration_set: str = "",
    ) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.sender = sender
        self.sender_name = sender_name
        self.reply_to = reply_to
        self.configuration_set = configuration_set

    def push(self, email: OutgoingEmail) -> str:
        if not _SAFE_JOB_ID.match(email.job_id):
            raise SendError("job id is not usable as a file name")
        try:
            raw = build_mime(
                email, sender=self.sender, sender_name=self.sender_name, reply_to=self.reply_to
            )
        except MimeError as exc:
            raise SendError(str(exc)) from exc
        message_id = f"sink-{uuid.uuid4().hex}"
        # The provider's message id, as SES would answer it, is recorded in the file itself.
        data = f"X-Sink-Message-Id: {message_id}\r\n".encode("ascii") + raw
        tmp = self.folder / f".{email.job_id}.{uuid.uuid4().hex}.tmp"
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            target = self.folder / f"{email.job_id}.eml"
            try:
                os.link(tmp, target)  # fails if the job was already written: never overwrite
            except FileExistsError:
                os.link(tmp, self.folder / f"{email.job_id}.dup-{uuid.uuid4().hex[:8]}.eml")
        finally:
            tmp.unlink(missing_ok=True)
        self._fsync_folder()
        return message_id

    def _fsync_folder(self) -> None:
        # The new directory entry must be durable before the job is marked sent.
        fd = os.open(self.folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    def find_sent(self, job_ids: Sequence[str]) -> dict[str, str]:
        """job_id -> message id of the ``.eml`` written for it (the exact ledger)."""
        found: dict[str, str] = {}
        for job_id in job_ids:
            if not _SAFE_JOB_ID.match(job_id):
                continue
            path = self.folder / f"{job_id}.eml"
            with contextlib.suppress(FileNotFoundError):
                with open(path, "rb") as fh:
                    headers = BytesHeaderParser(policy=default_policy).parse(fh)
                found[job_id] = str(headers.get("X-Sink-Message-Id", "")).strip()
        return found

    def sends_per_job(self) -> Counter[str]:
        """How many messages were written per job id (a count above 1 is a duplicate)."""
        return Counter(p.name.split(".", 1)[0] for p in self.folder.glob("*.eml"))

    def flush(self) -> None:
        return None

    def close(self) -> None:
        return None
