"""Which jobs did the provider accept? Used to reconcile an ``AmbiguousSend`` before resending.

In production the answer comes from SES ``Send`` events (tagged with ``job``); against a moto
endpoint (tests, compose) :class:`MotoSentLedger` reads the moto server's own record of sent raw
messages, which carry the ``X-Notifier-Job`` header; the local mail sink
(:class:`~notifier.messengers.mailsink.MailSinkMessenger`) is its own exact ledger.
"""

from __future__ import annotations

import json
import urllib.request
from collections import Counter
from collections.abc import Sequence
from email.parser import BytesHeaderParser
from email.policy import default as default_policy
from typing import Any, Protocol

from notifier.messengers.mime import JOB_HEADER

__all__ = [
    "LedgerUnavailable",
    "MotoSentLedger",
    "SentLedger",
    "job_id_of",
    "reconcile",
]


class LedgerUnavailable(RuntimeError):
    """The ledger could not be read; the caller must not assume anything was or was not sent."""


class SentLedger(Protocol):
    def find_sent(self, job_ids: Sequence[str]) -> dict[str, str]:
        """job_id -> provider message id, for those of ``job_ids`` the provider accepted."""
        ...


def job_id_of(raw_message: str | bytes) -> str | None:
    """The ``X-Notifier-Job`` header of a raw RFC 5322 message (headers only are parsed)."""
    data = raw_message.encode("utf-8") if isinstance(raw_message, str) else raw_message
    headers = BytesHeaderParser(policy=default_policy).parsebytes(data)
    value = headers.get(JOB_HEADER)
    return str(value).strip() if value else None


class MotoSentLedger:
    """Reads ``GET /moto-api/data.json`` of a moto server (dev/test stand-in for Send events)."""

    def __init__(self, endpoint_url: str, *, timeout: float = 10.0) -> None:
        self.endpoint_url = endpoint_url.rstrip("/")
        self.timeout = timeout

    def _raw_messages(self) -> list[dict[str, Any]]:
        url = f"{self.endpoint_url}/moto-api/data.json"
        try:
            with urllib.request.urlopen(url, timeout=self.timeout) as resp:
                data = json.load(resp)
        except (OSError, ValueError) as exc:
            raise LedgerUnavailable(
                f"cannot read moto sent messages ({type(exc).__name__})"
            ) from exc
        return list(data.get("ses", {}).get("RawMessage", []))

    def sends_per_job(self) -> Counter[str]:
        """How many messages moto accepted per job id (a count above 1 is a duplicate)."""
        return Counter(
            job_id for m in self._raw_messages() if (job_id := job_id_of(m.get("raw_data", "")))
        )

    def find_sent(self, job_ids: Sequence[str]) -> dict[str, str]:
        wanted = set(job_ids)
        found: dict[str, str] = {}
        for message in self._raw_messages():
            job_id = job_id_of(message.get("raw_data", ""))
            if job_id in wanted and job_id not in found:
                found[job_id] = str(message["id"])
        return found


def reconcile(ledger: SentLedger, job_ids: Sequence[str]) -> tuple[dict[str, str], list[str]]:
    """Split ambiguous jobs into (sent: job_id -> message id, unsent: safe to send again)."""
    sent = ledger.find_sent(job_ids)
    return sent, [j for j in job_ids if j not in sent]
