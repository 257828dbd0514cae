"""The ops API on a real aiohttp server (TestServer listens on a free local port)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

import pytest
from aiohttp.test_utils import TestClient, TestServer

from notifier.api.app import make_app
from notifier.config import Settings
from notifier.messengers.memory import MemoryMessenger
from notifier.runtime.embedded import EmbeddedRuntime
from tests.helpers import PipeSegmenter

TOKEN = "test-token-0123456789"
SECRET = "test-unsubscribe-secret-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@dataclass
class Api:
    client: TestClient
    runtime: EmbeddedRuntime
    messenger: MemoryMessenger

    async def eventually(self, check: Callable[[], bool], timeout: float = 5.0) -> None:
        """Wait for the background dispatcher (it runs in its own thread)."""
        deadline = asyncio.get_running_loop().time() + timeout
        while not check():
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError("condition not met in time")
            await asyncio.sleep(0.05)


def settings_for(tmp_path) -> Settings:
    return Settings(
        data_dir=tmp_path,
        api_token=TOKEN,
        unsubscribe_secret=SECRET,
        public_base_url="http://127.0.0.1:8080",
    )


@pytest.fixture
async def api(tmp_path) -> AsyncIterator[Api]:
    messenger = MemoryMessenger()
    runtime = EmbeddedRuntime(
        settings_for(tmp_path), messenger=messenger, segmenter=PipeSegmenter()
    )
    app = make_app(runtime, dispatch_interval=0.2)
    async with TestClient(TestServer(app)) as client:
        yield Api(client, runtime, messenger)
    runtime.close()
