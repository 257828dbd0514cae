"""`notifier preview` renders sample emails."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from notifier.campaigns.renderer import load_strings
from notifier.cli import cli
from notifier.events.contracts import Language


def test_preview_prints_text_and_writes_html(tmp_path: Path) -> None:
    out = tmp_path / "preview.html"
    result = CliRunner().invoke(
        cli, ["preview", "--message", "announcement", "--lang", "hi", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    hi = load_strings()[Language.HI]
    assert hi["pickup_heading"] in result.stdout
    assert result.stdout.startswith("Subject: ")
    html = out.read_text(encoding="utf-8")
    assert '<html lang="hi">' in html and hi["unsubscribe"] in html


def test_preview_rejects_unknown_message() -> None:
    result = CliRunner().invoke(cli, ["preview", "--message", "party"])
    assert result.exit_code != 0
    assert "party" in result.output
