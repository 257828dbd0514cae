"""Tell likely machine opens and clicks from people.

SES counts an open whenever the tracking pixel loads. Many loads are not a person reading:

* Apple Mail Privacy Protection fetches every image through Apple proxies as soon as the mail
  arrives; the user agent is a bare ``Mozilla/5.0`` and the addresses are Apple's (17.0.0.0/8).
* Gmail loads images through ``GoogleImageProxy``: the open is real-ish but the time and the
  client are the proxy's, so it cannot be trusted as a reading signal.
* Any load within seconds of delivery is a prefetch (no human opens that fast at scale).
* Security scanners (Proofpoint, Mimecast, Barracuda...) follow every link seconds after
  delivery.

Static facts (user agent, IP) are judged here per event; timing is judged when the message's
state is summarised, because an Open may arrive before its Delivery.
"""

from __future__ import annotations

import ipaddress
import re
from datetime import datetime

APPLE_NETWORK = ipaddress.ip_network("17.0.0.0/8")
PREFETCH_SECONDS = 10.0  # an open this soon after delivery is a prefetch
SCANNER_CLICK_SECONDS = 30.0  # a click this soon after delivery is a link scanner
SCANNER_BURST_SECONDS = 2.0  # several different links within this window: a scanner

_SCANNER_AGENTS = re.compile(
    r"proofpoint|mimecast|barracuda|symantec|messagelabs|trendmicro|forcepoint|"
    r"safelinks|urldefense|bot\b|crawler|spider|python-requests|curl/|wget/|headless",
    re.IGNORECASE,
)


def _in_apple_network(ip: str) -> bool:
    try:
        return ipaddress.ip_address(ip.strip()) in APPLE_NETWORK
    except ValueError:
        return False


def open_machine_reason(user_agent: str, ip: str) -> str | None:
    """Why an open looks automated from its client alone, or None if it looks human."""
    agent = (user_agent or "").strip()
    if "GoogleImageProxy" in agent:
        return "google-proxy"
    if agent == "Mozilla/5.0" or _in_apple_network(ip):
        return "apple-mpp"
    if _SCANNER_AGENTS.search(agent):
        return "scanner"
    return None


def click_machine_reason(user_agent: str, ip: str) -> str | None:
    """Why a click looks automated from its client alone, or None."""
    if _SCANNER_AGENTS.search(user_agent or ""):
        return "scanner"
    return None


def is_prefetch(opened_at: datetime, delivered_at: datetime | None) -> bool:
    if delivered_at is None:
        return False
    return (opened_at - delivered_at).total_seconds() < PREFETCH_SECONDS


def is_scanner_click(clicked_at: datetime, delivered_at: datetime | None) -> bool:
    if delivered_at is None:
        return False
    return (clicked_at - delivered_at).total_seconds() < SCANNER_CLICK_SECONDS
