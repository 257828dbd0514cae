"""Real Kafka broker for the streams tests.

`kafka_bootstrap` (session scope) gives "host:port" of a running broker: the one named by the
KAFKA_BOOTSTRAP env var (CI/Makefile start it with deploy/kafka/broker.sh before pytest), or else a
private broker started here on a free port with a temporary data dir and stopped at session end.
If no broker can be reached the tests FAIL: Kafka tests are never skipped.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import uuid
from collections.abc import Awaitable, Callable, Coroutine, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import pytest
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import for_code

REPO = Path(__file__).resolve().parents[2]
BROKER_SH = REPO / "deploy" / "kafka" / "broker.sh"
T = TypeVar("T")
BROKER_START_TIMEOUT_S = 180  # covers a first-time `fetch` of the jars plus JVM start-up


def _free_port_pair() -> int:
    """A port p with p and p+1 free (broker.sh puts the controller on KAFKA_PORT+1)."""
    for _ in range(50):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port >= 65535:
            continue
        try:
            with socket.socket() as s1, socket.socket() as s2:
                s1.bind(("127.0.0.1", port))
                s2.bind(("127.0.0.1", port + 1))
        except OSError:
            continue
        return port
    raise RuntimeError("no free pair of adjacent TCP ports on 127.0.0.1")


async def _broker_ids(bootstrap: str) -> list[int]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=10_000)
    await admin.start()
    try:
        cluster = await admin.describe_cluster()
        return [b["node_id"] for b in cluster["brokers"]]
    finally:
        await admin.close()


def _run_async(coro_factory: Callable[[], Coroutine[Any, Any, T]]) -> T:
    # Session fixtures may be set up while pytest-asyncio owns an event loop in this thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(coro_factory())).result()


def _check_reachable(bootstrap: str) -> None:
    try:
        ids = _run_async(lambda: _broker_ids(bootstrap))
    except Exception as exc:
        pytest.fail(f"Kafka broker at {bootstrap} is not reachable: {exc!r}", pytrace=False)
    if not ids:
        pytest.fail(f"Kafka broker at {bootstrap} reports no registered brokers", pytrace=False)


@pytest.fixture(scope="session")
def kafka_bootstrap(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Bootstrap address ("127.0.0.1:PORT") of a running Kafka broker."""
    external = os.environ.get("KAFKA_BOOTSTRAP", "").strip()
    if external:
        _check_reachable(external)
        yield external
        return

    env = {
        **os.environ,
        "KAFKA_DATA": str(tmp_path_factory.mktemp("kafka-broker")),
        "KAFKA_PORT": str(_free_port_pair()),
        "KAFKA_PYTHON": sys.executable,
    }
    try:
        started = subprocess.run(
            [str(BROKER_SH), "start"],
            env=env,
            capture_output=True,
            text=True,
            timeout=BROKER_START_TIMEOUT_S,
        )
    except subprocess.TimeoutExpired as exc:
        subprocess.run([str(BROKER_SH), "stop"], env=env, capture_output=True, timeout=60)
        pytest.fail(f"broker.sh start timed out: {exc.stderr!r}", pytrace=False)
    try:
        if started.returncode != 0:
            pytest.fail(
                f"broker.sh start failed (exit {started.returncode}):\n{started.stderr}",
                pytrace=False,
            )
        bootstrap = started.stdout.strip().splitlines()[-1]
        _check_reachable(bootstrap)
        yield bootstrap
    finally:
        subprocess.run([str(BROKER_SH), "stop"], env=env, capture_output=True, timeout=60)


CreateTopics = Callable[..., Awaitable[list[str]]]


@pytest.fixture
def kafka_topics(kafka_bootstrap: str) -> CreateTopics:
    """`await kafka_topics(count=1, partitions=8, prefix="test", config=None)` creates fresh
    uniquely named topics on the test broker and returns their names."""

    async def create(
        count: int = 1,
        partitions: int = 8,
        prefix: str = "test",
        config: dict[str, str] | None = None,
    ) -> list[str]:
        names = [unique_topic(prefix) for _ in range(count)]
        await create_topics(kafka_bootstrap, names, partitions=partitions, config=config)
        return names

    return create


def unique_topic(prefix: str = "test") -> str:
    """A topic name no other test (or earlier run against a shared broker) uses."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


async def create_topics(
    bootstrap: str,
    names: Iterable[str],
    partitions: int = 8,
    config: dict[str, str] | None = None,
) -> None:
    """Create topics with `partitions` partitions and wait until every partition has a leader.

    Raises the Kafka error of the first topic that could not be created (existing ones included,
    so a test never silently reuses a topic with the wrong partition count).
    """
    names = list(names)
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=15_000)
    await admin.start()
    try:
        response = await admin.create_topics(
            [
                NewTopic(
                    name,
                    num_partitions=partitions,
                    replication_factor=1,
                    topic_configs=dict(config or {}),
                )
                for name in names
            ]
        )
        for topic_error in response.topic_errors:
            name, code = topic_error[0], topic_error[1]
            if code != 0:
                raise for_code(code)(f"create topic {name}: {topic_error[2:]}")
        await _wait_for_leaders(admin, names, partitions)
    finally:
        await admin.close()


async def delete_topics(bootstrap: str, prefix: str) -> None:
    """Delete every topic whose name starts with ``prefix`` (a test deployment's app id): a
    broker kept across many runs otherwise piles up partitions until it runs out of files."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=15_000)
    await admin.start()
    try:
        names = [name for name in await admin.list_topics() if name.startswith(prefix)]
        if names:
            await admin.delete_topics(names)
    finally:
        await admin.close()


async def _wait_for_leaders(
    admin: AIOKafkaAdminClient, names: list[str], partitions: int, timeout_s: float = 15.0
) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    while True:
        topics = await admin.describe_topics(names)
        ready = [
            t
            for t in topics
            if t["error_code"] == 0
            and len(t["partitions"]) == partitions
            and all(p["leader"] >= 0 for p in t["partitions"])
        ]
        if len(ready) == len(names):
            return
        if loop.time() > deadline:
            raise TimeoutError(f"topics {names} have no leaders after {timeout_s}s")
        await asyncio.sleep(0.1)
