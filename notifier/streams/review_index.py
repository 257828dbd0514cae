"""Every review item, on every worker: the review-items topic read in full into memory.

The ops views (``streams/web/reviews.py``) list the queue from it and find the route a
decision must be keyed by, so any worker answers, whichever plans the item's route. A plain
consumer without a group reads all partitions from the start: a Faust GlobalTable written
by one worker to a partition another worker owns did not reach that other worker in our
tests (faust-streaming issue 283), and this index is small (one record per doubtful pair).
"""

from __future__ import annotations

import json
import logging
from typing import Any

from notifier.streams.app import app
from notifier.streams.global_view import TopicReader
from notifier.streams.topics import review_items_topic

log = logging.getLogger(__name__)


class _ReviewItems(TopicReader):
    # items are never deleted (a decided item keeps its status); each value is an object
    def apply(self, key: bytes | None, value: bytes | None) -> None:
        if not key or not value:
            return
        try:
            record = json.loads(value)
            self.records[key.decode()] = record if isinstance(record, dict) else {}
        except (ValueError, UnicodeDecodeError):
            log.warning("unreadable record on the review-items topic skipped")


_reader = _ReviewItems(review_items_topic.get_topic_name)
# review id -> the ReviewItem record with its "route" (latest record wins)
review_items: dict[str, dict[str, Any]] = _reader.records


@app.task
async def follow_review_items() -> None:
    await _reader.follow()
