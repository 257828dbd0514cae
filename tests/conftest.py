"""Test-wide set-up: the suite runs servers and workers with the development secrets."""

from __future__ import annotations

import os

from hypothesis import settings

# Servers and Kafka workers refuse the development API token and unsubscribe secret unless
# dev mode is set explicitly (notifier.config.require_production_secrets); subprocesses that
# tests start inherit it. Tests of the refusal itself pass an environment without it.
os.environ.setdefault("NOTIFIER_DEV_MODE", "1")

# Hypothesis would keep its example database in ./.hypothesis: keep tool state out of the tree.
settings.register_profile("notifier", database=None)
settings.load_profile("notifier")
