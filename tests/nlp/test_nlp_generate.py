"""The synthetic data generator is seeded and keeps held-out names out of training."""

from __future__ import annotations

from nlp.generate import bucket, generate, load_world
from nlp.lexicon import PROJECT_QUALIFIERS


def test_same_seed_same_data() -> None:
    a = [(b.text, b.spans) for b in generate(200, seed=7, which="train")]
    b = [(b.text, b.spans) for b in generate(200, seed=7, which="train")]
    c = [(b.text, b.spans) for b in generate(200, seed=8, which="train")]
    assert a == b
    assert a != c


def test_spans_are_inside_the_text_and_labelled() -> None:
    labels = set()
    for built in generate(500, seed=3, which="dev"):
        for start, end, label in built.spans:
            assert 0 <= start < end <= len(built.text)
            assert built.text[start:end].strip()
            labels.add(label)
    assert labels == {
        "BUILDING",
        "UNIT",
        "STREET",
        "LANDMARK",
        "LOCALITY",
        "CITY",
        "STATE",
        "PINCODE",
    }


def test_heldout_world_is_disjoint_from_training_world() -> None:
    train, dev = load_world("train"), load_world("dev")
    assert not {p.pincode for p in train.places} & {p.pincode for p in dev.places}
    assert not set(train.stems_en) & set(dev.stems_en)
    assert all(bucket(p.pincode) == "heldout" for p in dev.places)


def test_a_society_named_like_a_place_is_a_building_only_before_a_locality() -> None:
    """ "Jyoti Krupa Nagar" is labelled the building only when a flat is in it (or its name
    has a developer's marketing word: "Pushpa Royale Nagar") and a real locality follows; a
    lone "X Nagar" before the city stays a locality."""
    seen = marketed = 0
    qualifiers = {q.lower() for q in PROJECT_QUALIFIERS}
    for built in generate(3000, seed=11, which="train"):
        labels = [label for _, _, label in built.spans]
        for i, (start, end, label) in enumerate(built.spans):
            name = built.text[start:end].lower()
            if label == "BUILDING" and name.endswith(" nagar"):
                seen += 1
                if "UNIT" not in labels:
                    assert qualifiers & set(name.split()), built.text
                    marketed += 1
                assert "LOCALITY" in labels[i + 1 :]
            if label == "LOCALITY" and name.endswith(" nagar"):
                assert not qualifiers & set(name.split()), built.text
    assert seen >= 10
    assert marketed >= 1
