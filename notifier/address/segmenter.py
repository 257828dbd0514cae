"""Split a free-text Indian address into labelled parts with the project's own spaCy model.

The shipped pipeline (``notifier/address/model/``) is a blank tokenizer plus one ``tagger`` that
predicts a BIO tag per token (``B-BUILDING``, ``I-BUILDING``, ..., ``O``). A per-token tagger is
~3x faster on CPU than spaCy's transition-based ``ner`` for short texts and is just as accurate
here, because address parts never nest. This module turns the tags into :class:`Segments`, with
light deterministic post-processing: punctuation trimmed from span edges, the first span of each
label kept (a business named after "C/O" yields to a following building), code-like "buildings"
such as "C3" dropped, a place-named society between a unit and a locality made the building
when the model found none, and a 6-digit PIN regex as a back-up for ``pincode``.

Only spaCy is imported at module import: ``notifier segment`` pays for nothing else.
"""

from __future__ import annotations

import itertools
import os
import re
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

import numpy
import spacy
from spacy.attrs import IDS
from spacy.strings import get_string_id
from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab

from notifier.address.segments import FIELDS, LABELS, Segments

DEFAULT_MODEL_DIR = Path(__file__).resolve().parent / "model"

# Batches whose network pass may run at the same time (one per core on the 2-core target box).
PREDICT_THREADS = max(1, min(2, os.cpu_count() or 1))

# Long inputs are cut before tagging (values stay substrings of the full text); a real address
# is a few hundred characters at most, and this keeps one pathological line from stalling a batch.
MAX_CHARS = 1000

# Runs of letters, runs of digits, or one other visible character. Splitting letters from digits
# ("flat7", "Pune-411038", "Kothapalle2-41") and every punctuation mark gives the tagger clean
# units, and every token boundary is also a possible span boundary.
# Short letter groups keep their dot ("G." "M." "Rd." "No.") so initials such as "K.P.R." or
# "G. M. TOWER" stay few tokens, which keeps the whole name inside the tagger's context window.
_TOKEN_RE = re.compile(r"[^\W\d_]{1,3}\.|[^\W\d_]+|\d+|\S")
_TOKEN_SPACE_RE = re.compile(r"([^\W\d_]{1,3}\.|[^\W\d_]+|\d+|\S)( ?)")
# Tokenizer v2 also splits a letter run where a capital follows a small letter: words typed
# without a space ("Prakash ResidancyClose to ...", "RamkyBrookside") become two tokens, so a
# span can end between them. Runs of capitals stay whole ("BLDG", "UGF", "McDONALD" -> Mc DONALD).
_CASE_WORD = r"(?:[A-Z]+|[^\W\d_])[^\W\d_A-Z]*"
_TOKEN_CASE_RE = re.compile(rf"[^\W\d_]{{1,3}}\.|{_CASE_WORD}|\d+|\S")
_TOKEN_CASE_SPACE_RE = re.compile(rf"([^\W\d_]{{1,3}}\.|{_CASE_WORD}|\d+|\S)( ?)")
_ODD_SPACE_RE = re.compile(r"^\s|\s\s|[^\S ]")
_EDGE_PUNCT = " \t\r\n,;:-/|.()[]{}\"'`"
_OFFSET_ATTRS = ["IDX", "LENGTH"]
_WORD_RE = re.compile(r"[^\W\d_]{2,}")
_CARE_OF_RE = re.compile(r"(?:\bc\s*/\s*o|\bcare\s+of)[\s.,:;-]*$", re.I)
# A landmark cue ("Next to", "Opp.") - only the cue, or the start of a longer span.
_CUE = (
    r"(?:near(?:\s+to)?|nr|opp(?:osite)?(?:\s+to)?|next\s+to|behind|beside|besides"
    r"|in\s+front\s+of|adjacent\s+to|close\s+to)"
)
_CUE_ONLY_RE = re.compile(_CUE + r"[\s.]*", re.I)
_CUE_START_RE = re.compile(_CUE + r"\.?\s+\S", re.I)
_CUE_BEFORE_RE = re.compile(r"(?<![^\W\d_])" + _CUE + r"[\s.:-]*$", re.I)
# Village-registry exports join fields with "-1" for an empty one; their address field holds
# village, door number and relation names, and names a building only with a building word.
_REGISTRY_EXPORT_RE = re.compile(r",\s*-1\s*,")
_BUILDING_WORD_RE = re.compile(
    r"(?:bldg|building|apartments?|apts?|complex|towers?|bhawan|bhavan|plaza|enclave|residency"
    r"|nilayam|niwas|nivas|villa|mansion|chambers|house|society|heights|hostel|quarters|arcade)",
    re.I,
)
_GAP_RE = re.compile(r"[\s,.:-]*")
# Words that close a building name: what follows them without a comma is the street or the
# locality ("HANSARAJ BHAWAN STATION CHARIALI", "SRINILAYA APARTMENTS KAVURI HILLS").
_NAME_END_RE = re.compile(
    r"\b(?:apartments?|apts?|appartments?|complex|enclave|enclv|bhawan|bhavan|bhavanam|residency"
    r"|residancy|residences?|plaza|mansions?|niwas|nivas|nilayam|chambers|arcade|building|bldg"
    r"|chsl?|heights|hts|towers|society)\b\.?",
    re.I,
)
# What may still follow that word inside the name: a legal tail, a phase, a number or a code.
_NAME_TAIL_RE = re.compile(
    r"(?:[\s,.:/&-]+|\([^)]*\)?|\b(?:ltd|limited|pvt|phase|annexe?|extn|extension|new|old|no|[ivx]+|\w{1,2}"
    r"|\d\w*)\b)*",
    re.I,
)
# A housing society named like a place ("Jyoti Krupa Nagar", "Yamuna Vihar"): a name of two or
# more words ending in one of these. Single glued words ("Ramnagar") are left to the model.
_SOCIETY_AS_PLACE_RE = re.compile(
    r"\S.*\s(?:nagar|ngr|vihar|kunj|puram|park|colony|enclave|enclv|dham|residency|society)\.?",
    re.I,
)
_PINCODE_RE = re.compile(r"(?<!\d)([1-9]\d{2}) ?(\d{3})(?!\d)")


def tokenize(text: str, split_case: bool = False) -> tuple[list[str], list[bool], list[int]]:
    """Token strings, trailing-space flags and start offsets (the one tokenization rule);
    ``split_case`` is tokenizer v2 (see ``_CASE_WORD``)."""
    words: list[str] = []
    spaces: list[bool] = []
    starts: list[int] = []
    pos = 0
    token_re, token_space_re = (
        (_TOKEN_CASE_RE, _TOKEN_CASE_SPACE_RE) if split_case else (_TOKEN_RE, _TOKEN_SPACE_RE)
    )
    if not _ODD_SPACE_RE.search(text):
        # fast path (nearly every address): only single spaces between tokens
        for word, space in token_space_re.findall(text):
            words.append(word)
            spaces.append(bool(space))
            starts.append(pos)
            pos += len(word) + len(space)
        return words, spaces, starts
    for match in token_re.finditer(text):
        start = match.start()
        if start > pos:
            _add_gap(text[pos:start], pos, words, spaces, starts)
        words.append(match.group())
        spaces.append(False)
        starts.append(start)
        pos = match.end()
    if pos < len(text):
        _add_gap(text[pos:], pos, words, spaces, starts)
    return words, spaces, starts


class AddressTokenizer:
    """Regex tokenizer whose ``Doc.text`` is exactly the input (whitespace kept as tokens)."""

    def __init__(self, vocab: Vocab, split_case: bool = False) -> None:
        self.vocab = vocab
        self.split_case = split_case

    def __call__(self, text: str) -> Doc:
        words, spaces, _ = tokenize(text, self.split_case)
        return Doc(self.vocab, words=words, spaces=spaces)

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[Doc]:
        for text in texts:
            yield self(text)

    # Nothing to save: the rules are code, so the model directory holds no tokenizer data.
    def to_bytes(self, **kwargs: object) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs: object) -> AddressTokenizer:
        return self

    def to_disk(self, path: str | Path, **kwargs: object) -> None:
        Path(path).mkdir(parents=True, exist_ok=True)

    def from_disk(self, path: str | Path, **kwargs: object) -> AddressTokenizer:
        return self


def _add_gap(gap: str, pos: int, words: list[str], spaces: list[bool], starts: list[int]) -> None:
    """Whitespace between tokens: one plain space rides on the previous token, the rest is a
    token of its own."""
    if words and gap[0] == " " and not spaces[-1]:
        spaces[-1] = True
        gap = gap[1:]
        pos += 1
    if gap:
        words.append(gap)
        spaces.append(False)
        starts.append(pos)


@registry.tokenizers("notifier.address_tokenizer.v1")
def create_address_tokenizer() -> Callable[[spacy.Language], AddressTokenizer]:
    def make(nlp: spacy.Language) -> AddressTokenizer:
        return AddressTokenizer(nlp.vocab)

    return make


@registry.tokenizers("notifier.address_tokenizer.v2")
def create_address_tokenizer_v2() -> Callable[[spacy.Language], AddressTokenizer]:
    """v1 plus a split where a capital follows a small letter (models trained with v2)."""

    def make(nlp: spacy.Language) -> AddressTokenizer:
        return AddressTokenizer(nlp.vocab, split_case=True)

    return make


def spans_from_tags(
    doc: Doc, tags: list[str], text: str | None = None
) -> list[tuple[int, int, str]]:
    """BIO tags (one per token of ``doc``) -> character spans ``(start, end, LABEL)``."""
    rows = doc.to_array(_OFFSET_ATTRS).tolist() if len(doc) else []
    return spans_from_offsets(
        doc.text if text is None else text, [r[0] for r in rows], [r[1] for r in rows], tags
    )


def spans_from_offsets(
    text: str, starts: list[int], lengths: list[int], tags: list[str]
) -> list[tuple[int, int, str]]:
    """BIO tags per token (given by start offset and length) -> trimmed character spans.

    Lenient decoding: an ``I-X`` that does not follow ``X`` starts a new span, whitespace tokens
    never start one; punctuation is trimmed from both span edges.
    """
    spans: list[tuple[int, int, str]] = []
    cur_label: str | None = None
    cur_start = cur_end = 0
    for idx, length, tag in zip(starts, lengths, tags, strict=False):
        is_space = text[idx].isspace()
        if tag == "O" or (is_space and cur_label is None):
            if cur_label is not None:
                spans.append((cur_start, cur_end, cur_label))
                cur_label = None
            continue
        prefix, _, label = tag.partition("-")
        if cur_label == label and prefix == "I":
            if not is_space:
                cur_end = idx + length
            continue
        if cur_label is not None:
            spans.append((cur_start, cur_end, cur_label))
        cur_label, cur_start, cur_end = label, idx, idx + length
    if cur_label is not None:
        spans.append((cur_start, cur_end, cur_label))
    trimmed = []
    for start, end, label in spans:
        start, end = _trim(text, start, end)
        if end > start:
            trimmed.append((start, end, label))
    return trimmed


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop edge punctuation, and anything from an unclosed "(" on (a note such as "(on
    weekdays" is not part of a name); a closed "(MHC)" at the end is kept."""
    opened = text.rfind("(", start, end)
    if opened != -1 and text.find(")", opened, end) == -1:
        end = opened
    while start < end and text[start] in _EDGE_PUNCT:
        start += 1
    while end > start and text[end - 1] in _EDGE_PUNCT:
        if text[end - 1] == ")" and "(" in text[start : end - 1]:
            break
        end -= 1
    return start, end


def _landmarks(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """A place after a landmark cue is the landmark: a lone cue span ("Next to") joins the span
    right after it, and a locality/street/city span that starts with a cue ("Opposite Big
    Bazaar") is relabelled, since no locality or road name starts with "near"/"opposite"."""
    out: list[tuple[int, int, str]] = []
    i = 0
    while i < len(spans):
        start, end, label = spans[i]
        nxt = spans[i + 1] if i + 1 < len(spans) else None
        if (
            label == "LANDMARK"
            and nxt is not None
            and _CUE_ONLY_RE.fullmatch(text, start, end)
            and _GAP_RE.fullmatch(text, end, nxt[0])
            and nxt[2] in ("LOCALITY", "STREET", "BUILDING", "LANDMARK")
        ):
            out.append((start, nxt[1], "LANDMARK"))
            i += 2
            continue
        if label in ("LOCALITY", "STREET", "CITY") and _CUE_START_RE.match(text, start, end):
            label = "LANDMARK"
        elif label in ("LOCALITY", "STREET", "BUILDING"):
            # "..., Near Big Bazaar, ..." with the cue left untagged: the place is a landmark
            prev_end = out[-1][1] if out else 0
            cue = _CUE_BEFORE_RE.search(text, prev_end, start)
            if cue is not None:
                start, label = cue.start(), "LANDMARK"
        out.append((start, end, label))
        i += 1
    return out


def segments_from_spans(text: str, spans: list[tuple[int, int, str]]) -> Segments:
    """First span of each label wins (addresses list the most specific part first)."""
    values: dict[str, str] = {}
    spans = _landmarks(text, spans)
    # a building name has a word in it; a lone code such as "C3" or "B-12" is a unit number
    spans = [sp for sp in spans if sp[2] != "BUILDING" or _WORD_RE.search(text, sp[0], sp[1])]
    if _REGISTRY_EXPORT_RE.search(text):
        spans = [
            sp
            for sp in spans
            if sp[2] != "BUILDING" or _BUILDING_WORD_RE.search(text, sp[0], sp[1])
        ]
    else:  # (registry rows repeat village names, "SC Colony, SC Colony": no society rule there)
        spans = _society_building(text, spans)
    spans = [_end_at_building_word(text, sp) if sp[2] == "BUILDING" else sp for sp in spans]
    buildings = [sp for sp in spans if sp[2] == "BUILDING"]
    if len(buildings) > 1 and _CARE_OF_RE.search(text[: buildings[0][0]]):
        # "C/O Verma Traders, Lotus Apartments, ...": a business written as the care-of is the
        # building only when no other building follows it
        spans = [sp for sp in spans if sp is not buildings[0]]
    for start, end, label in spans:
        field = label.lower()
        if field in FIELDS and field not in values:
            values[field] = text[start:end]
    if "pincode" not in values:
        # Deterministic back-up: a 6-digit Indian PIN (first digit 1-9, optional middle space).
        # Only when the model found none, and only as the last 6-digit group (PIN comes last).
        found = list(_PINCODE_RE.finditer(text))
        if found and not _looks_like_phone(text, found[-1]):
            values["pincode"] = found[-1].group()
    return Segments(text=text, **values)


def _end_at_building_word(text: str, span: tuple[int, int, str]) -> tuple[int, int, str]:
    """Cut a building span after its last building word when more words follow it inside the
    span: the tagger sometimes runs on into the street or locality when no comma separates
    them. A legal tail, phase or number after the word stays ("... CHS Ltd", "... Phase 2")."""
    start, end, label = span
    last = None
    for found in _NAME_END_RE.finditer(text, start, end):
        last = found
    if last is None or last.end() >= end or _NAME_TAIL_RE.fullmatch(text, last.end(), end):
        return span
    return start, last.end(), label


def _society_building(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The labelling policy for societies named like places, applied when the model found no
    building: "Flat 1703, Sundar Brindavan Nagar, Kolshet, Thane" - a place-like name right after
    a unit, with another locality after it, is the building the unit sits in ("Flat 7, Vasant
    Kunj, New Delhi", with only the city after it, stays the locality). The tagger sees only a
    few tokens either side, so it often cannot tell these two apart on its own."""
    if any(sp[2] == "BUILDING" for sp in spans):
        return spans
    for i in range(1, len(spans) - 1):
        start, end, label = spans[i]
        if label != "LOCALITY":
            continue
        prev = spans[i - 1]
        if (
            prev[2] == "UNIT"
            and _GAP_RE.fullmatch(text, prev[1], start)
            and _SOCIETY_AS_PLACE_RE.fullmatch(text, start, end)
            and any(
                sp[2] == "LOCALITY" and text[sp[0] : sp[1]].lower() != text[start:end].lower()
                for sp in spans[i + 1 :]
            )
        ):
            return [*spans[:i], (start, end, "BUILDING"), *spans[i + 1 :]]
        break  # only the first locality can be the building the unit sits in
    return spans


def _looks_like_phone(text: str, match: re.Match[str]) -> bool:
    return bool(re.search(r"\d", text[match.end() : match.end() + 1])) or bool(
        re.search(r"\d", text[max(0, match.start() - 1) : match.start()])
    )


def _clean(text: str) -> str:
    # Control characters become spaces (same length, so offsets still index the original text).
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() or ch in "\t\n" else " " for ch in text)


class Segmenter:
    """Address segmenter backed by the trained spaCy pipeline."""

    def __init__(self, nlp: spacy.Language) -> None:
        self.nlp = nlp
        self._tagger = nlp.get_pipe("tagger")
        self._labels: tuple[str, ...] = tuple(self._tagger.labels)
        self._trans: tuple[numpy.ndarray, numpy.ndarray] | None = None
        getters = nlp.vocab.lex_attr_getters
        self._feature_getters = [getters[IDS[c]] for c in _feature_columns(self._tagger.model)]
        self._feature_cache: dict[str, tuple[int, ...]] = {}
        # the fast path must tokenize exactly as the model's own tokenizer did in training
        self._split_case = bool(getattr(nlp.tokenizer, "split_case", False))

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
        trans, start = self._transitions()
        # the tagger's output layer is unnormalised (normalize=false): log-softmax it here
        shifted = probs - probs.max(axis=1, keepdims=True)
        logp = shifted - numpy.log(numpy.exp(shifted).sum(axis=1, keepdims=True))
        score = logp[0] + start
        back = []
        for t in range(1, len(logp)):
            cand = score[:, None] + trans
            best = cand.argmax(axis=0)
            back.append(best)
            score = cand[best, numpy.arange(len(best))] + logp[t]
        path = [int(score.argmax())]
        for best in reversed(back):
            path.append(int(best[path[-1]]))
        return [self._labels[i] for i in reversed(path)]

    def _transitions(self) -> tuple[numpy.ndarray, numpy.ndarray]:
        if self._trans is None:
            labels = self._labels
            k = len(labels)
            trans = numpy.zeros((k, k), dtype="float32")
            start = numpy.zeros(k, dtype="float32")
            for j, cur in enumerate(labels):
                if cur.startswith("I-"):
                    start[j] = -1e4
                    for i, prev in enumerate(labels):
                        if prev[2:] != cur[2:]:
                            trans[i, j] = -1e4  # I-X only after B-X or I-X
            self._trans = (trans, start)
        return self._trans

    @classmethod
    def load(cls, path: str | Path | None = None) -> Segmenter:
        model_dir = Path(path) if path is not None else DEFAULT_MODEL_DIR
        if not (model_dir / "config.cfg").is_file():
            raise FileNotFoundError(
                f"address model not found at {model_dir}; train it with `python -m nlp.train` "
                "(it ships inside the package at notifier/address/model/)"
            )
        # Components at inference: the pipeline only ever holds the tokenizer and the tagger (no
        # parser, lemmatizer, ner or vectors to disable). Neither runs as a pipeline step here:
        # the tagger's set_annotations (writing token.tag_) and the Doc-building tokenizer are
        # bypassed, because _prepare/_finish compute the same inputs and read the raw scores.
        nlp = spacy.load(model_dir)
        return cls(nlp)

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
            pending: deque[tuple[_Batch, Future[list[numpy.ndarray]]]] = deque()
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
        # Inference skips spaCy Doc objects: the network reads only four hashed lexeme attributes
        # per token (the FeatureExtractor columns NORM/PREFIX/SUFFIX/SHAPE); they are computed here
        # with the vocab's own attribute functions and cached per word. Building Docs cost about
        # as much as the network; tests check both paths give identical features and results.
        cleaned = [_clean(t[:MAX_CHARS]) if t else "" for t in texts]
        tokens = [tokenize(t, self._split_case) for t in cleaned]
        feats = [_Features(self._features(words)) for words, _, _ in tokens if words]
        return _Batch(texts, cleaned, tokens, feats)

    def _predict(self, feats: list[_Features]) -> list[numpy.ndarray]:
        return list(self._tagger.model.predict(feats)) if feats else []

    def _finish(self, batch: _Batch, scores: list[numpy.ndarray]) -> list[Segments]:
        out: list[Segments] = []
        it = iter(scores)
        for text, clean, (words, _, starts) in zip(
            batch.texts, batch.cleaned, batch.tokens, strict=True
        ):
            if not words:
                out.append(Segments(text=text))
                continue
            tags = self._decode(next(it))
            lengths = [len(w) for w in words]
            out.append(segments_from_spans(text, spans_from_offsets(clean, starts, lengths, tags)))
        return out

    def _features(self, words: list[str]) -> numpy.ndarray:
        cache = self._feature_cache
        if len(cache) > 500_000:  # bound memory in long-running workers
            cache.clear()
        rows = []
        for word in words:
            row = cache.get(word)
            if row is None:
                row = cache[word] = tuple(get_string_id(f(word)) for f in self._feature_getters)
            rows.append(row)
        return numpy.asarray(rows, dtype="uint64")


def _feature_columns(model: object) -> list[str]:
    """The lexeme attributes the network's FeatureExtractor reads, in column order."""
    for node in model.walk():  # type: ignore[attr-defined]
        if node.name == "extract_features":
            return [str(c).upper() for c in node.attrs["columns"]]
    raise ValueError("address model has no feature extractor; retrain with nlp/configs")


class _Batch(NamedTuple):
    texts: list[str]
    cleaned: list[str]
    tokens: list[tuple[list[str], list[bool], list[int]]]
    feats: list[_Features]


def _batched(texts: Iterable[str], size: int) -> Iterator[list[str]]:
    it = iter(texts)
    while batch := list(itertools.islice(it, max(1, size))):
        yield batch


class _Features:
    """Stands in for a Doc in the FeatureExtractor, which only calls ``to_array(columns)``."""

    __slots__ = ("rows",)

    def __init__(self, rows: numpy.ndarray) -> None:
        self.rows = rows

    def to_array(self, columns: object) -> numpy.ndarray:
        return self.rows

    def __len__(self) -> int:
        return len(self.rows)


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


__all__ = ["LABELS", "AddressTokenizer", "Segmenter", "get_segmenter", "spans_from_tags"]
