"""Shared helpers of the streams tests: a moto SES server and what it received."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import subprocess
import sys
import urllib.request
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

from notifier.messengers.ledger import job_id_of
from notifier.runtime.local_ses import LOCAL_CREDENTIALS, free_port
from tests.streams.workers import REPO, Deployment, Worker

SENDER = "pickup@notices.example.in"
CONFIG_SET = "pickup-notifier"


@contextmanager
def moto_ses() -> Iterator[str]:
    """A fresh moto server with the sender verified; yields its endpoint URL."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    try:
        # moto keeps one backend per process, shared by every server it starts: start clean.
        urllib.request.urlopen(
            urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST"), timeout=10
        )
        ses = boto3.client(
            "ses", endpoint_url=endpoint, region_name="ap-south-1", **LOCAL_CREDENTIALS
        )
        ses.verify_email_identity(EmailAddress=SENDER)
        ses.create_configuration_set(ConfigurationSet={"Name": CONFIG_SET})
        yield endpoint
    finally:
        server.stop()


def moto_messages(endpoint: str) -> list[dict[str, Any]]:
    with urllib.request.urlopen(f"{endpoint}/moto-api/data.json", timeout=10) as response:
        data = json.load(response)
    return list(data.get("ses", {}).get("RawMessage", []))


def recipients(endpoint: str) -> Counter[str]:
    """How many raw messages moto accepted per recipient."""
    # moto lists a recipient once per Destinations entry and once per To header: one per message
    return Counter(to for m in moto_messages(endpoint) for to in set(m["destinations"]))


def send_events_of(endpoint: str, wanted: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """The SES ``Send`` event records SES event publishing would deliver for the messages moto
    accepted (moto publishes none): message id, and the ``job`` tag the messenger sets."""
    records = []
    for message in moto_messages(endpoint):
        job_id = job_id_of(message.get("raw_data", ""))
        if job_id is None or (wanted is not None and job_id not in wanted):
            continue
        records.append(
            {
                "eventType": "Send",
                "mail": {
                    "timestamp": "2026-01-01T00:00:00.000Z",
                    "messageId": message["id"],
                    "tags": {"job": [job_id], "ses:configuration-set": [CONFIG_SET]},
                },
                "send": {},
            }
        )
    return records


def sqs_queue_with(endpoint: str, name: str, records: Iterable[dict[str, Any]]) -> tuple[Any, str]:
    """A moto SQS queue holding ``records`` as SNS delivers them (SES -> SNS -> SQS)."""
    sqs = boto3.client("sqs", endpoint_url=endpoint, region_name="ap-south-1", **LOCAL_CREDENTIALS)
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    for record in records:
        envelope = {"Type": "Notification", "MessageId": record["mail"]["messageId"]}
        envelope["Message"] = json.dumps(record)
        sqs.send_message(QueueUrl=url, MessageBody=json.dumps(envelope))
    return sqs, url


@contextmanager
def moto_deployment(
    bootstrap: str, root: Path, extra_env: dict[str, str] | None = None
) -> Iterator[Deployment]:
    """A deployment on fresh topics against a moto SES server; every worker it started is
    stopped and its topics deleted at the end (``STREAMS_TEST_KEEP_TOPICS`` keeps them)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("AWS_ACCESS_KEY_ID", "testing")
        mp.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        with moto_ses() as endpoint:
            dep = Deployment(
                bootstrap=bootstrap, ses_endpoint=endpoint, root=root, extra_env=extra_env or {}
            )
            asyncio.run(dep.create_topics())
            workers: list[Worker] = []
            original = dep.worker

            def tracked(name: str, datadir: Path | None = None) -> Worker:
                worker = original(name, datadir)
                workers.append(worker)
                return worker

            dep.worker = tracked  # type: ignore[method-assign]
            try:
                yield dep
            finally:
                for worker in workers:
                    worker.stop(timeout=20)
                if not os.environ.get("STREAMS_TEST_KEEP_TOPICS"):  # kept: to read them after
                    asyncio.run(dep.delete_topics())


def notifier(dep: Deployment, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run the ``notifier`` CLI with the deployment's environment (and its ops token)."""
    return subprocess.run(
        [sys.executable, "-m", "notifier", *args],
        env={**dep.env(), **env},
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
