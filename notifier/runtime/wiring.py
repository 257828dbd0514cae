"""Build the embedded runtime's parts from settings: the messenger (local mail sink, an SES
endpoint such as a moto server, or AWS) and its sent ledger."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from notifier.config import EMBEDDED_SES, MAIL_SINK, Settings
from notifier.messengers.base import Messenger
from notifier.messengers.ledger import MotoSentLedger, SentLedger
from notifier.messengers.mailsink import MailSinkMessenger
from notifier.messengers.ses import SesMessenger, make_ses_client
from notifier.runtime.embedded import EmbeddedRuntime

__all__ = [
    "open_messenger",
    "open_runtime",
]


def _sender_address(sender: str) -> str:
    return sender.rsplit("<", 1)[-1].rstrip(">").strip()


def _sender_name(sender: str) -> str:
    return sender.split("<", 1)[0].strip() if "<" in sender else ""


@contextmanager
def open_messenger(settings: Settings) -> Iterator[tuple[Messenger, SentLedger | None, str]]:
    """Yield (messenger, ledger, endpoint) for the configured SES target."""
    with ExitStack() as stack:
        if settings.ses_endpoint in (MAIL_SINK, EMBEDDED_SES):
            # No AWS account, no test tooling: emails become .eml files, which are their own
            # exact ledger of what was "sent".
            sink = MailSinkMessenger(
                settings.mail_dir,
                sender=_sender_address(settings.sender),
                sender_name=_sender_name(settings.sender),
                reply_to=settings.reply_to,
                configuration_set=settings.configuration_set,
            )
            yield sink, sink, f"file://{settings.mail_dir.resolve()}"
            return
        endpoint = None if settings.ses_endpoint == "aws" else settings.ses_endpoint
        messenger = SesMessenger(
            sender=_sender_address(settings.sender),
            sender_name=_sender_name(settings.sender),
            configuration_set=settings.configuration_set,
            client=make_ses_client(endpoint, settings.ses_region),
            reply_to=settings.reply_to,
            max_rate=settings.max_send_rate,
            max_24h=settings.max_24h_send,
        )
        stack.callback(messenger.close)
        # A moto endpoint can say what it accepted; against real SES the ledger is the
        # stream of SES "Send" events the runtime records (engine.settings.choose_ledger).
        ledger = MotoSentLedger(endpoint) if endpoint else None
        yield messenger, ledger, endpoint or "aws"


@contextmanager
def open_runtime(settings: Settings, *, send: bool = True) -> Iterator[EmbeddedRuntime]:
    """The embedded runtime with its messenger (unless ``send`` is False)."""
    if not send:
        runtime = EmbeddedRuntime(settings)
        try:
            yield runtime
        finally:
            runtime.close()
        return
    with open_messenger(settings) as (messenger, moto, _endpoint):
        # moto's record, or the SES Send events this runtime recorded (NOTIFIER_SENT_LEDGER)
        runtime = EmbeddedRuntime(settings, messenger=messenger, ledger=moto)
        try:
            yield runtime
        finally:
            runtime.db.close()
