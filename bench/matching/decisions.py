"""Dump every matcher decision on the labelled set, to diff before and after a change that
must not alter decisions (a speed-up, a refactoring):

    python bench/matching/decisions.py > /tmp/before.tsv
    ... change the code ...
    python bench/matching/decisions.py > /tmp/after.tsv && cmp /tmp/before.tsv /tmp/after.tsv

``--handset`` dumps the hand-written set's decisions instead.

One tab-separated line per result: what was scored, decision, building id, score (repr, so
any change in the last bit shows), reason and features. Covers ``match`` on the gold segments
of every row, ``score`` of every row against its gold building, and ``residents`` of every
registry building over the candidates a ResidentIndex of all rows returns.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from evaluate import gold_segments, load_registry, load_rows  # noqa: E402

from notifier.address.key_index import ResidentIndex  # noqa: E402
from notifier.address.matcher import Matcher, MatchResult  # noqa: E402


def line(what: str, result: MatchResult) -> str:
    features = ",".join(f"{k}={v!r}" for k, v in sorted(result.features.items()))
    return (
        "\t".join(
            (what, result.decision.value, str(result.building_id), repr(result.score)),
        )
        + f"\t{result.reason}\t{features}"
    )


def main() -> int:
    base = HERE / "handset" if "--handset" in sys.argv[1:] else HERE
    registry = load_registry(base / "registry.jsonl")
    rows = load_rows(base / ("addresses.jsonl" if base != HERE else "eval.jsonl"), "all")
    segments = {row["id"]: gold_segments(row) for row in rows}
    matcher = Matcher(registry)
    out = sys.stdout
    for row in rows:
        out.write(line(f"match {row['id']}", matcher.match(segments[row["id"]])) + "\n")
    for row in rows:
        gold = matcher.building(row["gold"]) if row["gold"] else None
        if gold is not None:
            out.write(line(f"score {row['id']}", matcher.score(segments[row["id"]], gold)) + "\n")
    index = ResidentIndex()
    for address_id, seg in segments.items():
        index.add(address_id, seg)
    for building in registry:
        candidates = sorted(index.candidates(building))
        pairs = ((a, segments[a]) for a in candidates)
        for address_id, result in matcher.residents(building, pairs):
            out.write(line(f"resident {building.building_id} {address_id}", result) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
