"""The agents in Faust's test context: memory tables, sends to other topics captured."""

from __future__ import annotations

import asyncio
import json
import logging
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

import pytest

from notifier.streams import address_agents, outbox, plan_agent, resources, topics
from notifier.streams.messages import JobControl, JobEnvelope, Routed, RoutedBatch
from notifier.streams.routing import city_of_pincode
from notifier.streams.segmenting import make_executor
from notifier.streams.worker import restore_root_log_level
from tests.helpers import PipeSegmenter, address, quarantine

HOME = "Prestige Shantiniketan | Whitefield | Bengaluru | 560066"


class Sent:
    """What the agents published, per topic name: [(key, decoded value)]."""

    def __init__(self) -> None:
        self.by_topic: dict[str, list[tuple[str, Any]]] = defaultdict(list)

    def on(self, topic: Any) -> list[tuple[str, Any]]:
        return self.by_topic[topic.get_topic_name()]

    def routed(self) -> list[tuple[str, Routed]]:
        """The planner's messages, unbundled: [(route, message)] in publishing order."""
        return [
            (route, message)
            for route, batch in self.on(topics.routed_topic)
            for message in RoutedBatch.model_validate(batch).items
        ]


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> Iterator[Sent]:
    record = Sent()
    for topic in (
        topics.routed_topic,
        topics.jobs_topic,
        topics.control_topic,
        topics.dead_letter_topic,
    ):

        async def send(*, key: str, value: bytes, _topic: Any = topic, **kw: Any) -> Any:
            record.on(_topic).append((key, json.loads(value)))
            done = asyncio.get_running_loop().create_future()
            done.set_result(None)
            return done

        monkeypatch.setattr(topic, "send", send)
    monkeypatch.setitem(
        resources._state, "segment_pool", make_executor("tests.helpers:PipeSegmenter", 0)
    )
    for table in (*topics.planner_tables.values(), topics.address_routes, topics.building_routes):
        table.data.clear()
    plan_agent.planning.reset()
    city_of_pincode("560066")  # loads the pincode table now, not inside a settle() window
    yield record


async def settle() -> None:
    await asyncio.sleep(0.3)  # longer than the take_events windows


async def test_addresses_are_segmented_routed_and_bad_ones_dead_lettered(sent: Sent) -> None:
    async with address_agents.segment_addresses.test_context() as agent:
        await agent.put(json.dumps(address("c1", HOME)).encode(), key="c1")
        await agent.put(b"{not json", key="c2")
        await agent.put(json.dumps({**address("c3", HOME), "email": "nope"}).encode(), key="c3")
        await agent.put(json.dumps(quarantine("B1", "Prestige Shantiniketan")).encode(), key="B1")
        await settle()
    ((route, message),) = sent.routed()
    assert route == "bengaluru"
    assert message.segments is not None and message.segments["building"] == "Prestige Shantiniketan"
    reasons = [letter["reason"] for _, letter in sent.on(topics.dead_letter_topic)]
    assert reasons == [
        "payload is not JSON (Expecting property name enclosed in double quotes at char 1)",
        "address.changed: Value error, email is not a valid address",
        "quarantine.registered event does not belong on " + topics.address_topic.get_topic_name(),
    ]
    letters = [letter for _, letter in sent.on(topics.dead_letter_topic)]
    assert [key for key, _ in sent.on(topics.dead_letter_topic)] == [
        letter["source"] for letter in letters
    ]
    assert '"email": "nope"' in letters[1]["payload"]  # kept for replay, unlike in the reason
    # personal data stays in the payload, never in the reason
    assert all("example.org" not in r for r in reasons)


async def test_moving_city_deletes_the_old_route_and_stale_events_are_dropped(sent: Sent) -> None:
    first = address("c1", HOME)
    moved = address("c1", "Lodha Bellissimo | Worli | Mumbai | 400018")
    async with address_agents.segment_addresses.test_context() as agent:
        await agent.put(json.dumps(first).encode(), key="c1")
        await settle()
        await agent.put(json.dumps(moved).encode(), key="c1")
        await agent.put(json.dumps(first).encode(), key="c1")  # older: out of order
        await settle()
    routed = sent.routed()
    assert [k for k, _ in routed] == ["bengaluru", "bengaluru", "mumbai"]
    delete = json.loads(routed[1][1].event or "{}")
    assert delete["deleted"] is True and delete["event_id"] == moved["event_id"] + "#moved"


async def test_quarantine_routes_are_sticky_and_unknown_lifts_dead_lettered(sent: Sent) -> None:
    registered = quarantine("B1", "Prestige Shantiniketan")
    corrected = quarantine(
        "B1", "Prestige Shantiniketan", kind="updated", city="Mysuru", pincode=None
    )
    async with address_agents.route_quarantines.test_context() as agent:
        await agent.put(json.dumps(registered).encode(), key="B1")
        await agent.put(json.dumps(corrected).encode(), key="B1")
        await agent.put(json.dumps(quarantine("B1", "", kind="lifted")).encode(), key="B1")
        await agent.put(json.dumps(quarantine("B2", "", kind="lifted")).encode(), key="B2")
        await settle()
    assert [k for k, _ in sent.routed()] == ["bengaluru"] * 3
    (letter,) = [v for _, v in sent.on(topics.dead_letter_topic)]
    assert letter["reason"] == "lift for a building that is not quarantined"


async def test_plan_agent_publishes_jobs_and_cancellations(sent: Sent) -> None:
    def routed(event: dict[str, Any], segments: bool) -> bytes:
        seg = next(PipeSegmenter().segment_many([event["text"]])).to_dict() if segments else None
        message = Routed(event=json.dumps(event), segments=seg)
        return RoutedBatch(items=[message]).model_dump_json().encode()

    async with plan_agent.plan.test_context() as agent:
        await agent.put(routed(quarantine("B1", "Prestige Shantiniketan"), False), key="bengaluru")
        await agent.put(routed(address("c1", HOME), True), key="bengaluru")
        await agent.put(routed(address("c2", HOME), True), key="bengaluru")
        await agent.put(routed(quarantine("B1", "", kind="lifted"), False), key="bengaluru")
        await agent.put(b"garbage", key="bengaluru")
        await settle()
    jobs = [JobEnvelope.model_validate(v) for _, v in sent.on(topics.jobs_topic)]
    assert sorted(j.job.customer_id for j in jobs) == ["c1", "c2"]
    assert [k for k, _ in sent.on(topics.jobs_topic)] == [j.job.job_id for j in jobs]
    cancels = [JobControl.model_validate(v) for _, v in sent.on(topics.control_topic)]
    assert sorted(c.job_id for c in cancels) == sorted(j.job.job_id for j in jobs)
    (letter,) = [v for _, v in sent.on(topics.dead_letter_topic)]
    assert letter["reason"].startswith("bad routed message")
    # the staged writes reached the Faust tables
    assert any(key.startswith("bengaluru\x1f") for key in topics.planner_tables["quarantines"])


async def test_a_batch_is_segmented_in_chunks_and_routed_in_input_order(
    sent: Sent, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(address_agents.stream_settings, "segment_chunk", 2)
    cities = ["Bengaluru", "Mumbai", "Pune", "Chennai", "Kolkata", "Delhi", "Hyderabad"]
    async with address_agents.segment_addresses.test_context() as agent:
        for i, city in enumerate(cities):
            text = f"Tower {i} | Area | {city} |"
            await agent.put(json.dumps(address(f"c{i}", text)).encode(), key=f"c{i}")
            if i == 2:  # a deletion between chunks takes no segmentation slot
                gone = {**address("c0", "x"), "event_id": "c0-gone", "deleted": True}
                await agent.put(json.dumps(gone).encode(), key="c0")
        await settle()
    routed = sent.routed()
    keys = [k for k, _ in routed]
    assert keys == ["bengaluru", "mumbai", "pune", "bengaluru", *[c.lower() for c in cities[3:]]]
    buildings = [m.segments["building"] if m.segments else None for _, m in routed]
    expected = [f"Tower {i}" for i in range(len(cities))]
    assert buildings == [*expected[:3], None, *expected[3:]]


async def test_a_batch_sends_one_record_per_route(sent: Sent) -> None:
    async with address_agents.segment_addresses.test_context() as agent:
        for i in range(6):
            city = "Bengaluru" if i % 2 else "Mumbai"
            text = f"Tower {i} | Area | {city} |"
            await agent.put(json.dumps(address(f"c{i}", text)).encode(), key=f"c{i}")
        await settle()
    records = sent.on(topics.routed_topic)
    assert sorted(k for k, _ in records) == ["bengaluru", "mumbai"]
    for route, batch in records:
        customers = [json.loads(m.event or "")["customer_id"] for m in RoutedBatch(**batch).items]
        assert customers == (["c1", "c3", "c5"] if route == "bengaluru" else ["c0", "c2", "c4"])


async def test_a_dead_segmenting_child_is_replaced(
    sent: Sent, monkeypatch: pytest.MonkeyPatch
) -> None:
    class DeadPool(ThreadPoolExecutor):
        def submit(self, *args: Any, **kwargs: Any) -> Any:
            raise BrokenProcessPool("the child was killed")

    monkeypatch.setitem(resources._state, "segment_pool", DeadPool())
    monkeypatch.setattr(address_agents.stream_settings, "segmenter", "tests.helpers:PipeSegmenter")
    monkeypatch.setattr(address_agents.stream_settings, "segment_processes", 0)
    async with address_agents.segment_addresses.test_context() as agent:
        await agent.put(json.dumps(address("c1", HOME)).encode(), key="c1")
        await asyncio.sleep(1.5)  # the batch is retried after 0.5 s, with a new pool
    assert [route for route, _ in sent.routed()] == ["bengaluru"]
    assert not isinstance(resources._state["segment_pool"], DeadPool)


def test_bundles_stay_under_the_size_limit_and_keep_order() -> None:
    items = [json.dumps({"n": i, "pad": "x" * 40}).encode() for i in range(30)]
    records = list(outbox.bundles(items, limit=200))
    assert all(len(r) <= 200 for r in records) and len(records) > 1
    unbundled = [item for r in records for item in json.loads(r)["items"]]
    assert [item["n"] for item in unbundled] == list(range(30))
    # an item bigger than the limit still goes out, alone
    (alone,) = outbox.bundles([b'{"big":"' + b"y" * 500 + b'"}'], limit=200)
    assert len(json.loads(alone)["items"]) == 1


def test_root_logger_goes_back_to_the_level_asked_for() -> None:
    root = logging.Logger("spinner-test")
    handler = logging.StreamHandler()
    handler.setLevel(logging.WARNING)
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)  # what faust's spinner set-up leaves behind
    restore_root_log_level(root)
    assert root.level == logging.WARNING
    assert not root.isEnabledFor(logging.DEBUG)
