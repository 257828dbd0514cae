"""The command line as a user meets it: help, version, one-line errors."""

from __future__ import annotations

import subprocess
import sys

from notifier import __version__
from notifier.cli import COMMANDS


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
