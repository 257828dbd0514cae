"""What a batch publishes, and how a batch that fails is retried.

Every stage publishes its output and waits for Kafka's acknowledgement *before* it writes
its own tables, so a worker killed at any point replays input whose effects are idempotent.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable, Iterator
from typing import Any

from faust.types import EventT

from notifier.events.contracts import DeadLetter
from notifier.streams import metrics
from notifier.streams.messages import Routed
from notifier.streams.sender import Feedback
from notifier.streams.topics import dead_letter_topic, routed_topic

log = logging.getLogger(__name__)

# Run when a batch fails, before it is retried (each agent module registers what it must
# reset: staged table writes, in-memory matchers, a dead executor, jobs left in SENDING).
_failure_hooks: list[Callable[[BaseException], None]] = []


def on_batch_failure(hook: Callable[[BaseException], None]) -> Callable[[BaseException], None]:
    _failure_hooks.append(hook)
    return hook


def source_of(event: EventT) -> str:
    message = event.message
    return f"{message.topic}:{message.partition}:{message.offset}"


def payload_of(value: Any) -> str:
    if isinstance(value, bytes | bytearray):
        return bytes(value[:10_000]).decode("utf-8", errors="replace")
    return str(value)[:10_000]


def letter_for(event: EventT, reason: str) -> DeadLetter:
    return DeadLetter(source=source_of(event), reason=reason, payload=payload_of(event.value))


class Outbox:
    """Messages of one batch; :meth:`flush` publishes them and waits for the acks.

    Messages for the planner are bundled per route (:class:`RoutedBatch`), in order.
    """

    def __init__(self) -> None:
        self._sends: list[tuple[Any, str, bytes]] = []
        self._routed: dict[str, list[bytes]] = {}
        self._pending: list[Awaitable[Any]] = []

    def add(self, topic: Any, key: str, value: bytes) -> None:
        self._sends.append((topic, key, value))

    def route(self, route: str, message: Routed) -> None:
        self.route_raw(route, message.model_dump_json().encode())

    def route_raw(self, route: str, message: bytes) -> None:
        """Like :meth:`route`, for a message already serialized."""
        self._routed.setdefault(route, []).append(message)

    def dead_letter(self, letter: DeadLetter) -> None:
        metrics.dead_letters.labels(source=letter.source.split(":", 1)[0]).inc()
        # The reason is safe to log (contracts never echo values); the payload is not.
        log.warning("dead letter from %s: %s", letter.source, letter.reason)
        self.add(dead_letter_topic, letter.source, letter.model_dump_json().encode())

    def feedback(self, items: Iterable[Feedback]) -> None:
        for item in items:
            self.route(item.route, Routed(status=item.status))

    async def publish(self) -> None:
        """Hand what was added so far to the producer (acks are awaited by :meth:`flush`)."""
        for route, items in self._routed.items():
            for value in bundles(items):
                self._sends.append((routed_topic, route, value))
        self._routed.clear()
        for topic, key, value in self._sends:
            self._pending.append(await topic.send(key=key, value=value))
        self._sends.clear()

    async def flush(self, wait: bool = True) -> None:
        """Publish; with ``wait`` return only once Kafka acknowledged every message."""
        await self.publish()
        pending, self._pending = self._pending, []
        if pending and wait:
            await asyncio.gather(*pending)


# Well under Kafka's default 1 MB record limit (max.message.bytes, max.request.size).
BUNDLE_BYTES = 256 * 1024


def bundles(items: list[bytes], limit: int = BUNDLE_BYTES) -> Iterator[bytes]:
    """:class:`RoutedBatch` records of serialized :class:`Routed` items, in order, each
    under ``limit`` bytes unless a single item is larger. Joined as bytes: the items are
    serialized once."""
    head, tail = b'{"items":[', b"]}"
    start, size = 0, len(head) + len(tail)
    for i, item in enumerate(items):
        if i > start and size + len(item) > limit:
            yield head + b",".join(items[start:i]) + tail
            start, size = i, len(head) + len(tail)
        size += len(item) + 1  # and its comma
    if start < len(items):
        yield head + b",".join(items[start:]) + tail


async def retrying(handler: Any, *args: Any) -> None:
    """Run a batch handler until it succeeds.

    An exception escaping an agent would make Faust ack the batch (``take_events`` acks in
    ``finally``) and restart the agent: the batch would be lost. Failures here are
    infrastructure (Kafka, SES, disk), so the partition waits and retries instead.
    """
    delay = 0.5
    while True:
        try:
            await handler(*args)
            return
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.exception("%s failed; retrying the batch in %.1fs", handler.__name__, delay)
            for hook in _failure_hooks:
                hook(exc)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 30.0)
