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
    texts = ["", "Mumbai 400001", "B-12, Green Heights, Aundh, Pune 411007", "   ", "asdf"] * 50
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


def test_numpy_network_matches_the_spacy_pipeline() -> None:
    """Inference runs the exported weights in numpy, without spaCy Docs: it must give the
    features, scores and results of the trained spaCy pipeline itself."""
    import numpy

    from nlp.generate import generate
    from notifier.address.network import _feature_columns, load_spacy_pipeline
    from notifier.address.postprocess import segments_from_spans
    from notifier.address.segmenter import _clean
    from notifier.address.spans import spans_from_tags

    nlp = load_spacy_pipeline(DEFAULT_MODEL_DIR)
    model = nlp.get_pipe("tagger").model
    columns = _feature_columns(model)
    seg = get_segmenter()
    texts = [b.text for b in generate(150, seed=21, which="dev")]
    texts += [
        "  lead\tand  odd   spaces ",
        "ctrl\x00char",
        "गली नंबर 4 🏠",
        "Flat 7C,  Lotus\nCourt",
        "Mark the DET case, ROOT X",  # words whose features are spaCy symbols, not hashes
    ]
    fast = list(seg.segment_many(texts, batch_size=16))
    for text, got in zip(texts, fast, strict=True):
        clean = _clean(text)
        doc = nlp.make_doc(clean)
        words = [t.text for t in doc]
        assert (doc.to_array(columns) == seg.network.features(words)).all(), text
        want_scores = model.predict([doc])[0]
        ours = seg.network.encode(*seg.network.embed([words]))[0]
        assert numpy.allclose(ours, want_scores, atol=1e-4), text
        want = segments_from_spans(text, spans_from_tags(doc, seg._decode(want_scores), clean))
        assert got == want, text


def test_shipped_export_is_the_shipped_spacy_model() -> None:
    """``tagger.npz`` is written from the spaCy files beside it; they must not drift apart."""
    import numpy

    from notifier.address.network import EXPORT_NAME, Network, load_spacy_pipeline

    shipped = Network.load(DEFAULT_MODEL_DIR / EXPORT_NAME)
    fresh = Network.from_spacy(load_spacy_pipeline(DEFAULT_MODEL_DIR))
    assert shipped.meta == fresh.meta
    assert shipped.arrays.keys() == fresh.arrays.keys()
    for name, array in fresh.arrays.items():
        assert numpy.array_equal(shipped.arrays[name], array), name


def test_hashes_match_spacy_and_thinc() -> None:
    import random

    import numpy
    from spacy.strings import hash_string
    from thinc.api import NumpyOps

    from notifier.address.network import _hash_ids, _hash_string, _word_shape

    rng = random.Random(3)
    alphabet = "abcXYZ0159-/.#ग़ी🏠 "
    words = ["", "a", "12345678", "123456789", "Lotus", "गली"]
    words += ["".join(rng.choices(alphabet, k=rng.randint(1, 30))) for _ in range(300)]
    for w in words:
        assert _hash_string(w) == hash_string(w), w
    from spacy.lang.lex_attrs import word_shape

    assert all(_word_shape(w) == word_shape(w) for w in [*words, "x" * 120])
    ids = numpy.array([rng.getrandbits(64) for _ in range(2000)], dtype="uint64")
    for seed in (0, 8, 11, 2**31):
        assert (NumpyOps().hash(ids, seed) == _hash_ids(ids, seed)).all()


def test_inference_does_not_import_spacy() -> None:
    """The shipped model runs on numpy alone (start-up of `notifier segment`)."""
    import subprocess
    import sys

    probe = (
        "import sys; from notifier.address.segmenter import Segmenter; "
        "s = Segmenter.load().segment('Flat 2, Sai Krupa Apartments, Nasik 422001'); "
        "print(s.building, 'spacy' in sys.modules, 'thinc' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    ).stdout.strip()
    assert out == "Sai Krupa Apartments False False"


def test_spacy_train_code_file_registers_the_tokenizers() -> None:
    """nlp/project.yml trains with ``spacy train --code notifier/address/segmenter.py``: loading
    that file as spaCy does must register the tokenizer names the configs use."""
    import subprocess
    import sys
    from pathlib import Path

    probe = (
        "import spacy; from spacy.util import import_file, registry; "
        "import_file('python_code', 'notifier/address/segmenter.py'); "
        "print(sorted(n for n in registry.tokenizers.get_all() if n.startswith('notifier.')))"
    )
    root = Path(__file__).resolve().parents[2]
    assert "--code notifier/address/segmenter.py" in (root / "nlp" / "project.yml").read_text()
    out = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.strip()
    assert out == str([f"notifier.address_tokenizer.v{i}" for i in (1, 2, 3)])


def test_a_model_folder_without_export_still_loads(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A freshly trained folder (``nlp/training/model-best``) has no ``tagger.npz``: it loads
    through spaCy and gives the same results."""
    import shutil

    from notifier.address.network import EXPORT_NAME

    copy = tmp_path / "model"
    shutil.copytree(DEFAULT_MODEL_DIR, copy)
    (copy / EXPORT_NAME).unlink()
    texts = ["Flat 302, Sai Krupa Apartments, 2nd Cross, Indiranagar, Bangalore 560038"] * 3
    assert list(Segmenter.load(copy).segment_many(texts)) == list(
        get_segmenter().segment_many(texts)
    )


def test_a_word_glued_to_the_building_name_is_split_off() -> None:
    """Tokenizer v2 splits "ResidencyNear" at the capital, so the name can end there."""
    seg = get_segmenter().segment("Flat 12, Lotus ResidencyNear City Mall, Kothrud, Pune 411038")
    assert seg.building == "Lotus Residency"
    assert seg.landmark is not None and seg.landmark.endswith("City Mall")


def test_a_project_named_like_a_place_is_the_building_a_locality_alone_is_not() -> None:
    seg = get_segmenter().segment("Flat 1703, Pushpa Royale Nagar, Balkum, Thane")
    assert (seg.building, seg.locality) == ("Pushpa Royale Nagar", "Balkum")
    seg = get_segmenter().segment("Flat 7, Mayur Vihar, Delhi")
    assert (seg.building, seg.locality) == (None, "Mayur Vihar")


def test_shipped_model_quality_on_the_hand_written_dev_split() -> None:
    """Addresses written by hand, in kinds the generator was not built from (the test split is
    only reported, by nlp.evaluate)."""
    from nlp.evaluate import HAND_SET, load_public

    result = score("handset_dev", load_public(HAND_SET, "dev"), Segmenter.load().segment_many)
    assert result.counts["building"].prf()["f1"] >= 0.84


def test_suburb_after_the_flat_number_is_no_building_and_a_name_ends_at_its_word() -> None:
    seg = get_segmenter().segment("302 Borivali West Mumbai 400092")
    assert seg.building is None and seg.unit == "302"
    seg = get_segmenter().segment("Flat 9, Lakshmi Apartments Jubilee Hills, Hyderabad 500033")
    assert seg.building == "Lakshmi Apartments"


def test_threads_sharing_the_segmenter_get_the_same_results() -> None:
    """The per-word vector cache is shared: concurrent callers must not corrupt it."""
    from concurrent.futures import ThreadPoolExecutor

    from nlp.generate import generate

    texts = [b.text for b in generate(400, seed=31, which="dev")]
    want = list(Segmenter.load().segment_many(texts))
    shared = Segmenter.load()  # cold cache: every thread adds new words at the same time
    with ThreadPoolExecutor(4) as pool:
        runs = list(pool.map(lambda k: list(shared.segment_many(texts[k:] + texts[:k])), range(4)))
    for k, got in enumerate(runs):
        assert got == want[k:] + want[:k]


def test_a_building_word_glued_to_the_street_ends_the_building() -> None:
    """The shipped model tokenizes with v3: "BLDGPANBAZAR" -> "BLDG", "PANBAZAR"; the name's
    first words, beyond the tagger's context, are taken back from the start of the clause."""
    seg = get_segmenter().segment("DR RAM MOHAN BORA BLDGPANBAZAR ROAD GUWAHATI ASSAM 781001")
    assert seg.building == "DR RAM MOHAN BORA BLDG"


def test_housing_board_unit_and_house_name_after_the_door_number() -> None:
    seg = get_segmenter().segment("LIG-123, Shivaji Nagar, Bhopal 462016")
    assert (seg.building, seg.unit) == (None, "LIG-123")
    seg = get_segmenter().segment("4/1120, kripa,-1,KADAPA,ANDHRA PRADESH,516001")
    assert seg.building == "kripa"
