"""One driver protocol over both runtimes, for the shared behavioural scenarios.

A driver publishes events the way its runtime takes them (the embedded runtime's ingest, the
Kafka topics), and reaches everything else over the HTTP views both runtimes answer with the
same paths and JSON (``/reviews``, ``/campaigns/{id}``, ``/unsubscribe``). Both send through
a moto SES server over HTTP; SES event records go SNS -> moto's SQS -> the SQS bridge with
each runtime's own sink (what ``notifier ses-bridge [--kafka]`` runs).
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from email import message_from_string
from email.policy import default as default_policy
from pathlib import Path
from typing import Any, Protocol, TypeVar

import boto3
import pytest
from aiohttp import web

from notifier.api.app import make_app
from notifier.config import Settings
from notifier.messengers.mime import JOB_HEADER
from notifier.runtime.embedded import EmbeddedRuntime
from notifier.runtime.local_ses import LOCAL_CREDENTIALS, free_port
from notifier.runtime.wiring import open_messenger
from notifier.tracking.ingest import Tracker
from notifier.tracking.kafka_sink import KafkaRecordSink
from notifier.tracking.sqs_bridge import RecordSink, run_bridge
from tests.helpers import PipeSegmenter
from tests.streams.support import moto_deployment, moto_messages, moto_ses
from tests.streams.workers import Deployment, Worker
from tests.tracking import aws_examples as aws

TOKEN = "behaviour-suite-token-0123456789"
T = TypeVar("T")
KINDS = {"is open": "announcement", "has changed": "update", "lifted": "lifted"}


@dataclass(frozen=True, slots=True)
class Mail:
    """One raw message moto accepted, as a person would see it."""

    message_id: str
    job_id: str
    to: str
    kind: str
    subject: str
    text: str
    unsubscribe_url: str


def parse_mail(message: dict[str, Any]) -> Mail:
    parsed = message_from_string(message["raw_data"], policy=default_policy)
    subject = str(parsed["Subject"])
    kind = next((k for words, k in KINDS.items() if words in subject), "?")
    body = parsed.get_body(preferencelist=("plain",))  # type: ignore[attr-defined]
    text = body.get_content() if body is not None else ""
    return Mail(
        message_id=message["id"],
        job_id=str(parsed[JOB_HEADER]),
        to=message["destinations"][0],
        kind=kind,
        subject=subject,
        text=text,
        unsubscribe_url=str(parsed["List-Unsubscribe"]).strip("<>"),
    )


class Runtime(Protocol):
    """What a scenario may do with a runtime."""

    name: str

    def publish_addresses(self, events: list[dict[str, Any]]) -> None: ...
    def publish_quarantines(self, events: list[dict[str, Any]]) -> None: ...
    def settle(self) -> None:
        """Wait until the runtime has done everything the events so far lead to."""

    def mails(self, tag: str) -> list[Mail]:
        """Every email moto accepted for customers whose id starts with ``tag``."""

    def reviews(self, status: str = "open") -> list[dict[str, Any]]: ...
    def decide(self, review_id: str, *, approve: bool) -> None: ...
    def unsubscribe(self, mail: Mail) -> None:
        """What a mail client does with the message's one-click List-Unsubscribe header."""

    def feed_ses_events(self, records: list[dict[str, Any]]) -> None: ...
    def report(self, campaign: str) -> dict[str, Any]:
        """``GET /campaigns/{campaign}`` ({} while nothing is sent)."""

    def eventually(self, check: Callable[[], T], what: str, timeout: float = 60) -> T: ...


class HttpDriver:
    """What both drivers do the same way: HTTP views, moto's store, the SQS queue."""

    name = "?"
    ses_endpoint = ""
    port = 0

    def call(
        self, path: str, method: str = "GET", form: dict[str, str] | None = None
    ) -> tuple[int, Any]:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        if method == "POST" and data is None:
            data = b""
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}", method=method, data=data
        )
        request.add_header("Authorization", f"Bearer {TOKEN}")
        if form is not None:
            request.add_header("Content-Type", "application/x-www-form-urlencoded")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                body = response.read()
                status = response.status
        except urllib.error.HTTPError as exc:
            body, status = exc.read(), exc.code
        try:
            return status, json.loads(body or b"{}")
        except ValueError:
            return status, body.decode(errors="replace")

    def mails(self, tag: str) -> list[Mail]:
        found = [parse_mail(m) for m in moto_messages(self.ses_endpoint)]
        return [m for m in found if m.to.startswith(tag)]

    def reviews(self, status: str = "open") -> list[dict[str, Any]]:
        code, body = self.call(f"/reviews?status={status}")
        assert code == 200, (code, body)
        return list(body["reviews"])

    def decide(self, review_id: str, *, approve: bool) -> None:
        verb = "approve" if approve else "reject"
        code, body = self.call(f"/reviews/{review_id}/{verb}", "POST")
        assert code in (200, 202), (code, body)  # Kafka: 202, applied by the route's planner
        want = "approved" if approve else "rejected"
        self.eventually(
            lambda: any(
                r["review_id"] == review_id and r["status"] == want for r in self.reviews("all")
            ),
            f"review {review_id} {want}",
        )

    def unsubscribe(self, mail: Mail) -> None:
        link = urllib.parse.urlsplit(mail.unsubscribe_url)
        assert link.path == "/unsubscribe", mail.unsubscribe_url
        # The link's host is NOTIFIER_PUBLIC_BASE_URL (a proxy in production): ask this runtime.
        code, body = self.call(
            f"{link.path}?{link.query}", "POST", form={"List-Unsubscribe": "One-Click"}
        )
        assert code == 200 and "unsubscribed" in str(body), (code, body)

    def feed_ses_events(self, records: list[dict[str, Any]]) -> None:
        sqs = boto3.client(
            "sqs", endpoint_url=self.ses_endpoint, region_name="ap-south-1", **LOCAL_CREDENTIALS
        )
        url = sqs.create_queue(QueueName=f"ses-{time.monotonic_ns()}")["QueueUrl"]
        bodies = [json.dumps(aws.sns(r)) for r in records]
        for i in range(0, len(bodies), 10):
            entries = [{"Id": str(j), "MessageBody": b} for j, b in enumerate(bodies[i : i + 10])]
            sqs.send_message_batch(QueueUrl=url, Entries=entries)
        with self.sink() as sink:
            stats = run_bridge(sqs, url, sink, once=True)
        assert stats.received == len(records) and stats.kept == 0, stats

    def report(self, campaign: str) -> dict[str, Any]:
        code, body = self.call(f"/campaigns/{urllib.parse.quote(campaign)}")
        return dict(body) if code == 200 else {}

    def eventually(self, check: Callable[[], T], what: str, timeout: float = 60) -> T:
        deadline = time.monotonic() + timeout
        while True:
            result = check()
            if result:
                return result
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.name}: timed out after {timeout}s: {what}")
            time.sleep(0.2)

    @contextmanager
    def sink(self) -> Iterator[RecordSink]:
        raise NotImplementedError


class EmbeddedDriver(HttpDriver):
    """The embedded runtime over SQLite in a temporary folder, its ops API (``notifier
    serve``'s app, background sending included) on a free port, SES on moto."""

    name = "embedded"

    def __init__(self, root: Path, ses_endpoint: str, stack: ExitStack) -> None:
        self.ses_endpoint = ses_endpoint
        settings = Settings(
            data_dir=root,
            ses_endpoint=ses_endpoint,
            api_token=TOKEN,
            max_24h_send=-1,  # moto counts each raw message twice against its sandbox quota
            max_send_rate=200,
        )
        messenger, ledger, _ = stack.enter_context(open_messenger(settings))
        self.runtime = EmbeddedRuntime(
            settings, messenger=messenger, ledger=ledger, segmenter=PipeSegmenter()
        )
        stack.callback(self.runtime.db.close)
        self.port = free_port()
        self.loop = asyncio.new_event_loop()
        runner = web.AppRunner(make_app(self.runtime, dispatch_interval=0.1))
        thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        thread.start()
        self._run(runner.setup())
        self._run(web.TCPSite(runner, "127.0.0.1", self.port).start())

        def stop() -> None:
            self._run(runner.cleanup())
            self.loop.call_soon_threadsafe(self.loop.stop)
            thread.join(timeout=10)

        stack.callback(stop)

    def _run(self, coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout=30)

    def _ingest(self, events: list[dict[str, Any]]) -> None:
        async def ingest() -> None:  # on the server's loop, as the API applies its events
            self.runtime.ingest(json.dumps(e) for e in events)

        self._run(ingest())

    def publish_addresses(self, events: list[dict[str, Any]]) -> None:
        self._ingest(events)

    def publish_quarantines(self, events: list[dict[str, Any]]) -> None:
        self._ingest(events)

    def settle(self) -> None:
        # The API's dispatch loop sends every 0.1 s; three ticks after nothing is due.
        self.eventually(lambda: not self.runtime.store.count_due(), "nothing due", 30)
        time.sleep(0.4)

    @contextmanager
    def sink(self) -> Iterator[RecordSink]:
        yield Tracker.for_runtime(self.runtime)


class KafkaDriver(HttpDriver):
    """The Kafka runtime: fresh topics on the test broker, one real worker process."""

    name = "kafka"

    def __init__(self, dep: Deployment) -> None:
        self.dep = dep
        self.ses_endpoint = dep.ses_endpoint
        self.worker: Worker = dep.worker("w1").start()
        self.port = self.worker.port
        topics = [dep.topic(t) for t in ("address-changes", "quarantine-events")]
        self.eventually(
            lambda: all(self.worker.assigned(t) == set(range(8)) for t in topics),
            "the worker to own every partition",
        )

    def publish_addresses(self, events: list[dict[str, Any]]) -> None:
        asyncio.run(self.dep.produce("address-changes", [(e["customer_id"], e) for e in events]))

    def publish_quarantines(self, events: list[dict[str, Any]]) -> None:
        asyncio.run(self.dep.produce("quarantine-events", [(e["building_id"], e) for e in events]))

    def settle(self) -> None:
        # Every input read (lag 0 on every partition it owns) twice, a second apart: a record
        # one agent wrote for the next is read by then.
        for _ in range(2):
            time.sleep(1.0)
            self.eventually(lambda: self.worker.counter("notifier_consumer_lag") == 0, "lag 0", 60)
        time.sleep(1.0)

    def eventually(self, check: Callable[[], T], what: str, timeout: float = 60) -> T:
        try:
            return super().eventually(check, what, timeout)
        except AssertionError as exc:
            raise AssertionError(f"{exc}\n{self.worker.tail()}") from None

    @contextmanager
    def sink(self) -> Iterator[RecordSink]:
        sink = KafkaRecordSink(f"kafka://{self.dep.bootstrap}", self.dep.prefix)
        try:
            yield sink
        finally:
            sink.close()


@contextmanager
def embedded_runtime(root: Path) -> Iterator[EmbeddedDriver]:
    with pytest.MonkeyPatch.context() as mp, moto_ses() as endpoint, ExitStack() as stack:
        mp.setenv("AWS_ACCESS_KEY_ID", "testing")  # for boto3's SES client (moto takes any)
        mp.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        yield EmbeddedDriver(root, endpoint, stack)


@contextmanager
def kafka_runtime(bootstrap: str, root: Path) -> Iterator[KafkaDriver]:
    with moto_deployment(bootstrap, root, {"NOTIFIER_API_TOKEN": TOKEN}) as dep:
        yield KafkaDriver(dep)
