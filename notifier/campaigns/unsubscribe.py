"""Signed, expiring unsubscribe tokens for links in campaign emails (stdlib HMAC-SHA256).

Token layout: ``base64url(payload) "." base64url(hmac_sha256(secret, payload))`` where the
payload is compact JSON ``{"s": subject, "e": expiry_unix_seconds}``. The subject is whatever the
caller wants back (e.g. a customer id), so the link page needs no lookup to know who clicked.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_MAX_TOKEN_LENGTH = 2048


class InvalidToken(ValueError):
    """The token is forged, expired or malformed (the message says which, never the subject)."""


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sign(payload: bytes, secret: bytes) -> bytes:
    return hmac.new(secret, payload, hashlib.sha256).digest()


def make_token(
    subject: str, secret: bytes, *, ttl_days: int = 90, now: datetime | None = None
) -> str:
    """A URL-safe token naming ``subject`` that :func:`verify_token` accepts for ``ttl_days``."""
    if not secret:
        raise ValueError("unsubscribe secret must not be empty")
    if not subject:
        raise ValueError("unsubscribe subject must not be empty")
    issued = now or datetime.now(UTC)
    expires = int((issued + timedelta(days=ttl_days)).timestamp())
    payload = json.dumps({"s": subject, "e": expires}, separators=(",", ":")).encode()
    return f"{_b64encode(payload)}.{_b64encode(_sign(payload, secret))}"


def verify_token(token: str, secret: bytes, *, now: datetime | None = None) -> str:
    """Return the token's subject; raise :class:`InvalidToken` if forged, expired or malformed."""
    if not isinstance(token, str) or not token or len(token) > _MAX_TOKEN_LENGTH:
        raise InvalidToken("malformed token")
    body, dot, signature = token.partition(".")
    if not dot or not body or not signature:
        raise InvalidToken("malformed token")
    try:
        payload = _b64decode(body)
        given = _b64decode(signature)
    except (binascii.Error, ValueError) as exc:
        raise InvalidToken("malformed token") from exc
    # Check the signature before parsing anything an attacker wrote.
    if not hmac.compare_digest(given, _sign(payload, secret)):
        raise InvalidToken("bad signature")
    try:
        data = json.loads(payload)
        subject, expires = data["s"], data["e"]
    except (ValueError, KeyError, TypeError) as exc:
        raise InvalidToken("malformed token") from exc
    if not isinstance(subject, str) or not isinstance(expires, int):
        raise InvalidToken("malformed token")
    current = (now or datetime.now(UTC)).timestamp()
    if current >= expires:
        raise InvalidToken("token expired")
    return subject


def unsubscribe_url(base_url: str, token: str) -> str:
    """``base_url`` with ``token=<token>`` added to its query (other parameters kept)."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise ValueError("unsubscribe base URL must be an absolute http(s) URL")
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "token"]
    query.append(("token", token))
    return urlunsplit(parts._replace(query=urlencode(query), fragment=""))
