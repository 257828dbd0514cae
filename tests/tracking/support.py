"""A runtime that has really sent emails (memory messenger), for tracking and report tests."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from notifier.config import Settings
from notifier.messengers.memory import MemoryMessenger
from notifier.runtime.embedded import EmbeddedRuntime
from tests.helpers import PipeSegmenter, address, quarantine

BUILDINGS = (
    ("B1", "Prestige Lakeside", "Whitefield", "Bengaluru"),
    ("B2", "Hiranandani Gardens", "Powai", "Mumbai"),
)
LANGUAGES = ("en", "hi", "ta")


@dataclass(frozen=True, slots=True)
class Sent:
    message_id: str
    job_id: str
    email: str
    building: str
    city: str
    language: str


def sending_runtime(tmp_path: Path) -> tuple[EmbeddedRuntime, MemoryMessenger]:
    messenger = MemoryMessenger()
    runtime = EmbeddedRuntime(
        Settings(data_dir=tmp_path), messenger=messenger, segmenter=PipeSegmenter()
    )
    return runtime, messenger


def send_campaign(runtime: EmbeddedRuntime, per_building: int) -> list[Sent]:
    """Quarantine the two buildings, add residents, send; returns what went out."""
    lines = [
        json.dumps(quarantine(b, name, locality=loc, city=city, pincode=None))
        for b, name, loc, city in BUILDINGS
    ]
    for b_index, (_b, name, loc, city) in enumerate(BUILDINGS):
        for i in range(per_building):
            customer = f"c{b_index}-{i}"
            lines.append(
                json.dumps(address(customer, f"{name} | {loc} | {city}", language=LANGUAGES[i % 3]))
            )
    runtime.ingest(lines)
    runtime.dispatch()
    rows = runtime.db.query(
        "SELECT j.message_id, j.job_id, j.email, j.building_id, j.language, e.city FROM jobs j "
        "JOIN episodes e USING (episode_id) WHERE j.state = 'sent' ORDER BY j.email"
    )
    return [
        Sent(r["message_id"], r["job_id"], r["email"], r["building_id"], r["city"], r["language"])
        for r in rows
    ]
