"""Signed, expiring unsubscribe tokens."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from notifier.campaigns.unsubscribe import InvalidToken, make_token, unsubscribe_url, verify_token

SECRET = b"s3cret-for-tests"
NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def test_round_trip_and_url_safe() -> None:
    token = make_token("customer-42", SECRET, now=NOW)
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.")
    assert verify_token(token, SECRET, now=NOW + timedelta(days=89)) == "customer-42"


def test_expired_token_is_refused() -> None:
    token = make_token("customer-42", SECRET, ttl_days=90, now=NOW)
    with pytest.raises(InvalidToken, match="expired"):
        verify_token(token, SECRET, now=NOW + timedelta(days=90))


def test_wrong_secret_or_edited_payload_is_refused() -> None:
    token = make_token("customer-42", SECRET, now=NOW)
    with pytest.raises(InvalidToken, match="signature"):
        verify_token(token, b"other-secret", now=NOW)
    _, signature = token.split(".")
    forged = json.dumps({"s": "customer-43", "e": 4_000_000_000}).encode()
    forged_body = base64.urlsafe_b64encode(forged).rstrip(b"=").decode()
    with pytest.raises(InvalidToken, match="signature"):
        verify_token(f"{forged_body}.{signature}", SECRET, now=NOW)


@pytest.mark.parametrize("junk", ["", "abc", "a.b.c", "%%%.$$$", ".", "x" * 5000])
def test_malformed_tokens_are_refused(junk: str) -> None:
    with pytest.raises(InvalidToken):
        verify_token(junk, SECRET, now=NOW)


def test_url_keeps_existing_query_and_replaces_old_token() -> None:
    url = unsubscribe_url("https://n.example.in/u?src=email&token=old#frag", "T.K")
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path, parts.fragment) == (
        "https",
        "n.example.in",
        "/u",
        "",
    )
    assert parse_qs(parts.query) == {"src": ["email"], "token": ["T.K"]}
    with pytest.raises(ValueError):
        unsubscribe_url("javascript:alert(1)", "T")
