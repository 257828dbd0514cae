"""One runtime per module and parameter: the scenarios run once on each runtime.

The fixture is module-scoped so the Kafka half starts one worker (and its topics and moto
server) for every scenario; scenarios keep apart by their own customers, buildings and city.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.behaviour.drivers import Runtime, embedded_runtime, kafka_runtime
from tests.streams.conftest import kafka_bootstrap  # noqa: F401  (a pytest fixture)


@pytest.fixture(
    scope="module",
    params=["embedded", pytest.param("kafka", marks=[pytest.mark.kafka, pytest.mark.slow])],
)
def runtime(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Runtime]:
    root = tmp_path_factory.mktemp(f"behaviour-{request.param}")
    if request.param == "embedded":
        with embedded_runtime(root) as driver:
            yield driver
    else:
        bootstrap = request.getfixturevalue("kafka_bootstrap")
        with kafka_runtime(bootstrap, root) as kafka:
            yield kafka
