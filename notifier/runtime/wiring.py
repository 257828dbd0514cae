"""Build the runtimes' parts from settings: SES (local moto or real) and the sent ledger that
settles jobs left in doubt by a crash."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from notifier.config import EMBEDDED_SES, Settings
from notifier.messengers.ledger import MotoSentLedger, SentLedger
from notifier.messengers.ses import SesMessenger, make_ses_client, send_client_config
from notifier.runtime.embedded import EmbeddedRuntime
from notifier.runtime.local_ses import LocalSes

# moto reports a sandbox quota (200/day, 1/s) it never enforces; the embedded default sends
# at a realistic production rate instead so a demo campaign finishes in seconds.
LOCAL_SEND_RATE = 200.0


def _sender_address(sender: str) -> str:
    return sender.rsplit("<", 1)[-1].rstrip(">").strip()


def _sender_name(sender: str) -> str:
    return sender.split("<", 1)[0].strip() if "<" in sender else ""


@contextmanager
def open_messenger(settings: Settings) -> Iterator[tuple[SesMessenger, SentLedger | None, str]]:
    """Yield (messenger, ledger, endpoint) for the configured SES target."""
    with ExitStack() as stack:
        endpoint: str | None = None
        rate = settings.max_send_rate
        daily: float | None = settings.max_24h_send
        if settings.ses_endpoint == EMBEDDED_SES:
            local = stack.enter_context(
                LocalSes(
                    sender=settings.sender,
                    configuration_set=settings.configuration_set,
                    region=settings.ses_region,
                )
            )
            endpoint = local.endpoint_url
            client = local.client(config=send_client_config())
            rate = rate or LOCAL_SEND_RATE
            # moto's fixed sandbox quota (200/day) would stall any real campaign
            daily = daily if daily is not None else -1.0
        else:
            if settings.ses_endpoint != "aws":
                endpoint = settings.ses_endpoint
            client = make_ses_client(endpoint, settings.ses_region)
        messenger = SesMessenger(
            sender=_sender_address(settings.sender),
            sender_name=_sender_name(settings.sender),
            configuration_set=settings.configuration_set,
            client=client,
            reply_to=settings.reply_to,
            max_rate=rate,
            max_24h=daily,
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
