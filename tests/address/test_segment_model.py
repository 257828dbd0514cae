"""The shipped address model: API behaviour and a quality floor on held-out synthetic data."""

from __future__ import annotations

from nlp.evaluate import load_heldout, score
from notifier.address.segmenter import DEFAULT_MODEL_DIR, Segmenter, get_segmenter
from notifier.address.segments import FIELDS, Segments


def test_shipped_model_is_small_and_cached() -> None:
    size = sum(p.stat().st_size for p in DEFAULT_MODEL_DIR.rglob("*") if p.is_file())
    assert size < 20_000_000
    assert get_segmenter() is get_segmenter()


def test_segment_typical_address() -> None:
    seg = get_segmenter().segment(
        "Flat 302, Sai Krupa Apartments, 2nd Cross, Indiranagar, Bangalore 560038"
    )
    assert isinstance(seg, Segments)
    assert seg.building == "Sai Krupa Apartments"
    assert seg.pincode == "560038"
    assert seg.unit is not None and "302" in seg.unit


def test_landmark_naming_a_building_is_not_the_building() -> None:
    seg = get_segmenter().segment(
        "12, MG Road, near Prestige Shantiniketan, Whitefield, Bangalore 560066"
    )
    assert seg.building is None
    assert seg.landmark is not None and "Prestige Shantiniketan" in seg.landmark


def test_segment_many_keeps_order_and_values_are_substrings() -> None:
    texts = ["", "Mumbai 400001", "B-12, Green Heights, Wakad, Pune 411057", "   ", "asdf"] * 50
    out = list(get_segmenter().segment_many(texts, batch_size=7))
    assert [s.text for s in out] == texts
    for s in out:
        for f in FIELDS:
            value = getattr(s, f)
            assert value is None or (value and value in s.text)
    assert out[0] == Segments(text="")


def test_shipped_model_quality_on_heldout_synthetic() -> None:
    result = score("heldout", load_heldout(600, seed=9), Segmenter.load().segment_many)
    f1 = {f: c.prf()["f1"] for f, c in result.counts.items()}
    assert f1["building"] >= 0.85, f1
    assert f1["pincode"] >= 0.95, f1
    assert f1["unit"] >= 0.85, f1


def test_doc_free_inference_matches_the_spacy_doc_path() -> None:
    """The fast path computes the network's input features without spaCy Docs: it must give
    exactly the features and results of the plain Doc-based pipeline."""
    from nlp.generate import generate
    from notifier.address.segmenter import (
        _clean,
        _feature_columns,
        segments_from_spans,
        spans_from_tags,
    )

    seg = get_segmenter()
    columns = _feature_columns(seg._tagger.model)
    texts = [b.text for b in generate(150, seed=21, which="dev")]
    texts += [
        "  lead\tand  odd   spaces ",
        "ctrl\x00char",
        "गली नंबर 4 🏠",
        "Flat 7C,  Lotus\nCourt",
    ]
    fast = list(seg.segment_many(texts, batch_size=16))
    for text, got in zip(texts, fast, strict=True):
        clean = _clean(text)
        doc = seg.nlp.make_doc(clean)
        assert (doc.to_array(columns) == seg._features([t.text for t in doc])).all()
        probs = seg._tagger.model.predict([doc])[0]
        want = segments_from_spans(text, spans_from_tags(doc, seg._decode(probs), clean))
        assert got == want, text


def test_a_word_glued_to_the_building_name_is_split_off() -> None:
    """Tokenizer v2 splits "ResidencyNear" at the capital, so the name can end there."""
    seg = get_segmenter().segment("Flat 12, Lotus ResidencyNear City Mall, Kothrud, Pune 411038")
    assert seg.building == "Lotus Residency"
    assert seg.landmark is not None and seg.landmark.endswith("City Mall")


def test_place_named_society_is_the_building_only_before_a_locality() -> None:
    seg = get_segmenter().segment("Flat 1703, Sundar Brindavan Nagar, Kolshet, Thane")
    assert (seg.building, seg.locality) == ("Sundar Brindavan Nagar", "Kolshet")
    seg = get_segmenter().segment("Flat 7, Vasant Kunj, New Delhi")
    assert (seg.building, seg.locality) == (None, "Vasant Kunj")


def test_suburb_after_the_flat_number_is_no_building_and_a_name_ends_at_its_word() -> None:
    seg = get_segmenter().segment("302 Borivali West Mumbai 400092")
    assert seg.building is None and seg.unit == "302"
    seg = get_segmenter().segment("Flat 9, Lakshmi Apartments Jubilee Hills, Hyderabad 500033")
    assert seg.building == "Lakshmi Apartments"
