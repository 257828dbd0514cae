"""Evaluate the address segmenter: per-label P/R/F1 and building-name exact-match F1.

    python -m nlp.evaluate                       # shipped model, all sets, writes metrics + card
    python -m nlp.evaluate --model nlp/training/model-best --no-write --errors building

Sets: a held-out synthetic split (seed 3, held-out word lists and pincodes, never trained on),
the public labelled sets in ``../shared/eval`` (evaluation only, never training data) and our own
hand-written set ``nlp/assets/handset_indian_addresses.jsonl`` (styles the generator may not
cover; written by hand for this check, not taken from the public sets, never trained on).

Scoring, per row and field: values are normalised (case, whitespace and punctuation removed;
for landmarks the near/opp cue word and for units the flat/house/no cue words are dropped, and
from buildings any floor phrase ("1st floor", "IIND FLOOR", "level 4"), since the public sets
label those differently; see ``_FLOOR``). A prediction equal to the gold value is a true positive;
any other prediction is a false positive; a gold value not matched is a false negative. So
predicting a building where there is none counts against precision.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from notifier.address.segmenter import Segmenter

ROOT = Path(__file__).resolve().parent.parent
METRICS = ROOT / "nlp" / "metrics.json"
CARD = ROOT / "nlp" / "MODEL_CARD.md"
FIELDS = ("building", "unit", "street", "landmark", "locality", "city", "state", "pincode")
HELDOUT_SEED = 3
HAND_SET = ROOT / "nlp" / "assets" / "handset_indian_addresses.jsonl"
HELDOUT_N = 2000

# Public set field -> our field. Several source fields may feed one of ours (first non-null wins);
# each set keeps its own meaning, documented in MODEL_CARD.md.
BHARAT_MAP: dict[str, tuple[str, ...]] = {
    "building": ("building_name",),
    "unit": ("building_number",),
    "street": ("sub_locality",),  # holds roads/cross streets ("ISB Road", "2nd Cross")
    "landmark": ("landmark",),
    "locality": ("locality",),
    "city": ("city",),
    "state": ("state",),
    "pincode": ("pincode",),
}
INNERKORE_MAP: dict[str, tuple[str, ...]] = {
    "building": ("houseName",),
    "unit": ("houseNumber",),
    "street": ("street",),
    "landmark": ("poi",),
    "locality": ("subsubLocality", "subLocality", "locality", "village"),
    "city": ("city", "district"),
    "state": ("state",),
    "pincode": ("pincode",),
}

_CUES_LANDMARK = re.compile(
    r"^(near to|near the|near|nr|opposite to|opposite|opp to|opp|behind|bhd|next to|beside the|"
    r"besides|beside|above|below|in front of|infront of|adjacent to|adj|close to|landmark|lm|"
    r"after|before|at)\b\s*",
    re.I,
)
_CUES_UNIT = re.compile(
    r"^(flat no|flat|house no|house|h no|hno|hn|door no|door|d no|dr no|plot no|plot|shop no|shop|"
    r"apt|apartment|no|qtr no|quarter no|sco no|sco|booth no|cabin no|room no|unit no|unit|"
    r"site no)\b\s*",
    re.I,
)
# A floor says where inside a building, not which building: our labelling policy makes it UNIT,
# and innerkore leaves it out of houseName in 31 of 34 rows ("2nd FLOOR, SHANKAR COMPLEX") but
# not in 3 ("1ST FLOOR, NABIN BHAWAN"). So a floor phrase is removed from building values, gold and
# predicted alike, in every set (synthetic included) before comparing.
_FLOOR = re.compile(
    r"\b(?:(?:upper |lower )?ground|gr|top|mezzanine|basement|first|second|third|fourth|fifth"
    r"|\d+(?:st|nd|rd|th)?|[ivx]+(?:st|nd|rd|th)?) (?:floors?|flr)\b|\blevel (?:\d+|[ivx]+)\b"
)
_STATE_CANON = {
    "ap": "andhra pradesh",
    "ts": "telangana",
    "tg": "telangana",
    "ka": "karnataka",
    "tn": "tamil nadu",
    "kl": "kerala",
    "mh": "maharashtra",
    "gj": "gujarat",
    "rj": "rajasthan",
    "mp": "madhya pradesh",
    "up": "uttar pradesh",
    "br": "bihar",
    "wb": "west bengal",
    "od": "odisha",
    "as": "assam",
    "pb": "punjab",
    "hr": "haryana",
    "hp": "himachal pradesh",
    "uk": "uttarakhand",
    "jh": "jharkhand",
    "cg": "chhattisgarh",
    "dl": "delhi",
    "ch": "chandigarh",
    "ga": "goa",
}


def norm(value: str | None, fld: str = "") -> str:
    """Normalised comparison key: lower case, letters and digits only, cue words dropped."""
    if not value:
        return ""
    v = " ".join(re.sub(r"[^\w]+", " ", value.lower()).split())
    if fld == "landmark":
        v = _CUES_LANDMARK.sub("", v)
    elif fld == "unit":
        v = _CUES_UNIT.sub("", v)
    elif fld == "building":
        v = _FLOOR.sub(" ", v)
    elif fld == "state":
        v = _STATE_CANON.get(v.replace(" ", ""), v)
    return v.replace(" ", "")


@dataclass
class Count:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, pred: str, gold: str) -> None:
        if pred and pred == gold:
            self.tp += 1
            return
        if pred:
            self.fp += 1
        if gold:
            self.fn += 1

    def prf(self) -> dict[str, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {
            "precision": round(p, 4),
            "recall": round(r, 4),
            "f1": round(f, 4),
            "support": self.tp + self.fn,
        }


@dataclass
class Row:
    text: str
    gold: dict[str, list[str]]  # field -> acceptable gold values (landmarks may list several)


@dataclass
class Result:
    name: str
    rows: int
    counts: dict[str, Count] = field(default_factory=dict)
    errors: list[dict[str, object]] = field(default_factory=list)

    def metrics(self) -> dict[str, object]:
        per = {f: self.counts[f].prf() for f in FIELDS}
        return {"rows": self.rows, "building_f1": per["building"]["f1"], "per_label": per}


def _gold_values(record: dict, sources: tuple[str, ...], fld: str) -> list[str]:
    for src in sources:
        val = record.get(src)
        if val not in (None, "", -1, "-1"):
            parts = [p.strip() for p in str(val).split(";")] if fld == "landmark" else [str(val)]
            return [p for p in parts if p]
    return []


def load_public(path: Path, split: str | None = None) -> list[Row]:
    """Rows of a labelled set; ``split`` keeps only the rows of that split (our hand set)."""
    rows = []
    for line in path.read_text("utf-8").splitlines():
        if not line.strip():
            continue
        rec = json.loads(line)
        if split is not None and rec.get("split") != split:
            continue
        if "expected" in rec:
            text, gold, mapping = rec["input"], rec["expected"], BHARAT_MAP
        else:
            text, gold, mapping = rec["raw_address"], rec["gold"], INNERKORE_MAP
        rows.append(Row(text, {f: _gold_values(gold, mapping[f], f) for f in FIELDS}))
    return rows


def load_heldout(n: int = HELDOUT_N, seed: int = HELDOUT_SEED) -> list[Row]:
    from nlp.generate import generate

    rows = []
    for built in generate(n, seed, "dev"):
        gold: dict[str, list[str]] = {f: [] for f in FIELDS}
        for start, end, label in built.spans:
            gold[label.lower()].append(built.text[start:end])
        # Segments keep one value per field: the first span of each label.
        rows.append(Row(built.text, {f: v[:1] for f, v in gold.items()}))
    return rows


def score(
    name: str, rows: list[Row], predict: Callable[[Iterable[str]], Iterable[object]]
) -> Result:
    res = Result(name, len(rows), {f: Count() for f in FIELDS})
    for row, seg in zip(rows, predict(r.text for r in rows), strict=True):
        for f in FIELDS:
            pred = norm(getattr(seg, f), f)
            golds = [norm(g, f) for g in row.gold[f]]
            if f != "building":
                # other labels: a gold value that is not written in the text (e.g. a state the
                # labeller inferred from the pincode) cannot be extracted, so it is not scored
                text_key = norm(row.text)
                golds = [norm(g, f) for g in row.gold[f] if norm(g) and norm(g) in text_key]
            gold = pred if pred and pred in golds else (golds[0] if golds else "")
            res.counts[f].add(pred, gold)
            if pred != gold:
                res.errors.append(
                    {"field": f, "text": row.text, "pred": getattr(seg, f), "gold": row.gold[f]}
                )
    return res


def public_sets(eval_dir: Path) -> list[Path]:
    return sorted(eval_dir.glob("*.jsonl"))


def find_eval_dir() -> Path | None:
    for cand in (ROOT.parent / "shared" / "eval", ROOT.parent / "eval", ROOT / "eval"):
        if cand.is_dir() and any(cand.glob("*.jsonl")):
            return cand
    return None


CARD_INTRO = """\
## Address segmentation model

A spaCy 3.8 pipeline trained by this project (`python -m nlp.train`, {minutes} on 2 CPU
cores) on seeded synthetic addresses generated from the India Post pincode directory and
hand-written word lists (`nlp/assets/SOURCES.md`). Architecture: regex tokenizer + one BIO
`tagger` over a slim hash-embedding CNN ({arch}). It ships in
`notifier/address/model/` ({size:.1f} MB: the spaCy files and `tagger.npz`, the same weights
for the numpy forward pass that inference runs without importing spaCy) and is never
downloaded. In-process speed on this machine: ~{speed:,.0f} addresses/s.

Building-name exact-match F1 (normalised case/whitespace/punctuation; a building predicted where
there is none is a false positive), the same with every post-processing rule off (the model's
own spans, first of each label), and per-label F1. `handset_test` is the report-only half of
our hand-written set; `handset_dev` is the half used to choose models and rules:

| set | rows | bldg P | bldg R | **bldg F1** | no rules | unit | str | lm | loc | city | st | pin
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | ---
"""

CARD_NOTES = ROOT / "nlp" / "card_notes.md"  # the hand-written part of MODEL_CARD.md


def card(
    results: list[Result],
    model_dir: str,
    speed: float,
    no_rules: dict[str, float],
    stale: dict[str, str],
    minutes: str = "about 6 min",
) -> str:
    lines = [
        CARD_INTRO.format(
            minutes=minutes, size=_size_mb(model_dir), speed=speed, arch=_arch(model_dir)
        )
    ]
    for r in results:
        m = r.metrics()["per_label"]
        b = m["building"]
        cells = " | ".join(f"{m[f]['f1']:.2f}" for f in FIELDS[1:])
        lines.append(
            f"| {r.name} | {r.rows} | {b['precision']:.2f} | {b['recall']:.2f} "
            f"| **{b['f1']:.2f}** | {no_rules.get(r.name, 0.0):.2f} | {cells}\n"
        )
    for name, note in stale.items():
        lines.append(f"| {name} | {note} | | | | | | | | | | | |\n")
    lines.append("\n" + CARD_NOTES.read_text("utf-8"))
    return "".join(lines)


def _arch(model_dir: str) -> str:
    from spacy.util import load_config

    t2v = load_config(Path(model_dir) / "config.cfg")["components"]["tagger"]["model"]["tok2vec"]
    embed, encode = t2v["embed"], t2v["encode"]
    return (
        f"{'/'.join(embed['attrs'])} hash embeddings, width {encode['width']}, "
        f"{encode['depth']} maxout CNN layers, window {encode['window_size']}"
    )


def _size_mb(model_dir: str) -> float:
    return sum(p.stat().st_size for p in Path(model_dir).rglob("*") if p.is_file()) / 1e6


def main(argv: list[str] | None = None) -> int:
    if "numpy" not in sys.modules:  # one BLAS thread, as `notifier segment` (see nlp/README.md)
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from notifier.address.segmenter import DEFAULT_MODEL_DIR, Segmenter

    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--model", type=Path, default=DEFAULT_MODEL_DIR)
    ap.add_argument(
        "--eval-dir", type=Path, default=None, help="folder with the public *.jsonl sets"
    )
    ap.add_argument("--heldout-n", type=int, default=HELDOUT_N)
    ap.add_argument(
        "--no-write", action="store_true", help="do not write metrics.json / MODEL_CARD.md"
    )
    ap.add_argument("--errors", default="", help="print errors for this field (e.g. building)")
    ap.add_argument(
        "--only",
        default="",
        help="comma-separated set names to score, e.g. 'synthetic_heldout,handset_dev' (model "
        "selection: the test split and the public sets stay unseen); implies --no-write",
    )
    ap.add_argument(
        "--ablate", action="store_true", help="score each post-processing rule left out in turn"
    )
    args = ap.parse_args(argv)
    only = {n.strip() for n in args.only.split(",") if n.strip()}
    if only:
        args.no_write = True  # a partial run must not overwrite the full metrics and card

    seg = Segmenter.load(args.model)
    raw = Segmenter(seg.network, frozenset())  # the same network, no post-processing rules
    sets: list[tuple[str, list[Row]]] = [("synthetic_heldout", load_heldout(args.heldout_n))]
    eval_dir = None if only else args.eval_dir or find_eval_dir()
    stale: dict[str, str] = {}
    previous = json.loads(METRICS.read_text("utf-8")) if METRICS.is_file() else {"sets": {}}
    if eval_dir is None and not only:
        # never drop results that could not be recomputed: keep them, marked as not recomputed
        kept = [
            n for n in previous["sets"] if n not in ("synthetic_heldout",) and "handset" not in n
        ]
        print(
            "public eval sets not found (looked in ../shared/eval; see the README, 'Evaluation "
            f"data'); their results are NOT recomputed and are kept as they were: {kept}",
            file=sys.stderr,
        )
        for name in kept:
            stale[name] = "not recomputed in this run (public sets not found); see metrics.json"
    elif eval_dir is not None:
        sets += [(p.stem, load_public(p)) for p in public_sets(eval_dir)]
    if HAND_SET.is_file():  # same format as bharataddress_gold_200, plus a dev/test split
        sets += [(f"handset_{sp}", load_public(HAND_SET, sp)) for sp in ("dev", "test")]
    if only:
        sets = [(name, rows) for name, rows in sets if name in only]

    results = []
    no_rules: dict[str, float] = {}
    for name, rows in sets:
        res = score(name, rows, seg.segment_many)
        results.append(res)
        bare = score(name, rows, raw.segment_many).counts["building"].prf()["f1"]
        no_rules[name] = bare
        print(
            f"\n== {name} ({len(rows)} rows)  "
            f"building F1 = {res.counts['building'].prf()['f1']:.3f}  "
            f"(rules off: {bare:.3f})"
        )
        print(f"{'label':10} {'P':>6} {'R':>6} {'F1':>6} {'n':>5}")
        for f in FIELDS:
            m = res.counts[f].prf()
            print(
                f"{f:10} {m['precision']:6.3f} {m['recall']:6.3f} {m['f1']:6.3f} {m['support']:5d}"
            )
        if args.errors:
            for e in res.errors:
                if e["field"] == args.errors:
                    print(f"  pred={e['pred']!r:40} gold={e['gold']!r:40} | {e['text']}")
    if args.ablate:
        ablate(seg, [rows for name, rows in sets if name in ("synthetic_heldout", "handset_dev")])

    texts = [r.text for _, rows in sets for r in rows] * 3
    t0 = time.perf_counter()
    for _ in seg.segment_many(texts):
        pass
    speed = len(texts) / (time.perf_counter() - t0)
    print(f"\nin-process speed: {speed:,.0f} addresses/s")
    if not args.no_write:
        payload = {
            "model": str(
                args.model.relative_to(ROOT) if args.model.is_relative_to(ROOT) else args.model
            ),
            "scoring": "exact match after normalisation; see nlp/evaluate.py",
            "addresses_per_second_in_process": round(speed),
            "sets": {
                r.name: {**r.metrics(), "building_f1_rules_off": no_rules[r.name]} for r in results
            },
        }
        for name in stale:
            payload["sets"][name] = {**previous["sets"][name], "recomputed": False}
        METRICS.write_text(json.dumps(payload, indent=2) + "\n", "utf-8")
        CARD.write_text(card(results, str(args.model), speed, no_rules, stale), "utf-8")
        print(f"wrote {METRICS} and {CARD}")
    return 0


def ablate(seg: Segmenter, groups: list[list[Row]]) -> None:
    """Building F1 on the given sets together with each rule left out in turn: a rule whose
    removal does not lower it does not earn its place (MODEL_CARD.md, post-processing)."""
    from notifier.address.postprocess import ALL_RULES, RULES
    from notifier.address.segmenter import Segmenter

    rows = [r for g in groups for r in g]

    def f1(rules: frozenset[str]) -> tuple[float, int]:
        res = score("ablation", rows, Segmenter(seg.network, rules).segment_many)
        return res.counts["building"].prf()["f1"], sum(c.tp for c in res.counts.values())

    base, base_tp = f1(ALL_RULES)
    print(f"\n== rule ablation on {len(rows)} rows (synthetic held-out + hand-set dev)")
    print(f"all rules: building F1 {base:.4f}, all-field TP {base_tp}")
    for rule in RULES:
        b, tp = f1(ALL_RULES - {rule})
        print(
            f"without {rule:24} building F1 {b:.4f} ({b - base:+.4f}), "
            f"all-field TP {tp - base_tp:+d}"
        )


if __name__ == "__main__":
    raise SystemExit(main())
