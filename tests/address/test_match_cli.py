"""`notifier match --registry FILE [ADDRESSES]`, run as a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from notifier.address.cli_match import RegistryError, read_registry
from notifier.address.matcher import Matcher

ROOT = Path(__file__).resolve().parents[2]

REGISTRY_ROWS = [
    {
        "building_id": "B1",
        "name": "Prestige Shantiniketan",
        "locality": "Whitefield",
        "city": "Bengaluru",
        "pincode": "560048",
    },
    {
        "building_id": "B2",
        "name": "Brigade Lakefront",
        "locality": "Whitefield",
        "city": "Bengaluru",
        "pincode": "560066",
    },
    {
        "building_id": "B3",
        "name": "Laxmi Krupa CHS",
        "locality": "Majiwada",
        "city": "Thane",
        "pincode": None,
    },
]


def notifier(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "notifier", *args],
        input=stdin,
        capture_output=True,
        cwd=ROOT,
        timeout=180,
        check=False,
    )


def write_registry(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "registry.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_matches_addresses_in_order_from_stdin(tmp_path: Path) -> None:
    registry = write_registry(tmp_path, [json.dumps(r) for r in REGISTRY_ROWS])
    addresses = [
        "Flat 1203, Tower C, Prestige Shantiniketan, Hoodi, Whitefield, Bengaluru 560048",
        "Near Prestige Shantiniketan, Whitefield, Bangalore 560048",
        "",
        "Flat 12, Brigade Lakeview, Whitefield, Bangalore - 560066",
        "B-402, Laxmi Kripa Co-op Hsg Soc, Majiwada, Thane West 400601",
    ]
    proc = notifier(
        "match", "--registry", str(registry), stdin="\n".join(addresses).encode() + b"\n"
    )
    assert proc.returncode == 0, proc.stderr.decode()
    rows = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert [r["text"] for r in rows] == addresses
    for row in rows:
        assert set(row) == {"text", "building_id", "score", "decision"}
        assert row["decision"] in {"match", "review", "none"}
    assert rows[1]["decision"] != "match"  # a landmark, not the customer's building
    assert rows[2] == {"text": "", "building_id": None, "score": 0.0, "decision": "none"}
    assert rows[3]["decision"] != "match"  # a sibling of Brigade Lakefront
    # the command is the library: shipped segmenter, then the matcher
    assert rows == expected_rows(addresses)


def expected_rows(addresses: list[str]) -> list[dict]:
    from notifier.address.segmenter import get_segmenter

    matcher = Matcher(read_registry(json.dumps(r) for r in REGISTRY_ROWS))
    out = []
    for text, seg in zip(addresses, get_segmenter().segment_many(addresses), strict=True):
        result = matcher.match(seg) if text.strip() else None
        out.append(
            {
                "text": text,
                "building_id": result.building_id if result else None,
                "score": round(result.score, 4) if result else 0.0,
                "decision": result.decision.value if result else "none",
            }
        )
    return out


def test_addresses_from_a_file_with_explanations(tmp_path: Path) -> None:
    registry = write_registry(tmp_path, [json.dumps(r) for r in REGISTRY_ROWS])
    addresses = tmp_path / "addresses.txt"
    text = "Flat 4, Brigade Lakefront, ITPL Road, Whitefield, Bangalore 560066"
    addresses.write_text(text + "\n", encoding="utf-8")
    proc = notifier("match", "--registry", str(registry), str(addresses), "--explain")
    assert proc.returncode == 0, proc.stderr.decode()
    [row] = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    explanation = row.pop("explanation")
    assert [row] == expected_rows([text])
    assert explanation["decision"] == row["decision"]
    assert "reason" in explanation and "features" in explanation


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "expected a JSON object"),
        (
            json.dumps({"building_id": "B9", "locality": "x", "city": "Pune", "pincode": None}),
            "'name'",
        ),
        (json.dumps({"building_id": "", "name": "X", "city": "Pune"}), "'building_id'"),
        (
            json.dumps({"building_id": "B9", "name": "X", "city": "Pune", "pincode": "12"}),
            "'pincode'",
        ),
        (json.dumps({"building_id": "B9", "name": "X", "city": 5}), "'city'"),
        (json.dumps(REGISTRY_ROWS[0]), "repeats line 1"),
    ],
)
def test_bad_registry_row_is_one_line_error_with_line_number(
    tmp_path: Path, line: str, message: str
) -> None:
    registry = write_registry(tmp_path, [json.dumps(REGISTRY_ROWS[0]), "", line])
    proc = notifier("match", "--registry", str(registry), stdin=b"Whitefield\n")
    assert proc.returncode != 0
    err = proc.stderr.decode().strip()
    assert len(err.splitlines()) == 1, err
    assert "registry line 3" in err and message in err
    assert proc.stdout == b""


def test_read_registry_accepts_integer_pincodes_and_blank_lines() -> None:
    rows = [json.dumps({**REGISTRY_ROWS[1], "pincode": 560066}), "", "  "]
    [building] = read_registry(rows)
    assert building.pincode == "560066"
    with pytest.raises(RegistryError, match="registry line 1"):
        read_registry([json.dumps({**REGISTRY_ROWS[1], "pincode": True})])


def test_registry_aliases_and_brand_are_read_and_used(tmp_path: Path) -> None:
    rows = [
        {
            "building_id": "R1",
            "name": "Life Republic",
            "locality": "Marunji",
            "city": "Pune",
            "pincode": "411057",
            "aliases": ["LifeRepublic Township"],
            "brand": "Kolte Patil",
        }
    ]
    buildings = read_registry([json.dumps(r) for r in rows])
    assert buildings[0].aliases == ("LifeRepublic Township",)
    assert buildings[0].brand == "Kolte Patil"
    matcher = Matcher(buildings)
    assert matcher.building("R1") == buildings[0]
    with pytest.raises(RegistryError, match="line 1: 'aliases' must be a list"):
        read_registry([json.dumps({**rows[0], "aliases": "x"})])
    registry = write_registry(tmp_path, [json.dumps(r) for r in rows])
    out = notifier(
        "match",
        "--registry",
        str(registry),
        stdin=b"A-12, Kolte Patil Life Republic, Marunji, Pune 411057\n",
    )
    assert out.returncode == 0, out.stderr
    record = json.loads(out.stdout.decode().splitlines()[0])
    assert (record["decision"], record["building_id"]) == ("match", "R1")
