"""Versioned event contracts shared by both runtimes (embedded and Kafka/Faust).

Every event on the wire is a JSON object with a ``type`` and a ``version``. Parsing goes
through :func:`parse_event`, which either returns a validated model or raises
:class:`InvalidEvent` with a reason that is safe to log (it never echoes field values, which
may be personal data).
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    field_validator,
    model_validator,
)

__all__ = [
    "SCHEMA_VERSION",
    "AddressChanged",
    "DeadLetter",
    "EmailJob",
    "EmailKind",
    "Event",
    "InvalidEvent",
    "Language",
    "PickupPoint",
    "QuarantineEvent",
    "QuarantineLifted",
    "QuarantineRegistered",
    "QuarantineUpdated",
    "SesEvent",
    "SesEventType",
    "decode_json_object",
    "language_fallback",
    "parse_event",
]

SCHEMA_VERSION: Literal[1] = 1

# Deliberately loose: SES is the real judge of deliverability; this only rejects obvious junk.
_EMAIL_RE = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")
_PINCODE_RE = re.compile(r"^[1-9][0-9]{5}$")
_SUBTAG_RE = re.compile(r"^[a-z]{2,12}$")


class Language(StrEnum):
    """Languages the email templates are written in; anything else falls back to English."""

    EN = "en"
    HI = "hi"
    KN = "kn"
    TA = "ta"
    TE = "te"
    MR = "mr"
    BN = "bn"
    GU = "gu"

    @classmethod
    def coerce(cls, value: object) -> Language:
        """Map free-form preferences ("hi-IN", "Hindi", "", None) to a supported language."""
        if isinstance(value, Language):
            return value
        text = str(value or "").strip().lower().replace("_", "-")
        code = text.split("-", 1)[0]
        if code in cls._value2member_map_:
            return cls(code)
        return _LANGUAGE_NAMES.get(text, cls.EN)

    @classmethod
    def requested(cls, value: object) -> str:
        """The code a customer asked for, kept so a fallback to English can be counted.

        "" when no preference was given; a supported language's code when one was recognised;
        else the preference's primary subtag ("fr-FR" -> "fr", "Urdu" -> "urdu"), or "und"
        (BCP 47 "undetermined") when it is not a plain code - the value may be anything.
        """
        text = str(value.value if isinstance(value, Language) else value or "").strip().lower()
        if not text:
            return ""
        code = text.replace("_", "-").split("-", 1)[0]
        coerced = cls.coerce(text)
        if coerced is not cls.EN or code in ("en", "english"):
            return coerced.value
        return code if _SUBTAG_RE.match(code) else "und"


_LANGUAGE_NAMES = {
    "english": Language.EN,
    "hindi": Language.HI,
    "kannada": Language.KN,
    "tamil": Language.TA,
    "telugu": Language.TE,
    "marathi": Language.MR,
    "bengali": Language.BN,
    "bangla": Language.BN,
    "gujarati": Language.GU,
}


def language_fallback(requested: str, language: Language) -> str:
    """The asked-for code when the email goes out in another language (no templates), else ""."""
    return requested if requested and requested != language.value else ""


class EmailKind(StrEnum):
    ANNOUNCEMENT = "announcement"  # pickup point opened
    UPDATE = "update"  # pickup point changed
    LIFTED = "lifted"  # quarantine lifted, deliveries resume


class _Event(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, str_strip_whitespace=True)

    version: Literal[1] = SCHEMA_VERSION
    event_id: str = Field(min_length=1, max_length=200)
    occurred_at: datetime = Field(default_factory=lambda: datetime.now(UTC))

    @field_validator("occurred_at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        # Naive timestamps are ambiguous across workers in different zones: read them as UTC.
        return value if value.tzinfo else value.replace(tzinfo=UTC)

    def to_json(self) -> str:
        return self.model_dump_json()


class AddressChanged(_Event):
    """A customer created, edited (same address_id) or deleted a delivery address."""

    type: Literal["address.changed"] = "address.changed"
    customer_id: str = Field(min_length=1, max_length=200)
    address_id: str = Field(min_length=1, max_length=200)
    email: str = Field(default="", max_length=320)
    name: str = Field(default="", max_length=300)
    language: Language = Language.EN
    # What the customer asked for ("fr", "hi", ""): ``language`` is what the templates can do.
    requested_language: str = Field(default="", max_length=12)
    text: str = Field(default="", max_length=2000)
    deleted: bool = False

    @model_validator(mode="before")
    @classmethod
    def _keep_requested(cls, data: Any) -> Any:
        # Unknown codes stay accepted (sent in English, as before); the ask is kept to count it.
        if isinstance(data, dict) and "requested_language" not in data:
            data = {**data, "requested_language": Language.requested(data.get("language"))}
        return data

    @field_validator("language", mode="before")
    @classmethod
    def _language(cls, value: object) -> Language:
        return Language.coerce(value)

    @field_validator("requested_language", mode="before")
    @classmethod
    def _requested(cls, value: object) -> str:
        return Language.requested(value)

    @model_validator(mode="after")
    def _complete(self) -> AddressChanged:
        if self.deleted:
            return self
        if not self.text:
            raise ValueError("address text is empty")
        if not _EMAIL_RE.match(self.email):
            raise ValueError("email is not a valid address")
        return self


class PickupPoint(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=300)
    location: str = Field(min_length=1, max_length=500)
    hours: str = Field(default="", max_length=200)
    instructions: str = Field(default="", max_length=2000)


class _BuildingEvent(_Event):
    building_id: str = Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9._:-]+$")


class _BuildingDetails(_BuildingEvent):
    name: str = Field(min_length=1, max_length=300)
    locality: str = Field(default="", max_length=200)
    city: str = Field(min_length=1, max_length=100)
    pincode: str | None = None
    pickup: PickupPoint
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    # optional: other names the building goes by, and its developer (help matching)
    aliases: list[Annotated[str, Field(min_length=1, max_length=300)]] = Field(
        default_factory=list, max_length=20
    )
    brand: str | None = Field(default=None, min_length=1, max_length=100)

    @field_validator("pincode", mode="before")
    @classmethod
    def _pincode(cls, value: object) -> str | None:
        if value in (None, ""):
            return None
        digits = re.sub(r"\s", "", str(value))
        if not _PINCODE_RE.match(digits):
            raise ValueError("pincode must be six digits not starting with 0")
        return digits

    @model_validator(mode="after")
    def _window(self) -> _BuildingDetails:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValueError("ends_at must be after starts_at")
        return self


class QuarantineRegistered(_BuildingDetails):
    """Ops quarantined a building and opened a pickup point for it: starts a new episode."""

    type: Literal["quarantine.registered"] = "quarantine.registered"


class QuarantineUpdated(_BuildingDetails):
    """The building's details or pickup point changed during the current episode."""

    type: Literal["quarantine.updated"] = "quarantine.updated"


class QuarantineLifted(_BuildingEvent):
    """The quarantine ended; pending emails stop and residents get a short note."""

    type: Literal["quarantine.lifted"] = "quarantine.lifted"


QuarantineEvent = QuarantineRegistered | QuarantineUpdated | QuarantineLifted
Event = AddressChanged | QuarantineEvent

_EVENT_ADAPTER: TypeAdapter[Event] = TypeAdapter(Annotated[Event, Field(discriminator="type")])


class EmailJob(BaseModel):
    """One email to one person about one quarantine episode; ``job_id`` is its idempotency key."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    version: Literal[1] = SCHEMA_VERSION
    job_id: str
    kind: EmailKind
    campaign_id: str
    building_id: str
    episode_id: str
    revision: int = 0
    customer_id: str
    address_id: str
    email: str
    name: str = ""
    language: Language = Language.EN
    # The customer's ask when it differs from ``language`` (no templates for it), else "".
    language_fallback: str = ""
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC))

    @staticmethod
    def make_id(episode_id: str, kind: EmailKind, revision: int, customer_id: str) -> str:
        """Deterministic id: the same person, episode, kind and revision always give the same id."""
        raw = f"{episode_id}\x1f{kind.value}\x1f{revision}\x1f{customer_id}"
        return hashlib.sha256(raw.encode()).hexdigest()[:32]


class SesEventType(StrEnum):
    SEND = "Send"
    DELIVERY = "Delivery"
    OPEN = "Open"
    CLICK = "Click"
    BOUNCE = "Bounce"
    COMPLAINT = "Complaint"
    REJECT = "Reject"
    RENDERING_FAILURE = "Rendering Failure"
    DELIVERY_DELAY = "DeliveryDelay"
    SUBSCRIPTION = "Subscription"


class SesEvent(BaseModel):
    """A normalised SES event-publishing record (see tracking.ses_events for the parser)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    version: Literal[1] = SCHEMA_VERSION
    message_id: str
    event_type: SesEventType
    timestamp: datetime
    tags: dict[str, str] = Field(default_factory=dict)
    # Bounce type / user agent / link etc.; kept small and free of recipient addresses.
    detail: dict[str, Any] = Field(default_factory=dict)


class DeadLetter(BaseModel):
    """An input that could not be processed, with why. ``payload`` is stored, never logged."""

    model_config = ConfigDict(frozen=True)

    source: str
    reason: str
    payload: str
    received_at: datetime = Field(default_factory=lambda: datetime.now(UTC))


class InvalidEvent(ValueError):
    """Raised by :func:`parse_event`; ``reason`` is safe for logs (no field values)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _reason(error: ValidationError) -> str:
    parts = []
    for err in error.errors(include_input=False, include_url=False):
        loc = ".".join(str(p) for p in err["loc"]) or "event"
        parts.append(f"{loc}: {err['msg']}")
    return "; ".join(parts[:5])


def decode_json_object(raw: str | bytes | dict[str, Any]) -> dict[str, Any]:
    """Bytes or text of one JSON object (or the object itself) -> dict, or InvalidEvent."""
    if isinstance(raw, (bytes, bytearray)):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidEvent("payload is not UTF-8") from exc
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise InvalidEvent(f"payload is not JSON ({exc.msg} at char {exc.pos})") from exc
    if not isinstance(raw, dict):
        raise InvalidEvent("payload is not a JSON object")
    return raw


def parse_event(raw: str | bytes | dict[str, Any]) -> Event:
    """Validate one wire event (JSON text or decoded dict) into its contract model."""
    raw = decode_json_object(raw)
    if raw.get("version", SCHEMA_VERSION) != SCHEMA_VERSION:
        raise InvalidEvent(f"unsupported schema version {raw.get('version')!r}")
    try:
        return _EVENT_ADAPTER.validate_python(raw)
    except ValidationError as exc:
        if raw.get("type") not in {
            "address.changed",
            "quarantine.registered",
            "quarantine.updated",
            "quarantine.lifted",
        }:
            raise InvalidEvent(f"unknown event type {str(raw.get('type'))[:40]!r}") from exc
        raise InvalidEvent(_reason(exc)) from exc
