"""Fellegi-Sunter match weights: how much each comparison of an address and a registry
building says for or against their being the same building.

Each comparison (name, brand, pincode, locality, city, tower, kind, words beside, where the name
was read from) falls into one *level*; a level carries a weight ``log2(m / u)``, where ``m`` is
the share of true pairs at that level and ``u`` the share of false candidate pairs. The pair's
score is the prior log-odds plus the weights, and for an exact or near-exact name a
term-frequency adjustment (as in splink): a name of common words ("Sai Krupa", "Green Park")
weighs less than a coined one ("Roystonea"). The score becomes a probability, and the thresholds
on it are chosen on the dev splits (``bench/matching/fit.py`` fits ``m``/``u`` on generated
labelled pairs and writes ``data/weights.json``, shipped in the package).

The weight of every comparison is kept with the decision: that is the explanation ops read in
the review queue.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

# Comparison -> its levels, most telling first. A level not seen in the fitted data weighs 0.
COMPARISONS: dict[str, tuple[str, ...]] = {
    # exact: the same words; fuzzy: every word paired, some by spelling; partial: the address
    # omits registry words; inner: it omits one word between the first and last ones (a short
    # form, "Sai Tulip" for "Sai Ganga Tulip"); brand_inner: the word after the brand left out
    # ("SMR Iconia" for "SMR Vinay Iconia", held at review); elsewhere: the omitted words are in
    # another part of the text (a parent estate beside its sub-project); weak: the words pair
    # only loosely; acronym: the address writes the initials of a name of three or more words
    "name": ("exact", "fuzzy", "elsewhere", "partial", "inner", "brand_inner", "weak", "acronym"),
    "brand": ("agree", "address_omits", "address_only", "conflict", "none"),
    "pincode": ("agree", "near", "disagree", "unknown"),
    # disagree: another locality the registry knows; road: a road it knows as a locality,
    # written for another one; other: a place word it does not know; neighbour: another
    # locality it knows, with the building's own pincode
    "locality": ("agree", "disagree", "neighbour", "road", "other", "unknown"),
    "city": ("agree", "region", "unknown"),
    "tower": ("agree", "registry_only", "none"),
    "kind": ("same", "conflict", "none"),
    "phase": ("none", "address_only"),
    "beside": ("none", "words"),
    # text: a part of the raw text read as the building whatever the segmenter labelled it
    # (text_evidence); text_rival: another part the matcher read as the building is not
    # the candidate's place
    "source": (
        "building",
        "other",
        "fallback",
        "fallback_rival",
        "unconfirmed",
        "text",
        "text_rival",
    ),
}
# Prior weights (bits) of the levels that say "doubt" by design, for when the generated pairs
# hold few of them: a fitted weight is pulled towards its prior as if PRIOR_STRENGTH pairs had
# shown it (a level seen often keeps its fitted weight).
PRIOR_WEIGHTS: dict[tuple[str, str], float] = {
    ("tower", "registry_only"): -4.0,
    ("source", "fallback_rival"): -5.0,
    ("source", "unconfirmed"): -3.0,
    ("source", "text_rival"): -5.0,
    ("beside", "words"): -4.0,
    ("kind", "conflict"): -6.0,
    ("brand", "conflict"): -6.0,
    ("name", "partial"): -4.0,
    ("name", "inner"): -2.0,
    ("name", "brand_inner"): -2.0,
    ("name", "acronym"): -2.0,
    ("name", "weak"): -4.0,
    ("phase", "address_only"): -2.0,
}
PRIOR_STRENGTH = 20.0
# Levels that say less than another level of their comparison: never weighed above it (few false
# pairs show a neighbouring locality with the building's pincode, so its fitted ratio overstates
# it, and the pincode's agreement is already counted).
# An acronym is never weighed above a name whose words are elsewhere in the text: the generated
# world holds no building named by initials, so no false pair shows how often initials collide.
CAPPED_BY: dict[tuple[str, str], str] = {
    ("locality", "neighbour"): "agree",
    ("name", "acronym"): "elsewhere",
}
# Term-frequency adjustment bounds (bits): a name's commonness moves its weight this far at most.
TF_ADJUST_MIN = -3.0
TF_ADJUST_MAX = 3.0
# How often a word is a building-name word: common society words, any other word.
COMMON_WORD_FREQUENCY = 1 / 40
OTHER_WORD_FREQUENCY = 1 / 1000
# A name's developer brand, when both sides name it, is part of the value: this much rarer.
BRAND_FREQUENCY = 1 / 30


@dataclass(frozen=True, slots=True)
class Weights:
    """Fitted weights: prior log-odds, per comparison level, and the tf reference."""

    prior: float
    levels: Mapping[str, Mapping[str, float]]
    # geometric mean name frequency of the exact/fuzzy true pairs the weights were fitted on
    tf_reference: float
    match_probability: float
    review_probability: float

    def weight(self, comparison: str, level: str) -> float:
        return self.levels.get(comparison, {}).get(level, 0.0)

    def to_json(self) -> dict[str, object]:
        return {
            "prior": self.prior,
            "levels": {c: dict(v) for c, v in self.levels.items()},
            "tf_reference": self.tf_reference,
            "match_probability": self.match_probability,
            "review_probability": self.review_probability,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> Weights:
        levels = data["levels"]
        assert isinstance(levels, dict)
        return cls(
            prior=float(data["prior"]),  # type: ignore[arg-type]
            levels={str(c): {str(k): float(w) for k, w in v.items()} for c, v in levels.items()},
            tf_reference=float(data["tf_reference"]),  # type: ignore[arg-type]
            match_probability=float(data["match_probability"]),  # type: ignore[arg-type]
            review_probability=float(data["review_probability"]),  # type: ignore[arg-type]
        )


@cache
def shipped_weights() -> Weights:
    text = resources.files("notifier.address").joinpath("data/weights.json").read_text("utf-8")
    return Weights.from_json(json.loads(text))


def tf_adjustment(name_frequency: float, weights: Weights) -> float:
    """Bits added to an exact/fuzzy name's weight: rarer than the reference name -> more."""
    if name_frequency <= 0.0:
        return 0.0
    bits = math.log2(weights.tf_reference / name_frequency)
    return min(max(bits, TF_ADJUST_MIN), TF_ADJUST_MAX)


def probability(score: float) -> float:
    """Log-odds (bits) -> probability, without overflow."""
    if score >= 0:
        return 1.0 / (1.0 + 2.0**-score)
    odds = 2.0**score
    return odds / (1.0 + odds)


def fit_weights(
    true_pairs: list[dict[str, str]],
    false_pairs: list[dict[str, str]],
    true_name_frequencies: list[float],
    match_probability: float,
    review_probability: float,
    smoothing: float = 1.0,
) -> Weights:
    """m/u per level from labelled comparison vectors (Laplace-smoothed counts)."""
    levels: dict[str, dict[str, float]] = {}
    for comparison, names in COMPARISONS.items():
        m_counts = {level: smoothing for level in names}
        u_counts = {level: smoothing for level in names}
        for pair in true_pairs:
            m_counts[pair[comparison]] += 1
        for pair in false_pairs:
            u_counts[pair[comparison]] += 1
        m_total, u_total = sum(m_counts.values()), sum(u_counts.values())
        fitted = {}
        for level in names:
            w = math.log2((m_counts[level] / m_total) / (u_counts[level] / u_total))
            prior_w = PRIOR_WEIGHTS.get((comparison, level))
            if prior_w is not None:
                seen = m_counts[level] + u_counts[level] - 2 * smoothing
                w = (seen * w + PRIOR_STRENGTH * prior_w) / (seen + PRIOR_STRENGTH)
            fitted[level] = round(w, 4)
        for level in names:
            cap = CAPPED_BY.get((comparison, level))
            if cap is not None:
                fitted[level] = min(fitted[level], fitted[cap])
        levels[comparison] = fitted
    prior = math.log2((len(true_pairs) + smoothing) / (len(false_pairs) + smoothing))
    logs = [math.log2(f) for f in true_name_frequencies if f > 0]
    reference = 2.0 ** (sum(logs) / len(logs)) if logs else OTHER_WORD_FREQUENCY
    return Weights(round(prior, 4), levels, reference, match_probability, review_probability)
