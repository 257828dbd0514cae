"""Put SES event records on the Kafka runtime's ``ses-events`` topic (``notifier ses-bridge
--kafka``): the same bridge as the embedded runtime, another sink.

Each record is parsed here (so the topic carries only valid, normalised ``SesEvent`` JSON,
keyed by message id) and published with ``acks=all``; ``record`` returns once Kafka has it,
so the bridge deletes an SQS message only after its event is safe. Junk goes to the
``dead-letters`` topic with the reason. Folding, deduplication and suppression happen in the
workers (``track_ses_events``).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine, Mapping
from typing import Any, TypeVar

from aiokafka import AIOKafkaProducer

from notifier.events.contracts import DeadLetter, InvalidEvent
from notifier.tracking.ingest import Outcome, Record, TrackingStats, payload_text
from notifier.tracking.ses_events import parse_ses_record

T = TypeVar("T")
SEND_TIMEOUT = 60.0


def bootstrap_servers(broker: str) -> str:
    """``kafka://h1:9092;kafka://h2:9092`` (Faust's form) -> ``h1:9092,h2:9092``."""
    parts = [p.strip() for p in broker.replace(";", ",").split(",") if p.strip()]
    return ",".join(p.split("://", 1)[-1] for p in parts)


class KafkaRecordSink:
    """A ``RecordSink`` for ``run_bridge`` that publishes to Kafka (blocking calls)."""

    def __init__(
        self, broker: str, topic_prefix: str = "", auth: Mapping[str, Any] | None = None
    ) -> None:
        # aiokafka's security_protocol / ssl_context / sasl_* (streams.broker_security)
        self._auth = dict(auth or {})
        self.events_topic = f"{topic_prefix}ses-events"
        self.dead_letter_topic = f"{topic_prefix}dead-letters"
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._producer = self._run(self._start(bootstrap_servers(broker)))

    async def _start(self, servers: str) -> AIOKafkaProducer:
        producer = AIOKafkaProducer(
            bootstrap_servers=servers, acks="all", linger_ms=1, **self._auth
        )
        await producer.start()
        return producer

    def _run(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(SEND_TIMEOUT)

    def record(self, raw: Record, stats: TrackingStats, *, source: str = "ses") -> Outcome:
        stats.records += 1
        try:
            event = parse_ses_record(raw)
        except InvalidEvent as exc:
            letter = DeadLetter(source=source, reason=exc.reason, payload=payload_text(raw))
            self._send(self.dead_letter_topic, source, letter.model_dump_json().encode())
            stats.invalid += 1
            return Outcome.INVALID
        self._send(self.events_topic, event.message_id, event.model_dump_json().encode())
        stats.recorded += 1
        return Outcome.RECORDED

    def _send(self, topic: str, key: str, value: bytes) -> None:
        self._run(self._producer.send_and_wait(topic, value, key=key.encode()))

    def close(self) -> None:
        try:
            self._run(self._producer.stop())
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=10)
            self._loop.close()

    def __enter__(self) -> KafkaRecordSink:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
