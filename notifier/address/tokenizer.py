"""The address tokenizer: one regex rule, used by training (as a spaCy tokenizer) and inference.

``tokenize`` splits a free-text address into runs of letters, runs of digits and single other
characters, keeping every character (whitespace included) so offsets index the original text.
``AddressTokenizer`` wraps it for spaCy; its factories are registered under the names that the
training configs use (``notifier.address_tokenizer.v1``/``v2``/``v3``). Registration needs spaCy,
so it happens at import only when spaCy is already loaded (training, ``spacy train --code``),
else through :func:`register_spacy_tokenizers`, so inference never imports spaCy just for it.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import spacy
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

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
# Tokenizer v3 also splits a building abbreviation glued to the next word ("BORA BLDGPANBAZAR
# ROAD", "Narayan Seva CHSMALAD"): only abbreviations no Indian or English word starts with.
# A capital abbreviation before a capital ("CHSMalad", "BLDGPANBAZAR"), a small one before a
# small letter: "BldgSarojini" is already split at the capital (v2), and a case-blind match
# would take its "S" as a plural ("BldgS" + "arojini").
_GLUED = (
    r"(?:BLDGS?|APPTS|APTS|CHSL|CHS)(?=[^\W\d_a-z][^\W\d_]{2})"
    r"|(?:[Bb]ldgs?|[Aa]ppts|[Aa]pts|[Cc]hsl|[Cc]hs)(?=[^\W\d_A-Z]{3})"
)
# (the glued branch after the dotted one, behind a first-letter guard: the same tokens, since
# the two never match at one position, and ~10% faster than trying it first everywhere)
_GLUED_FIRST = rf"(?=[ABCabc])(?:{_GLUED})"
_TOKEN_GLUED_RE = re.compile(rf"[^\W\d_]{{1,3}}\.|{_GLUED_FIRST}|{_CASE_WORD}|\d+|\S")
_TOKEN_GLUED_SPACE_RE = re.compile(rf"([^\W\d_]{{1,3}}\.|{_GLUED_FIRST}|{_CASE_WORD}|\d+|\S)( ?)")
_ODD_SPACE_RE = re.compile(r"^\s|\s\s|[^\S ]")


def tokenize(
    text: str, split_case: bool = False, split_glued: bool = False
) -> tuple[list[str], list[bool], list[int]]:
    """Token strings, trailing-space flags and start offsets (the one tokenization rule);
    ``split_case`` is tokenizer v2 (see ``_CASE_WORD``), ``split_glued`` v3 (``_GLUED``)."""
    words: list[str] = []
    spaces: list[bool] = []
    starts: list[int] = []
    pos = 0
    if split_glued:
        token_re, token_space_re = _TOKEN_GLUED_RE, _TOKEN_GLUED_SPACE_RE
    elif split_case:
        token_re, token_space_re = _TOKEN_CASE_RE, _TOKEN_CASE_SPACE_RE
    else:
        token_re, token_space_re = _TOKEN_RE, _TOKEN_SPACE_RE
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

    def __init__(self, vocab: Vocab, split_case: bool = False, split_glued: bool = False) -> None:
        self.vocab = vocab
        self.split_case = split_case or split_glued
        self.split_glued = split_glued

    def __call__(self, text: str) -> Doc:
        from spacy.tokens import Doc

        words, spaces, _ = tokenize(text, self.split_case, self.split_glued)
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


def create_address_tokenizer() -> Callable[[spacy.Language], AddressTokenizer]:
    def make(nlp: spacy.Language) -> AddressTokenizer:
        return AddressTokenizer(nlp.vocab)

    return make


def create_address_tokenizer_v2() -> Callable[[spacy.Language], AddressTokenizer]:
    """v1 plus a split where a capital follows a small letter (models trained with v2)."""

    def make(nlp: spacy.Language) -> AddressTokenizer:
        return AddressTokenizer(nlp.vocab, split_case=True)

    return make


def create_address_tokenizer_v3() -> Callable[[spacy.Language], AddressTokenizer]:
    """v2 plus a split after a glued building abbreviation (models trained with v3)."""

    def make(nlp: spacy.Language) -> AddressTokenizer:
        return AddressTokenizer(nlp.vocab, split_case=True, split_glued=True)

    return make


_TOKENIZERS = {
    "notifier.address_tokenizer.v1": create_address_tokenizer,
    "notifier.address_tokenizer.v2": create_address_tokenizer_v2,
    "notifier.address_tokenizer.v3": create_address_tokenizer_v3,
}


def register_spacy_tokenizers() -> None:
    """Register our tokenizers in spaCy's registry (needed to train or ``spacy.load`` a model).
    Done at import when spaCy is already loaded (``spacy train --code``, training, tests), else
    by the code that loads spaCy here, so inference never imports spaCy just to register."""
    from spacy.util import registry

    for name, factory in _TOKENIZERS.items():
        if name not in registry.tokenizers:
            registry.tokenizers.register(name, func=factory)


if "spacy" in sys.modules:  # spaCy already loaded (training, ``spacy train --code``): register
    register_spacy_tokenizers()
