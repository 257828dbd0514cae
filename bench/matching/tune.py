"""Pick ``match_threshold`` / ``review_threshold`` on the dev split (never on test).

    python bench/matching/tune.py [--min-precision 0.995] [--max-review 0.06]

Scores every dev address once with thresholds wide open, then sweeps the thresholds over the
recorded best scores: the highest recall whose precision stays above the floor, then the
highest review threshold that keeps the review queue under the ceiling. Copy the printed values
into ``MatchConfig`` defaults.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from evaluate import HERE, gold_segments, load_registry, load_rows

from notifier.address.matcher import Decision, MatchConfig, Matcher


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-precision", type=float, default=0.995)
    parser.add_argument("--max-review", type=float, default=0.06)
    args = parser.parse_args()
    base = MatchConfig()
    # match_threshold just above 1 and review at 0: every scored pair is a "review" with its score
    probe = dataclasses.replace(base, match_threshold=1.01, review_threshold=1e-9)
    matcher = Matcher(load_registry(HERE / "registry.jsonl"), probe)
    rows = load_rows(HERE / "eval.jsonl", "dev")
    scored = []
    for row in rows:
        r = matcher.match(gold_segments(row))
        best = r.score if r.decision is not Decision.NONE else 0.0
        scored.append((best, r.building_id == row["gold"], row["gold"] is not None))
    positives = sum(p for _, _, p in scored)
    best_t, best_recall = None, -1.0
    # a match must clear the review cap: capped pairs (city-only location, part of the
    # registry name missing, another kind of building) go to a human by design
    for t in [x / 200 for x in range(int(base.review_cap * 200) + 1, 201)]:
        chosen = [(ok, p) for s, ok, p in scored if s >= t]
        correct = sum(ok and p for ok, p in chosen)
        precision = correct / len(chosen) if chosen else 1.0
        recall = correct / positives
        if precision >= args.min_precision and recall > best_recall:
            best_t, best_recall = t, recall
    print(
        f"match_threshold={best_t} (dev recall {best_recall:.4f}, precision >= "
        f"{args.min_precision})"
    )
    for rt in [x / 100 for x in range(50, 100)]:
        rate = sum(rt <= s < best_t for s, _, _ in scored) / len(scored)
        if rate <= args.max_review:
            print(f"review_threshold={rt} (dev review rate {rate:.2%})")
            break


if __name__ == "__main__":
    main()
