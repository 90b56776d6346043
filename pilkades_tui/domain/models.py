"""Records, enums and command bodies of protocol v1 (see docs/protocol.md).

Records accept unknown fields and drop them, so a newer hub can add fields without
breaking an older console. Command bodies forbid unknown fields: a typo in a
dispatcher's request is an error (422), not a silently ignored intention.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    NonNegativeInt,
    field_validator,
    model_validator,
)

from pilkades_tui.domain.geo import INDONESIA_LAT, INDONESIA_LON

PROTOCOL_VERSION = 1


class TpsPhase(StrEnum):
    SETUP = "setup"
    VOTING = "voting"
    COUNTING = "counting"
    RECAP = "recap"
    CLOSED = "closed"


class Risk(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class HealthProtocol(StrEnum):
    UNKNOWN = "unknown"
    OK = "ok"
    WARNING = "warning"
    VIOLATION = "violation"


class Category(StrEnum):
    CROWD = "crowd"
    CLASH = "clash"
    INTIMIDATION = "intimidation"
    MONEY_POLITICS = "money_politics"
    VOTE_DISPUTE = "vote_dispute"
    LOGISTICS = "logistics"
    HEALTH_PROTOCOL = "health_protocol"
    HOAX = "hoax"
    FIRE_OR_DISASTER = "fire_or_disaster"
    OTHER = "other"


class Channel(StrEnum):
    """How a report reached the hub: typed by the duty officer from a call (radio,
    phone, WhatsApp, SMS, in person) or sent by the officer himself from the field page."""

    RADIO = "radio"
    PHONE = "phone"
    WHATSAPP = "whatsapp"
    SMS = "sms"
    IN_PERSON = "in_person"
    FIELD_PAGE = "field_page"
    OTHER = "other"


class IncidentStatus(StrEnum):
    NEW = "new"
    ACKNOWLEDGED = "acknowledged"
    DISPATCHED = "dispatched"
    ON_SCENE = "on_scene"
    RESOLVED = "resolved"
    CANCELLED = "cancelled"


# The forward-only order of an incident's life; cancelled sits outside it.
INCIDENT_STATUS_ORDER: dict[IncidentStatus, int] = {
    IncidentStatus.NEW: 0,
    IncidentStatus.ACKNOWLEDGED: 1,
    IncidentStatus.DISPATCHED: 2,
    IncidentStatus.ON_SCENE: 3,
    IncidentStatus.RESOLVED: 4,
}
CLOSED_STATUSES = frozenset({IncidentStatus.RESOLVED, IncidentStatus.CANCELLED})


class Escalation(StrEnum):
    NONE = "none"
    POLRES = "polres"
    POLDA = "polda"


ESCALATION_ORDER: dict[Escalation, int] = {
    Escalation.NONE: 0,
    Escalation.POLRES: 1,
    Escalation.POLDA: 2,
}


class Verification(StrEnum):
    UNVERIFIED = "unverified"
    VERIFIED = "verified"
    INVALID = "invalid"


class OfficerKind(StrEnum):
    PERSON = "person"
    VEHICLE = "vehicle"
    TEAM = "team"


class OfficerStatus(StrEnum):
    AVAILABLE = "available"
    DISPATCHED = "dispatched"
    EN_ROUTE = "en_route"
    ON_SCENE = "on_scene"
    ESCORTING = "escorting"
    OFF_DUTY = "off_duty"


class ElectionPhase(StrEnum):
    PREPARATION = "preparation"
    VOTING = "voting"
    COUNTING = "counting"
    RECAP = "recap"
    DONE = "done"


class NoticeLevel(StrEnum):
    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"


class IncidentAction(StrEnum):
    ACKNOWLEDGE = "acknowledge"
    ASSIGN = "assign"
    RELEASE = "release"
    ESCALATE = "escalate"
    VERIFY = "verify"
    RESOLVE = "resolve"
    CANCEL = "cancel"
    NOTE = "note"


class HubMode(StrEnum):
    LIVE = "live"
    EXERCISE = "exercise"


Latitude = Annotated[float, Field(ge=INDONESIA_LAT[0], le=INDONESIA_LAT[1])]
Longitude = Annotated[float, Field(ge=INDONESIA_LON[0], le=INDONESIA_LON[1])]
Priority = Annotated[int, Field(ge=1, le=4)]
Identifier = Annotated[str, Field(min_length=1, max_length=128)]
ShortText = Annotated[str, Field(max_length=2000)]


class Record(BaseModel):
    """A full record: `version` grows by one per change, so applying is idempotent."""

    model_config = ConfigDict(extra="ignore")

    version: Annotated[int, Field(ge=1)] = 1
    updated_at: AwareDatetime


class Tps(Record):
    id: Identifier
    name: str
    village: str
    village_code: str
    district: str
    lat: Latitude
    lon: Longitude
    voters: NonNegativeInt
    ballots_cast: NonNegativeInt = 0
    phase: TpsPhase = TpsPhase.SETUP
    risk: Risk = Risk.LOW
    health_protocol: HealthProtocol = HealthProtocol.UNKNOWN
    officer_ids: list[str] = Field(default_factory=list)
    last_report_at: AwareDatetime | None = None
    address: str = ""  # as the TPS list gives it (alamat); "" when not given

    @model_validator(mode="after")
    def _ballots_within_voters(self) -> Tps:
        if self.ballots_cast > self.voters:
            raise ValueError(
                f"ballots_cast ({self.ballots_cast}) exceeds registered voters ({self.voters})"
            )
        return self


class TimelineEntry(BaseModel):
    model_config = ConfigDict(extra="ignore")

    at: AwareDatetime
    by: str
    action: str
    note: str = ""


class Incident(Record):
    id: Identifier
    category: Category
    priority: Priority
    status: IncidentStatus = IncidentStatus.NEW
    escalation: Escalation = Escalation.NONE
    verification: Verification = Verification.UNVERIFIED
    acknowledged_at: AwareDatetime | None = None
    tps_id: str | None = None
    village: str = ""
    district: str = ""
    lat: Latitude
    lon: Longitude
    description: ShortText = ""
    reported_by: str = ""
    # None on records written before channels existed, or by a client that did not say.
    channel: Channel | None = None
    reported_at: AwareDatetime
    officer_ids: list[str] = Field(default_factory=list)
    timeline: list[TimelineEntry] = Field(default_factory=list)

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_STATUSES


class Officer(Record):
    id: Identifier
    name: str
    rank: str = ""
    unit: str = ""
    kind: OfficerKind = OfficerKind.PERSON
    status: OfficerStatus = OfficerStatus.AVAILABLE
    status_since: AwareDatetime | None = None
    last_contact_at: AwareDatetime | None = None
    lat: Latitude
    lon: Longitude
    position_at: AwareDatetime | None = None
    incident_id: str | None = None
    post_tps_id: str | None = None
    nrp: str = ""  # a person's police registration number; "" for units and when not given
    phone: str = ""


class Phase(Record):
    phase: ElectionPhase = ElectionPhase.PREPARATION
    since: AwareDatetime
    note: str = ""


class Notice(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: Identifier
    level: NoticeLevel
    text: ShortText
    by: str = ""


class Position(BaseModel):
    """Data of `officer.position`: the frequent, light update."""

    model_config = ConfigDict(extra="ignore")

    id: Identifier
    lat: Latitude
    lon: Longitude
    at: AwareDatetime


class Snapshot(BaseModel):
    model_config = ConfigDict(extra="ignore")

    seq: NonNegativeInt
    mode: HubMode = HubMode.LIVE
    phase: Phase
    tps: list[Tps] = Field(default_factory=list)
    incidents: list[Incident] = Field(default_factory=list)
    officers: list[Officer] = Field(default_factory=list)


# ---- command bodies -------------------------------------------------------


class Command(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NewIncident(Command):
    category: Category
    priority: Priority | None = None
    tps_id: Identifier | None = None
    lat: Latitude | None = None
    lon: Longitude | None = None
    description: ShortText
    reported_by: Annotated[str, Field(min_length=1, max_length=200)]
    channel: Channel | None = None

    @model_validator(mode="after")
    def _place_given(self) -> NewIncident:
        if self.tps_id is None and (self.lat is None or self.lon is None):
            raise ValueError("give either tps_id or both lat and lon")
        if (self.lat is None) != (self.lon is None):
            raise ValueError("lat and lon come together")
        return self


class IncidentActionBody(Command):
    action: IncidentAction
    officer_ids: list[Identifier] | None = None
    to: Escalation | None = None
    verdict: Literal[Verification.VERIFIED, Verification.INVALID] | None = None
    note: ShortText = ""
    expected_version: Annotated[int, Field(ge=1)] | None = None

    @model_validator(mode="after")
    def _fields_for_action(self) -> IncidentActionBody:
        needs = {
            IncidentAction.ASSIGN: "officer_ids",
            IncidentAction.RELEASE: "officer_ids",
            IncidentAction.ESCALATE: "to",
            IncidentAction.VERIFY: "verdict",
        }
        field = needs.get(self.action)
        if field is not None and not getattr(self, field):
            raise ValueError(f"action {self.action.value} needs {field}")
        if self.action is IncidentAction.ESCALATE and self.to is Escalation.NONE:
            raise ValueError("escalate needs to: polres or polda")
        return self


class TpsStatusBody(Command):
    phase: TpsPhase | None = None
    ballots_cast: NonNegativeInt | None = None
    health_protocol: HealthProtocol | None = None
    note: ShortText | None = None

    @model_validator(mode="after")
    def _something_given(self) -> TpsStatusBody:
        given = (self.phase, self.ballots_cast, self.health_protocol, self.note)
        if all(value is None for value in given):
            raise ValueError("give at least one of phase, ballots_cast, health_protocol, note")
        return self


class OfficerStatusBody(Command):
    status: OfficerStatus
    note: ShortText | None = None


class PositionBody(Command):
    lat: Latitude
    lon: Longitude
    at: AwareDatetime | None = None


class PhaseBody(Command):
    phase: ElectionPhase
    note: ShortText | None = None


class NoticeBody(Command):
    level: NoticeLevel
    text: Annotated[str, Field(min_length=1, max_length=2000)]

    @field_validator("text")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("text is blank")
        return value
