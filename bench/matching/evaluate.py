"""Precision / recall of ``match`` decisions and the review-queue rate on the labelled set.

    .venv/bin/python bench/matching/evaluate.py [--split test|dev|all] [--errors 20] [--no-e2e]
    .venv/bin/python bench/matching/evaluate.py --handset   # the hand-written set

(a) from gold segments: the matcher alone;
(b) end to end: raw text through the shipped segmentation model, then the matcher
    (skipped with a note when the model is not installed).
A ``match`` is correct when its building is the gold one; recall counts addresses whose gold
building is in the registry and that got a correct ``match``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from notifier.address.blocking import address_keys, building_query_keys  # noqa: E402
from notifier.address.matcher import (  # noqa: E402
    BuildingRef,
    Decision,
    MatchConfig,
    Matcher,
    MatchResult,
)
from notifier.address.segments import Segments  # noqa: E402


def load_registry(path: Path) -> list[BuildingRef]:
    with path.open(encoding="utf-8") as fh:
        return [
            BuildingRef(
                building_id=r["building_id"],
                name=r["name"],
                locality=r.get("locality") or "",
                city=r.get("city") or "",
                pincode=r.get("pincode"),
                aliases=tuple(r.get("aliases") or ()),
                brand=r.get("brand"),
            )
            for r in map(json.loads, fh)
        ]


def load_rows(path: Path, split: str) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    return rows if split == "all" else [r for r in rows if r["split"] == split]


def gold_segments(row: dict) -> Segments:
    return Segments(text=row["text"], **row["segments"])


@dataclass
class Scores:
    n: int = 0
    positives: int = 0
    matches: int = 0
    correct: int = 0
    reviews: int = 0
    errors: list[tuple[str, dict, MatchResult]] = field(default_factory=list)
    by_kind: Counter = field(default_factory=Counter)

    @property
    def precision(self) -> float:
        return self.correct / self.matches if self.matches else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.positives if self.positives else 1.0

    @property
    def review_rate(self) -> float:
        return self.reviews / self.n if self.n else 0.0

    def line(self) -> str:
        return (
            f"precision {self.precision:.4f}  recall {self.recall:.4f}  "
            f"review {self.review_rate:.2%}  (n={self.n}, gold in registry={self.positives}, "
            f"match={self.matches}, correct={self.correct}, review={self.reviews})"
        )


def score_rows(matcher: Matcher, rows: Sequence[dict], segments: Iterable[Segments]) -> Scores:
    s = Scores()
    for row, seg in zip(rows, segments, strict=True):
        result = matcher.match(seg)
        gold = row["gold"]
        s.n += 1
        s.positives += gold is not None
        if result.decision is Decision.MATCH:
            s.matches += 1
            if result.building_id == gold:
                s.correct += 1
            else:
                s.errors.append(("false match", row, result))
                s.by_kind[f"{row['kind']}:false_match"] += 1
        elif result.decision is Decision.REVIEW:
            s.reviews += 1
            s.by_kind[f"{row['kind']}:review"] += 1
        if gold is not None and not (
            result.decision is Decision.MATCH and result.building_id == gold
        ):
            s.errors.append((f"missed ({result.decision.value})", row, result))
            s.by_kind[f"{row['kind']}:not_matched"] += 1
    return s


def blocking_line(
    matcher: Matcher, registry: Sequence[BuildingRef], rows: Sequence[dict], segs: list[Segments]
) -> str:
    """Blocking recall (true pairs whose building is among the candidates) and mean
    candidate-set size, forward (address -> buildings) and reverse (building -> stored
    addresses, by the keys the stores save)."""
    found = total = candidates = 0
    keys_of = [address_keys(seg) for seg in segs]
    for row, seg in zip(rows, segs, strict=True):
        blocked = matcher.blocked(seg)
        candidates += len(blocked)
        if row["gold"] is not None:
            total += 1
            found += row["gold"] in blocked
    by_key: dict[str, set[int]] = {}
    for i, keys in enumerate(keys_of):
        for key in keys:
            by_key.setdefault(key, set()).add(i)
    r_found = r_total = r_candidates = 0
    for building in registry:
        hits: set[int] = set()
        for key in building_query_keys(building):
            hits |= by_key.get(key, set())
        r_candidates += len(hits)
        truth = [i for i, row in enumerate(rows) if row["gold"] == building.building_id]
        r_total += len(truth)
        r_found += sum(i in hits for i in truth)
    return (
        f"blocking recall forward {found / max(total, 1):.4f} (mean {candidates / len(rows):.1f} "
        f"candidate buildings per address), reverse {r_found / max(r_total, 1):.4f} "
        f"(mean {r_candidates / max(len(registry), 1):.1f} candidate addresses per building "
        f"of {len(rows)})"
    )


def print_errors(scores: Scores, limit: int, matcher: Matcher) -> None:
    for what, row, result in scores.errors[:limit]:
        print(
            f"  [{what}] {row['kind']} gold={row['gold']} got={result.building_id} "
            f"{result.decision.value} {result.score:.3f} {result.reason}"
        )
        print(f"      {row['text']}")
        gold = matcher.building(row["gold"]) if row["gold"] else None
        if gold is not None:
            pair = matcher.score(gold_segments(row), gold)
            print(f"      gold {gold.name!r}: {pair.decision.value} {pair.score:.3f} {pair.reason}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["dev", "test", "all"], default="test")
    parser.add_argument("--registry", type=Path, default=None)
    parser.add_argument("--rows", type=Path, default=None)
    parser.add_argument(
        "--handset", action="store_true", help="the hand-written set (bench/matching/handset)"
    )
    parser.add_argument("--errors", type=int, default=0, help="print this many errors")
    parser.add_argument("--no-e2e", action="store_true", help="skip the end-to-end run")
    args = parser.parse_args(argv)
    base = HERE / "handset" if args.handset else HERE
    args.registry = args.registry or base / "registry.jsonl"
    args.rows = args.rows or base / ("addresses.jsonl" if args.handset else "eval.jsonl")

    registry = load_registry(args.registry)
    matcher = Matcher(registry, MatchConfig())
    rows = load_rows(args.rows, args.split)
    print(f"{len(matcher)} registry buildings, {len(rows)} addresses ({args.split} split)")

    gold_segs = [gold_segments(r) for r in rows]
    gold = score_rows(matcher, rows, gold_segs)
    print(f"(a) gold segments : {gold.line()}")
    print(f"                    {blocking_line(matcher, registry, rows, gold_segs)}")
    if args.errors:
        print("    breakdown:", dict(sorted(gold.by_kind.items())))
        print_errors(gold, args.errors, matcher)

    if args.no_e2e:
        return 0
    try:
        from notifier.address.segmenter import get_segmenter

        segmenter = get_segmenter()
    except Exception as exc:  # the model ships separately; say why it is skipped
        print(f"(b) end to end    : skipped, segmentation model not available ({exc})")
        return 0
    start = time.perf_counter()
    segmented = list(segmenter.segment_many([r["text"] for r in rows]))
    seconds = time.perf_counter() - start
    e2e = score_rows(matcher, rows, segmented)
    print(f"(b) end to end    : {e2e.line()}  [segmenting took {seconds:.1f}s]")
    print(f"                    {blocking_line(matcher, registry, rows, segmented)}")
    if args.errors:
        print("    breakdown:", dict(sorted(e2e.by_kind.items())))
        print_errors(e2e, args.errors, matcher)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
