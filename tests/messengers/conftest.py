"""A real moto server (HTTP) for the SES tests, reset before each test."""

from __future__ import annotations

import logging
import urllib.request
from collections.abc import Iterator

import pytest
from moto.server import ThreadedMotoServer

from notifier.messengers.ses import make_ses_client
from tests.messengers.support import CONFIG_SET, SENDER_DOMAIN


@pytest.fixture(scope="session")
def moto_url() -> Iterator[str]:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture(autouse=True)
def aws_env(monkeypatch: pytest.MonkeyPatch) -> None:
    # moto accepts any credentials; never let a test pick up real ones.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)


@pytest.fixture()
def ses(moto_url: str) -> str:
    """A fresh moto with the sender domain verified and the configuration set created."""
    urllib.request.urlopen(urllib.request.Request(f"{moto_url}/moto-api/reset", method="POST"))
    client = make_ses_client(moto_url)
    client.verify_domain_identity(Domain=SENDER_DOMAIN)
    client.create_configuration_set(ConfigurationSet={"Name": CONFIG_SET})
    return moto_url
