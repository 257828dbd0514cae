"""`pip install .` must carry the model and the templates inside the installed package."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_ships_model_templates_and_demo_data(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("pickup_notifier-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "notifier/templates/base.html" in names
    assert any(n.startswith("notifier/templates/i18n/hi.") for n in names)
    assert "notifier/address/model/meta.json" in names
    assert "notifier/demo/data/addresses.jsonl" in names
    # the matcher's shipped brand list and fitted weights
    assert "notifier/address/data/brands.tsv" in names
    assert "notifier/address/data/weights.json" in names
    size = sum(i.file_size for i in zipfile.ZipFile(wheel).infolist() if "/model/" in i.filename)
    assert size < 20 * 1024 * 1024

    # Installed (not editable), the package finds its model and templates by itself.
    target = tmp_path / "site"
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(target)
    probe = (
        "from notifier.address.segmenter import Segmenter; "
        "from notifier.campaigns.renderer import default_templates_dir; "
        "import notifier; "
        "print(Segmenter.load().segment('Flat 2, Sai Krupa Apartments, Nasik 422001').building); "
        "print(default_templates_dir())"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=tmp_path,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout.splitlines()
    assert str(target) in out[1]
