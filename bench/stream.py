"""Benchmark: one Faust worker on the local broker, address changes in, email jobs out.

    deploy/kafka/broker.sh start          # prints the bootstrap address, e.g. 127.0.0.1:19092
    .venv/bin/python bench/stream.py [--bootstrap 127.0.0.1:19092] [--n 20000] [--rate 1000]

Starts a real ``faust -A notifier.streams.worker worker`` (real spaCy model, memory tables,
fresh app id and topics), registers the 36 demo quarantines, warms up, then measures:

1. throughput: ``--n`` address-change events (the 5,000 demo addresses, repeated with fresh
   customer ids) produced as fast as possible; events/s from the first send until the worker
   has planned the last one (its /metrics page), and email jobs/s;
2. latency: events at ``--rate``/s for ``--seconds``; for every email job, its Kafka
   timestamp (the worker produced it) minus the event's (the bench produced it): p50/p99/max.

Bars (issue 5): throughput >= 2,000 events/s; p99 < 500 ms at half that rate.
Email sending runs too, against an in-process moto at 1 email/s, so it takes little CPU.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from notifier.demo.cli import read_lines  # noqa: E402
from notifier.runtime.local_ses import LOCAL_CREDENTIALS, free_port  # noqa: E402

TOPICS = ("address-changes", "quarantine-events", "email-jobs", "ses-events", "dead-letters")


def metrics(port: int) -> dict[str, float]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
        text = response.read().decode()
    values: dict[str, float] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            key, _, value = line.rpartition(" ")
            values[key] = float(value)
    return values


def planned(port: int, outcome: str) -> float:
    try:
        values = metrics(port)
    except OSError:
        return -1
    return values.get(f'notifier_events_processed_total{{outcome="{outcome}",stage="plan"}}', 0.0)


def queued(port: int) -> float:
    return sum(v for k, v in metrics(port).items() if k.startswith("notifier_emails_queued_total"))


async def wait_for(check: Any, timeout: float, what: str, worker: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if worker.poll() is not None:
            raise SystemExit(f"worker died while waiting for {what}")
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        await asyncio.sleep(0.2)  # each /metrics scrape costs the worker ~3 ms of CPU


def address_events(n: int, tag: str) -> list[tuple[str, dict[str, Any]]]:
    demo = [json.loads(line) for line in read_lines("addresses.jsonl")]
    events = []
    for i in range(n):
        base = demo[i % len(demo)]
        customer = f"{tag}-{i}"
        event = {**base, "event_id": f"{tag}-e{i}", "customer_id": customer}
        events.append((customer, event))
    return events


async def create_topics(bootstrap: str, names: list[str]) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(n, 8, 1) for n in names])
    finally:
        await admin.close()
    await asyncio.sleep(1.0)


async def delete_topics(bootstrap: str, app_id: str) -> None:
    """Remove the run's topics: a broker kept across many runs otherwise piles up partitions
    (and open files) until it slows down or refuses connections."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        names = [name for name in await admin.list_topics() if name.startswith(app_id)]
        if names:
            await admin.delete_topics(names)
    finally:
        await admin.close()


async def run(args: argparse.Namespace) -> None:
    import boto3
    from moto.server import ThreadedMotoServer

    moto_port = free_port()
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=moto_port, verbose=False)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    moto.start()
    endpoint = f"http://127.0.0.1:{moto_port}"
    ses = boto3.client("ses", endpoint_url=endpoint, region_name="ap-south-1", **LOCAL_CREDENTIALS)
    ses.verify_email_identity(EmailAddress="pickup@notices.example.in")
    ses.create_configuration_set(ConfigurationSet={"Name": "pickup-notifier"})

    app_id = f"bench-{uuid.uuid4().hex[:8]}"
    prefix = f"{app_id}."
    await create_topics(
        args.bootstrap,
        [prefix + t for t in TOPICS] + [f"{app_id}-routed", f"{app_id}-email-control"],
    )
    web_port = free_port()
    datadir = tempfile.mkdtemp(prefix="bench-stream-")
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "NOTIFIER_KAFKA_BROKER": f"kafka://{args.bootstrap}",
        "NOTIFIER_APP_ID": app_id,
        "NOTIFIER_TOPIC_PREFIX": prefix,
        "NOTIFIER_STORE": "memory://",
        "NOTIFIER_DEV_MODE": "1",  # the worker refuses the development secrets otherwise
        "NOTIFIER_SES_ENDPOINT": endpoint,
        "NOTIFIER_MAX_SEND_RATE": "1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
    }
    log_path = Path(datadir) / "worker.log"
    with log_path.open("wb") as log:
        worker = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "faust"),
                "-A",
                "notifier.streams.worker",
                "--datadir",
                datadir,
                "worker",
                "-l",
                "warn",
                "--web-port",
                str(web_port),
                "--web-host",
                "127.0.0.1",
            ],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    producer = AIOKafkaProducer(bootstrap_servers=args.bootstrap, acks=1, linger_ms=5)
    await producer.start()
    try:
        buildings = [json.loads(line) for line in read_lines("buildings.jsonl")]
        for b in buildings:
            await producer.send(
                prefix + "quarantine-events", json.dumps(b).encode(), key=b["building_id"].encode()
            )
        await producer.flush()
        await wait_for(
            lambda: planned(web_port, "quarantine") >= len(buildings),
            120,
            "the quarantines",
            worker,
        )

        warm = address_events(1000, "warm")
        for key, event in warm:
            await producer.send(
                prefix + "address-changes", json.dumps(event).encode(), key=key.encode()
            )
        await producer.flush()
        await wait_for(lambda: planned(web_port, "address") >= len(warm), 120, "warm-up", worker)
        base_planned = planned(web_port, "address")
        base_jobs = queued(web_port)

        # 1. throughput
        events = address_events(args.n, "tp")
        payloads = [(k.encode(), json.dumps(e).encode()) for k, e in events]
        profiler = start_profiler(worker.pid)
        t0 = time.perf_counter()
        for key, value in payloads:
            await producer.send(prefix + "address-changes", value, key=key)
        await producer.flush()
        produced = time.perf_counter() - t0
        await wait_for(
            lambda: planned(web_port, "address") >= base_planned + args.n,
            600,
            "the throughput run",
            worker,
        )
        elapsed = time.perf_counter() - t0
        stop_profiler(profiler)
        jobs = queued(web_port) - base_jobs
        print(
            f"throughput: {args.n} address events in {elapsed:.2f} s "
            f"= {args.n / elapsed:,.0f} events/s end to end "
            f"({jobs:.0f} email jobs = {jobs / elapsed:,.0f} jobs/s; "
            f"producing took {produced:.2f} s)"
        )

        values = metrics(web_port)
        spacy_s = values.get("notifier_segment_batch_seconds_sum", 0)
        print(f"  spaCy batches took {spacy_s:.1f} s in total")
        for agent in ("segment_addresses", "plan"):
            label = f'{{agent="{agent}"}}'
            batches = values.get(f"notifier_batch_seconds_count{label}", 0)
            seconds = values.get(f"notifier_batch_seconds_sum{label}", 0)
            events_ = values.get(f"notifier_batch_events_total{label}", 0)
            if batches:
                print(
                    f"  {agent}: {batches:.0f} batches, {events_ / batches:.0f} events and "
                    f"{1000 * seconds / batches:.0f} ms per batch, busy {seconds:.1f} s"
                )

        # 2. latency at a fixed rate
        latencies = await measure_latency(args, producer, prefix, web_port, worker)
        if latencies:
            q = statistics.quantiles(latencies, n=100)
            print(
                f"latency at {args.rate}/s for {args.seconds}s: {len(latencies)} email jobs, "
                f"p50 {q[49]:.0f} ms, p99 {q[98]:.0f} ms, max {max(latencies):.0f} ms"
            )
        else:
            print("latency: no email jobs observed")
    finally:
        await producer.stop()
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
        moto.stop()
        await delete_topics(args.bootstrap, app_id)
        print(f"(worker log: {log_path})")


def start_profiler(pid: int) -> subprocess.Popen[bytes] | None:
    """BENCH_PYSPY=out.txt: sample the worker with py-spy (a dev tool, not a dependency)
    during the throughput run; collapsed stacks per thread, for flame graphs or grep."""
    out = os.environ.get("BENCH_PYSPY")
    if not out:
        return None
    command = [
        str(Path(sys.executable).parent / "py-spy"),
        "record",
        "-p",
        str(pid),
        "-r",
        "250",
        "--threads",
    ]
    command += ["--format", "raw", "-o", out, "--nonblocking"]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def stop_profiler(profiler: subprocess.Popen[bytes] | None) -> None:
    if profiler is not None:
        profiler.send_signal(signal.SIGINT)  # py-spy writes its output on SIGINT
        profiler.wait(timeout=30)


async def measure_latency(
    args: argparse.Namespace,
    producer: AIOKafkaProducer,
    prefix: str,
    web_port: int,
    worker: subprocess.Popen[bytes],
) -> list[float]:
    consumer = AIOKafkaConsumer(
        prefix + "email-jobs",
        bootstrap_servers=args.bootstrap,
        group_id=None,
        auto_offset_reset="latest",
    )
    await consumer.start()
    await consumer.seek_to_end()
    sent_at: dict[str, float] = {}
    latencies: list[float] = []
    stop = asyncio.Event()

    async def collect() -> None:
        while not stop.is_set():
            batches = await consumer.getmany(timeout_ms=100)
            for records in batches.values():
                for record in records:
                    customer = json.loads(record.value)["job"]["customer_id"]
                    if customer in sent_at:
                        latencies.append(record.timestamp - sent_at[customer])

    collector = asyncio.create_task(collect())
    base_planned = planned(web_port, "address")
    events = address_events(args.rate * args.seconds, "lat")
    start = time.monotonic()
    for i, (key, event) in enumerate(events):
        delay = start + i / args.rate - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        now_ms = time.time() * 1000
        sent_at[key] = now_ms
        await producer.send(
            prefix + "address-changes",
            json.dumps(event).encode(),
            key=key.encode(),
            timestamp_ms=int(now_ms),
        )
    await producer.flush()
    behind = time.monotonic() - start - args.seconds
    if behind > 1:
        print(f"(the bench fell {behind:.1f} s behind its send schedule)")
    await wait_for(
        lambda: planned(web_port, "address") >= base_planned + len(events),
        120,
        "the latency run",
        worker,
    )
    await asyncio.sleep(1.0)  # the last jobs reach the consumer
    stop.set()
    await collector
    await consumer.stop()
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bootstrap", default=os.environ.get("KAFKA_BOOTSTRAP", "127.0.0.1:19092"))
    parser.add_argument("--n", type=int, default=20_000, help="events for the throughput run")
    parser.add_argument("--rate", type=int, default=1000, help="events/s for the latency run")
    parser.add_argument("--seconds", type=int, default=15, help="length of the latency run")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
