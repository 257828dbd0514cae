"""The regex tokenizer keeps the text intact, and labelled spans survive tags -> spans."""

from __future__ import annotations

import pytest
import spacy

from nlp.generate import generate, to_doc
from notifier.address.segmenter import AddressTokenizer, spans_from_tags


@pytest.fixture(scope="module")
def nlp() -> spacy.Language:
    return spacy.blank(
        "en", config={"nlp": {"tokenizer": {"@tokenizers": "notifier.address_tokenizer.v1"}}}
    )


@pytest.mark.parametrize(
    "text",
    [
        "Flat 1207, Hill Ridge Villas, ISB Road, Gachibowli, Hyderabad 500032",
        "  leading and trailing   ",
        "tabs\tand\nnewlines\r\n",
        "flat3,greenpark,saketnewdelhi110017",
        "गली नंबर 4, दिल्ली 110006 🏠",
        "",
        "x" * 5000,
    ],
)
def test_doc_text_is_the_input(nlp: spacy.Language, text: str) -> None:
    doc = nlp.make_doc(text)
    assert isinstance(nlp.tokenizer, AddressTokenizer)
    assert doc.text == text


def test_letters_digits_and_punctuation_are_split(nlp: spacy.Language) -> None:
    words = [t.text for t in nlp.make_doc("Bangalore-560087, flat3 #404")]
    assert words == ["Bangalore", "-", "560087", ",", "flat", "3", "#", "404"]


def test_generated_spans_round_trip_through_bio_tags(nlp: spacy.Language) -> None:
    checked = 0
    for built in generate(300, seed=11, which="train"):
        doc = to_doc(nlp, built)
        got = spans_from_tags(doc, [t.tag_ for t in doc])
        # the generator's spans, trimmed of edge punctuation the same way the decoder trims
        want = []
        for start, end, label in built.spans:
            text = built.text[start:end]
            s = len(text) - len(text.lstrip(" ,;:-/|.()[]{}\"'`\t"))
            e = len(text.rstrip(" ,;:-/|.()[]{}\"'`\t"))
            if e > s:
                want.append((start + s, start + e, label))
        merged = [w for i, w in enumerate(want) if not (i and want[i - 1][1] == w[0])]
        if len(merged) == len(want):  # glued neighbours ("BLDGKHARGULI") cannot round-trip
            assert [(built.text[s:e], lab) for s, e, lab in got] == [
                (built.text[s:e], lab) for s, e, lab in want
            ], built.text
            checked += 1
    assert checked > 250
