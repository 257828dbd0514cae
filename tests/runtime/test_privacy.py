"""Names, emails and address text never reach the logs at INFO or above, over the whole flow."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from notifier.config import Settings
from notifier.messengers.memory import MemoryMessenger
from notifier.runtime.embedded import EmbeddedRuntime
from notifier.tracking.simulate import feed_simulated_events
from tests.helpers import PipeSegmenter, address, quarantine

HOME = "Zenobia Quillfeather Residency | Whitefield | Bengaluru | 560066"


def test_no_personal_data_in_logs(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    runtime = EmbeddedRuntime(
        Settings(data_dir=tmp_path), messenger=MemoryMessenger(), segmenter=PipeSegmenter()
    )
    people = [address(f"c{n}", HOME) | {"name": f"Xylophia Quenby{n}"} for n in range(40)]
    bad = address("c99", HOME) | {"email": "broken-address-without-at", "name": "Xylophia Bad"}
    runtime.ingest(
        json.dumps(e)
        for e in [
            *people,
            bad,
            quarantine("B1", "Zenobia Quillfeather Residency"),
            quarantine(
                "B1", "Zenobia Quillfeather Residency", kind="updated", pickup_location="G2"
            ),
        ]
    )
    runtime.dispatch()
    runtime.ingest([json.dumps(quarantine("B1", "", kind="lifted"))])
    runtime.dispatch()
    stats = feed_simulated_events(runtime, seed=3)
    assert stats.records > 40  # the flow really ran: sends, deliveries, opens, bounces

    logged = "\n".join(r.getMessage() for r in caplog.records if r.levelno >= logging.INFO)
    assert logged, "expected some INFO logs from the flow"
    for secret in ("@example.org", "Xylophia", "Quenby", "broken-address", "Whitefield"):
        assert secret not in logged, secret
    runtime.close()
