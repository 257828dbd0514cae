"""A small HTTP proxy in front of a moto server that behaves like SES at its limits.

moto accepts every ``SendRawEmail`` (no rate or daily limit, fixed quota of 1/s and 200/day)
and drops the configuration set and tags. For tests and the benchmark this proxy, placed
between boto3 and moto:

* answers ``GetSendQuota`` with a configured quota (``max_rate``, ``max_24h``);
* enforces the rate like SES does (token bucket, short bursts tolerated) and the daily quota,
  answering ``Throttling`` exactly as SES words it;
* plays scripted faults for the next sends (throttle, daily quota, reject, 5xx, or forward
  to moto and then answer too late, so the client times out after the email went out);
* records what went over the wire (configuration set, tags, arrival times).

Development/test tool only (tests and bench/send.py): it is not part of the installed package.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import threading
import time
import urllib.error
import urllib.request
from collections import deque
from dataclasses import dataclass, field
from enum import StrEnum
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

from pyrate_limiter import GCRA, Limiter, Rate, StateBucket

_NS = "http://ses.amazonaws.com/doc/2010-12-01/"
STATS_PATH = "/_proxy/stats"
_HOP_HEADERS = {"host", "content-length", "connection", "transfer-encoding", "accept-encoding"}


class Fault(StrEnum):
    THROTTLE = "throttle"  # 400 Throttling: Maximum sending rate exceeded.
    DAILY_QUOTA = "daily"  # 400 Throttling: Daily message quota exceeded.
    REJECT = "reject"  # 400 MessageRejected
    SERVER_ERROR = "server_error"  # 500 InternalFailure, nothing sent
    LATE_ANSWER = "late_answer"  # forwarded (sent!), answered after `late_seconds`


@dataclass(frozen=True, slots=True)
class RecordedSend:
    arrived: float  # time.monotonic() at the proxy
    params: dict[str, str]
    status: int
    fault: str = ""

    @property
    def tags(self) -> dict[str, str]:
        tags: dict[str, str] = {}
        i = 1
        while f"Tags.member.{i}.Name" in self.params:
            tags[self.params[f"Tags.member.{i}.Name"]] = self.params.get(
                f"Tags.member.{i}.Value", ""
            )
            i += 1
        return tags

    @property
    def configuration_set(self) -> str:
        return self.params.get("ConfigurationSetName", "")


@dataclass
class _State:
    faults: deque[Fault] = field(default_factory=deque)
    sends: list[RecordedSend] = field(default_factory=list)
    accepted: int = 0
    throttled: int = 0


def _error_xml(code: str, message: str, kind: str = "Sender") -> bytes:
    return (
        f'<ErrorResponse xmlns="{_NS}"><Error><Type>{kind}</Type><Code>{code}</Code>'
        f"<Message>{message}</Message></Error><RequestId>proxy</RequestId></ErrorResponse>"
    ).encode()


class SesProxy:
    def __init__(
        self,
        upstream: str,
        *,
        max_rate: float = 14.0,
        max_24h: float = 50_000.0,
        burst: int | None = None,
        enforce_limits: bool = True,
        late_seconds: float = 2.0,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.upstream = upstream.rstrip("/")
        self.max_rate = max_rate
        self.max_24h = max_24h
        self.enforce_limits = enforce_limits
        self.late_seconds = late_seconds
        # SES tolerates short bursts above the rate; model that as a bucket of one second's sends.
        burst = burst or max(1, int(max_rate))
        limit = max(1, round(max_rate * 1000))
        self._bucket = Limiter(StateBucket([Rate(limit, 1_000_000, burst=burst)], GCRA()))
        self._lock = threading.Lock()
        self._state = _State()
        self._server = ThreadingHTTPServer((host, port), self._handler_class())
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    # -- control -----------------------------------------------------------------------------

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> SesProxy:
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in the calling thread (for running the proxy as its own process)."""
        self._server.serve_forever()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> SesProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def inject(self, *faults: Fault) -> None:
        """Play these faults, in order, on the next ``SendRawEmail`` calls."""
        with self._lock:
            self._state.faults.extend(faults)

    @property
    def sends(self) -> list[RecordedSend]:
        with self._lock:
            return list(self._state.sends)

    def stats(self) -> dict[str, Any]:
        """Counters and the arrival times (monotonic s) of accepted sends, for benchmarks."""
        with self._lock:
            arrivals = [s.arrived for s in self._state.sends if s.status == 200]
            return {
                "accepted": self._state.accepted,
                "throttled": self._state.throttled,
                "arrivals": arrivals,
            }

    @property
    def accepted(self) -> int:
        return self._state.accepted

    @property
    def throttled(self) -> int:
        return self._state.throttled

    # -- request handling --------------------------------------------------------------------

    def _quota_xml(self) -> bytes:
        return (
            f'<GetSendQuotaResponse xmlns="{_NS}"><GetSendQuotaResult>'
            f"<SentLast24Hours>{float(self._state.accepted)}</SentLast24Hours>"
            f"<Max24HourSend>{float(self.max_24h)}</Max24HourSend>"
            f"<MaxSendRate>{float(self.max_rate)}</MaxSendRate>"
            "</GetSendQuotaResult><ResponseMetadata><RequestId>proxy</RequestId>"
            "</ResponseMetadata></GetSendQuotaResponse>"
        ).encode()

    def _forward(self, method: str, path: str, body: bytes | None, headers: dict[str, str]):
        request = urllib.request.Request(
            self.upstream + path, data=body, method=method, headers=headers
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as resp:
                return resp.status, resp.headers.get("Content-Type", "text/xml"), resp.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers.get("Content-Type", "text/xml"), exc.read()

    def _send_raw(
        self, params: dict[str, str], body: bytes, headers: dict[str, str], arrived: float
    ):
        with self._lock:
            fault = self._state.faults.popleft() if self._state.faults else None
        answer: tuple[int, str, bytes] | None = None
        if fault is Fault.THROTTLE:
            answer = (400, "text/xml", _error_xml("Throttling", "Maximum sending rate exceeded."))
        elif fault is Fault.DAILY_QUOTA:
            answer = (400, "text/xml", _error_xml("Throttling", "Daily message quota exceeded."))
        elif fault is Fault.REJECT:
            answer = (400, "text/xml", _error_xml("MessageRejected", "Email address rejected."))
        elif fault is Fault.SERVER_ERROR:
            answer = (500, "text/xml", _error_xml("InternalFailure", "Internal error.", "Receiver"))
        elif self.enforce_limits:
            with self._lock:
                spent = self._state.accepted >= self.max_24h
            if spent:
                answer = (
                    400,
                    "text/xml",
                    _error_xml("Throttling", "Daily message quota exceeded."),
                )
            elif not self._bucket.try_acquire("ses", blocking=False):
                answer = (
                    400,
                    "text/xml",
                    _error_xml("Throttling", "Maximum sending rate exceeded."),
                )
        if answer is None:
            answer = self._forward("POST", "/", body, headers)
        with self._lock:
            if answer[0] == 200:
                self._state.accepted += 1
            elif b"<Code>Throttling</Code>" in answer[2]:
                self._state.throttled += 1
            kept = {k: v for k, v in params.items() if k != "RawMessage.Data"}  # moto keeps it
            self._state.sends.append(
                RecordedSend(arrived, kept, answer[0], fault.value if fault else "")
            )
        if fault is Fault.LATE_ANSWER:
            time.sleep(self.late_seconds)
        return answer

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in separate writes: with Nagle on, the body waits for a
            # delayed ACK (~40 ms per request), which would cap the benchmark, not SES pacing.
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                return

            def _reply(self, status: int, content_type: str, body: bytes) -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (e.g. its read timeout): expected in tests

            def _headers(self) -> dict[str, str]:
                return {k: v for k, v in self.headers.items() if k.lower() not in _HOP_HEADERS}

            def do_GET(self) -> None:
                if self.path == STATS_PATH:
                    self._reply(200, "application/json", json.dumps(proxy.stats()).encode())
                    return
                self._reply(*proxy._forward("GET", self.path, None, self._headers()))

            def do_POST(self) -> None:
                arrived = time.monotonic()  # before reading the body: when the request came
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                params = {k: v[0] for k, v in parse_qs(body.decode("utf-8")).items()}
                action = params.get("Action", "")
                if action == "GetSendQuota":
                    self._reply(200, "text/xml", proxy._quota_xml())
                elif action == "SendRawEmail":
                    self._reply(*proxy._send_raw(params, body, self._headers(), arrived))
                else:
                    self._reply(*proxy._forward("POST", self.path, body, self._headers()))

        return Handler


def main(argv: list[str] | None = None) -> None:
    """Run the proxy in its own process (the benchmark does, so it does not share a GIL)."""
    parser = argparse.ArgumentParser(description="SES-like limits in front of a moto server")
    parser.add_argument("--upstream", required=True, help="moto server URL")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--max-rate", type=float, default=14.0)
    parser.add_argument("--max-24h", type=float, default=50_000.0)
    args = parser.parse_args(argv)
    proxy = SesProxy(args.upstream, max_rate=args.max_rate, max_24h=args.max_24h, port=args.port)
    print(proxy.url, flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        proxy.serve_forever()


if __name__ == "__main__":
    main()
