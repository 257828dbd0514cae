"""The synthetic data generator is seeded and keeps held-out names out of training."""

from __future__ import annotations

import itertools
import random

from nlp.generate import Renderer, bucket, generate, load_world, t_society
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


def _no_typos(rng: random.Random) -> Renderer:
    renderer = Renderer(rng)
    renderer.typo = 0.0  # a typo in "Prime" would hide the marketing word the test looks for
    return renderer


def test_a_society_named_like_a_place_is_a_building_only_before_a_locality() -> None:
    """ "Jyoti Krupa Nagar" is labelled the building only when a flat is in it (or its name
    has a developer's marketing word: "Pushpa Royale Nagar") and a real locality follows; a
    lone "X Nagar" before the city stays a locality."""
    seen = marketed = 0
    qualifiers = {q.lower() for q in PROJECT_QUALIFIERS}
    # the whole mix, plus the society template alone (its unit-less project form is rare)
    rng, world = random.Random(11), load_world("train")
    alone = (_no_typos(rng).render(t_society(rng, world, world.places[i])) for i in range(3000))
    for built in itertools.chain(generate(3000, seed=11, which="train"), alone):
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


def test_brand_and_society_pairs_are_split_between_train_and_heldout() -> None:
    train, dev = load_world("train"), load_world("dev")
    assert train.brands and dev.brands and train.societies and dev.societies
    assert not set(train.brands) & set(dev.brands)
    assert not set(train.societies) & set(dev.societies)
    assert all(bucket(name) == "heldout" for name in dev.brands + dev.societies)


def test_a_brand_of_ordinary_words_starts_a_whole_building_name() -> None:
    """ "Happy Homes Vasudha": the brand ("Happy Homes") and the project after it form one
    building span; the brand's words never end up in another label."""
    world = load_world("train")
    heads = {b.split()[0].lower() for b in world.brands}
    seen = 0
    for built in generate(4000, seed=12, which="train"):
        for start, end, label in built.spans:
            value = built.text[start:end].lower()
            brand = next((b for b in world.brands if value.startswith(b.lower() + " ")), None)
            if brand is None:
                continue
            if label == "BUILDING":
                seen += 1
            assert value.split()[0] in heads
    assert seen >= 20


def test_a_suffixless_society_right_after_a_flat_number_is_the_building() -> None:
    """ "302 Shiv Darshan Dombivli East Thane": the name between the flat number and the
    suburb is labelled the building, and a suburb or city follows it; commas are often missing."""
    world = load_world("train")
    societies = {s.lower() for s in world.societies}
    seen = no_comma = 0
    for built in generate(6000, seed=13, which="train"):
        spans = built.spans
        for i in range(1, len(spans)):
            start, end, label = spans[i]
            if label != "BUILDING" or built.text[start:end].lower() not in societies:
                continue
            if spans[i - 1][2] != "UNIT":
                continue
            seen += 1
            assert any(sp[2] in ("LOCALITY", "CITY") for sp in spans[i + 1 :]), built.text
            no_comma += "," not in built.text[spans[i - 1][1] : start]
    assert seen >= 50
    assert no_comma >= seen // 4


def test_scoring_drops_floor_phrases_from_building_names_only() -> None:
    from nlp.evaluate import norm

    for value in ["1ST FLOOR, NABIN BHAWAN", "Nabin Bhawan, 2nd. Floor", "IIND FLOOR Nabin Bhawan"]:
        assert norm(value, "building") == "nabinbhawan", value
    assert norm("Level 4, Nabin Bhawan", "building") == "nabinbhawan"
    # a floor word that is part of a name stays; other fields are untouched
    assert norm("Floor Mills Complex", "building") == "floormillscomplex"
    assert norm("1st Floor", "unit") == "1stfloor"


def test_regional_templates_follow_the_labelling_policy() -> None:
    """Names without a building word and regional housing words are buildings; shops, offices
    and colonies in the hard negatives never are; unit codes and postal districts are valid."""
    import random

    from nlp import lexicon as lx
    from nlp import lexicon_regional as lr
    from nlp.generate import Renderer, load_world, t_bare_name, t_hard_negative, t_regional

    world = load_world("train")
    rng = random.Random(11)
    shop_words = tuple(w.lower() for w in lr.SHOP_WORDS)
    colony_words = tuple(f" {w.lower()}" for w in lr.COLONY_WORDS)
    districts = 0
    for template in (t_bare_name, t_regional, t_hard_negative):
        with_building = 0
        for _ in range(300):
            built = Renderer(rng).render(template(rng, world, rng.choice(world.places)))
            labels = {label: built.text[s:e] for s, e, label in reversed(built.spans)}
            building = labels.get("BUILDING", "").lower()
            with_building += bool(building)
            assert not building.endswith(shop_words), built.text
            if template is t_hard_negative and building:  # only the complex a shop is in
                kinds = [
                    w.lower()
                    for k in ("Complex", "Plaza", "Building")
                    for w in lx.BUILDING_SUFFIXES[k]
                ]
                assert building.endswith(tuple(kinds)), built
            pin = labels.get("PINCODE")
            if pin is not None:
                digits = pin.replace(" ", "")
                assert (len(digits) == 6 and digits.isdigit()) or (len(pin) <= 2 and pin.isdigit())
                districts += len(pin) <= 2
            if template is t_hard_negative:
                loc = labels.get("LOCALITY", "").lower()
                assert not (loc.endswith(colony_words) and "BUILDING" in labels and not building)
        if template is not t_hard_negative:
            assert with_building == 300
    assert districts > 0
