"""An in-process moto SES server: the embedded default when no AWS account is configured.

It is a real HTTP endpoint (``ThreadedMotoServer``) that boto3 talks to exactly as it would
to SES, so the demo and the tests exercise the real client, signing and MIME path.
"""

from __future__ import annotations

import logging
import socket
from types import TracebackType
from typing import Any

import boto3
from botocore.config import Config

# moto accepts any credentials; explicit ones keep a developer's real AWS profile out of it.
LOCAL_CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LocalSes:
    """Start a moto server, verify the sender and create the configuration set."""

    def __init__(self, *, sender: str, configuration_set: str, region: str = "ap-south-1") -> None:
        self.sender = sender
        self.configuration_set = configuration_set
        self.region = region
        self.port = free_port()
        self.endpoint_url = f"http://127.0.0.1:{self.port}"
        self._server: Any = None

    def client(self, service: str = "ses", config: Config | None = None) -> Any:
        return boto3.client(
            service,
            endpoint_url=self.endpoint_url,
            region_name=self.region,
            config=config,
            **LOCAL_CREDENTIALS,
        )

    def start(self) -> LocalSes:
        from moto.server import ThreadedMotoServer

        # werkzeug logs every request at INFO; the demo's output should stay readable.
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self._server.start()
        ses = self.client()
        address = self.sender.rsplit("<", 1)[-1].rstrip(">").strip()
        ses.verify_email_identity(EmailAddress=address)
        ses.verify_domain_identity(Domain=address.split("@", 1)[1])
        existing = ses.list_configuration_sets().get("ConfigurationSets", [])
        if not any(c["Name"] == self.configuration_set for c in existing):
            ses.create_configuration_set(ConfigurationSet={"Name": self.configuration_set})
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None

    def __enter__(self) -> LocalSes:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
