"""Split a free-text Indian address into labelled parts with the project's own spaCy model.

The shipped pipeline (``notifier/address/model/``) is a blank tokenizer plus one ``tagger`` that
predicts a BIO tag per token (``B-BUILDING``, ``I-BUILDING``, ..., ``O``). A per-token tagger is
~3x faster on CPU than spaCy's transition-based ``ner`` for short texts and is just as accurate
here, because address parts never nest. :class:`Segmenter` ties the parts together, in batches:

- ``tokenizer``: the regex tokenizer the model was trained with;
- ``network``: the tagger as a numpy forward pass over weights exported from the trained spaCy
  model (``tagger.npz`` in the model folder), so ``notifier segment`` imports only numpy: spaCy
  (~0.5 s of imports, ~80 MB) is loaded only to train, to export, or to load a model folder that
  has no export yet;
- here: the best valid BIO tags (argmax, else Viterbi);
- ``spans``: tags -> trimmed character spans;
- ``postprocess``: the deterministic rules that turn spans into :class:`Segments`.

The names other code imports from here (``AddressTokenizer``, ``Network``, ``export_network``,
``load_spacy_pipeline``, ``register_spacy_tokenizers``, ``spans_from_tags``, ...) stay importable.
"""

from __future__ import annotations

import itertools
import os
import sys
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

import numpy

from notifier.address.network import EXPORT_NAME, Network, export_network, load_spacy_pipeline
from notifier.address.postprocess import ALL_RULES, segments_from_spans
from notifier.address.segments import LABELS, Segments
from notifier.address.spans import spans_from_offsets, spans_from_tags
from notifier.address.tokenizer import AddressTokenizer, register_spacy_tokenizers, tokenize

DEFAULT_MODEL_DIR = Path(__file__).resolve().parent / "model"

# Batches whose network pass may run at the same time (one per core on the 2-core target box).
PREDICT_THREADS = max(1, min(2, os.cpu_count() or 1))

# Long inputs are cut before tagging (values stay substrings of the full text); a real address
# is a few hundred characters at most, and this keeps one pathological line from stalling a batch.
MAX_CHARS = 1000


def _clean(text: str) -> str:
    # Control characters become spaces (same length, so offsets still index the original text).
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() or ch in "\t\n" else " " for ch in text)


class Segmenter:
    """Address segmenter: our tokenizer, the exported tagger network, BIO decoding and the
    post-processing rules (``notifier.address.postprocess``)."""

    def __init__(self, network: Network, rules: frozenset[str] = ALL_RULES) -> None:
        self.network = network
        # post-processing rules applied (all by default; nlp.evaluate also scores without them)
        self.rules = rules
        self._labels: tuple[str, ...] = network.labels
        self._prev_of: list[int] | None = None
        # the fast path must tokenize exactly as the model's own tokenizer did in training
        self._split = (network.split_case, network.split_glued)

    def _decode(self, probs: numpy.ndarray) -> list[str]:
        """Best tag sequence: the per-token argmax when it is valid BIO (almost always), else
        Viterbi under BIO constraints, so "Lotus Apartments" tagged O, I-BUILDING becomes one
        span instead of a lone "Apartments"."""
        labels = self._labels
        tags = [labels[i] for i in probs.argmax(axis=1).tolist()]
        prev = "O"
        for tag in tags:
            if tag[0] == "I" and prev[2:] != tag[2:]:
                return self._viterbi(probs)
            prev = tag
        return tags

    def _viterbi(self, probs: numpy.ndarray) -> list[str]:
        """Best valid BIO path. Under BIO constraints a step needs no full k x k table: B-X and
        O may follow any tag (best previous score), I-X only B-X or I-X; ties go to the lower
        label index, as a k x k argmax would. Plain Python: the arrays are tiny."""
        # the tagger's output layer is unnormalised (normalize=false): log-softmax it here
        shifted = probs - probs.max(axis=1, keepdims=True)
        logp = (shifted - numpy.log(numpy.exp(shifted).sum(axis=1, keepdims=True))).tolist()
        came_from = self._came_from()
        score = [-1e4 + v if came_from[j] >= 0 else v for j, v in enumerate(logp[0])]
        back = []
        for row in logp[1:]:
            top = max(score)
            arg = score.index(top)
            new, ptr = [], []
            for j, b in enumerate(came_from):
                if b < 0:
                    new.append(top + row[j])
                    ptr.append(arg)
                elif score[b] >= score[j]:
                    new.append(score[b] + row[j])
                    ptr.append(b)
                else:
                    new.append(score[j] + row[j])
                    ptr.append(j)
            back.append(ptr)
            score = new
        path = [score.index(max(score))]
        for ptr in reversed(back):
            path.append(ptr[path[-1]])
        return [self._labels[i] for i in reversed(path)]

    def _came_from(self) -> list[int]:
        """Per label: for I-X the index of B-X (it may follow only B-X or itself), else -1."""
        if self._prev_of is None:
            labels = self._labels
            self._prev_of = [
                labels.index("B-" + lab[2:]) if lab.startswith("I-") else -1 for lab in labels
            ]
        return self._prev_of

    @classmethod
    def load(cls, path: str | Path | None = None, rules: frozenset[str] = ALL_RULES) -> Segmenter:
        """Load a model folder: its ``tagger.npz`` export when present (the shipped model; numpy
        only), else the spaCy pipeline, converted in memory (e.g. ``nlp/training/model-best``)."""
        model_dir = Path(path) if path is not None else DEFAULT_MODEL_DIR
        if not (model_dir / "config.cfg").is_file():
            raise FileNotFoundError(
                f"address model not found at {model_dir}; train it with `python -m nlp.train` "
                "(it ships inside the package at notifier/address/model/)"
            )
        export = model_dir / EXPORT_NAME
        if export.is_file():
            network = Network.load(export)
        else:
            network = Network.from_spacy(load_spacy_pipeline(model_dir))
        return cls(network, rules)

    def segment(self, text: str) -> Segments:
        return next(self.segment_many([text], batch_size=1))

    def segment_many(self, texts: Iterable[str], batch_size: int = 256) -> Iterator[Segments]:
        """Segment texts lazily, in input order, ``batch_size`` at a time.

        The network runs in helper threads (its matrix code releases the GIL), up to
        ``PREDICT_THREADS`` batches at once, while this thread tokenizes the next batch and
        decodes finished ones, so both CPU cores work. Results are still yielded strictly in
        input order, at most ``PREDICT_THREADS`` batches behind the reading.
        """
        batches = _batched(texts, batch_size)
        first = next(batches, None)
        if first is None:
            return
        second = next(batches, None)
        if second is None:  # one batch (e.g. segment()): no thread needed
            prepared = self._prepare(first)
            yield from self._finish(prepared, self._predict(prepared.feats))
            return
        with ThreadPoolExecutor(PREDICT_THREADS, thread_name_prefix="segmenter") as pool:
            pending: deque[tuple[_Batch, Future[_Scored]]] = deque()
            for batch in itertools.chain((first, second), batches):
                prepared = self._prepare(batch)
                pending.append((prepared, pool.submit(self._predict, prepared.feats)))
                while len(pending) > PREDICT_THREADS:
                    done, future = pending.popleft()
                    yield from self._finish(done, future.result())
            while pending:
                done, future = pending.popleft()
                yield from self._finish(done, future.result())

    def _prepare(self, texts: list[str]) -> _Batch:
        # Per-token input vectors are looked up here (in this thread: the word cache grows);
        # the context layers run in _predict, in a helper thread.
        cleaned = [_clean(t[:MAX_CHARS]) if t else "" for t in texts]
        tokens = [tokenize(t, *self._split) for t in cleaned]
        feats = self.network.embed([words for words, _, _ in tokens if words])
        return _Batch(texts, cleaned, tokens, feats)

    def _predict(self, feats: tuple[numpy.ndarray, list[int]]) -> _Scored:
        """Network pass and best tags for a whole batch at once (numpy, in a helper thread);
        addresses whose best tags are not valid BIO are marked for Viterbi (see _decode)."""
        x, lengths = feats
        if not lengths:
            return _Scored(numpy.zeros((0, len(self._labels))), [], [], set())
        scores, offsets = self.network.encode_flat(x, lengths)
        best = scores.argmax(axis=1)
        inside, entity = self._bio_tables()
        ent = entity[best]
        prev = numpy.empty_like(ent)
        prev[0] = -1
        prev[1:] = ent[:-1]
        prev[offsets] = -1  # an address starts after "O"
        bad = numpy.flatnonzero(inside[best] & (prev != ent))
        starts = numpy.asarray(offsets)
        which = numpy.searchsorted(starts, bad, side="right") - 1
        ends = starts + numpy.asarray(lengths)
        invalid = {
            k
            for k, row in zip(which.tolist(), bad.tolist(), strict=True)
            if k >= 0 and row < ends[k]
        }
        return _Scored(scores, offsets, best.tolist(), invalid)

    def _bio_tables(self) -> tuple[numpy.ndarray, numpy.ndarray]:
        """Per label: is it I-X, and the id of X (-1 for O)."""
        names = sorted({lab[2:] for lab in self._labels if lab != "O"})
        inside = numpy.array([lab.startswith("I-") for lab in self._labels])
        entity = numpy.array([names.index(lab[2:]) if lab != "O" else -1 for lab in self._labels])
        return inside, entity

    def _finish(self, batch: _Batch, scored: _Scored) -> list[Segments]:
        out: list[Segments] = []
        labels = self._labels
        k = 0
        for text, clean, (words, _, starts) in zip(
            batch.texts, batch.cleaned, batch.tokens, strict=True
        ):
            if not words:
                out.append(Segments(text=text))
                continue
            o, n = scored.offsets[k], len(words)
            if k in scored.invalid:
                tags = self._viterbi(scored.scores[o : o + n])
            else:
                tags = [labels[i] for i in scored.best[o : o + n]]
            k += 1
            lengths = [len(w) for w in words]
            spans = spans_from_offsets(clean, starts, lengths, tags)
            out.append(segments_from_spans(text, spans, self.rules))
        return out


class _Scored(NamedTuple):
    scores: numpy.ndarray  # all rows of a batch, pad rows included
    offsets: list[int]  # first row of each (non-empty) address
    best: list[int]  # argmax label per row
    invalid: set[int]  # addresses whose argmax tags are not valid BIO


class _Batch(NamedTuple):
    texts: list[str]
    cleaned: list[str]
    tokens: list[tuple[list[str], list[bool], list[int]]]
    feats: tuple[numpy.ndarray, list[int]]


def _batched(texts: Iterable[str], size: int) -> Iterator[list[str]]:
    it = iter(texts)
    while batch := list(itertools.islice(it, max(1, size))):
        yield batch


_lock = threading.Lock()
_cached: Segmenter | None = None


def get_segmenter() -> Segmenter:
    """The process-wide segmenter, loaded from the shipped model on first use."""
    global _cached
    if _cached is None:
        with _lock:
            if _cached is None:
                _cached = Segmenter.load()
    return _cached


# spaCy already loaded (training, ``spacy train --code`` with this file): register, as before the
# split, even if ``notifier.address.tokenizer`` was first imported before spaCy was
if "spacy" in sys.modules:
    register_spacy_tokenizers()

__all__ = [
    "EXPORT_NAME",
    "LABELS",
    "AddressTokenizer",
    "Network",
    "Segmenter",
    "export_network",
    "get_segmenter",
    "load_spacy_pipeline",
    "register_spacy_tokenizers",
    "segments_from_spans",
    "spans_from_offsets",
    "spans_from_tags",
    "tokenize",
]
