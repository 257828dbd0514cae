"""Run real ``faust -A notifier.streams.worker worker`` processes against the test broker."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from notifier.runtime.local_ses import free_port
from tests.streams.conftest import create_topics, delete_topics

REPO = Path(__file__).resolve().parents[2]
FAUST = Path(sys.executable).parent / "faust"
PUBLIC_TOPICS = (
    "address-changes",
    "quarantine-events",
    "email-jobs",
    "ses-events",
    "dead-letters",
    "review-decisions",
    "review-items",
)
INTERNAL_TOPICS = ("routed", "email-control")
TABLES = (
    *(
        f"plan-{name}"
        for name in ("seen", "quarantines", "addresses", "members", "jobs", "reviews")
    ),
    "address-routes",
    "building-routes",
    "job-states",
    "suppressions",
    "message-tracking",
    "sent-messages",
    "sent-ledger",
)


@dataclass
class Deployment:
    """One isolated deployment: its own app id, topic names and moto endpoint."""

    bootstrap: str
    ses_endpoint: str
    root: Path
    app_id: str = field(default_factory=lambda: f"it-{uuid.uuid4().hex[:10]}")
    send_rate: float = 200.0
    extra_env: dict[str, str] = field(default_factory=dict)
    store: str = field(default_factory=lambda: os.environ.get("STREAMS_TEST_STORE", "memory://"))

    @property
    def prefix(self) -> str:
        return f"{self.app_id}."

    def topic(self, name: str) -> str:
        return self.prefix + name

    def topic_names(self) -> list[str]:
        return [self.topic(t) for t in PUBLIC_TOPICS] + [
            f"{self.app_id}-{t}" for t in INTERNAL_TOPICS
        ]

    async def create_topics(self, partitions: int = 8) -> None:
        # Created up front, as in production: a worker creates missing topics itself, but until
        # its consumer's metadata shows them, table writes fail (Faust compares the partition
        # counts) and the first batches wait for a retry.
        await create_topics(self.bootstrap, self.topic_names(), partitions=partitions)
        await create_topics(
            self.bootstrap,
            [f"{self.app_id}-{table}-changelog" for table in TABLES],
            partitions=partitions,
            config={"cleanup.policy": "compact"},
        )

    async def delete_topics(self) -> None:
        await delete_topics(self.bootstrap, self.app_id)

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "PYTHONPATH": str(REPO),
            "NOTIFIER_KAFKA_BROKER": f"kafka://{self.bootstrap}",
            "NOTIFIER_APP_ID": self.app_id,
            "NOTIFIER_TOPIC_PREFIX": self.prefix,
            "NOTIFIER_TOPIC_PARTITIONS": "8",
            "NOTIFIER_STORE": self.store,
            "NOTIFIER_SES_ENDPOINT": self.ses_endpoint,
            "NOTIFIER_MAX_SEND_RATE": str(self.send_rate),
            # moto counts each raw message twice against its fixed 200/day sandbox quota.
            "NOTIFIER_MAX_24H_SEND": "-1",
            "NOTIFIER_SEGMENTER": "tests.helpers:PipeSegmenter",
            "NOTIFIER_SETTLE_INTERVAL": "1.0",
            "NOTIFIER_SESSION_TIMEOUT": "6",  # a killed worker's partitions move on quickly
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            **self.extra_env,
        }

    def worker(self, name: str, datadir: Path | None = None) -> Worker:
        return Worker(self, name, datadir)

    # -- producing and consuming -----------------------------------------------------------

    async def produce(self, topic: str, records: Iterable[tuple[str, Any]]) -> int:
        producer = AIOKafkaProducer(bootstrap_servers=self.bootstrap, acks="all", linger_ms=5)
        await producer.start()
        count = 0
        try:
            for key, value in records:
                data = value if isinstance(value, bytes) else json.dumps(value).encode()
                await producer.send(self.topic(topic), data, key=key.encode())
                count += 1
            await producer.flush()
        finally:
            await producer.stop()
        return count

    async def read_all(self, topic: str, expect: int, timeout: float = 30.0) -> list[Any]:
        """The first ``expect`` records of a topic (values decoded as JSON)."""
        consumer = AIOKafkaConsumer(
            self.topic(topic),
            bootstrap_servers=self.bootstrap,
            group_id=None,
            auto_offset_reset="earliest",
            enable_auto_commit=False,
        )
        await consumer.start()
        found: list[Any] = []
        deadline = time.monotonic() + timeout
        try:
            while len(found) < expect and time.monotonic() < deadline:
                batches = await consumer.getmany(timeout_ms=500)
                for records in batches.values():
                    found.extend(json.loads(r.value) for r in records)
        finally:
            await consumer.stop()
        return found


class Worker:
    """A worker subprocess with its own web port and data dir; logs go to a file."""

    def __init__(self, deployment: Deployment, name: str, datadir: Path | None = None) -> None:
        self.deployment = deployment
        self.name = name
        self.port = free_port()
        self.datadir = datadir or deployment.root / f"data-{name}"
        self.log = deployment.root / f"{name}.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> Worker:
        self.datadir.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [
                    str(FAUST),
                    "-A",
                    "notifier.streams.worker",
                    "--datadir",
                    str(self.datadir),
                    "worker",
                    "-l",
                    "info",
                    "--web-port",
                    str(self.port),
                    "--web-host",
                    "127.0.0.1",
                ],
                env=self.deployment.env(),
                cwd=REPO,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        return self

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> None:
        """SIGKILL: no commit, no flush, no goodbye to the group."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)

    def stop(self, timeout: float = 60) -> None:
        """SIGTERM: Faust leaves the group cleanly (commits, hands partitions over)."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()

    def tail(self, lines: int = 60) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        try:
            counters = [
                f"{k} {v:g}"
                for k, v in self.metrics().items()
                if k.endswith("_total")
                or "_total{" in k
                or (k.startswith("notifier_consumer_lag") and v)
            ]
        except OSError:
            counters = ["(metrics unavailable)"]
        return (
            f"--- {self.name} metrics ---\n"
            + "\n".join(counters)
            + f"\n--- {self.name} log ---\n"
            + "\n".join(text.splitlines()[-lines:])
        )

    def metrics(self) -> dict[str, float]:
        """The worker's /metrics page as {'name{labels}': value}."""
        url = f"http://127.0.0.1:{self.port}/metrics"
        with urllib.request.urlopen(url, timeout=5) as response:
            text = response.read().decode()
        values: dict[str, float] = {}
        for line in text.splitlines():
            if line and not line.startswith("#"):
                key, _, value = line.rpartition(" ")
                values[key] = float(value)
        return values

    def assigned(self, topic: str) -> set[int]:
        """Partitions of ``topic`` this worker reads now (from the consumer-lag gauge)."""
        try:
            values = self.metrics()
        except OSError:
            return set()
        found = set()
        for key in values:
            if key.startswith("notifier_consumer_lag{") and f'topic="{topic}"' in key:
                found.add(int(key.split('partition="', 1)[1].split('"', 1)[0]))
        return found

    def counter(self, name: str, **labels: str) -> float:
        total = 0.0
        for key, value in self.metrics().items():
            named = key.startswith(name + "{") or key == name
            if named and all(f'{k}="{v}"' in key for k, v in labels.items()):
                total += value
        return total


def wait_until(check: Any, timeout: float, what: str, workers: Iterable[Worker] = ()) -> Any:
    """Poll ``check()`` until truthy; on timeout fail with the workers' log tails."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        for worker in workers:
            if worker.proc is not None and not worker.alive:
                raise AssertionError(
                    f"{worker.name} died while waiting for {what}\n{worker.tail()}"
                )
        if time.monotonic() > deadline:
            tails = "\n".join(w.tail() for w in workers)
            raise AssertionError(f"timed out after {timeout}s waiting for {what}\n{tails}")
        time.sleep(0.2)
