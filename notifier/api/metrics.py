"""Prometheus metrics: request counts and latency, plus the runtime's state read at scrape time.

Each app has its own registry, so several apps (tests) in one process do not collide.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

from aiohttp import web
from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from notifier.api.errors import Handler

if TYPE_CHECKING:
    from notifier.runtime.embedded import EmbeddedRuntime


class RuntimeCollector(Collector):
    def __init__(self, runtime: EmbeddedRuntime) -> None:
        self.runtime = runtime

    def collect(self) -> Iterator[Metric]:
        db = self.runtime.db
        jobs = GaugeMetricFamily("notifier_jobs", "Email jobs by state", labels=["state"])
        for state, n in sorted(self.runtime.store.job_counts().items()):
            jobs.add_metric([state], n)
        yield jobs

        def count(sql: str) -> int:
            return int(db.query(sql)[0][0])

        for name, doc, sql in (
            (
                "notifier_active_quarantines",
                "Buildings under quarantine now",
                "SELECT count(*) FROM quarantines WHERE active = 1",
            ),
            (
                "notifier_open_reviews",
                "Doubtful matches waiting for a person",
                "SELECT count(*) FROM reviews WHERE status = 'open'",
            ),
            (
                "notifier_dead_letters",
                "Inputs that could not be processed",
                "SELECT count(*) FROM dead_letters",
            ),
            (
                "notifier_suppressed_addresses",
                "Addresses never emailed again",
                "SELECT count(*) FROM suppressions",
            ),
        ):
            yield GaugeMetricFamily(name, doc, value=count(sql))


class ApiMetrics:
    def __init__(self, runtime: EmbeddedRuntime) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "notifier_http_requests",
            "HTTP requests served",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "notifier_http_request_seconds",
            "HTTP request latency",
            ["route"],
            registry=self.registry,
        )
        self.dispatch_runs = Counter(
            "notifier_dispatch_runs", "Background dispatch runs", registry=self.registry
        )
        self.emails = Counter(
            "notifier_dispatched_emails",
            "Emails handled by the background dispatcher, by outcome",
            ["outcome"],
            registry=self.registry,
        )
        self.registry.register(RuntimeCollector(runtime))

    def middleware(self) -> web.middleware:  # type: ignore[valid-type]
        @web.middleware
        async def measure(request: web.Request, handler: Handler) -> web.StreamResponse:
            started = time.perf_counter()
            resource = request.match_info.route.resource
            # The route template, not the path: ids must not explode the label set.
            route = resource.canonical if resource is not None else "unmatched"
            status = 500
            try:
                response = await handler(request)
                status = response.status
                return response
            except web.HTTPException as exc:
                status = exc.status
                raise
            finally:
                self.requests.labels(request.method, route, str(status)).inc()
                self.latency.labels(route).observe(time.perf_counter() - started)

        return measure
