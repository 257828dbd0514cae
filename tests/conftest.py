"""Test-wide set-up: the suite runs servers and workers with the development secrets."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import settings

# Servers and Kafka workers refuse the development API token and unsubscribe secret unless
# dev mode is set explicitly (notifier.config.require_production_secrets); subprocesses that
# tests start inherit it. Tests of the refusal itself pass an environment without it.
os.environ.setdefault("NOTIFIER_DEV_MODE", "1")

# Hypothesis would keep its example database and caches in ./.hypothesis: keep tool state out
# of the tree (read when hypothesis first needs the folder, so setting it here is in time).
os.environ.setdefault(
    "HYPOTHESIS_STORAGE_DIRECTORY", str(Path(tempfile.gettempdir()) / "pickup-notifier-hypothesis")
)
settings.register_profile("notifier", database=None)
settings.load_profile("notifier")
