"""Move SES event records from SQS (fed by an SNS topic) into tracking.

An SQS message is deleted only after its record is committed (or dead-lettered with the
reason), so a crash redelivers rather than loses; redelivered records are folded idempotently.
A failure to record (e.g. the database is locked) leaves the message in the queue: SQS shows
it again after its visibility timeout.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from botocore.exceptions import BotoCoreError, ClientError

from notifier.tracking.ingest import Outcome, Record, TrackingStats

log = logging.getLogger(__name__)


class RecordSink(Protocol):
    """Where records go: ``Tracker`` (embedded) or ``kafka_sink.KafkaRecordSink`` (Kafka)."""

    def record(self, raw: Record, stats: TrackingStats, *, source: str = ...) -> Outcome: ...


@dataclass(slots=True)
class BridgeStats:
    received: int = 0
    deleted: int = 0
    kept: int = 0  # could not be recorded now; SQS will redeliver
    tracking: TrackingStats = field(default_factory=TrackingStats)


def run_bridge(
    sqs: Any,
    queue_url: str,
    tracker: RecordSink,
    *,
    max_messages: int | None = None,
    once: bool = False,
    wait_seconds: int = 20,
    should_stop: Callable[[], bool] = lambda: False,
) -> BridgeStats:
    """Receive, record, delete. ``once``: stop when the queue is drained (an empty receive)."""
    stats = BridgeStats()
    source = f"sqs:{queue_url.rsplit('/', 1)[-1]}"
    failures = 0
    while not should_stop():
        want = 10 if max_messages is None else min(10, max_messages - stats.received)
        if want <= 0:
            break
        try:
            resp = sqs.receive_message(
                QueueUrl=queue_url,
                MaxNumberOfMessages=want,
                WaitTimeSeconds=1 if once else wait_seconds,
            )
        except (BotoCoreError, ClientError) as exc:
            if once:
                raise
            # A long-running bridge rides out network or throttling trouble.
            failures += 1
            delay = min(30.0, 2.0**failures)
            log.warning("SQS receive failed (%s); retrying in %.0fs", type(exc).__name__, delay)
            time.sleep(delay)
            continue
        failures = 0
        messages = resp.get("Messages", [])
        if not messages:
            if once:
                break
            continue
        done = []
        for message in messages:
            stats.received += 1
            try:
                tracker.record(message.get("Body", ""), stats.tracking, source=source)
            except Exception:  # storage trouble: leave it to SQS to deliver again
                log.exception("could not record SQS message %s", message.get("MessageId"))
                stats.kept += 1
                continue
            done.append(message)
        if done:
            _delete(sqs, queue_url, done, stats)
        if stats.kept and not done:
            time.sleep(1.0)  # do not spin on a broken store
    return stats


def _delete(sqs: Any, queue_url: str, messages: list[dict[str, Any]], stats: BridgeStats) -> None:
    entries = [{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)]
    try:
        resp = sqs.delete_message_batch(QueueUrl=queue_url, Entries=entries)
    except (BotoCoreError, ClientError) as exc:
        # Recorded already: SQS delivers them again and they are recognised as duplicates.
        log.warning("SQS delete failed (%s); messages will come back", type(exc).__name__)
        return
    failed = resp.get("Failed", [])
    stats.deleted += len(entries) - len(failed)
    for item in failed:
        # Recorded but not deleted: it comes back and is recognised as a duplicate.
        log.warning("SQS delete failed for entry %s: %s", item.get("Id"), item.get("Code"))
