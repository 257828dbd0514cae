"""Kill -9 the embedded runtime mid-campaign, restart it: nobody lost, nobody emailed twice.

Runs the real ``notifier run`` process (real model, real SQLite, real boto3) against a moto
SES server owned by the test, and counts what moto received.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

from notifier.demo.cli import read_lines
from notifier.runtime.local_ses import LOCAL_CREDENTIALS, free_port

SENDER = "pickup@notices.example.in"


@pytest.fixture
def moto_ses() -> Any:
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    # moto's backends are process-wide: start from an empty SES whatever ran before.
    urllib.request.urlopen(urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST"))
    ses = boto3.client("ses", endpoint_url=endpoint, region_name="ap-south-1", **LOCAL_CREDENTIALS)
    ses.verify_email_identity(EmailAddress=SENDER)
    ses.create_configuration_set(ConfigurationSet={"Name": "pickup-notifier"})
    yield endpoint
    server.stop()


def recipients(endpoint: str) -> Counter[str]:
    """How many raw messages moto accepted per recipient."""
    with urllib.request.urlopen(f"{endpoint}/moto-api/data.json", timeout=10) as response:
        data = json.load(response)
    # moto lists a recipient once from Destinations and once from the To header.
    return Counter(to for m in data["ses"]["RawMessage"] for to in set(m["destinations"]))


def run_notifier(events: Path, data_dir: Path, endpoint: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "NOTIFIER_DATA_DIR": str(data_dir),
        "NOTIFIER_SES_ENDPOINT": endpoint,
        "NOTIFIER_SENDER": SENDER,
        "NOTIFIER_MAX_SEND_RATE": "40",  # slow enough to kill it mid-campaign
        "NOTIFIER_MAX_24H_SEND": "-1",  # moto's sandbox quota is not what is under test
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "notifier", "run", str(events)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


@pytest.mark.slow
def test_kill_and_restart_loses_and_repeats_nothing(tmp_path: Path, moto_ses: str) -> None:
    addresses = read_lines("addresses.jsonl")[:1500]
    buildings = read_lines("buildings.jsonl")
    events = tmp_path / "events.jsonl"
    events.write_text("\n".join(addresses + buildings) + "\n", encoding="utf-8")

    first = run_notifier(events, tmp_path / "state", moto_ses)
    deadline = time.monotonic() + 120
    while sum(recipients(moto_ses).values()) < 10:
        assert first.poll() is None, first.stdout.read().decode() if first.stdout else ""
        assert time.monotonic() < deadline, "no email went out within 120 s"
        time.sleep(0.05)
    first.send_signal(signal.SIGKILL)
    first.wait()
    sent_before_crash = sum(recipients(moto_ses).values())

    second = run_notifier(events, tmp_path / "state", moto_ses)
    output = second.communicate(timeout=300)[0].decode()
    assert second.returncode == 0, output

    counts = recipients(moto_ses)
    assert counts, "nothing was sent"
    assert max(counts.values()) == 1, [to for to, n in counts.items() if n > 1]
    assert sum(counts.values()) > sent_before_crash  # the restart finished the campaign

    # Nobody lost: the same events, uninterrupted, reach exactly the same people.
    expected = _uninterrupted_recipients(events, tmp_path / "clean")
    assert set(counts) == expected


def _uninterrupted_recipients(events: Path, data_dir: Path) -> set[str]:
    from notifier.config import Settings
    from notifier.messengers.memory import MemoryMessenger
    from notifier.runtime.embedded import EmbeddedRuntime

    messenger = MemoryMessenger()
    runtime = EmbeddedRuntime(Settings(data_dir=data_dir), messenger=messenger)
    runtime.ingest(events.read_text(encoding="utf-8").splitlines())
    runtime.dispatch()
    runtime.close()
    return {email.to for _, email in messenger.sent}


def test_run_resumes_after_the_last_applied_line(tmp_path: Path) -> None:
    """A second `run` over the same file applies nothing again (offset kept in SQLite)."""
    events = tmp_path / "events.jsonl"
    events.write_text("\n".join(read_lines("buildings.jsonl")[:3]) + "\nnot json\n")
    env = {**os.environ, "NOTIFIER_DATA_DIR": str(tmp_path / "state")}
    cmd = [sys.executable, "-m", "notifier", "run", "--no-send", str(events)]
    first = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    assert "3 events applied, 1 dead-lettered" in first.stdout
    second = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    assert "events applied" not in second.stdout
    data = json.loads(events.read_text().splitlines()[0])
    assert data["type"] == "quarantine.registered"
