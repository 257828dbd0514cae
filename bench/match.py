"""Matching throughput once addresses are segmented (target >= 20,000 addresses/s per core).

    .venv/bin/python bench/match.py [--repeat 5] [--handset]

Uses the generated labelled set's registry and gold segments (``--handset``: the hand-written
set's); the normalisation caches are cleared
before each timed pass, so repeated text does not flatter the number (a new cache of name,
place or token forms is cleared too, as long as it is a bounded ``lru_cache``).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench" / "matching"))

from evaluate import HERE, gold_segments, load_registry, load_rows  # noqa: E402

from notifier.address.matcher import Matcher  # noqa: E402


def clear_caches() -> None:
    """Clear every bounded cache of text forms in the address modules (maxsize > 1; the
    unbounded or single-entry ones hold static tables), so a new cache is covered without
    being listed here."""
    for module_name, module in list(sys.modules.items()):
        if not module_name.startswith("notifier.address."):
            continue
        for fn in vars(module).values():
            params = getattr(fn, "cache_parameters", None)
            if params is None or getattr(fn, "__module__", None) != module_name:
                continue
            maxsize = params()["maxsize"]
            if maxsize is not None and maxsize > 1:
                fn.cache_clear()


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
