"""Small helpers for a local SES endpoint (a moto server in tests, benchmarks and compose).

The package itself no longer starts moto: with no endpoint configured the embedded runtime
writes emails to a local mail sink (:mod:`notifier.messengers.mailsink`). Tests start a moto
server over HTTP and point ``NOTIFIER_SES_ENDPOINT`` at it.
"""

from __future__ import annotations

import socket

__all__ = ["LOCAL_CREDENTIALS", "free_port"]

# moto accepts any credentials; explicit ones keep a developer's real AWS profile out of it.
LOCAL_CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
