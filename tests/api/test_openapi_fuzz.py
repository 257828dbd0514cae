"""schemathesis generates requests from /openapi.json against the real server: no 5xx, and
every response conforms to the document (status code, content type, body schema), which is
generated from the API's pydantic models (notifier/api/schema.py)."""

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

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
)


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


def test_schemathesis_finds_no_server_errors_and_responses_conform(tmp_path) -> None:
    runtime = EmbeddedRuntime(
        settings_for(tmp_path), messenger=MemoryMessenger(), segmenter=PipeSegmenter()
    )
    # Some state, so the fuzzer meets real buildings, reviews and campaigns too.
    runtime.apply(parse_event(quarantine("B1", "Prestige Lakeside Habitat")))
    runtime.apply(parse_event(address("a1", "Prestige Lakeside Habitat | Whitefield | Bengaluru")))
    runtime.apply(parse_event(address("a2", "Prestige Habitat | Whitefield | Bengaluru")))
    runtime.dispatch()
    ARTIFACTS.mkdir(exist_ok=True)
    cache_before = (ROOT / ".schemathesis").exists()
    report = ARTIFACTS / "schemathesis.json"
    try:
        with ServerThread(make_app(runtime, dispatch_interval=0.5)) as base:
            done = subprocess.run(
                [
                    str(Path(sys.executable).with_name("schemathesis")),
                    "run",
                    f"{base}/openapi.json",
                    "--checks",
                    ",".join(CHECKS),
                    "--header",
                    f"Authorization: Bearer {TOKEN}",
                    "--max-examples",
                    "25",
                    "--seed",
                    "1",
                    "--workers",
                    "1",
                    # Deterministic: the same cases every run, and no example database; the
                    # run's own cache folder (.schemathesis/) goes under tmp_path (its cwd),
                    # not into the repository (issue 16).
                    "--generation-deterministic",
                    "--report",
                    "ndjson",
                    "--report-ndjson-path",
                    str(report),
                ],
                capture_output=True,
                text=True,
                timeout=240,
                cwd=tmp_path,
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
    recorded = report.read_text(encoding="utf-8")
    for check in CHECKS:  # each check really ran, on many responses
        assert recorded.count(f'"{check}"') > 100, check
    # Its cache went to the run's own folder, not into the repository.
    assert (ROOT / ".schemathesis").exists() == cache_before


def test_document_schemas_are_generated_from_the_models() -> None:
    import json

    from notifier.api import schema
    from notifier.events.contracts import PickupPoint

    components = DOCUMENT["components"]["schemas"]
    assert components == schema.component_schemas()
    # Request bodies carry the event contract's own rules, so the two cannot drift apart.
    contract = PickupPoint.model_json_schema()["properties"]
    for field in ("name", "location", "hours", "instructions"):
        assert components["Pickup"]["properties"][field] == contract[field]
    assert components["Pickup"]["additionalProperties"] is False
    # Every reference in the document resolves to a generated schema.
    refs = set(re.findall(r'"\$ref": "#/components/schemas/([^"]+)"', json.dumps(DOCUMENT)))
    assert refs and refs <= set(components)
