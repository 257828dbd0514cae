"""The command line as a user meets it: help, version, one-line errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from notifier import __version__
from notifier.cli import COMMANDS

ROOT = Path(__file__).resolve().parents[1]


def notifier(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "notifier", *args], capture_output=True, text=True, timeout=120
    )


def test_version() -> None:
    result = notifier("--version")
    assert result.returncode == 0
    assert __version__ in result.stdout


def test_help_lists_every_command() -> None:
    result = notifier("--help")
    assert result.returncode == 0, result.stderr
    for name in COMMANDS:
        assert name in result.stdout


def test_unknown_command_is_one_clear_error() -> None:
    result = notifier("frobnicate")
    assert result.returncode != 0
    assert "No such command 'frobnicate'" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_events_file_is_one_clear_error(tmp_path: object) -> None:
    result = notifier("run", "--no-send", "/nonexistent/events.jsonl")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "events.jsonl" in result.stderr


def test_usage_errors_are_one_line_with_exit_code_2() -> None:
    for args in (("frobnicate",), ("match",), ("report", "--format", "xml")):
        result = notifier(*args)
        assert result.returncode == 2, (args, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), (args, result.stderr)
        assert "--help" in lines[0]


def test_a_bare_group_shows_its_help() -> None:
    for args in ((), ("buildings",)):
        result = notifier(*args)
        assert "Usage: notifier" in result.stderr and "error:" not in result.stderr
        assert "Traceback" not in result.stderr


def test_preview_of_an_unknown_language_is_an_error_not_english() -> None:
    result = notifier("preview", "--lang", "xx")
    assert result.returncode == 2
    assert result.stdout == ""
    (line,) = result.stderr.strip().splitlines()
    assert "unknown language 'xx'" in line and "hi" in line
    # Codes with a region and language names still work.
    for lang, code in (("hi-IN", "hi"), ("Tamil", "ta"), ("en", "en")):
        ok = notifier("preview", "--lang", lang)
        assert ok.returncode == 0, ok.stderr
        assert f"Language: {code}" in ok.stdout


def test_piped_report_tables_are_not_squeezed_to_80_columns(tmp_path: Path) -> None:
    from tests.tracking.support import send_campaign, sending_runtime

    runtime, _ = sending_runtime(tmp_path)
    send_campaign(runtime, per_building=3)
    runtime.close()
    result = notifier("report", "--data-dir", str(tmp_path))  # stdout is a pipe here
    assert result.returncode == 0, result.stderr
    header = next(line for line in result.stdout.splitlines() if "| name" in line)
    for column in ("sent", "deliv.", "open %", "bounces", "complaints", "1st open"):
        assert column in header
    assert "…" not in result.stdout  # nothing cut short
    assert len(header) > 80


def dev_free_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NOTIFIER_")}
    return {**env, "PYTHONPATH": str(ROOT), **extra}


def test_serve_refuses_the_development_secrets_outside_dev_mode(tmp_path: Path) -> None:
    cmd = [sys.executable, "-m", "notifier", "serve", "--no-send", "--data-dir", str(tmp_path)]
    result = subprocess.run(
        cmd, env=dev_free_env(), capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert "NOTIFIER_API_TOKEN" in line and "NOTIFIER_UNSUBSCRIBE_SECRET" in line
    assert "NOTIFIER_DEV_MODE" in line
    # One secret set, the other still the development value: still refused, naming it.
    result = subprocess.run(
        cmd,
        env=dev_free_env(NOTIFIER_API_TOKEN="a-real-token-0123456789"),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "NOTIFIER_UNSUBSCRIBE_SECRET" in result.stderr
    assert "NOTIFIER_API_TOKEN" not in result.stderr


def test_kafka_worker_refuses_the_development_secrets_outside_dev_mode(tmp_path: Path) -> None:
    # Refused at start-up, before any broker is contacted (none listens on port 1).
    result = subprocess.run(
        [str(Path(sys.executable).with_name("faust")), "-A", "notifier.streams.worker", "worker"],
        env=dev_free_env(NOTIFIER_KAFKA_BROKER="kafka://127.0.0.1:1"),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1, result.stderr[-2000:]
    assert "the Kafka worker refuses to start with the development" in result.stderr


def test_a_worker_of_the_bare_app_module_refuses_to_start(tmp_path: Path) -> None:
    # `notifier.streams.app` declares no agent (the entry point is notifier.streams.worker):
    # a worker started on it would consume nothing, so it stops and names the right module.
    result = subprocess.run(
        [str(Path(sys.executable).with_name("faust")), "-A", "notifier.streams.app", "worker"],
        env=dev_free_env(NOTIFIER_KAFKA_BROKER="kafka://127.0.0.1:1", NOTIFIER_DEV_MODE="1"),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1, result.stderr[-2000:]
    assert "faust -A notifier.streams.worker worker" in result.stderr


def test_dev_mode_is_explicit_and_production_secrets_pass() -> None:
    from notifier.config import InsecureDefaults, Settings, require_production_secrets

    with pytest.raises(InsecureDefaults):
        require_production_secrets(Settings(dev_mode=False), what="x")
    require_production_secrets(Settings(dev_mode=True), what="x")
    require_production_secrets(
        Settings(
            dev_mode=False,
            api_token="a-real-token-0123456789",
            unsubscribe_secret="a-real-secret-0123456789",
        ),
        what="x",
    )
