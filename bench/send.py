"""Benchmark: paced SES sending against a local moto server with an SES-like rate limit.

    .venv/bin/python bench/send.py --rate 50 --seconds 60

A moto server stands in for SES; ``SesProxy`` in front of it reports a send quota of
``--rate``/s and enforces it like SES (token bucket of one second's sends, "Throttling" answers
beyond). ``SesMessenger`` reads that quota and paces itself; several worker threads push as fast
as they are allowed. Prints the achieved rate (target: >= 95 % of the quota), the throttling
answers (target: 0), the busiest one-second window seen by "SES", and whether every job was
delivered exactly once.
"""

from __future__ import annotations

import argparse
import bisect
import json
import logging
import os
import queue
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from notifier.campaigns.cli import sample_context
from notifier.campaigns.renderer import Renderer, to_outgoing
from notifier.events.contracts import EmailJob, EmailKind, Language
from notifier.messengers.base import OutgoingEmail, RetryLater
from notifier.messengers.ledger import MotoSentLedger
from notifier.messengers.ses import SesMessenger, make_ses_client
from tests.messengers.ses_proxy import STATS_PATH

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = "notify.example.in"
CONFIG_SET = "bench"


def templates() -> list[OutgoingEmail]:
    """One rendered email per language; jobs differ only in id and recipient."""
    renderer = Renderer()
    ctx = sample_context()
    out = []
    for language in Language:
        job = EmailJob(
            job_id="template",
            kind=EmailKind.ANNOUNCEMENT,
            campaign_id="bench",
            building_id="B1",
            episode_id="e1",
            customer_id="c",
            address_id="a",
            email="c@example.org",
            language=language,
        )
        rendered = renderer.render(job.kind, language, ctx)
        out.append(to_outgoing(rendered, job, unsubscribe_url=ctx.unsubscribe_url))
    return out


def make_email(base: list[OutgoingEmail], n: int) -> OutgoingEmail:
    template = base[n % len(base)]
    job_id = f"bench-{n:07d}"
    return replace(
        template,
        job_id=job_id,
        to=f"resident{n}@example.org",
        headers={**template.headers, "X-Notifier-Job": job_id},
        tags={**template.tags, "job": job_id},
    )


def start_proxy(moto_url: str, rate: float) -> tuple[subprocess.Popen[str], str]:
    """SesProxy in its own process too: SES's view of arrival times must not wait on our GIL."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.messengers.ses_proxy",
            "--upstream",
            moto_url,
            "--max-rate",
            str(rate),
            "--max-24h",
            "10000000",
        ],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    url = proc.stdout.readline().strip()
    if not url.startswith("http://"):
        proc.terminate()
        raise SystemExit("SES proxy did not start")
    return proc, url


def start_moto() -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{url}/moto-api/data.json", timeout=1).close()
            return proc, url
        except OSError:
            time.sleep(0.1)
    proc.terminate()
    raise SystemExit("moto server did not start")


def busiest_second(times: list[float]) -> int:
    return max((bisect.bisect_left(times, t + 1.0) - i for i, t in enumerate(times)), default=0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=50.0, help="SES MaxSendRate (per second)")
    parser.add_argument("--seconds", type=float, default=60.0, help="how long to send")
    # A send costs ~8 ms of client CPU (MIME ~4 ms, botocore ~3 ms): three threads keep a 50/s
    # pipe full with slack for a busy machine; more only fight over the GIL.
    parser.add_argument("--workers", type=int, default=3, help="sending threads")
    parser.add_argument("--no-verify", action="store_true", help="skip the duplicate check")
    args = parser.parse_args()

    os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench")
    logging.getLogger("werkzeug").setLevel(logging.ERROR)

    # moto in its own process, like the remote SES it stands for: it must not compete with the
    # senders for this process's GIL.
    moto, moto_url = start_moto()
    setup = make_ses_client(moto_url)
    setup.verify_domain_identity(Domain=DOMAIN)
    setup.create_configuration_set(ConfigurationSet={"Name": CONFIG_SET})

    proxy, proxy_url = start_proxy(moto_url, args.rate)
    messenger = SesMessenger(
        sender=f"alerts@{DOMAIN}", configuration_set=CONFIG_SET, endpoint_url=proxy_url
    )
    messenger.quota()
    admitted: list[float] = []  # when the pacer let each send go (client side)
    pace = messenger.pacer.acquire

    def timed_acquire() -> None:
        pace()
        admitted.append(time.monotonic())

    messenger.pacer.acquire = timed_acquire  # type: ignore[method-assign]
    base = templates()
    jobs: queue.Queue[OutgoingEmail] = queue.Queue()
    for n in range(int(args.rate * args.seconds * 1.2) + 100):
        jobs.put(make_email(base, n))

    latencies: list[float] = []
    retries: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + args.seconds

    def worker() -> None:
        while time.monotonic() < deadline:
            email = jobs.get_nowait()
            started = time.monotonic()
            try:
                messenger.push(email)
            except RetryLater as exc:
                with lock:
                    retries.append(str(exc))
                jobs.put(email)
                continue
            with lock:
                latencies.append(time.monotonic() - started)

    print(
        f"sending for {args.seconds:.0f}s at quota {args.rate:g}/s with {args.workers} workers; "
        f"pacer at {messenger.pacer.rate:.2f}/s (2 % headroom)"
    )
    threads = [threading.Thread(target=worker) for _ in range(args.workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    with urllib.request.urlopen(proxy_url + STATS_PATH, timeout=30) as resp:
        stats = json.load(resp)
    accepted = sorted(stats["arrivals"])
    span = accepted[-1] - accepted[0] if len(accepted) > 1 else float("nan")
    achieved = (len(accepted) - 1) / span
    print(f"accepted by SES     : {len(accepted)}")
    print(f"achieved rate       : {achieved:.2f}/s = {100 * achieved / args.rate:.1f}% of quota")
    print(f"throttling answers  : {stats['throttled']} (client RetryLater: {len(retries)})")
    print(
        f"busiest 1 s window  : {busiest_second(sorted(admitted))} sends leaving the pacer, "
        f"{busiest_second(accepted)} arriving at SES (quota {args.rate:g})"
    )
    print(f"pacer idle          : {messenger.pacer.idle_seconds:.2f} s of slots no worker claimed")
    if latencies:
        q = statistics.quantiles(latencies, n=100)
        print(f"push (incl. pacing) : p50 {q[49] * 1000:.1f} ms, p99 {q[98] * 1000:.1f} ms")
    ok = achieved >= 0.95 * args.rate and stats["throttled"] == 0
    if not args.no_verify:
        per_job = MotoSentLedger(moto_url, timeout=120).sends_per_job()
        doubled = sum(1 for n in per_job.values() if n > 1)
        print(
            f"delivered (moto)    : {sum(per_job.values())} messages, {len(per_job)} jobs, "
            f"{doubled} sent twice"
        )
        ok = ok and doubled == 0 and len(per_job) == len(accepted)
    for proc in (proxy, moto):
        proc.terminate()
        proc.wait(timeout=10)
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
