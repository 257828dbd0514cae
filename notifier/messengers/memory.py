"""An in-memory messenger for tests and dry runs: records what would have been sent."""

from __future__ import annotations

import uuid

from notifier.messengers.base import OutgoingEmail

__all__ = [
    "MemoryMessenger",
]


class MemoryMessenger:
    name = "memory"

    def __init__(self) -> None:
        self.sent: list[tuple[str, OutgoingEmail]] = []

    def push(self, email: OutgoingEmail) -> str:
        message_id = f"mem-{uuid.uuid4().hex}"
        self.sent.append((message_id, email))
        return message_id

    def find_sent(self, job_ids: list[str]) -> dict[str, str]:
        wanted = set(job_ids)
        return {e.job_id: mid for mid, e in self.sent if e.job_id in wanted}

    def flush(self) -> None:
        return None

    def close(self) -> None:
        return None
