"""The trained spaCy tagger as a small numpy forward pass over exported weights.

Why: ``notifier segment`` runs as a whole process, start-up included, and importing spaCy
alone costs ~0.5 s and ~80 MB; the numpy pass imports only numpy (whole-process speed is
measured by ``bench/segment.py``). :func:`export_network` writes the weights as ``tagger.npz``
(:data:`EXPORT_NAME`) into the model folder; tests pin the features, hashes and scores to
spaCy's and thinc's own output, and a model folder without the export still loads, through
spaCy (:func:`load_spacy_pipeline` + :meth:`Network.from_spacy`).
"""

from __future__ import annotations

import json
import threading
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy

from notifier.address.tokenizer import register_spacy_tokenizers

if TYPE_CHECKING:
    import spacy

EXPORT_NAME = "tagger.npz"
_M64 = 0xFFFFFFFFFFFFFFFF


def _hash_string(text: str) -> int:
    """spaCy's string id (``spacy.strings.hash_string``): MurmurHash64A of the UTF-8 bytes,
    seed 1. Pure Python, but called once per distinct feature string (results are cached)."""
    data = text.encode("utf8")
    m = 0xC6A4A7935BD1E995
    h = (1 ^ (len(data) * m)) & _M64
    n = len(data) // 8 * 8
    for i in range(0, n, 8):
        k = (int.from_bytes(data[i : i + 8], "little") * m) & _M64
        k = ((k ^ (k >> 47)) * m) & _M64
        h = ((h ^ k) * m) & _M64
    if n < len(data):
        h = ((h ^ int.from_bytes(data[n:], "little")) * m) & _M64
    h = ((h ^ (h >> 47)) * m) & _M64
    return h ^ (h >> 47)


def _hash_ids(ids: numpy.ndarray, seed: int) -> numpy.ndarray:
    """thinc's ``NumpyOps.hash`` (MurmurHash3 x64 128 of one uint64 key), vectorised: four
    uint32 keys per id, the rows a HashEmbed table sums."""
    u = numpy.uint64
    with numpy.errstate(over="ignore"):
        h1 = ids.astype(u) * u(0x87C37B91114253D5)
        h1 = (h1 << u(31)) | (h1 >> u(33))
        h1 = h1 * u(0x4CF5AD432745937F)
        h1 ^= u(seed)
        h1 ^= u(8)
        h2 = numpy.full_like(h1, u(seed) ^ u(8))
        h1 = h1 + h2
        h2 = h2 + h1
        h1 = _fmix64(h1)
        h2 = _fmix64(h2)
        h1 = h1 + h2
        h2 = h2 + h1
    low = u(0xFFFFFFFF)
    return numpy.stack([h1 & low, h1 >> u(32), h2 & low, h2 >> u(32)], axis=1)


def _fmix64(h: numpy.ndarray) -> numpy.ndarray:
    u = numpy.uint64
    h = h ^ (h >> u(33))
    h = h * u(0xFF51AFD7ED558CCD)
    h = h ^ (h >> u(33))
    h = h * u(0xC4CEB9FE1A85EC53)
    return h ^ (h >> u(33))


def _word_shape(text: str) -> str:
    """spaCy's SHAPE (``spacy.lang.lex_attrs.word_shape``): "Flat7" -> "Xxxxd"."""
    if len(text) >= 100:
        return "LONG"
    shape = []
    last = ""
    seq = 0
    for char in text:
        if char.isalpha():
            shape_char = "X" if char.isupper() else "x"
        elif char.isdigit():
            shape_char = "d"
        else:
            shape_char = char
        if shape_char == last:
            seq += 1
        else:
            seq = 0
            last = shape_char
        if seq < 4:
            shape.append(shape_char)
    return "".join(shape)


def _maxout_weights(w: numpy.ndarray, b: numpy.ndarray) -> tuple[numpy.ndarray, numpy.ndarray]:
    """thinc Maxout weights (nO, nP, nI) as one (nI, nP*nO) matrix, piece by piece, so the max
    over pieces is an elementwise maximum of column blocks (a strided max is ~5x slower)."""
    n_out, pieces, n_in = w.shape
    wp = numpy.ascontiguousarray(w.transpose(2, 1, 0).reshape(n_in, pieces * n_out))
    return wp, numpy.ascontiguousarray(b.T.reshape(-1))


def _maxout(x: numpy.ndarray, wp: numpy.ndarray, bp: numpy.ndarray, pieces: int) -> numpy.ndarray:
    y = x @ wp
    y += bp
    n_out = len(bp) // pieces
    out = y[:, :n_out]
    for p in range(1, pieces):
        out = numpy.maximum(out, y[:, p * n_out : (p + 1) * n_out])
    return out


def _layernorm(x: numpy.ndarray, g: numpy.ndarray, b: numpy.ndarray) -> numpy.ndarray:
    # thinc LayerNorm: (x - mean) / sqrt(var + 1e-8) * G + b
    d = x - x.mean(axis=1, keepdims=True)
    var = numpy.einsum("ij,ij->i", d, d)[:, None] / x.shape[1] + 1e-08
    d *= 1.0 / numpy.sqrt(var)
    d *= g
    d += b
    return d


class Network:
    """The trained tagger's forward pass in numpy, exactly as thinc computes it at inference:
    four hash embeddings (NORM/PREFIX/SUFFIX/SHAPE) -> maxout + layer norm (per word, so cached
    per distinct word) -> residual window-CNN blocks over each address -> linear tag scores.
    Weights come from the spaCy model (:meth:`from_spacy`) and ship as ``tagger.npz``; a test
    checks the scores against spaCy's own ``predict``."""

    def __init__(self, arrays: dict[str, numpy.ndarray], meta: dict[str, Any]) -> None:
        self.arrays = arrays
        self.meta = meta
        self.labels: tuple[str, ...] = tuple(meta["labels"])
        self.split_case: bool = bool(meta["split_case"])
        self.split_glued: bool = bool(meta.get("split_glued", False))
        self._window: int = int(meta["window"])
        self._pad: int = int(meta["pad"])
        self._blocks: int = int(meta["blocks"])
        self._seeds: list[int] = [int(v) for v in meta["seeds"]]
        self._norm_exceptions: dict[str, str] = meta["norm_exceptions"]
        self._symbols: dict[str, int] = meta["symbols"]
        self._tables = [arrays[f"embed{i}"] for i in range(len(self._seeds))]
        # (weights, bias, pieces, G, b) per maxout + layer norm layer, in the fast layout
        self._layers = {
            name: (
                *_maxout_weights(arrays[f"{name}_W"], arrays[f"{name}_b"]),
                int(arrays[f"{name}_W"].shape[1]),
                arrays[f"{name}_G"],
                arrays[f"{name}_beta"],
            )
            for name in ["mix", *(f"cnn{i}" for i in range(1, self._blocks + 1))]
        }
        self._out_w = numpy.ascontiguousarray(arrays["out_W"].T)
        self._out_b = arrays["out_b"]
        width = int(arrays["mix_W"].shape[0])
        self._rows: dict[str, int] = {}  # word -> row of self._store
        self._store = numpy.zeros((1024, width), dtype="float32")
        self._ids: dict[str, int] = {}  # feature string -> spaCy string id
        self._lock = threading.Lock()

    # --- export --------------------------------------------------------------------------
    @classmethod
    def from_spacy(cls, nlp: spacy.Language) -> Network:
        """Read the weights out of a trained pipeline (config ``nlp/configs/segmenter.cfg``)."""
        from spacy.attrs import IDS
        from spacy.pipeline import Tagger
        from spacy.symbols import IDS as SYMBOLS

        tagger = nlp.get_pipe("tagger")
        if not isinstance(tagger, Tagger):  # get_pipe is typed as any Doc -> Doc callable
            raise ValueError("the pipeline's 'tagger' is not a spaCy Tagger")
        nodes = list(tagger.model.walk())
        embeds = [n for n in nodes if n.name == "hashembed"]
        maxouts = [n for n in nodes if n.name == "maxout"]
        norms = [n for n in nodes if n.name == "layernorm"]
        windows = [n for n in nodes if n.name == "expand_window"]
        softmax = [n for n in nodes if n.name == "softmax"]
        encoders = [n for n in nodes if n.name.startswith("with_array(residual(")]
        columns = _feature_columns(tagger.model)
        if (
            len(embeds) != len(columns)
            or len(maxouts) != len(windows) + 1
            or len(norms) != len(maxouts)
            or len(softmax) != 1
            or len(encoders) != 1
            or softmax[0].attrs.get("softmax_normalize", False)
            or columns != ["NORM", "PREFIX", "SUFFIX", "SHAPE"]
            or len({int(w.attrs["window_size"]) for w in windows}) != 1
        ):
            raise ValueError("unexpected tagger architecture; see nlp/configs/segmenter.cfg")
        # spaCy's vocab.pyi omits this attribute of Vocab (vocab.pyx declares it)
        getters = nlp.vocab.lex_attr_getters  # type: ignore[attr-defined]
        norm = getters[IDS["NORM"]]
        lookups = getattr(norm, "args", ((), ()))[1]
        exceptions: dict[str, str] = {}
        for table in lookups:
            exceptions.update({k: v for k, v in dict(table).items() if k not in exceptions})
        arrays: dict[str, numpy.ndarray] = {}
        for i, node in enumerate(sorted(embeds, key=lambda n: int(n.attrs["column"]))):
            arrays[f"embed{i}"] = numpy.asarray(node.get_param("E"), dtype="float32")
        for i, (mo, ln) in enumerate(zip(maxouts, norms, strict=True)):
            name = "mix" if i == 0 else f"cnn{i}"
            arrays[f"{name}_W"] = numpy.asarray(mo.get_param("W"), dtype="float32")
            arrays[f"{name}_b"] = numpy.asarray(mo.get_param("b"), dtype="float32")
            arrays[f"{name}_G"] = numpy.asarray(ln.get_param("G"), dtype="float32")
            arrays[f"{name}_beta"] = numpy.asarray(ln.get_param("b"), dtype="float32")
        arrays["out_W"] = numpy.asarray(softmax[0].get_param("W"), dtype="float32")
        arrays["out_b"] = numpy.asarray(softmax[0].get_param("b"), dtype="float32")
        meta = {
            "labels": list(tagger.labels),
            "split_case": bool(getattr(nlp.tokenizer, "split_case", False)),
            "split_glued": bool(getattr(nlp.tokenizer, "split_glued", False)),
            "window": int(windows[0].attrs["window_size"]),
            "pad": int(encoders[0].attrs["pad"]),
            "blocks": len(windows),
            "seeds": [
                int(n.attrs["seed"]) for n in sorted(embeds, key=lambda n: n.attrs["column"])
            ],
            "norm_exceptions": exceptions,
            "symbols": {k: int(v) for k, v in SYMBOLS.items()},
        }
        return cls(arrays, meta)

    def save(self, path: str | Path) -> None:
        meta = numpy.array(json.dumps(self.meta, ensure_ascii=False, sort_keys=True))
        with open(path, "wb") as fh:
            # uncompressed: loads faster. numpy's stub lets **kwds bind its allow_pickle flag
            # too; no exported array is named so.
            numpy.savez(fh, __meta__=meta, **self.arrays)  # type: ignore[arg-type]

    @classmethod
    def load(cls, path: str | Path) -> Network:
        try:
            with numpy.load(path, allow_pickle=False) as data:
                arrays = {k: data[k] for k in data.files if k != "__meta__"}
                meta = json.loads(str(data["__meta__"]))
            return cls(arrays, meta)
        except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
            raise ValueError(
                f"unreadable model export {path} ({type(exc).__name__}: {exc}); re-export it "
                "with `python -m nlp.train --package MODEL_DIR`"
            ) from exc

    # --- inference -----------------------------------------------------------------------
    def features(self, words: list[str]) -> numpy.ndarray:
        """spaCy's NORM/PREFIX/SUFFIX/SHAPE string ids per word (the FeatureExtractor input)."""
        ids = self._ids
        exc = self._norm_exceptions
        rows = []
        for word in words:
            row = []
            for value in (exc.get(word) or word.lower(), word[0], word[-3:], _word_shape(word)):
                key = ids.get(value)
                if key is None:
                    key = ids[value] = self._string_id(value)
                row.append(key)
            rows.append(row)
        return numpy.asarray(rows, dtype="uint64").reshape(len(words), 4)

    def _string_id(self, value: str) -> int:
        if not value:
            return 0
        symbol = self._symbols.get(value)
        return symbol if symbol is not None else _hash_string(value)

    def word_vectors(self, ids: numpy.ndarray) -> numpy.ndarray:
        """Per-word input vectors: summed hash-embedding rows, then maxout + layer norm."""
        parts = []
        for col, (table, seed) in enumerate(zip(self._tables, self._seeds, strict=True)):
            keys = _hash_ids(ids[:, col], seed) % numpy.uint64(len(table))
            parts.append(table[keys.astype("int64")].sum(axis=1))
        wp, bp, pieces, g, beta = self._layers["mix"]
        return _layernorm(_maxout(numpy.concatenate(parts, axis=1), wp, bp, pieces), g, beta)

    def embed(self, docs: list[list[str]]) -> tuple[numpy.ndarray, list[int]]:
        """All tokens' input vectors stacked, and the token count of each address. Vectors are
        cached per distinct word (bounded), so only new words are hashed and embedded."""
        with self._lock:  # the cache is shared by every thread using this segmenter
            return self._embed(docs)

    def _embed(self, docs: list[list[str]]) -> tuple[numpy.ndarray, list[int]]:
        rows = self._rows
        if len(rows) > 500_000:  # bound memory in long-running workers
            rows.clear()
        new: list[str] = []
        seen_new: set[str] = set()
        for words in docs:
            for w in words:
                if w not in rows and w not in seen_new:
                    seen_new.add(w)
                    new.append(w)
        if new:
            vectors = self.word_vectors(self.features(new))
            base = len(rows)
            if base + len(new) > len(self._store):
                grown = numpy.zeros(
                    (max(2 * len(self._store), base + len(new)), vectors.shape[1]), dtype="float32"
                )
                grown[:base] = self._store[:base]
                self._store = grown
            self._store[base : base + len(new)] = vectors
            for i, w in enumerate(new, base):
                rows[w] = i
        index = [rows[w] for words in docs for w in words]
        return self._store[index], [len(words) for words in docs]

    def encode(self, x: numpy.ndarray, lengths: list[int]) -> list[numpy.ndarray]:
        """Tag scores per address from its tokens' input vectors. As in thinc, the addresses are
        laid end to end with ``pad`` zero rows around each, so windows never mix two addresses."""
        scores, offsets = self.encode_flat(x, lengths)
        return [scores[o : o + n] for o, n in zip(offsets, lengths, strict=True)]

    def encode_flat(self, x: numpy.ndarray, lengths: list[int]) -> tuple[numpy.ndarray, list[int]]:
        """:meth:`encode` as one array (pad rows included) and each address's first row."""
        pad, nw = self._pad, self._window
        width = x.shape[1]
        total = sum(lengths) + pad * (len(lengths) + 1)
        flat = numpy.zeros((total, width), dtype="float32")
        offsets = []
        pos, src = pad, 0
        for n in lengths:
            flat[pos : pos + n] = x[src : src + n]
            offsets.append(pos)
            pos += n + pad
            src += n
        for i in range(1, self._blocks + 1):
            padded = numpy.zeros((total + 2 * nw, width), dtype="float32")
            padded[nw : nw + total] = flat
            cols = numpy.concatenate([padded[k : k + total] for k in range(2 * nw + 1)], axis=1)
            wp, bp, pieces, g, beta = self._layers[f"cnn{i}"]
            flat += _layernorm(_maxout(cols, wp, bp, pieces), g, beta)
        scores = flat @ self._out_w
        scores += self._out_b
        return scores, offsets


def load_spacy_pipeline(path: str | Path) -> spacy.Language:
    """The trained spaCy pipeline itself (training, export and the equivalence test)."""
    import spacy

    register_spacy_tokenizers()
    return spacy.load(path)


def export_network(model_dir: str | Path) -> Path:
    """Write ``tagger.npz`` (the numpy export of the tagger) into a spaCy model folder."""
    dest = Path(model_dir) / EXPORT_NAME
    Network.from_spacy(load_spacy_pipeline(model_dir)).save(dest)
    return dest


def _feature_columns(model: object) -> list[str]:
    """The lexeme attributes the network's FeatureExtractor reads, in column order."""
    for node in model.walk():  # type: ignore[attr-defined]
        if node.name == "extract_features":
            return [str(c).upper() for c in node.attrs["columns"]]
    raise ValueError("address model has no feature extractor; retrain with nlp/configs")
