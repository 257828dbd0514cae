"""The SES events bridge against moto's SQS over real HTTP."""

from __future__ import annotations

import json
import logging

import boto3
import pytest
from click.testing import CliRunner

from notifier.runtime.local_ses import LOCAL_CREDENTIALS, free_port
from notifier.tracking.cli import ses_bridge
from notifier.tracking.simulate import sent_messages, simulate_events
from notifier.tracking.store import SqliteTrackingStore
from tests.tracking import aws_examples as aws
from tests.tracking.support import send_campaign, sending_runtime


@pytest.fixture(scope="module")
def moto_endpoint():
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def aws_env(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", LOCAL_CREDENTIALS["aws_access_key_id"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", LOCAL_CREDENTIALS["aws_secret_access_key"])


def _queue(endpoint: str, name: str):
    sqs = boto3.client("sqs", endpoint_url=endpoint, region_name="ap-south-1", **LOCAL_CREDENTIALS)
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    return sqs, url


def _left(sqs, url) -> int:
    attrs = sqs.get_queue_attributes(
        QueueUrl=url,
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    return int(attrs["ApproximateNumberOfMessages"]) + int(
        attrs["ApproximateNumberOfMessagesNotVisible"]
    )


def test_bridge_records_every_message_then_deletes_it(tmp_path, moto_endpoint, aws_env) -> None:
    runtime, _ = sending_runtime(tmp_path)
    send_campaign(runtime, per_building=20)
    records = list(simulate_events(sent_messages(runtime.db), seed=5))
    runtime.close()
    sqs, url = _queue(moto_endpoint, "ses-events-all")
    bodies = [json.dumps(aws.sns(r)) for r in records]
    bodies.append(json.dumps(records[0]))  # raw message delivery (and a redelivery)
    bodies += ["not json at all", json.dumps({"Type": "Notification", "Message": "{}"})]
    for i in range(0, len(bodies), 10):
        sqs.send_message_batch(
            QueueUrl=url,
            Entries=[{"Id": str(j), "MessageBody": b} for j, b in enumerate(bodies[i : i + 10])],
        )

    result = CliRunner().invoke(
        ses_bridge,
        [
            "--queue-url",
            url,
            "--endpoint-url",
            moto_endpoint,
            "--once",
            "--data-dir",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0, result.output
    assert f"{len(bodies)} SQS messages" in result.output
    assert f"{len(records)} events recorded, 1 duplicates, 2 dead-lettered" in result.output
    assert _left(sqs, url) == 0  # everything was recorded or dead-lettered, then deleted

    runtime, _ = sending_runtime(tmp_path)
    try:
        tracked = {s.message_id for s in SqliteTrackingStore(runtime.db).states()}
        assert tracked == {r["mail"]["messageId"] for r in records}
        letters = runtime.store.dead_letters()
        assert len(letters) == 2
        assert all(letter.source.startswith("sqs:ses-events-all") for letter in letters)
    finally:
        runtime.close()


def test_max_messages_stops_early_and_leaves_the_rest(tmp_path, moto_endpoint, aws_env) -> None:
    sqs, url = _queue(moto_endpoint, "ses-events-some")
    for i in range(15):
        sqs.send_message(QueueUrl=url, MessageBody=json.dumps(aws.sns(aws.send(f"m-{i}"))))
    result = CliRunner().invoke(
        ses_bridge,
        [
            "--queue-url",
            url,
            "--endpoint-url",
            moto_endpoint,
            "--once",
            "--max-messages",
            "6",
            "--data-dir",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "6 SQS messages: 6 events recorded" in result.output
    assert _left(sqs, url) == 9


def test_a_message_that_cannot_be_stored_stays_in_the_queue(moto_endpoint) -> None:
    from notifier.tracking.sqs_bridge import run_bridge

    sqs, url = _queue(moto_endpoint, "ses-events-flaky")
    for i in range(3):
        sqs.send_message(QueueUrl=url, MessageBody=json.dumps(aws.sns(aws.send(f"f-{i}"))))
    seen: list[str] = []

    class FlakySink:
        def record(self, raw, stats, *, source="ses"):
            if "f-1" in raw:
                raise OSError("disk full")
            seen.append(raw)
            stats.recorded += 1

    stats = run_bridge(sqs, url, FlakySink(), once=True, wait_seconds=1)
    assert len(seen) == 2 and stats.kept == 1 and stats.deleted == 2
    assert _left(sqs, url) == 1  # not lost: SQS shows it again after the visibility timeout


def test_missing_queue_is_one_clear_error(tmp_path, moto_endpoint, aws_env) -> None:
    result = CliRunner().invoke(
        ses_bridge,
        [
            "--queue-url",
            f"{moto_endpoint}/123456789012/no-such-queue",
            "--endpoint-url",
            moto_endpoint,
            "--once",
            "--data-dir",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 1
    assert result.output.startswith("Error: SQS refused: ")
    assert result.output.strip().count("\n") == 0
