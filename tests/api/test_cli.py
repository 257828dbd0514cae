from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

from click.testing import CliRunner

from notifier.api.cli import buildings, review
from notifier.config import Settings
from notifier.events.contracts import parse_event
from notifier.runtime.embedded import EmbeddedRuntime
from notifier.runtime.local_ses import free_port
from tests.helpers import PipeSegmenter, address

REGISTER = [
    "register",
    "--id",
    "B7",
    "--name",
    "Prestige Lakeside Habitat",
    "--city",
    "Bengaluru",
    "--locality",
    "Whitefield",
    "--pincode",
    "560066",
    "--pickup-name",
    "Clubhouse",
    "--pickup-location",
    "Gate 2",
    "--hours",
    "9-18",
]


def _cli(group, args, data_dir):
    return CliRunner().invoke(group, [*args, "--data-dir", str(data_dir)])


def test_buildings_commands(tmp_path) -> None:
    runtime = EmbeddedRuntime(Settings(data_dir=tmp_path), segmenter=PipeSegmenter())
    for i in range(2):
        text = "Prestige Lakeside Habitat | Whitefield | Bengaluru | 560066"
        runtime.apply(parse_event(address(f"k{i}", text)))
    runtime.close()

    out = _cli(buildings, REGISTER, tmp_path)
    assert out.exit_code == 0, out.output
    assert out.output.startswith("registered B7 (Prestige Lakeside Habitat, Bengaluru): 2 emails")
    out = _cli(
        buildings, ["update", "--id", "B7", "--pickup-location", "Tower C", "--json"], tmp_path
    )
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["building"]["pickup"]["location"] == "Tower C"
    out = _cli(buildings, ["list"], tmp_path)
    assert "B7\tPrestige Lakeside Habitat, Bengaluru\tactive\tpickup: Tower C" in out.output
    out = _cli(buildings, ["lift", "--id", "B7"], tmp_path)
    assert out.exit_code == 0 and out.output.startswith("lifted B7")
    assert "no quarantined buildings" in _cli(buildings, ["list"], tmp_path).output
    assert "lifted" in _cli(buildings, ["list", "--all"], tmp_path).output


def test_cli_errors_are_one_clear_line(tmp_path) -> None:
    bad = [*REGISTER[:-6], "--pincode", "12", *REGISTER[-6:]]
    for args, message in (
        (bad, "pincode must be six digits"),
        (["lift", "--id", "NOPE"], "building 'NOPE' is not registered"),
        (["update", "--id", "NOPE", "--name", "x"], "building 'NOPE' is not registered"),
    ):
        out = _cli(buildings, args, tmp_path)
        assert out.exit_code == 1, out.output
        assert out.output.strip().count("\n") == 0 and message in out.output
    out = _cli(buildings, ["update", "--id", "B7"], tmp_path)
    assert out.exit_code == 2 and "nothing to change" in out.output


def test_review_commands(tmp_path) -> None:
    assert _cli(buildings, REGISTER, tmp_path).exit_code == 0
    runtime = EmbeddedRuntime(Settings(data_dir=tmp_path), segmenter=PipeSegmenter())
    for i in range(2):
        runtime.apply(parse_event(address(f"q{i}", "Prestige Habitat | Whitefield | Bengaluru")))
    runtime.close()
    items = json.loads(_cli(review, ["list", "--json"], tmp_path).output)
    assert len(items) == 2
    first, second = items[0]["review_id"], items[1]["review_id"]
    out = _cli(review, ["approve", first], tmp_path)
    assert out.exit_code == 0 and "1 email(s) queued" in out.output
    assert _cli(review, ["reject", second], tmp_path).exit_code == 0
    out = _cli(review, ["reject", second], tmp_path)
    assert out.exit_code == 1 and "already rejected" in out.output
    assert "no open review items" in _cli(review, ["list"], tmp_path).output
    out = _cli(review, ["approve", "missing"], tmp_path)
    assert out.exit_code == 1 and "no review item 'missing'" in out.output


def _get(url: str, token: str | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(url)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=5) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_serve_command_runs_the_api_with_the_sender(tmp_path) -> None:
    port = free_port()
    env = {**os.environ, "NOTIFIER_API_TOKEN": "serve-token-123", "PYTHONPATH": os.getcwd()}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "notifier",
            "serve",
            "--port",
            str(port),
            "--data-dir",
            str(tmp_path),
            "--interval",
            "0.5",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                status, body = _get(f"{base}/healthz")
                break
            except (urllib.error.URLError, ConnectionError):
                assert proc.poll() is None, proc.stdout.read()
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.3)
        assert status == 200 and body == {"status": "ok", "dispatch": "running"}
        assert _get(f"{base}/buildings")[0] == 401
        status, body = _get(f"{base}/buildings", "serve-token-123")
        assert status == 200 and body == {"buildings": [], "count": 0}
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_review_list_shows_the_weights_behind_each_pair(tmp_path) -> None:
    assert _cli(buildings, REGISTER, tmp_path).exit_code == 0
    runtime = EmbeddedRuntime(Settings(data_dir=tmp_path), segmenter=PipeSegmenter())
    runtime.apply(parse_event(address("q1", "Prestige Habitat | Whitefield | Bengaluru")))
    runtime.close()
    out = _cli(review, ["list"], tmp_path).output
    # the per-comparison weights (bits) that sent the pair to review (the word after the
    # brand left out: "Prestige Habitat" for "Prestige Lakeside Habitat")
    assert "name brand_inner (-" in out and "locality agree (+" in out
