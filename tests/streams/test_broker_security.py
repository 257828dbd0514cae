"""Broker security: the Faust app and the plain readers beside it (changelog views, review
index) reach a TLS / SASL cluster with the same settings. No secured broker runs here, so
this checks the clients' configuration, not a handshake."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from typing import Any

import faust
from pydantic import SecretStr

from notifier.streams.broker_security import (
    broker_credentials,
    client_auth,
    reader_consumer,
)
from notifier.streams.settings import StreamSettings
from tests.streams.workers import REPO


def settings(**kw: object) -> StreamSettings:
    return StreamSettings.model_validate(kw)


def test_plaintext_by_default() -> None:
    plain = StreamSettings.model_validate({})
    assert broker_credentials(plain) is None
    assert client_auth(None) == {"security_protocol": "PLAINTEXT"}


def test_readers_get_the_apps_sasl_ssl_credentials() -> None:
    secured = settings(
        kafka_security_protocol="SASL_SSL",
        kafka_sasl_mechanism="SCRAM-SHA-512",
        kafka_sasl_username="ops",
        kafka_sasl_password=SecretStr("s3cret"),
        kafka_ssl_check_hostname=False,
    )
    credentials = broker_credentials(secured)
    app = faust.App(
        "sec-test", broker="kafka://k1:9093;kafka://k2:9093", broker_credentials=credentials
    )
    assert app.conf.broker_credentials is credentials

    async def build() -> Any:  # aiokafka clients are made inside the event loop
        return reader_consumer(app, "some-changelog")

    consumer = asyncio.run(build())
    client = consumer._client  # aiokafka keeps the connection settings on its client
    assert client._bootstrap_servers == "k1:9093,k2:9093"
    assert client._security_protocol == "SASL_SSL"
    assert client._sasl_mechanism == "SCRAM-SHA-512"
    assert (client._sasl_plain_username, client._sasl_plain_password) == ("ops", "s3cret")
    assert client._ssl_context is not None and client._ssl_context.check_hostname is False
    assert consumer._group_id is None  # every partition, no group


def test_ssl_and_sasl_plaintext() -> None:
    auth = client_auth(broker_credentials(settings(kafka_security_protocol="SSL")))
    assert auth["security_protocol"] == "SSL" and auth["ssl_context"].check_hostname
    auth = client_auth(
        broker_credentials(
            settings(kafka_security_protocol="SASL_PLAINTEXT", kafka_sasl_username="u")
        )
    )
    assert auth["security_protocol"] == "SASL_PLAINTEXT" and auth["ssl_context"] is None
    assert (auth["sasl_mechanism"], auth["sasl_plain_username"]) == ("PLAIN", "u")


def test_the_worker_app_and_its_readers_take_the_environment() -> None:
    # a fresh process: the app is built once, from the environment, at import
    code = (
        "import asyncio\n"
        "from notifier.streams.app import app\n"
        "from notifier.streams.broker_security import reader_consumer\n"
        "async def build(): return reader_consumer(app, 't')\n"
        "c = asyncio.run(build())._client\n"
        "print(type(app.conf.broker_credentials).__name__, c._security_protocol,"
        " c._sasl_mechanism, c._sasl_plain_username)\n"
    )
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "NOTIFIER_KAFKA_SECURITY_PROTOCOL": "SASL_PLAINTEXT",
        "NOTIFIER_KAFKA_SASL_MECHANISM": "SCRAM-SHA-256",
        "NOTIFIER_KAFKA_SASL_USERNAME": "worker",
        "NOTIFIER_KAFKA_SASL_PASSWORD": "pw",
    }
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["SASLCredentials", "SASL_PLAINTEXT", "SCRAM-SHA-256", "worker"]
