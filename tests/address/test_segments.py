"""Segments read back from JSON (routed messages, table records)."""

from __future__ import annotations

import pytest

from notifier.address.segments import Segments


def test_from_dict_is_the_inverse_of_to_dict() -> None:
    seg = Segments("Flat 3 Prestige Towers Pune", building="Prestige Towers", city="Pune")
    assert Segments.from_dict(seg.to_dict()) == seg
    assert Segments.from_dict({"text": "x"}) == Segments("x")


@pytest.mark.parametrize("data", [{"text": "x", "nonsense": "y"}, {"city": "Pune"}])
def test_from_dict_refuses_what_the_constructor_refuses(data: dict[str, str | None]) -> None:
    with pytest.raises(TypeError):
        Segments.from_dict(data)
