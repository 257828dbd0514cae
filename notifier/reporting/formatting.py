"""How figures are written in every report format (one place, so they agree)."""

from __future__ import annotations

from collections.abc import Mapping


def pct(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value * 100:.{digits}f}%"


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} min"
    if seconds < 48 * 3600:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} d"


def fallback(languages: Mapping[str, int]) -> str:
    """Emails sent in English for want of templates, by asked-for code: "3 (fr 2, ur 1)"."""
    total = sum(languages.values())
    if not total:
        return "0"
    ranked = sorted(languages.items(), key=lambda kv: (-kv[1], kv[0]))
    return f"{total} (" + ", ".join(f"{code} {n}" for code, n in ranked) + ")"
