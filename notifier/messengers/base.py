"""The small interface campaigns need from an email backend (after listmonk's Messenger)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

__all__ = [
    "AmbiguousSend",
    "Messenger",
    "OutgoingEmail",
    "RetryLater",
    "SendError",
]


@dataclass(frozen=True, slots=True)
class OutgoingEmail:
    """A fully rendered email, ready for a transport."""

    job_id: str  # idempotency key, see events.contracts.EmailJob.make_id
    to: str
    subject: str
    text: str
    html: str
    language: str
    headers: dict[str, str] = field(default_factory=dict)  # List-Unsubscribe, Reply-To, ...
    tags: dict[str, str] = field(default_factory=dict)  # campaign, building, language, kind


class SendError(Exception):
    """The backend refused the message for good (e.g. SES MessageRejected): do not retry."""


class RetryLater(Exception):
    """A transient refusal (throttling, daily quota): the job stays queued and is retried."""

    def __init__(self, reason: str, after_seconds: float = 1.0) -> None:
        super().__init__(reason)
        self.after_seconds = after_seconds


class Messenger(Protocol):
    """Sends rendered emails. ``push`` returns the provider's message id."""

    name: str

    def push(self, email: OutgoingEmail) -> str: ...

    def flush(self) -> None: ...

    def close(self) -> None: ...


class AmbiguousSend(Exception):
    """The provider may or may not have accepted the message (e.g. a read timeout after the
    request went out). Do not resend blindly: reconcile first with a ``SentLedger``
    (see messengers.ledger) and resend only if the job id is not found there."""

    def __init__(self, reason: str, job_id: str) -> None:
        super().__init__(reason)
        self.job_id = job_id
