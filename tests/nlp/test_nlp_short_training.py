"""A short real training run (small corpus, few steps) learns something measurable.

CI does not retrain the full model; this proves the generate -> train -> load path works and
that the config learns (metric thresholds on held-out synthetic addresses).
"""

from __future__ import annotations

from pathlib import Path

from nlp.evaluate import load_heldout, score
from nlp.train import train
from notifier.address.segmenter import Segmenter


def test_short_training_learns(tmp_path: Path) -> None:
    best = train(
        n_train=2500,
        n_dev=200,
        max_steps=160,
        output=tmp_path / "out",
        corpus=tmp_path / "corpus",
        ship=False,
    )
    assert (best / "config.cfg").is_file()
    seg = Segmenter.load(best)
    result = score("heldout", load_heldout(300, seed=5), seg.segment_many)
    metrics = {f: c.prf()["f1"] for f, c in result.counts.items()}
    assert metrics["pincode"] >= 0.85, metrics
    assert metrics["unit"] >= 0.6, metrics
    assert metrics["building"] >= 0.35, metrics
