"""Reverse lookup: ops register a building -> find its residents among stored addresses.

    python bench/reverse_index.py [--addresses 1000000] [--queries 200]

Stores N synthetic segmented addresses (names, spellings and location gaps from the labelled
set's generator) in a ResidentIndex, then registers buildings one at a time and times
``candidates()`` plus scoring every candidate with ``Matcher.score`` (target: under 1 s per
building at 1,000,000 addresses). Also reports how many of the building's true residents the
lookup returned as ``match``.
"""

from __future__ import annotations

import argparse
import gc
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench" / "matching"))

from generate import (  # noqa: E402
    BRANDS,
    CITIES,
    INDIAN_WORDS,
    STEMS,
    SUBPROJECT_TAILS,
    SUFFIXES,
    Building,
    _city_spelling,
    _name_variant,
)

from notifier.address.blocking import ResidentIndex  # noqa: E402
from notifier.address.matcher import BuildingRef, Decision, Matcher  # noqa: E402
from notifier.address.segments import Segments  # noqa: E402


def make_world(rng: random.Random, n_buildings: int) -> list[Building]:
    world: list[Building] = []
    seen: set[tuple[str, str, str]] = set()
    places = [(c, loc) for c, (_, locs, _) in CITIES.items() for loc in locs]
    while len(world) < n_buildings:
        city, locality = rng.choice(places)
        if rng.random() < 0.55:
            core: tuple[str, ...] = (rng.choice(BRANDS), rng.choice(STEMS))
            if rng.random() < 0.2:
                core = (*core, rng.choice(SUBPROJECT_TAILS))
            suffix, indian = rng.choice([None, "towers", "heights", "residency"]), False
        else:
            core = tuple(w for w, _ in rng.sample(INDIAN_WORDS, rng.choice([1, 2, 2, 3])))
            suffix, indian = rng.choice(list(SUFFIXES)), True
        key = (" ".join(core), city, locality)
        if key in seen:
            continue
        seen.add(key)
        pin = rng.choice(CITIES[city][1][locality])
        name = " ".join([*core, SUFFIXES[suffix][0] if suffix else ""]).strip()
        world.append(
            Building(f"W{len(world):06d}", name, city, locality, pin, core, suffix, indian)
        )
    return world


def make_address(rng: random.Random, b: Building) -> Segments:
    kind = rng.choice(["exact", "exact", "suffix", "translit", "typo", "glued"])
    name = _name_variant(b, rng, kind)
    pin = b.pincode if rng.random() < 0.75 else None
    locality = b.locality if rng.random() < 0.93 else None
    city = _city_spelling(b.city, rng)
    text = ", ".join(p for p in (name, locality, city, pin) if p)
    return Segments(text, building=name, locality=locality, city=city, pincode=pin)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--addresses", type=int, default=1_000_000)
    parser.add_argument("--buildings", type=int, default=60_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    world = make_world(rng, args.buildings)

    start = time.perf_counter()
    index = ResidentIndex()
    stored: dict[str, Segments] = {}
    residents: dict[str, set[str]] = {}
    # a fifth of the customers live in 1% of the buildings (large complexes, a few thousand
    # customers each); the rest spread over all buildings
    large = world[: max(1, len(world) // 100)]
    for i in range(args.addresses):
        b = rng.choice(large) if rng.random() < 0.2 else rng.choice(world)
        seg = make_address(rng, b)
        address_id = f"A{i:07d}"
        stored[address_id] = seg
        residents.setdefault(b.building_id, set()).add(address_id)
        index.add(address_id, seg)
    build = time.perf_counter() - start
    # a long-lived index of a million objects: move it out of the cyclic GC's generations, or
    # every full collection during a lookup walks all of it (seconds of pause)
    gc.collect()
    gc.freeze()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"stored {len(index):,} addresses ({len(world):,} buildings) in {build:.1f}s "
        f"incl. generation; peak RSS {rss_mb:,.0f} MB"
    )

    # the busiest buildings first (worst case for candidate sets), then random ones
    by_size = sorted(world, key=lambda b: -len(residents.get(b.building_id, ())))
    queries = by_size[: args.queries // 4] + rng.sample(world, args.queries - args.queries // 4)
    latencies, sizes = [], []
    found = total = 0
    per_candidate = []
    for b in queries:
        ref = BuildingRef(b.building_id, b.name, b.locality, b.city, b.pincode)
        start = time.perf_counter()
        matcher = Matcher([ref])  # "ops register a new quarantined building"
        candidates = index.candidates(ref)
        matched = {
            a
            for a, result in matcher.residents(ref, ((a, stored[a]) for a in candidates))
            if result.decision is Decision.MATCH
        }
        latencies.append(time.perf_counter() - start)
        sizes.append(len(candidates))
        if candidates:
            per_candidate.append(latencies[-1] / len(candidates))
        truth = residents.get(b.building_id, set())
        found += len(matched & truth)
        total += len(truth)
    latencies.sort()
    sizes.sort()
    q = len(latencies)
    print(
        f"{q} building registrations: latency p50 {latencies[q // 2] * 1000:.1f} ms, "
        f"p95 {latencies[int(q * 0.95)] * 1000:.1f} ms, max {latencies[-1] * 1000:.1f} ms"
    )
    per_candidate.sort()
    print(
        f"candidates per building: p50 {sizes[q // 2]:,}, max {sizes[-1]:,}; "
        f"{per_candidate[len(per_candidate) // 2] * 1e6:.0f} us per candidate (median)"
    )
    print(f"residents found as match: {found:,}/{total:,} ({found / max(total, 1):.1%})")


if __name__ == "__main__":
    main()
