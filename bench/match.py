"""Matching throughput once addresses are segmented (target >= 20,000 addresses/s per core).

    .venv/bin/python bench/match.py [--repeat 5] [--handset]

Uses the generated labelled set's registry and gold segments (``--handset``: the hand-written
set's); the normalisation caches are cleared
before each timed pass, so repeated text does not flatter the number (a new cache of name,
place or token forms belongs in clear_caches() too).
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench" / "matching"))

from evaluate import HERE, gold_segments, load_registry, load_rows  # noqa: E402

import notifier.address  # noqa: E402
from notifier.address.matcher import Matcher  # noqa: E402


def clear_caches() -> None:
    """Cold caches: every memoised function of the address package (lru_cache), found by
    walking its modules, so a split or a new cache does not leave one warm."""
    for info in pkgutil.iter_modules(notifier.address.__path__, "notifier.address."):
        module = importlib.import_module(info.name)
        for value in list(vars(module).values()):
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--handset", action="store_true", help="the hand-written set")
    args = parser.parse_args()
    base = HERE / "handset" if args.handset else HERE
    registry = load_registry(base / "registry.jsonl")
    rows = base / ("addresses.jsonl" if args.handset else "eval.jsonl")
    segments = [gold_segments(r) for r in load_rows(rows, "all")]
    start = time.perf_counter()
    matcher = Matcher(registry)
    print(f"registry of {len(matcher)} buildings loaded in {time.perf_counter() - start:.3f}s")
    rates = []
    for _ in range(args.repeat):
        clear_caches()
        start, cpu = time.perf_counter(), time.process_time()
        for seg in segments:
            matcher.match(seg)
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
        rates.append((len(segments) / cpu, len(segments) / wall))
    rates.sort()
    median_cpu, median_wall = rates[len(rates) // 2]
    # CPU time is the honest figure on a shared machine; wall time is printed too
    print(
        f"{len(segments)} addresses x {args.repeat}, cold normalisation caches: "
        f"median {median_cpu:,.0f}/s per core (CPU time), {median_wall:,.0f}/s wall; "
        f"best {rates[-1][0]:,.0f}/s"
    )


if __name__ == "__main__":
    main()
