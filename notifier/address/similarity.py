"""How alike two building names (or two localities) are, word by word.

Token alignment of normalised names (:class:`~notifier.address.normalize.NameForm`): exact words
first, then transliteration variants and typos (jellyfish's Damerau-Levenshtein and metaphone),
words spaced differently ("Sky Line" / "Skyline") and glued ones ("prestigeshantiniketan").
The matcher turns the result into comparison levels; nothing here decides anything.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import jellyfish

from notifier.address.normalize import NameForm, canon_token

__all__ = ["align", "concat", "explained", "locality_agreement", "token_similarity"]


@lru_cache(maxsize=262144)
def _token_similarity(a: str, b: str) -> float:
    """1 for the same token, less for a transliteration variant or a typo, else 0.

    Typos are an extra or missing letter, two swapped letters, or vowels that differ (which
    metaphone ignores); a different consonant in the same place makes a different word
    (Shakti/Shanti, Pride/Prime, Rada/Rama), as does a different first letter.
    """
    if a == b:
        return 1.0
    if min(len(a), len(b)) < 4 or a[0] != b[0] or not (a.isalpha() and b.isalpha()):
        return 0.0  # also keeps "phase2" from matching "phase3"
    distance = jellyfish.damerau_levenshtein_distance(a, b)
    if distance > 2:
        return 0.0
    if jellyfish.metaphone(a) == jellyfish.metaphone(b):
        return 0.92
    if distance == 1 and (len(a) != len(b) or sorted(a) == sorted(b)):
        return 0.88
    return 0.0


def _split_glued(token: str, vocabulary: Iterable[str]) -> list[str]:
    """Split a glued token on known words at its start and end ("prestigeshantiniketan")."""
    words = sorted((w for w in vocabulary if len(w) >= 2 and w != token), key=len, reverse=True)
    head: list[str] = []
    tail: list[str] = []
    rest = token
    progress = True
    while rest and progress:
        progress = False
        for word in words:
            if rest.startswith(word):
                head.append(word)
                rest = rest[len(word) :]
                progress = True
                break
            if rest.endswith(word):
                tail.insert(0, word)
                rest = rest[: -len(word)]
                progress = True
                break
    if not head and not tail:
        return [token]
    middle = [rest] if len(rest) >= 2 else []
    return head + middle + tail


def _pair_up(
    free_a: list[str], free_b: list[str], names: tuple[NameForm, NameForm] | None = None
) -> tuple[float, int]:
    """Greedy pairing, exact first so a fuzzy pair never steals an exact partner.
    Removes paired tokens from both lists; returns (similarity sum, pairs). With ``names``,
    tokens are also compared as written (folding can add distance: "jaapriya" -> "japriya"
    is two edits from "janapriya", the spelling one)."""
    total, pairs = 0.0, 0
    for b in list(free_b):
        if b in free_a:
            free_a.remove(b)
            free_b.remove(b)
            total += 1.0
            pairs += 1
    if not (free_a and free_b):
        return total, pairs  # nothing left to pair fuzzily
    # compare spellings as written too, unless both names are written as folded
    written = names is not None and (names[0].respelt or names[1].respelt)
    written_a = names[0].raw_of if names is not None and written else {}
    written_b = names[1].raw_of if names is not None and written else {}
    similarity = _token_similarity
    for b in list(free_b):
        best, best_sim = None, 0.0
        raw_b = written_b.get(b, b)
        b0, n_b = b[0], len(b)
        for a in free_a:
            # tokens left here differ, and _token_similarity gives 0 to different words with
            # another first letter, under 4 letters, or lengths 3+ apart (more than 2 edits):
            # skip the (cached) call
            n_a = len(a)
            similar = a[0] == b0 and n_a >= 4 and n_b >= 4 and -3 < n_a - n_b < 3
            sim = similarity(a, b) if similar else 0.0
            if not sim and written:
                raw_a = written_a.get(a, a)
                if (raw_a != a or raw_b != b) and raw_a[0] == raw_b[0]:
                    sim = similarity(raw_a, raw_b)
            if sim > best_sim:
                best, best_sim = a, sim
        if best is not None:
            free_a.remove(best)
            free_b.remove(b)
            total += best_sim
            pairs += 1
    return total, pairs


def _glued_equal(free_a: list[str], free_b: list[str]) -> bool:
    """What is left on both sides is the same words spaced differently."""
    left_a, left_b = "".join(free_a), "".join(free_b)
    return left_a == left_b or (
        min(len(left_a), len(left_b)) >= 8
        and abs(len(left_a) - len(left_b)) <= 1  # else the distance is > 1: skip computing it
        and jellyfish.damerau_levenshtein_distance(left_a, left_b) <= 1
    )


def _align(
    a_name: NameForm, b_name: NameForm
) -> tuple[float, tuple[str, ...], tuple[str, ...], int]:
    """Token alignment of two names. Returns (similarity sum, unmatched address tokens,
    unmatched building tokens, matched pairs). Tuples, shared through the cache: read only."""
    return _aligned(a_name, b_name)


@lru_cache(maxsize=262144)
def _aligned(
    a_name: NameForm, b_name: NameForm
) -> tuple[float, tuple[str, ...], tuple[str, ...], int]:
    """:func:`_align`, cached: many residents of one building write its name alike."""
    total, extra, missing, pairs = _align_names(a_name, b_name)
    return total, tuple(extra), tuple(missing), pairs


def _align_names(a_name: NameForm, b_name: NameForm) -> tuple[float, list[str], list[str], int]:
    if a_name.core == b_name.core:
        return float(len(b_name.core)), [], [], len(b_name.core)
    if a_name.initials.isdisjoint(b_name.initials):
        return 0.0, list(a_name.core), list(b_name.core), 0
    free_a, free_b = list(a_name.core), list(b_name.core)
    total, pairs = _pair_up(free_a, free_b, (a_name, b_name))
    if not (free_a and free_b):
        return total, free_a, free_b, pairs
    if _glued_equal(free_a, free_b):
        return total + 0.95 * len(free_b), [], [], pairs + len(free_b)
    # glued words ("prestigeshantiniketan"): split the spelling as written on the
    # building's words, then fold the pieces
    raw_of = a_name.raw_of
    written = [raw_of.get(token, token) for token in free_a]
    if not any(raw.startswith(b_name.raw) or raw.endswith(b_name.raw) for raw in written):
        return total, free_a, free_b, pairs  # the usual case: glued to no building word
    vocabulary = tuple(r for c, r in zip(b_name.core, b_name.raw, strict=False) if c in free_b)
    glued = [
        len(raw) >= 5 and (raw.startswith(vocabulary) or raw.endswith(vocabulary))
        for raw in written
    ]
    if not any(glued):
        return total, free_a, free_b, pairs
    pieces: list[str] = []
    split_any = False
    for raw, maybe_glued in zip(written, glued, strict=True):
        parts = _split_glued(raw, vocabulary) if maybe_glued else [raw]
        split_any |= len(parts) > 1
        pieces.extend(canon_token(p) for p in parts)
    if split_any:
        more, more_pairs = _pair_up(pieces, free_b)
        free_a = pieces
        total += 0.95 * more
        pairs += more_pairs
    return total, free_a, free_b, pairs


@lru_cache(maxsize=65536)
def _locality_agreement(a: tuple[str, ...] | frozenset[str], b: tuple[str, ...]) -> bool:
    """Localities agree when the discriminating words of one are all in the other."""
    words_a, words_b = list(a), list(b)
    if not words_a or not words_b:
        return False
    joined_a, joined_b = "".join(words_a), "".join(words_b)
    if joined_a == joined_b:
        return True
    shorter, longer = (words_a, words_b) if len(words_a) <= len(words_b) else (words_b, words_a)
    return all(any(_token_similarity(s, t) > 0 for t in longer) for s in shorter)


def _concat(a: NameForm, b: NameForm) -> NameForm:
    if not a.core:
        return b
    if not b.core:
        return a
    return NameForm(
        a.core + b.core,
        a.generic | b.generic,
        a.designators | b.designators,
        a.raw + b.raw,
        a.initials | b.initials,
    )


def _explained(words: tuple[str, ...], place_words: frozenset[str]) -> bool:
    """Every word is (a spelling of) a word of the building's locality or city."""
    return all(w in place_words or any(_token_similarity(w, p) for p in place_words) for w in words)


align = _aligned  # (not the wrapper: one call less per compared pair)
concat = _concat
explained = _explained
locality_agreement = _locality_agreement
token_similarity = _token_similarity
