"""Build the raw MIME message for SES ``SendRawEmail``: multipart/alternative text + HTML, UTF-8."""

from __future__ import annotations

from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import formatdate, make_msgid

from notifier.messengers.base import OutgoingEmail

__all__ = [
    "JOB_HEADER",
    "REQUIRED_HEADERS",
    "MimeError",
    "build_mime",
]

JOB_HEADER = "X-Notifier-Job"
# Headers the messenger owns; callers' copies of these are ignored, not merged.
_RESERVED = {"from", "to", "subject", "date", "mime-version", "content-type", "message-id"}
REQUIRED_HEADERS = ("List-Unsubscribe", "List-Unsubscribe-Post")


# URL headers: the email package would turn a long URL (no space to fold at) into RFC 2047
# encoded words, which no mail client reads as a link. They are ASCII and < 998 chars: keep them
# on one line.
_NO_FOLD = {"list-unsubscribe"}
_MAX_LINE = 998


class _CampaignPolicy(EmailPolicy):
    def fold(self, name: str, value: str) -> str:
        text = str(value)
        if name.lower() in _NO_FOLD and text.isascii() and len(name) + len(text) + 2 <= _MAX_LINE:
            return f"{name}: {text}{self.linesep}"
        return str(super().fold(name, value))

    def fold_binary(self, name: str, value: str) -> bytes:
        text = str(value)
        if name.lower() in _NO_FOLD and text.isascii() and len(name) + len(text) + 2 <= _MAX_LINE:
            return f"{name}: {text}{self.linesep}".encode("ascii")
        return super().fold_binary(name, value)


_POLICY = _CampaignPolicy(linesep="\r\n")


class MimeError(ValueError):
    """The email cannot be encoded (bad address, header injection, missing unsubscribe)."""


def build_mime(
    email: OutgoingEmail,
    *,
    sender: str,
    sender_name: str = "",
    reply_to: str | None = None,
    message_id_domain: str | None = None,
) -> bytes:
    """Encode ``email`` as RFC 5322 bytes (CRLF line ends), ready for ``RawMessage.Data``."""
    msg = EmailMessage(policy=_POLICY)
    try:
        msg["From"] = Address(display_name=sender_name, addr_spec=sender) if sender_name else sender
        msg["To"] = email.to
        msg["Subject"] = email.subject
        msg["Date"] = formatdate(usegmt=True)
        domain = message_id_domain or sender.rpartition("@")[2] or None
        msg["Message-ID"] = make_msgid(idstring=email.job_id[:32], domain=domain)
        headers = {k: v for k, v in email.headers.items() if k.lower() not in _RESERVED}
        if reply_to and not any(k.lower() == "reply-to" for k in headers):
            headers["Reply-To"] = reply_to
        headers[JOB_HEADER] = email.job_id
        for name in REQUIRED_HEADERS:
            if not any(k.lower() == name.lower() for k in headers):
                raise MimeError(f"campaign email without {name} header")
        for name, value in headers.items():
            msg[name] = value
        msg.set_content(email.text, subtype="plain", charset="utf-8")
        msg.add_alternative(email.html, subtype="html", charset="utf-8")
        if email.language:
            # After the body: set_content() drops Content-* headers it finds.
            msg["Content-Language"] = email.language
        return msg.as_bytes()
    except MimeError:
        raise
    except (ValueError, TypeError, IndexError) as exc:
        # e.g. a CR/LF in a header value or an unparsable address; the text of exc may
        # quote the address, so only its type goes into the (loggable) reason.
        raise MimeError(f"cannot encode email ({type(exc).__name__})") from exc
