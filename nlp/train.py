"""Train the address segmenter end to end, seeded: generate -> train -> ship.

    python -m nlp.train                      # full run (about 5 min on 2 idle CPU cores)
    python -m nlp.train --n-train 3000 --max-steps 300 --output /tmp/m --no-ship   # quick check

Steps: write ``nlp/corpus/train.spacy`` (seed 1, train bucket of every word list and pincode) and
``nlp/corpus/dev.spacy`` (seed 2, held-out bucket), run ``spacy train`` with
``nlp/configs/segmenter.cfg``, then copy ``model-best`` to ``notifier/address/model/`` (the model
the package ships and loads). Evaluate afterwards with ``python -m nlp.evaluate``.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import time
from pathlib import Path

from nlp.generate import write_docbin

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "nlp" / "configs" / "segmenter.cfg"
CORPUS = ROOT / "nlp" / "corpus"
TRAINING = ROOT / "nlp" / "training"
SHIPPED = ROOT / "notifier" / "address" / "model"

# The tokenizer the shipped model runs with. Training uses v2 (config); v3 only adds a split after
# a building abbreviation glued to the next word ("BORA BLDGPANBAZAR" -> "BLDG", "PANBAZAR").
# The tagger never sees whitespace, so it reads the split words like the spaced ones it learnt;
# unlike a v3 retrain it leaves the other predictions as they were (nlp/README.md, step 2).
SHIP_TOKENIZER = "notifier.address_tokenizer.v3"
TRAIN_TOKENIZER = "notifier.address_tokenizer.v2"

TRAIN_SEED = 1
DEV_SEED = 2


def train(
    n_train: int = 120_000,
    n_dev: int = 3_000,
    max_steps: int | None = None,
    output: Path = TRAINING,
    corpus: Path = CORPUS,
    seed: int = 1,
    ship: bool = True,
) -> Path:
    """Run the whole pipeline; returns the directory of the best model."""
    import spacy
    from spacy.cli.train import train as spacy_train

    from notifier.address.tokenizer import register_spacy_tokenizers

    register_spacy_tokenizers()  # the config names our tokenizer

    t0 = time.perf_counter()
    train_path, dev_path = corpus / "train.spacy", corpus / "dev.spacy"
    print(
        f"generated {write_docbin(train_path, n_train, TRAIN_SEED, 'train')} train docs", flush=True
    )
    print(f"generated {write_docbin(dev_path, n_dev, DEV_SEED, 'dev')} dev docs", flush=True)
    overrides: dict[str, object] = {
        "paths.train": str(train_path),
        "paths.dev": str(dev_path),
        "system.seed": seed,
    }
    if max_steps is not None:
        overrides["training.max_steps"] = max_steps
        overrides["training.eval_frequency"] = max(50, max_steps // 4)
    spacy.util.fix_random_seed(seed)
    output.mkdir(parents=True, exist_ok=True)
    spacy_train(CONFIG, output, overrides=overrides, use_gpu=-1)
    best = output / "model-best"
    if ship:
        package(best, SHIPPED)
        print(f"shipped {best} -> {SHIPPED}")
    print(f"done in {time.perf_counter() - t0:.0f}s")
    return best


def package(best: Path, dest: Path) -> None:
    """Copy a trained pipeline to ``dest`` without the training vocabulary's string table.

    Inference hashes token attributes on the fly and the tag names live in ``tagger/cfg``, so the
    ~2 MB ``strings.json`` of every token seen in training is dead weight that only slows loading.
    Adds ``tagger.npz``, the tagger's weights for the numpy forward pass (see ``Network``), and
    names ``SHIP_TOKENIZER`` in the copy's ``config.cfg`` (the export records it too).
    """
    from notifier.address.network import export_network

    # Build the copy in a sibling folder and swap it in by renames, so a reader (or a crash)
    # never sees a half-written model folder.
    staged, retired = dest.with_name(dest.name + ".new"), dest.with_name(dest.name + ".old")
    for leftover in (staged, retired):
        if leftover.exists():
            shutil.rmtree(leftover)
    shutil.copytree(best, staged)
    (staged / "vocab" / "strings.json").write_text("[]", "utf-8")
    config = staged / "config.cfg"
    text = config.read_text("utf-8")
    config.write_text(text.replace(f'"{TRAIN_TOKENIZER}"', f'"{SHIP_TOKENIZER}"'), "utf-8")
    # the numpy export of the tagger, which is what `Segmenter.load` runs (no spaCy import)
    export_network(staged)
    if dest.exists():
        dest.rename(retired)
    staged.rename(dest)
    if retired.exists():
        shutil.rmtree(retired)


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--n-train", type=int, default=120_000)
    ap.add_argument("--n-dev", type=int, default=3_000)
    ap.add_argument("--max-steps", type=int, default=None, help="override training.max_steps")
    ap.add_argument("--output", type=Path, default=TRAINING)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-ship", action="store_true", help="do not copy to notifier/address/model")
    ap.add_argument(
        "--package",
        type=Path,
        default=None,
        metavar="MODEL_DIR",
        help="only ship an already trained pipeline (e.g. nlp/training/model-best)",
    )
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)
    if args.package is not None:
        package(args.package, SHIPPED)
        print(f"shipped {args.package} -> {SHIPPED}")
        return
    train(
        args.n_train,
        args.n_dev,
        args.max_steps,
        args.output,
        args.corpus,
        args.seed,
        ship=not args.no_ship,
    )


if __name__ == "__main__":
    main()
