"""The labels of the address model and the typed result of segmenting one address.

One list of labels in one place: the training data generator, the trainer, the evaluation and
the CLI all import it from here.
"""

from __future__ import annotations

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
