"""The event envelope of protocol v1 and the parser for feed frames."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from pilkades_tui.domain.models import (
    HubMode,
    Incident,
    Notice,
    Officer,
    Phase,
    Position,
    Tps,
)

TPS_UPDATED = "tps.updated"
INCIDENT_UPDATED = "incident.updated"
OFFICER_UPDATED = "officer.updated"
OFFICER_POSITION = "officer.position"
PHASE_CHANGED = "phase.changed"
NOTICE = "notice"

DATA_MODELS: dict[str, type[BaseModel]] = {
    TPS_UPDATED: Tps,
    INCIDENT_UPDATED: Incident,
    OFFICER_UPDATED: Officer,
    OFFICER_POSITION: Position,
    PHASE_CHANGED: Phase,
    NOTICE: Notice,
}


class ProtocolError(ValueError):
    """Anything a peer sent that does not follow protocol v1. `field` names where."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message

    @classmethod
    def from_validation(cls, error: ValidationError, prefix: str = "") -> ProtocolError:
        first = error.errors(include_url=False)[0]
        path = ".".join(str(part) for part in first["loc"])
        where = ".".join(p for p in (prefix, path) if p) or "<body>"
        return cls(where, first["msg"])


class Event(BaseModel):
    """One change the hub accepted. `data` is typed by `type`."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    seq: int = Field(ge=1)
    ts: AwareDatetime
    type: str
    data: Any

    def to_wire(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "ts": self.ts.isoformat(),
            "type": self.type,
            "data": self.data.model_dump(mode="json"),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_wire(), ensure_ascii=False, separators=(",", ":"))


@dataclass(slots=True)
class Hello:
    protocol: int
    head: int
    mode: HubMode


@dataclass(slots=True)
class Reset:
    head: int


@dataclass(slots=True)
class ParsedFrame:
    events: list[Event] = field(default_factory=list)
    hello: Hello | None = None
    reset: Reset | None = None
    unknown: int = 0  # events of a type this version does not know: skipped, counted


def parse_event(raw: Any, where: str = "event") -> Event | None:
    """Validate one event object; None when its type is unknown (the caller counts it)."""
    if not isinstance(raw, dict):
        raise ProtocolError(where, "an event is a JSON object")
    kind = raw.get("type")
    if not isinstance(kind, str):
        raise ProtocolError(f"{where}.type", "missing or not a string")
    model = DATA_MODELS.get(kind)
    if model is None:
        return None
    seq = raw.get("seq")
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
        raise ProtocolError(f"{where}.seq", "must be an integer >= 1")
    try:
        data = model.model_validate(raw.get("data"))
    except ValidationError as error:
        raise ProtocolError.from_validation(error, f"{where}.data") from None
    try:
        return Event(seq=seq, ts=raw.get("ts"), type=kind, data=data)
    except ValidationError as error:
        raise ProtocolError.from_validation(error, where) from None


def parse_frame(text: str | bytes) -> ParsedFrame:
    """Parse one WebSocket text frame: an event, an array of events, hello or reset."""
    try:
        raw = json.loads(text)
    except (ValueError, UnicodeDecodeError) as error:
        raise ProtocolError("<frame>", f"not valid JSON ({error})") from None
    frame = ParsedFrame()
    if isinstance(raw, list):
        for index, item in enumerate(raw):
            event = parse_event(item, f"[{index}]")
            if event is None:
                frame.unknown += 1
            else:
                frame.events.append(event)
        return frame
    if not isinstance(raw, dict):
        raise ProtocolError("<frame>", "a frame is a JSON object or an array of them")
    kind = raw.get("type")
    if kind == "hello":
        frame.hello = Hello(
            protocol=_int_field(raw, "protocol"),
            head=_int_field(raw, "head"),
            mode=_mode_field(raw),
        )
        return frame
    if kind == "reset":
        frame.reset = Reset(head=_int_field(raw, "head"))
        return frame
    event = parse_event(raw)
    if event is None:
        frame.unknown += 1
    else:
        frame.events.append(event)
    return frame


def _int_field(raw: dict[str, Any], name: str) -> int:
    value = raw.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ProtocolError(name, "must be a non-negative integer")
    return value


def _mode_field(raw: dict[str, Any]) -> HubMode:
    try:
        return HubMode(raw.get("mode", "live"))
    except ValueError:
        raise ProtocolError("mode", "must be live or exercise") from None
