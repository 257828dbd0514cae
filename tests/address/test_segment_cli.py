"""`notifier segment` CLI contract, run as a real subprocess on odd input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from notifier.address.segments import FIELDS

ROOT = Path(__file__).resolve().parents[2]
KEYS = ["text", *FIELDS]


def run_cli(data: bytes, *args: str) -> list[dict]:
    proc = subprocess.run(
        [sys.executable, "-m", "notifier", "segment", *args],
        input=data,
        capture_output=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    out = proc.stdout.decode("utf-8")
    return [json.loads(line) for line in out.splitlines()]


def test_odd_input_never_crashes_and_keeps_one_row_per_line() -> None:
    lines = [
        b"Flat 7C, Coral Heights, Aundh, Pune 411007",
        b"",
        b"x" * 20000,
        b"ctrl\x00\x07\x1b[31m chars, Pune 411001",
        "गली नंबर 4, चांदनी चौक, दिल्ली 110006".encode(),
        "🏠🏠 Flat 3 🚚, Chennai 600017".encode(),
        b"invalid \xff\xfe utf-8 \xc3(",
        b"cr inside\rthe line",
        b"   ",
        b"12345",
    ]
    rows = run_cli(b"\n".join(lines) + b"\r\n")
    assert len(rows) == len(lines)
    for row, raw in zip(rows, lines, strict=True):
        assert list(row) == KEYS
        assert row["text"] == raw.decode("utf-8", errors="replace")
        for f in FIELDS:
            assert row[f] is None or row[f] in row["text"]
    assert rows[1] == dict.fromkeys(KEYS) | {"text": ""}
    assert rows[0]["pincode"] == "411007"


def test_reads_a_file_argument(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("504 Om Sai Niwas Dadar East Mumbai 400014\nMumbai\n", "utf-8")
    rows = run_cli(b"", str(path))
    assert [r["text"] for r in rows] == ["504 Om Sai Niwas Dadar East Mumbai 400014", "Mumbai"]
    assert rows[0]["pincode"] == "400014"


def _segment_with_model(model: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "notifier", "segment", "--model", str(model)],
        input=b"Mumbai\n",
        capture_output=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


def test_missing_model_is_a_clear_error(tmp_path: Path) -> None:
    proc = _segment_with_model(tmp_path)
    assert proc.returncode != 0
    assert b"address model not found" in proc.stderr


def test_unreadable_model_export_is_a_clear_error(tmp_path: Path) -> None:
    import shutil

    from notifier.address.network import EXPORT_NAME
    from notifier.address.segmenter import DEFAULT_MODEL_DIR

    model = tmp_path / "model"
    shutil.copytree(DEFAULT_MODEL_DIR, model)
    (model / EXPORT_NAME).write_bytes(b"not a numpy archive")
    proc = _segment_with_model(model)
    assert proc.returncode != 0
    assert b"unreadable model export" in proc.stderr
    assert b"Traceback" not in proc.stderr
