"""Regenerate the demo's shipped event files (a development tool; run from a checkout).

    python -m notifier.demo.make_data

The addresses come from the matching evaluation's generator (``bench/matching/generate.py``)
with a seed of their own, so the demo exercises the same hard cases (variant spellings,
look-alike buildings, landmark-only mentions) without reusing evaluation rows. Customers,
emails and languages are synthetic; the example.in domain is reserved for examples.
"""

from __future__ import annotations

import importlib.util
import json
import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parent / "data"
SEED = 2026
N_ADDRESSES = 5000
N_QUARANTINED = 36

FIRST = "Aarav Vivaan Aditya Ananya Diya Ishaan Kavya Meera Rohan Saanvi Arjun Priya Rahul Sneha"
LAST = "Sharma Iyer Reddy Nair Patil Banerjee Shah Gowda Rao Menon Kulkarni Das Joshi Pillai"
LANGUAGES_BY_CITY = {
    "Bengaluru": ["kn", "kn", "en", "en", "hi", "ta"],
    "Chennai": ["ta", "ta", "en", "te"],
    "Hyderabad": ["te", "te", "en", "hi"],
    "Mumbai": ["mr", "hi", "en", "en", "gu"],
    "Thane": ["mr", "mr", "hi", "en"],
    "Pune": ["mr", "mr", "en", "hi"],
    "Kolkata": ["bn", "bn", "en", "hi"],
    "Ahmedabad": ["gu", "gu", "hi", "en"],
}
PICKUPS = [
    ("Society office", "Ground floor, next to the lifts", "8:00 to 20:00"),
    ("Main gate security cabin", "Main gate, left of the boom barrier", "7:00 to 22:00"),
    ("Clubhouse lobby", "Clubhouse, ground floor", "9:00 to 19:00"),
    ("Basement parking bay P1", "Basement 1, near ramp exit", "10:00 to 18:00"),
]
T0 = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)


def _generator() -> ModuleType:
    path = ROOT / "bench" / "matching" / "generate.py"
    spec = importlib.util.spec_from_file_location("match_generate", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


def _write(name: str, events: list[dict[str, Any]]) -> None:
    with (DATA / name).open("w", encoding="utf-8") as fh:
        for event in events:
            fh.write(json.dumps(event, ensure_ascii=False) + "\n")


def main() -> None:
    rng = random.Random(SEED)
    registry, rows = _generator().generate(SEED, N_ADDRESSES)
    residents: dict[str, int] = {}
    for row in rows:
        if row["gold"]:
            residents[row["gold"]] = residents.get(row["gold"], 0) + 1
    # The buildings with most known residents make a campaign worth reporting on.
    chosen = sorted(registry, key=lambda b: (-residents.get(b["building_id"], 0), b["building_id"]))
    chosen = chosen[:N_QUARANTINED]

    buildings = []
    for n, b in enumerate(chosen):
        name, location, hours = rng.choice(PICKUPS)
        buildings.append(
            {
                "type": "quarantine.registered",
                "event_id": f"demo-q-{n:03d}",
                "building_id": b["building_id"],
                "name": b["name"],
                "locality": b["locality"],
                "city": b["city"],
                "pincode": b["pincode"],
                "pickup": {
                    "name": name,
                    "location": location,
                    "hours": hours,
                    "instructions": "Show the order id in the app; one person per flat.",
                },
                "starts_at": (T0 + timedelta(hours=n % 5)).isoformat(),
                "occurred_at": (T0 + timedelta(hours=n % 5)).isoformat(),
            }
        )

    first, last = FIRST.split(), LAST.split()
    addresses = []
    for n, row in enumerate(rows):
        city = next((c for c in LANGUAGES_BY_CITY if c.lower() in row["text"].lower()), None)
        language = rng.choice(LANGUAGES_BY_CITY.get(city or "", ["en", "hi"]))
        given, family = rng.choice(first), rng.choice(last)
        addresses.append(
            {
                "type": "address.changed",
                "event_id": f"demo-a-{n:05d}",
                "customer_id": f"cust-{n:05d}",
                "address_id": "home",
                "email": f"{given}.{family}{n}@example.in".lower(),
                "name": f"{given} {family}",
                "language": language,
                "text": row["text"],
                "occurred_at": (T0 + timedelta(seconds=n)).isoformat(),
            }
        )

    later = T0 + timedelta(days=1)
    changes: list[dict[str, Any]] = []
    for n, event in enumerate(buildings[:3]):
        updated = dict(event, type="quarantine.updated", event_id=f"demo-u-{n}")
        updated["pickup"] = dict(event["pickup"], location="Gate 2, new tent by the temple")
        updated["occurred_at"] = (later + timedelta(minutes=n)).isoformat()
        changes.append(updated)
    changes.append(
        {
            "type": "quarantine.lifted",
            "event_id": "demo-l-0",
            "building_id": buildings[-1]["building_id"],
            "occurred_at": (later + timedelta(hours=2)).isoformat(),
        }
    )
    # What real streams also carry: a schema it does not know, a broken line, a bad email.
    changes.append({"type": "address.changed", "version": 9, "event_id": "demo-bad-0"})
    changes.append({"type": "quarantine.registered", "event_id": "demo-bad-1", "name": "X"})
    changes.append(dict(addresses[0], event_id="demo-bad-2", email="not-an-email"))

    DATA.mkdir(parents=True, exist_ok=True)
    _write("buildings.jsonl", buildings)
    _write("addresses.jsonl", addresses)
    _write("changes.jsonl", changes)
    with (DATA / "changes.jsonl").open("a", encoding="utf-8") as fh:
        fh.write('{"type": "address.changed", "event_id": \n')  # truncated by a producer crash
    print(
        f"wrote {len(buildings)} buildings, {len(addresses)} addresses, {len(changes) + 1} changes"
    )


if __name__ == "__main__":
    main()
