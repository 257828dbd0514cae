"""The labels of the address model and the typed result of segmenting one address.

One list of labels in one place: the training data generator, the trainer, the evaluation and
the CLI all import it from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass

LABELS: tuple[str, ...] = (
    "BUILDING",
    "UNIT",
    "STREET",
    "LANDMARK",
    "LOCALITY",
    "CITY",
    "STATE",
    "PINCODE",
)
FIELDS: tuple[str, ...] = tuple(label.lower() for label in LABELS)
_KEYS = frozenset(("text", *FIELDS))  # of Segments.to_dict


@dataclass(frozen=True, slots=True)
class Segments:
    """Parts of one free-text address. Values are substrings of ``text``; None where absent."""

    text: str
    building: str | None = None
    unit: str | None = None
    street: str | None = None
    landmark: str | None = None
    locality: str | None = None
    city: str | None = None
    state: str | None = None
    pincode: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, str | None]) -> Segments:
        """The inverse of :meth:`to_dict` (segments read back from JSON). Like the constructor,
        a TypeError for an unknown key or a missing ``text``."""
        unknown = data.keys() - _KEYS
        if unknown:
            raise TypeError(f"unknown segment keys: {', '.join(sorted(unknown))}")
        text = data.get("text")
        if text is None:
            raise TypeError("segments without their text")
        return cls(
            text=text,
            building=data.get("building"),
            unit=data.get("unit"),
            street=data.get("street"),
            landmark=data.get("landmark"),
            locality=data.get("locality"),
            city=data.get("city"),
            state=data.get("state"),
            pincode=data.get("pincode"),
        )
