"""Send campaign emails through Amazon SES v1 ``SendRawEmail``, paced at the account's quota.

Error policy (what the caller sees from :meth:`SesMessenger.push`):

* ``RetryLater``  - throttled ("Maximum sending rate exceeded": all sends pause with jittered
  backoff), daily quota spent (pause until ``quota_pause_seconds`` then re-read the quota),
  sending paused by AWS, or a connection that never reached SES. Nothing was sent; retry the job.
* ``SendError``   - SES refused this message for good (``MessageRejected``,
  ``MailFromDomainNotVerified``, bad parameters, unencodable email). Record it failed.
* ``AmbiguousSend`` - the request went out but no answer came back (read timeout, dropped
  connection, 5xx). SES may have sent it: reconcile with a ``SentLedger`` before any resend.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ReadTimeoutError,
)

from notifier.messengers.base import AmbiguousSend, OutgoingEmail, RetryLater, SendError
from notifier.messengers.mime import MimeError, build_mime
from notifier.messengers.pacing import Backoff, SendPacer

__all__ = [
    "DEFAULT_REGION",
    "BounceAction",
    "SendQuota",
    "SesMessenger",
    "bounce_action",
    "make_ses_client",
    "quota_client_config",
    "send_client_config",
    "ses_tag_value",
]

log = logging.getLogger(__name__)

DEFAULT_REGION = "ap-south-1"
_REJECTED = {
    "MessageRejected",
    "MailFromDomainNotVerified",
    "MailFromDomainNotVerifiedException",
    "ConfigurationSetDoesNotExist",
    "ConfigurationSetDoesNotExistException",
    "InvalidParameterValue",
    "ValidationError",
}
_PAUSED = {
    "AccountSendingPausedException",
    "ConfigurationSetSendingPausedException",
}
_THROTTLED = {"Throttling", "ThrottlingException"}
# Throttling pauses up to this long are waited out inside push(); longer ones raise RetryLater.
_BLOCK_FOR_PAUSE_SECONDS = 1.0
_TAG_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


def ses_tag_value(value: str) -> str:
    """SES message tag names/values allow only ASCII letters, digits, ``_`` and ``-`` (< 256)."""
    return _TAG_UNSAFE.sub("_", value)[:255] or "_"


def send_client_config(connect_timeout: float = 5.0, read_timeout: float = 20.0) -> Config:
    # No transport retries for SendRawEmail: botocore would retry a read timeout (the email may
    # already be out -> duplicate) and a "Daily message quota exceeded" Throttling answer
    # (pointless). Throttling is handled here with backoff + RetryLater instead.
    return Config(
        retries={"total_max_attempts": 1},
        connect_timeout=connect_timeout,
        read_timeout=read_timeout,
    )


def quota_client_config() -> Config:
    # GetSendQuota is a read: botocore's standard retry mode (with its jittered backoff) fits.
    return Config(
        retries={"mode": "standard", "max_attempts": 4}, connect_timeout=5, read_timeout=10
    )


def make_ses_client(
    endpoint_url: str | None = None, region: str = DEFAULT_REGION, config: Config | None = None
) -> Any:
    return boto3.client(
        "ses",
        endpoint_url=endpoint_url,
        region_name=region,
        config=config or send_client_config(),
    )


@dataclass(frozen=True, slots=True)
class SendQuota:
    max_24h: float  # -1 means unlimited
    max_rate: float
    sent_24h: float

    @classmethod
    def from_response(cls, resp: Mapping[str, Any]) -> SendQuota:
        return cls(
            max_24h=float(resp["Max24HourSend"]),
            max_rate=float(resp["MaxSendRate"]),
            sent_24h=float(resp["SentLast24Hours"]),
        )


class SesMessenger:
    """``Messenger`` over SES v1 ``SendRawEmail`` with a configuration set and message tags.

    Thread-safe: several workers may call :meth:`push` at once; they share one pacer.
    Pass ``client`` (a boto3 SES client; give it ``send_client_config()`` so it does not retry
    sends on its own) or ``endpoint_url``/``region`` to have one built.
    """

    name = "ses"

    def __init__(
        self,
        *,
        sender: str,
        configuration_set: str,
        client: Any | None = None,
        endpoint_url: str | None = None,
        region: str = DEFAULT_REGION,
        sender_name: str = "",
        reply_to: str | None = None,
        max_rate: float | None = None,
        max_24h: float | None = None,
        rate_headroom: float = 0.02,
        quota_refresh_seconds: float = 60.0,
        quota_pause_seconds: float = 900.0,
        backoff: Backoff | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.sender = sender
        self.sender_name = sender_name
        self.reply_to = reply_to
        self.configuration_set = configuration_set
        self._client = client or make_ses_client(endpoint_url, region)
        self._quota_client = client or make_ses_client(endpoint_url, region, quota_client_config())
        # Overrides of the account quota. Production: leave None (or lower the rate to share
        # it with another sender). moto reports a fixed 1/s and 200/day it never enforces, so
        # local runs pass e.g. max_rate=200, max_24h=-1 (unlimited).
        self._max_rate = max_rate
        self._max_24h = max_24h
        # Slots are paced 2 % under MaxSendRate and a sliding window caps real sends at it:
        # late wake-ups (threads, busy CPU) are absorbed without bursts over the quota.
        self._headroom = rate_headroom
        self._refresh_every = quota_refresh_seconds
        self._quota_pause = quota_pause_seconds
        self._backoff = backoff or Backoff()
        self._clock = clock
        self._lock = threading.Lock()
        self._quota: SendQuota | None = None
        self._quota_read_at = float("-inf")
        self._sent_since_read = 0
        self._daily_blocked_until = 0.0
        self._pacer: SendPacer | None = None
        self.sent = 0  # messages SES accepted through this instance

    # -- quota -------------------------------------------------------------------------------

    def _read_quota(self) -> SendQuota:
        try:
            account = SendQuota.from_response(self._quota_client.get_send_quota())
        except (ClientError, BotoCoreError) as exc:
            raise RetryLater(f"cannot read SES send quota ({type(exc).__name__})", 5.0) from exc
        quota = SendQuota(
            max_24h=account.max_24h if self._max_24h is None else self._max_24h,
            max_rate=self._max_rate or account.max_rate,
            sent_24h=account.sent_24h,
        )
        rate = quota.max_rate * (1 - self._headroom)
        with self._lock:
            self._quota = quota
            self._quota_read_at = self._clock()
            self._sent_since_read = 0
            if self._pacer is None:
                self._pacer = SendPacer(rate, ceiling_per_second=quota.max_rate)
            else:
                self._pacer.set_rate(rate, quota.max_rate)
        log.info("SES quota: %.0f/24h, %.1f/s, %.0f sent", quota.max_24h, rate, quota.sent_24h)
        return quota

    def quota(self) -> SendQuota:
        """The quota in force: the last one read (now if never), with any overrides applied."""
        return self._quota or self._read_quota()

    @property
    def pacer(self) -> SendPacer:
        if self._pacer is None:
            self._read_quota()
        assert self._pacer is not None
        return self._pacer

    def _check_daily_quota(self) -> None:
        now = self._clock()
        if now < self._daily_blocked_until:
            raise RetryLater("SES daily sending quota reached", self._daily_blocked_until - now)
        if self._quota is None or now - self._quota_read_at >= self._refresh_every:
            self._read_quota()
        quota = self._quota
        assert quota is not None
        with self._lock:
            spent = quota.sent_24h + self._sent_since_read
            if quota.max_24h < 0 or spent < quota.max_24h:
                # Reserve the send now so concurrent pushes cannot overshoot the quota.
                self._sent_since_read += 1
                return
        # The 24 h window rolls: capacity comes back gradually, so pause then re-read.
        raise self._block_daily(now)

    def _release(self) -> None:
        """Give back a reservation for a send SES certainly did not accept."""
        with self._lock:
            self._sent_since_read = max(0, self._sent_since_read - 1)

    def _block_daily(self, now: float) -> RetryLater:
        with self._lock:
            self._daily_blocked_until = now + self._quota_pause
            self._quota_read_at = float("-inf")  # re-read once the pause is over
        log.warning("SES daily quota reached; pausing sends for %.0fs", self._quota_pause)
        return RetryLater("SES daily sending quota reached", self._quota_pause)

    # -- sending -----------------------------------------------------------------------------

    def _tags(self, email: OutgoingEmail) -> list[dict[str, str]]:
        tags = {**email.tags, "job": email.job_id}
        if email.language and "language" not in tags:
            tags["language"] = email.language
        return [{"Name": ses_tag_value(k), "Value": ses_tag_value(v)} for k, v in tags.items()]

    def push(self, email: OutgoingEmail) -> str:
        """Send one email; return the SES message id. See the module doc for the errors."""
        try:
            raw = build_mime(
                email, sender=self.sender, sender_name=self.sender_name, reply_to=self.reply_to
            )
        except MimeError as exc:
            raise SendError(str(exc)) from exc
        paused = self.pacer.paused_for()
        if paused > _BLOCK_FOR_PAUSE_SECONDS:
            # A long throttling pause: hand the job back rather than hold the caller's thread.
            raise RetryLater("SES throttling pause", paused)
        self._check_daily_quota()
        self.pacer.acquire()
        try:
            resp = self._client.send_raw_email(
                Source=self.sender,
                Destinations=[email.to],
                RawMessage={"Data": raw},
                ConfigurationSetName=self.configuration_set,
                Tags=self._tags(email),
            )
        except ClientError as exc:
            error = self._classify(exc, email)
            if not isinstance(error, AmbiguousSend):
                self._release()
            raise error from exc
        except (EndpointConnectionError, ConnectTimeoutError) as exc:
            # The request never reached SES: safe to retry.
            self._release()
            raise RetryLater(f"SES unreachable ({type(exc).__name__})", 5.0) from exc
        except (ReadTimeoutError, ConnectionClosedError) as exc:
            raise AmbiguousSend(f"no answer from SES ({type(exc).__name__})", email.job_id) from exc
        except BotoCoreError as exc:
            raise AmbiguousSend(f"SES call failed ({type(exc).__name__})", email.job_id) from exc
        self._backoff.reset()
        with self._lock:
            self.sent += 1
        return str(resp["MessageId"])

    def _classify(self, exc: ClientError, email: OutgoingEmail) -> Exception:
        error = exc.response.get("Error", {})
        code = str(error.get("Code", ""))
        message = str(error.get("Message", ""))
        status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)
        if code in _THROTTLED:
            if "daily" in message.lower():
                return self._block_daily(self._clock())
            delay = self._backoff.next_delay()
            self.pacer.pause_for(delay)
            log.warning("SES throttled sending; pausing %.1fs", delay)
            return RetryLater(f"SES throttling: {message[:80]}", delay)
        if code in _PAUSED:
            return RetryLater(f"SES sending paused ({code})", self._quota_pause)
        if code in _REJECTED or 400 <= status < 500:
            return SendError(f"SES rejected the message: {code}")
        if status >= 500 or code in {"InternalFailure", "ServiceUnavailable"}:
            return AmbiguousSend(f"SES server error {code or status}", email.job_id)
        return SendError(f"SES error {code or status}")

    def flush(self) -> None:
        """Nothing is buffered: every push is one synchronous SendRawEmail call."""

    def close(self) -> None:
        clients = {id(c): c for c in (self._client, self._quota_client)}
        for client in clients.values():
            close = getattr(client, "close", None)
            if close is not None:
                close()


class BounceAction(StrEnum):
    SUPPRESS = "suppress"  # never email this address again
    SOFT = "soft"  # temporary: count it, suppress only if it keeps happening
    IGNORE = "ignore"


# SES bounce notifications: bounceType / bounceSubType -> what the suppression list should do.
_BOUNCE_ACTIONS: dict[tuple[str, str], BounceAction] = {
    ("Permanent", "General"): BounceAction.SUPPRESS,
    ("Permanent", "NoEmail"): BounceAction.SUPPRESS,
    ("Permanent", "Suppressed"): BounceAction.SUPPRESS,
    ("Permanent", "OnAccountSuppressionList"): BounceAction.SUPPRESS,
    ("Transient", "General"): BounceAction.SOFT,
    ("Transient", "MailboxFull"): BounceAction.SOFT,
    ("Transient", "MessageTooLarge"): BounceAction.IGNORE,  # our fault, not the address's
    ("Transient", "ContentRejected"): BounceAction.IGNORE,
    ("Transient", "AttachmentRejected"): BounceAction.IGNORE,
    ("Undetermined", "Undetermined"): BounceAction.SOFT,
}


def bounce_action(bounce_type: str, bounce_sub_type: str = "") -> BounceAction:
    """What to do with an address after an SES bounce (complaints: always suppress)."""
    action = _BOUNCE_ACTIONS.get((bounce_type, bounce_sub_type))
    if action is not None:
        return action
    if bounce_type == "Permanent":
        return BounceAction.SUPPRESS
    return BounceAction.SOFT
