"""schemathesis generates requests from /openapi.json against the real server: no 5xx."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

from aiohttp import web

from notifier.api.app import make_app
from notifier.api.openapi import DOCUMENT
from notifier.events.contracts import parse_event
from notifier.messengers.memory import MemoryMessenger
from notifier.runtime.embedded import EmbeddedRuntime
from notifier.runtime.local_ses import free_port
from tests.api.conftest import TOKEN, settings_for
from tests.helpers import PipeSegmenter, address, quarantine

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


class ServerThread:
    """The app on a real port, served from its own event loop in a thread."""

    def __init__(self, app: web.Application) -> None:
        self.app = app
        self.port = free_port()
        self.loop = asyncio.new_event_loop()
        self.started = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        runner = web.AppRunner(self.app)
        self.loop.run_until_complete(runner.setup())
        self.loop.run_until_complete(web.TCPSite(runner, "127.0.0.1", self.port).start())
        self.runner = runner
        self.started.set()
        self.loop.run_forever()
        self.loop.run_until_complete(runner.cleanup())

    def __enter__(self) -> str:
        self.thread.start()
        assert self.started.wait(10)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc: object) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


def test_schemathesis_finds_no_server_errors(tmp_path) -> None:
    runtime = EmbeddedRuntime(
        settings_for(tmp_path), messenger=MemoryMessenger(), segmenter=PipeSegmenter()
    )
    # Some state, so the fuzzer meets real buildings, reviews and campaigns too.
    runtime.apply(parse_event(quarantine("B1", "Prestige Lakeside Habitat")))
    runtime.apply(parse_event(address("a1", "Prestige Lakeside Habitat | Whitefield | Bengaluru")))
    runtime.apply(parse_event(address("a2", "Prestige Habitat | Whitefield | Bengaluru")))
    runtime.dispatch()
    ARTIFACTS.mkdir(exist_ok=True)
    report = ARTIFACTS / "schemathesis.json"
    try:
        with ServerThread(make_app(runtime, dispatch_interval=0.5)) as base:
            done = subprocess.run(
                [
                    str(Path(sys.executable).with_name("schemathesis")),
                    "run",
                    f"{base}/openapi.json",
                    "--checks",
                    "not_a_server_error",
                    "--header",
                    f"Authorization: Bearer {TOKEN}",
                    "--max-examples",
                    "25",
                    "--seed",
                    "1",
                    "--workers",
                    "1",
                    "--generation-deterministic",
                    "--report",
                    "ndjson",
                    "--report-ndjson-path",
                    str(report),
                ],
                capture_output=True,
                text=True,
                timeout=240,
                env={**os.environ, "SCHEMATHESIS_TELEMETRY": "false", "NO_COLOR": "1"},
                check=False,
            )
    finally:
        runtime.close()
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-4000:]
    operations = sum(
        1 for item in DOCUMENT["paths"].values() for method in item if method != "parameters"
    )
    assert f"Tested: {operations}" in output, output[-3000:]  # every operation was exercised
    generated = re.search(r"(\d+) generated, (\d+) passed", output)
    assert generated and generated.group(1) == generated.group(2), output[-3000:]
    assert int(generated.group(1)) > 100
