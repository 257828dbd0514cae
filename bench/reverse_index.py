"""Reverse lookup as the runtimes do it: ops register a building -> its residents among the
stored addresses.

    .venv/bin/python bench/reverse_index.py [--addresses 1000000] [--queries 200]

Stores N synthetic segmented addresses (names, spellings and location gaps from the labelled
set's generator) through the Kafka runtime's store (``RouteStore`` over plain-dict tables: the
same key index and records as on Faust tables, without a broker), each with the keys
``address_keys()`` gives, as the planner saves them. Then registers buildings one at a time
and times ``Planner.on_registered`` - the store's key lookup of ``building_query_keys``, the
matcher's ``score`` of every candidate, the review items and email jobs queued - which is the
path both runtimes run (target: under 1 s per building at 1,000,000 addresses), in a process
with the Kafka worker's garbage-collector thresholds (``streams.app.tune_gc``). Also reports
how many of the building's true residents got an email job.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import resource
import sys
import time
from datetime import UTC, datetime
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

from notifier.address.blocking import address_keys  # noqa: E402
from notifier.address.segments import Segments  # noqa: E402
from notifier.campaigns.planner import Planner  # noqa: E402
from notifier.campaigns.store import StoredAddress  # noqa: E402
from notifier.events.contracts import Language, PickupPoint, QuarantineRegistered  # noqa: E402
from notifier.streams.staged_tables import TABLES, StagedTables  # noqa: E402
from notifier.streams.table_store import RouteStore  # noqa: E402
from notifier.streams.worker import tune_gc  # noqa: E402

T0 = datetime(2026, 1, 1, tzinfo=UTC)


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
    parser.add_argument(
        "--dump", type=Path, help="write each registration's jobs and reviews (diff before/after)"
    )
    args = parser.parse_args()
    tune_gc()  # the collector's thresholds of the Kafka worker's process, whose store this is
    rng = random.Random(args.seed)
    world = make_world(rng, args.buildings)

    start = time.perf_counter()
    staged = StagedTables({name: {} for name in TABLES})
    store = RouteStore(staged, "bench")
    residents: dict[str, set[str]] = {}
    # a fifth of the customers live in 1% of the buildings (large complexes, a few thousand
    # customers each); the rest spread over all buildings
    large = world[: max(1, len(world) // 100)]
    for i in range(args.addresses):
        b = rng.choice(large) if rng.random() < 0.2 else rng.choice(world)
        seg = make_address(rng, b)
        address_id = f"A{i:07d}"
        address = StoredAddress(f"C{i:07d}", address_id, "x@example.org", "X", Language.EN, seg, T0)
        store.put_address(address, address_keys(seg))  # as Planner.on_address saves it
        residents.setdefault(b.building_id, set()).add(address_id)
        if i % 10_000 == 9_999:
            staged.commit()
    staged.commit()
    build = time.perf_counter() - start
    # a long-lived index of a million objects: move it out of the cyclic GC's generations, or
    # every full collection during a lookup walks all of it (seconds of pause)
    gc.collect()
    gc.freeze()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"stored {args.addresses:,} addresses ({len(world):,} buildings) in {build:.1f}s "
        f"incl. generation and keys; peak RSS {rss_mb:,.0f} MB"
    )

    planner = Planner(store)
    pickup = PickupPoint(name="Society office", location="Main gate")
    # the busiest buildings first (worst case for candidate sets), then random ones
    by_size = sorted(world, key=lambda b: -len(residents.get(b.building_id, ())))
    queries = by_size[: args.queries // 4] + rng.sample(world, args.queries - args.queries // 4)
    latencies = []
    cpu_times = []  # the honest figure on a shared machine (wall time waits for other jobs)
    found = total = 0
    dump = []
    for n, b in enumerate(queries):
        event = QuarantineRegistered(
            event_id=f"q-{n}",
            building_id=b.building_id,
            occurred_at=T0,
            name=b.name,
            locality=b.locality,
            city=b.city,
            pincode=b.pincode,
            pickup=pickup,
        )
        start, cpu = time.perf_counter(), time.process_time()
        outcome = planner.on_registered(event)  # "ops register a new quarantined building"
        latencies.append(time.perf_counter() - start)
        cpu_times.append(time.process_time() - cpu)
        staged.discard()  # the jobs and reviews it staged are not what is measured
        matched = {job.address_id for job in outcome.jobs}
        if args.dump:
            jobs = sorted(f"{j.job_id} {j.address_id}" for j in outcome.jobs)
            reviews = sorted(
                f"{r.review_id} {r.address_id} {r.score!r} "
                + json.dumps(r.explanation, sort_keys=True)
                for r in outcome.reviews
            )
            dump.append(f"{b.building_id}\tjobs {' '.join(jobs)}\treviews {' '.join(reviews)}\n")
        truth = residents.get(b.building_id, set())
        found += len(matched & truth)
        total += len(truth)
    latencies.sort()
    cpu_times.sort()
    q = len(latencies)
    print(
        f"{q} building registrations (Planner.on_registered: key lookup + score + jobs): "
        f"latency p50 {latencies[q // 2] * 1000:.1f} ms, p95 {latencies[int(q * 0.95)] * 1000:.1f}"
        f" ms, max {latencies[-1] * 1000:.1f} ms; CPU time p50 {cpu_times[q // 2] * 1000:.1f} ms, "
        f"p95 {cpu_times[int(q * 0.95)] * 1000:.1f} ms, max {cpu_times[-1] * 1000:.1f} ms"
    )
    print(f"residents given an email job: {found:,}/{total:,} ({found / max(total, 1):.1%})")
    if args.dump:
        args.dump.write_text("".join(dump), encoding="utf-8")


if __name__ == "__main__":
    main()
