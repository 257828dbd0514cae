"""The hand-written evaluation set: size, coverage, one split field, and the evaluation's rows."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from nlp.evaluate import HAND_SET, load_public

ROWS = [json.loads(line) for line in HAND_SET.read_text("utf-8").splitlines() if line.strip()]


def test_the_hand_set_is_large_varied_and_a_fifth_has_no_building() -> None:
    assert len(ROWS) >= 600
    cities = {(r["expected"]["city"] or "").lower() for r in ROWS} - {""}
    assert len(cities) >= 15
    no_building = sum(1 for r in ROWS if not r["expected"]["building_name"])
    assert no_building / len(ROWS) >= 0.2
    assert len({r["input"].lower() for r in ROWS}) == len(ROWS)  # no duplicates


def test_every_row_is_in_dev_or_test_by_a_stable_hash() -> None:
    for r in ROWS:
        digest = hashlib.blake2b(r["input"].encode(), digest_size=2).digest()
        assert r["split"] == ("test" if int.from_bytes(digest, "big") % 2 else "dev")
    dev, test = load_public(HAND_SET, "dev"), load_public(HAND_SET, "test")
    assert len(dev) + len(test) == len(ROWS) and len(test) >= 250
    assert not {r.text for r in dev} & {r.text for r in test}


def test_labels_are_substrings_of_the_text() -> None:
    for r in ROWS:
        for key, value in r["expected"].items():
            if value and key != "state":
                assert value.lower() in r["input"].lower(), (key, value, r["input"])


def test_the_generator_never_writes_a_hand_set_address() -> None:
    from nlp.generate import generate

    hand = {r["input"].lower() for r in ROWS}
    assert not any(b.text.lower() in hand for b in generate(3000, 1, "train"))


def test_evaluate_keeps_public_results_it_cannot_recompute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import nlp.evaluate as ev

    metrics, card = tmp_path / "metrics.json", tmp_path / "MODEL_CARD.md"
    old = {"sets": {"bharataddress_gold_200": {"rows": 200, "building_f1": 0.5}}}
    metrics.write_text(json.dumps(old), "utf-8")
    monkeypatch.setattr(ev, "METRICS", metrics)
    monkeypatch.setattr(ev, "CARD", card)
    monkeypatch.setattr(ev, "find_eval_dir", lambda: None)
    assert ev.main(["--heldout-n", "20"]) == 0
    kept = json.loads(metrics.read_text("utf-8"))["sets"]
    assert kept["bharataddress_gold_200"] == {"rows": 200, "building_f1": 0.5, "recomputed": False}
    assert "handset_test" in kept and "synthetic_heldout" in kept
    assert "bharataddress_gold_200 | not recomputed" in card.read_text("utf-8")
