from __future__ import annotations

import pytest

from notifier.tracking.machine import click_machine_reason, open_machine_reason
from tests.tracking.aws_examples import CHROME, IPHONE

GMAIL = "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)"


@pytest.mark.parametrize(
    ("agent", "ip", "reason"),
    [
        ("Mozilla/5.0", "17.58.101.7", "apple-mpp"),  # Mail Privacy Protection proxy
        ("Mozilla/5.0", "104.28.1.9", "apple-mpp"),  # bare agent, proxy egress elsewhere
        (IPHONE, "17.100.1.1", "apple-mpp"),  # Apple's own network
        (GMAIL, "66.249.84.1", "google-proxy"),
        ("Mozilla/5.0 (compatible; Proofpoint URL Defense)", "10.0.0.1", "scanner"),
        (IPHONE, "49.36.10.20", None),
        (CHROME, "2401:4900::1", None),
        ("", "not-an-ip", None),
    ],
)
def test_open_classification(agent: str, ip: str, reason: str | None) -> None:
    assert open_machine_reason(agent, ip) == reason


def test_click_classification() -> None:
    assert click_machine_reason("python-requests/2.31", "1.2.3.4") == "scanner"
    assert click_machine_reason(CHROME, "1.2.3.4") is None
