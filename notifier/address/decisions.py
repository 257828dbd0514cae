"""What the matcher decides for a pair, and its settings: :class:`Decision`,
:class:`MatchResult` (with the per-comparison weights that explain it), :class:`MatchConfig`
(thresholds fitted with the weights), and the small rules that rank and word results."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from notifier.address.linkage import Weights, shipped_weights

__all__ = ["Decision", "MatchConfig", "MatchResult", "any_match", "better", "logit", "worded"]


class Decision(StrEnum):
    MATCH = "match"
    REVIEW = "review"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class MatchResult:
    decision: Decision
    building_id: str | None
    score: float  # probability that the pair is the same building
    features: dict[str, float]  # per-comparison weights (bits) and the log-odds
    reason: str
    levels: dict[str, str] = field(default_factory=dict)  # per-comparison level

    def explanation(self) -> dict[str, object]:
        """JSON-able record of why, stored with the decision (the review queue shows it)."""
        return {
            "decision": self.decision.value,
            "building_id": self.building_id,
            "score": round(self.score, 4),
            "reason": self.reason,
            "features": {k: round(v, 4) for k, v in self.features.items()},
            "levels": dict(self.levels),
        }


@dataclass(frozen=True, slots=True)
class MatchConfig:
    """Decision thresholds (probabilities; defaults fitted with the weights, see
    ``bench/matching/fit.py``) and the fitted weights themselves."""

    match_threshold: float = field(default_factory=lambda: shipped_weights().match_probability)
    review_threshold: float = field(default_factory=lambda: shipped_weights().review_probability)
    # An address naming part of a registry name, in its place, goes to review whatever
    # its score (a short form or a sub-project: a person tells them apart).
    review_partial_names: bool = True
    # Two different buildings both at match level within this many bits: let a human pick.
    ambiguity_margin: float = 3.0
    # City names closer than this (Jaro-Winkler) count as the same city (typos: "Banglore").
    city_similarity: float = 0.93
    # A registry row without a pincode takes an address's pincode when at least this many
    # other registry buildings have it, all in the row's locality (see Matcher._implied_place).
    implied_pin_support: int = 2
    weights: Weights = field(default_factory=shipped_weights)

    def __post_init__(self) -> None:
        if not 0.0 < self.review_threshold <= self.match_threshold:
            raise ValueError(
                f"need 0 < review_threshold ({self.review_threshold}) <= match_threshold "
                f"({self.match_threshold})"
            )


_DECISION_RANK = {Decision.NONE: 0, Decision.REVIEW: 1, Decision.MATCH: 2}


def better(first: MatchResult, second: MatchResult) -> MatchResult:
    """The stronger decision of two readings of one address (the first on a tie)."""
    return second if _DECISION_RANK[second.decision] > _DECISION_RANK[first.decision] else first


def worded(result: MatchResult) -> MatchResult:
    if result.reason or not result.levels:
        return result
    # built directly: dataclasses.replace() costs more than the rest of this
    return MatchResult(
        result.decision,
        result.building_id,
        result.score,
        result.features,
        _reason(result.levels, result.features),
        result.levels,
    )


def any_match(results: dict[str, MatchResult]) -> bool:
    return any(r.decision is Decision.MATCH for r in results.values())


def logit(result: MatchResult) -> float:
    return result.features.get("log_odds", -1e9)


def _reason(levels: dict[str, str], features: dict[str, float]) -> str:
    """The comparisons that weighed most, for and against, in words."""
    # list comprehensions, not generators: this runs for every returned result
    items = [(c, w) for c, w in features.items() if c in levels and abs(w) >= 0.5]
    items.sort(key=_weight_size, reverse=True)  # stable, as sorted() on -abs(w) was
    return "; ".join([f"{c} {levels[c]} ({w:+.1f})" for c, w in items[:4]]) or "no strong evidence"


def _weight_size(item: tuple[str, float]) -> float:
    return abs(item[1])
