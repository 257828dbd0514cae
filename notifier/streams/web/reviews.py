"""``/reviews``: the review queue on the Kafka runtime, as the embedded ops API.

Listing reads ``review_index.review_items`` (every worker reads all of it), so any worker
answers for the whole queue. A decision is published on the review-decisions topic keyed by
the item's route; the planner that owns the route's partition applies it with the engine's
approve/reject. The view answers 202 once Kafka acknowledged the decision: the item's status
changes (and an approval's email job is queued) when the planner has applied it.
"""

from __future__ import annotations

from typing import Any

from notifier.campaigns.store import ReviewStatus
from notifier.events.contracts import EmailJob, EmailKind
from notifier.streams.app import app
from notifier.streams.messages import ReviewDecision
from notifier.streams.review_index import review_items
from notifier.streams.topics import review_decisions_topic
from notifier.streams.web.auth import OpsView

STATUSES = [s.value for s in ReviewStatus]


def review_json(item: dict[str, Any]) -> dict[str, Any]:
    """The embedded API's fields (``notifier.api.operations.review_json``) and the route."""
    return {
        "review_id": item["review_id"],
        "episode_id": item["episode_id"],
        "building_id": item["building_id"],
        "customer_id": item["customer_id"],
        "address_id": item["address_id"],
        "score": round(float(item["score"]), 4),
        "status": item["status"],
        "explanation": item["explanation"],
        "route": item["route"],
    }


@app.page("/reviews")
class Reviews(OpsView):
    async def get(self, request: Any) -> Any:
        status = request.query.get("status", "open")
        if status not in (*STATUSES, "all"):
            choices = ", ".join([*STATUSES, "all"])
            return self.json(
                {"error": f"status must be one of: {choices}", "status": 422}, status=422
            )
        items = sorted(
            (review_json(v) for v in review_items.values()),
            key=lambda item: item["review_id"],
        )
        items = [i for i in items if status == "all" or i["status"] == status]
        return self.json({"reviews": items, "count": len(items)})


async def _decide(view: OpsView, review_id: str, approve: bool) -> Any:
    item = review_items.get(review_id)
    if item is None:
        return view.json({"error": f"no review item {review_id!r}", "status": 404}, status=404)
    if item["status"] != ReviewStatus.OPEN.value:
        message = f"review item {review_id} is already {item['status']}"
        return view.json({"error": message, "status": 409}, status=409)
    decision = ReviewDecision(review_id=review_id, approve=approve)
    sent = await review_decisions_topic.send(
        key=item["route"], value=decision.model_dump_json().encode()
    )
    await sent  # acknowledged by Kafka: the decision is not lost if this worker dies now
    body: dict[str, Any] = {
        "review_id": review_id,
        "decision": "approve" if approve else "reject",
        "status": "accepted",
    }
    if approve:
        # deterministic: the one job the planner queues for this pair, whatever replays it
        body["job_id"] = EmailJob.make_id(
            item["episode_id"], EmailKind.ANNOUNCEMENT, 0, item["customer_id"]
        )
    return view.json(body, status=202)


@app.page("/reviews/{review_id}/approve")
class Approve(OpsView):
    async def post(self, request: Any, review_id: str) -> Any:
        return await _decide(self, review_id, approve=True)


@app.page("/reviews/{review_id}/reject")
class Reject(OpsView):
    async def post(self, request: Any, review_id: str) -> Any:
        return await _decide(self, review_id, approve=False)
