"""The raw MIME message built for SendRawEmail."""

from __future__ import annotations

from dataclasses import replace
from email import message_from_bytes, policy
from email.header import decode_header, make_header

import pytest

from notifier.messengers.ledger import job_id_of
from notifier.messengers.mime import MimeError, build_mime
from tests.messengers.support import SENDER, email


def raw_header(raw: bytes, name: str) -> str:
    head = raw.split(b"\r\n\r\n", 1)[0].decode("ascii").replace("\r\n ", " ")
    return next(ln.split(":", 1)[1].strip() for ln in head.split("\r\n") if ln.startswith(name))


def test_multipart_alternative_utf8_with_crlf_and_unfolded_unsubscribe() -> None:
    out = email("c1", "bn")
    raw = build_mime(out, sender=SENDER, sender_name="পিকআপ নোটিফায়ার")
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    assert raw.isascii()  # 8-bit text is transfer-encoded
    msg = message_from_bytes(raw, policy=policy.default)
    # RFC 2047 decoding (CPython's address parser adds a space between encoded words).
    from_header = str(make_header(decode_header(raw_header(raw, "From"))))
    assert from_header == f"পিকআপ নোটিফায়ার <{SENDER}>"
    assert msg["Subject"] == out.subject
    text, html = msg.iter_parts()
    assert text.get_content().replace("\r\n", "\n") == out.text
    assert html.get_content().replace("\r\n", "\n") == out.html
    # One physical line, so clients see a URL and not RFC 2047 encoded words.
    line = next(ln for ln in raw.split(b"\r\n") if ln.startswith(b"List-Unsubscribe:"))
    assert line == f"List-Unsubscribe: {out.headers['List-Unsubscribe']}".encode()
    assert job_id_of(raw) == out.job_id
    assert msg["Message-ID"].endswith("@notify.example.in>")


def test_header_injection_through_the_subject_is_refused() -> None:
    out = replace(email("c1"), subject="Hello\r\nBcc: victim@example.org")
    with pytest.raises(MimeError):
        build_mime(out, sender=SENDER)


def test_reserved_headers_from_callers_are_ignored() -> None:
    out = email("c1")
    out = replace(out, headers={**out.headers, "From": "spoof@evil.example", "To": "x@y.z"})
    msg = message_from_bytes(build_mime(out, sender=SENDER), policy=policy.default)
    assert msg.get_all("From") == [SENDER]
    assert msg.get_all("To") == [out.to]


def test_missing_one_click_header_is_refused() -> None:
    out = email("c1")
    headers = {k: v for k, v in out.headers.items() if k != "List-Unsubscribe-Post"}
    with pytest.raises(MimeError, match="List-Unsubscribe-Post"):
        build_mime(replace(out, headers=headers), sender=SENDER)
