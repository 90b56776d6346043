"""The hub's command rules, pure: the state as it is, a validated command body, who
sends it and `now` in; the records it changes (as events to append) or the rule it
breaks out. No IO, no clock: the hub assigns seq and time and applies the effects
through the same `ElectionState` reducer as every console.

Each decision lists its effects with the record the caller answers with LAST, so the
seq of the answer is also the seq after which the whole command is visible.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

from pydantic import BaseModel

from pilkades_tui.domain.events import (
    INCIDENT_UPDATED,
    NOTICE,
    OFFICER_POSITION,
    OFFICER_UPDATED,
    PHASE_CHANGED,
    TPS_UPDATED,
)
from pilkades_tui.domain.models import (
    CLOSED_STATUSES,
    ESCALATION_ORDER,
    INCIDENT_STATUS_ORDER,
    Escalation,
    Incident,
    IncidentAction,
    IncidentActionBody,
    IncidentStatus,
    NewIncident,
    Notice,
    NoticeBody,
    Officer,
    OfficerStatus,
    OfficerStatusBody,
    Phase,
    PhaseBody,
    Position,
    PositionBody,
    Record,
    Risk,
    TimelineEntry,
    Tps,
    TpsPhase,
    TpsStatusBody,
    Verification,
)
from pilkades_tui.domain.rules.settings import PrioritySettings
from pilkades_tui.domain.rules.triage import priority_for
from pilkades_tui.domain.state import ElectionState

R = TypeVar("R", bound=Record)

INCIDENT_ID_PREFIX = "INC-"
NOTICE_ID_PREFIX = "NTC-"

TPS_PHASE_ORDER: dict[TpsPhase, int] = {phase: index for index, phase in enumerate(TpsPhase)}

# Statuses in which an officer is bound to an incident; any other status he reports
# unbinds him (he cleared the scene, or was called away).
ASSIGNED_STATUSES = frozenset(
    {OfficerStatus.DISPATCHED, OfficerStatus.EN_ROUTE, OfficerStatus.ON_SCENE}
)
OFFICER_MOVES_INCIDENT: dict[OfficerStatus, IncidentStatus] = {
    OfficerStatus.EN_ROUTE: IncidentStatus.DISPATCHED,
    OfficerStatus.ON_SCENE: IncidentStatus.ON_SCENE,
}


# A GPS device's clock may run a little ahead of the hub's.
FUTURE_FIX_TOLERANCE = timedelta(minutes=2)


class RuleViolation(Exception):
    """A command the rules refuse. `kind` maps to the HTTP answer: not_found 404,
    conflict 409, invalid 422."""

    def __init__(self, kind: str, message: str, details: Any = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.details = details


@dataclass(slots=True)
class Effect:
    type: str
    data: BaseModel


@dataclass(slots=True)
class Decision:
    effects: list[Effect] = field(default_factory=list)

    @property
    def answer(self) -> BaseModel:
        return self.effects[-1].data


def next_incident_id(state: ElectionState) -> str:
    # Incidents are never deleted, so the count names the next one uniquely.
    return f"{INCIDENT_ID_PREFIX}{len(state.incidents) + 1:06d}"


def notice_id_for(seq: int) -> str:
    return f"{NOTICE_ID_PREFIX}{seq:06d}"


def nearest_tps(state: ElectionState, lat: float, lon: float) -> Tps | None:
    # The state's grid: the same place the console's unit board names a point by.
    found = state.nearest_tps(lat, lon)
    return found[0] if found is not None else None


def _entry(now: datetime, by: str, action: str, note: str | None) -> TimelineEntry:
    return TimelineEntry(at=now, by=by, action=action, note=note or "")


def _bumped(record: R, now: datetime, **changes: Any) -> R:
    return record.model_copy(update={**changes, "version": record.version + 1, "updated_at": now})


# ---- new incident ---------------------------------------------------------------


def new_incident(
    state: ElectionState,
    body: NewIncident,
    by: str,
    now: datetime,
    priorities: PrioritySettings,
) -> Decision:
    """A field report. With `tps_id` the place comes from that TPS; with lat/lon only,
    the village and district are those of the nearest TPS (tps_id stays empty)."""
    place: Tps | None
    if body.tps_id is not None:
        place = state.tps.get(body.tps_id)
        if place is None:
            raise RuleViolation("invalid", f"unknown TPS {body.tps_id}", {"field": "tps_id"})
        lat = body.lat if body.lat is not None else place.lat
        lon = body.lon if body.lon is not None else place.lon
    else:
        assert body.lat is not None and body.lon is not None  # the body's validator saw to it
        lat, lon = body.lat, body.lon
        place = nearest_tps(state, lat, lon)
    risk: Risk | None = place.risk if place is not None else None
    priority = body.priority or priority_for(body.category, risk, priorities)
    incident = Incident(
        id=next_incident_id(state),
        category=body.category,
        priority=priority,
        tps_id=body.tps_id,
        village=place.village if place is not None else "",
        district=place.district if place is not None else "",
        lat=lat,
        lon=lon,
        description=body.description,
        reported_by=body.reported_by,
        channel=body.channel,
        reported_at=now,
        updated_at=now,
        timeline=[_entry(now, by, "reported", body.description)],
    )
    return Decision([Effect(INCIDENT_UPDATED, incident)])


# ---- incident actions -------------------------------------------------------------


def incident_action(
    state: ElectionState,
    incident_id: str,
    body: IncidentActionBody,
    by: str,
    now: datetime,
) -> Decision:
    incident = state.incidents.get(incident_id)
    if incident is None:
        raise RuleViolation("not_found", f"no incident {incident_id}")
    if body.expected_version is not None and body.expected_version != incident.version:
        raise RuleViolation(
            "conflict",
            f"incident {incident_id} is at version {incident.version}, "
            f"not {body.expected_version}: someone changed it first",
            {"current": incident.model_dump(mode="json")},
        )
    if incident.status in CLOSED_STATUSES:
        raise RuleViolation(
            "conflict",
            f"incident {incident_id} is already {incident.status.value}",
            {"current": incident.model_dump(mode="json")},
        )
    action = body.action
    handler = _ACTIONS[action]
    return handler(state, incident, body, by, now)


def _forward(incident: Incident, target: IncidentStatus) -> IncidentStatus:
    """The status after moving towards `target`: never backwards."""
    if INCIDENT_STATUS_ORDER[target] > INCIDENT_STATUS_ORDER[incident.status]:
        return target
    return incident.status


def _not_forward(incident: Incident, target: IncidentStatus) -> RuleViolation:
    return RuleViolation(
        "conflict",
        f"incident {incident.id} is {incident.status.value}: it cannot go back to {target.value}",
        {"current": incident.model_dump(mode="json")},
    )


def _freed(officer: Officer, now: datetime) -> Officer:
    return _bumped(
        officer,
        now,
        status=OfficerStatus.AVAILABLE,
        status_since=now,
        incident_id=None,
    )


def _close(
    state: ElectionState,
    incident: Incident,
    now: datetime,
    entry: TimelineEntry,
    **changes: Any,
) -> Decision:
    """Close the incident and free every officer still bound to it."""
    effects: list[Effect] = []
    for officer_id in incident.officer_ids:
        officer = state.officers.get(officer_id)
        if officer is not None and officer.incident_id == incident.id:
            effects.append(Effect(OFFICER_UPDATED, _freed(officer, now)))
    closed = _bumped(incident, now, officer_ids=[], timeline=[*incident.timeline, entry], **changes)
    effects.append(Effect(INCIDENT_UPDATED, closed))
    return Decision(effects)


def _acknowledge(
    state: ElectionState, incident: Incident, body: IncidentActionBody, by: str, now: datetime
) -> Decision:
    if incident.status is not IncidentStatus.NEW:
        raise _not_forward(incident, IncidentStatus.ACKNOWLEDGED)
    updated = _bumped(
        incident,
        now,
        status=IncidentStatus.ACKNOWLEDGED,
        acknowledged_at=now,
        timeline=[*incident.timeline, _entry(now, by, "acknowledge", body.note)],
    )
    return Decision([Effect(INCIDENT_UPDATED, updated)])


def _known_officers(state: ElectionState, officer_ids: list[str]) -> list[Officer]:
    unique = list(dict.fromkeys(officer_ids))
    unknown = [officer_id for officer_id in unique if officer_id not in state.officers]
    if unknown:
        raise RuleViolation(
            "invalid",
            f"unknown officer(s): {', '.join(unknown)}",
            {"field": "officer_ids", "unknown": unknown},
        )
    return [state.officers[officer_id] for officer_id in unique]


def _assign(
    state: ElectionState, incident: Incident, body: IncidentActionBody, by: str, now: datetime
) -> Decision:
    officers = _known_officers(state, body.officer_ids or [])
    busy = [officer for officer in officers if officer.status is not OfficerStatus.AVAILABLE]
    if busy:
        raise RuleViolation(
            "conflict",
            "not available: "
            + ", ".join(f"{officer.id} ({officer.status.value})" for officer in busy),
            {
                "busy": [
                    {"id": o.id, "status": o.status.value, "incident_id": o.incident_id}
                    for o in busy
                ]
            },
        )
    effects = [
        Effect(
            OFFICER_UPDATED,
            _bumped(
                officer,
                now,
                status=OfficerStatus.DISPATCHED,
                status_since=now,
                incident_id=incident.id,
            ),
        )
        for officer in officers
    ]
    assigned = [officer.id for officer in officers]
    note = body.note or ", ".join(assigned)
    updated = _bumped(
        incident,
        now,
        status=_forward(incident, IncidentStatus.DISPATCHED),
        acknowledged_at=incident.acknowledged_at or now,
        officer_ids=[*incident.officer_ids, *assigned],
        timeline=[*incident.timeline, _entry(now, by, "assign", note)],
    )
    effects.append(Effect(INCIDENT_UPDATED, updated))
    return Decision(effects)


def _release(
    state: ElectionState, incident: Incident, body: IncidentActionBody, by: str, now: datetime
) -> Decision:
    officers = _known_officers(state, body.officer_ids or [])
    strangers = [officer.id for officer in officers if officer.id not in incident.officer_ids]
    if strangers:
        raise RuleViolation(
            "conflict",
            f"not assigned to {incident.id}: {', '.join(strangers)}",
            {"not_assigned": strangers},
        )
    effects = [
        Effect(OFFICER_UPDATED, _freed(officer, now))
        for officer in officers
        if officer.incident_id == incident.id
    ]
    released = {officer.id for officer in officers}
    note = body.note or ", ".join(officer.id for officer in officers)
    updated = _bumped(
        incident,
        now,
        officer_ids=[i for i in incident.officer_ids if i not in released],
        timeline=[*incident.timeline, _entry(now, by, "release", note)],
    )
    effects.append(Effect(INCIDENT_UPDATED, updated))
    return Decision(effects)


def _escalate(
    state: ElectionState, incident: Incident, body: IncidentActionBody, by: str, now: datetime
) -> Decision:
    target = body.to or Escalation.NONE
    if ESCALATION_ORDER[target] <= ESCALATION_ORDER[incident.escalation]:
        raise RuleViolation(
            "conflict",
            f"incident {incident.id} is already escalated to {incident.escalation.value}",
            {"current": incident.model_dump(mode="json")},
        )
    updated = _bumped(
        incident,
        now,
        escalation=target,
        timeline=[*incident.timeline, _entry(now, by, f"escalate:{target.value}", body.note)],
    )
    return Decision([Effect(INCIDENT_UPDATED, updated)])


def _verify(
    state: ElectionState, incident: Incident, body: IncidentActionBody, by: str, now: datetime
) -> Decision:
    verdict = body.verdict or Verification.VERIFIED
    entry = _entry(now, by, f"verify:{verdict.value}", body.note)
    if verdict is Verification.INVALID:
        # A hoax closes without a unit: it is cancelled and whoever went is freed.
        return _close(
            state,
            incident,
            now,
            entry,
            verification=Verification.INVALID,
            status=IncidentStatus.CANCELLED,
        )
    updated = _bumped(incident, now, verification=verdict, timeline=[*incident.timeline, entry])
    return Decision([Effect(INCIDENT_UPDATED, updated)])


def _resolve(
    state: ElectionState, incident: Incident, body: IncidentActionBody, by: str, now: datetime
) -> Decision:
    return _close(
        state,
        incident,
        now,
        _entry(now, by, "resolve", body.note),
        status=IncidentStatus.RESOLVED,
        acknowledged_at=incident.acknowledged_at or now,
    )


def _cancel(
    state: ElectionState, incident: Incident, body: IncidentActionBody, by: str, now: datetime
) -> Decision:
    return _close(
        state, incident, now, _entry(now, by, "cancel", body.note), status=IncidentStatus.CANCELLED
    )


def _note(
    state: ElectionState, incident: Incident, body: IncidentActionBody, by: str, now: datetime
) -> Decision:
    if not body.note.strip():
        raise RuleViolation("invalid", "a note needs text", {"field": "note"})
    updated = _bumped(
        incident, now, timeline=[*incident.timeline, _entry(now, by, "note", body.note)]
    )
    return Decision([Effect(INCIDENT_UPDATED, updated)])


_ACTIONS = {
    IncidentAction.ACKNOWLEDGE: _acknowledge,
    IncidentAction.ASSIGN: _assign,
    IncidentAction.RELEASE: _release,
    IncidentAction.ESCALATE: _escalate,
    IncidentAction.VERIFY: _verify,
    IncidentAction.RESOLVE: _resolve,
    IncidentAction.CANCEL: _cancel,
    IncidentAction.NOTE: _note,
}


# ---- field reports ----------------------------------------------------------------


def tps_status(
    state: ElectionState, tps_id: str, body: TpsStatusBody, by: str, now: datetime
) -> Decision:
    """A TPS report. Its phase only moves forward; ballots_cast may be corrected but
    never exceed the registered voters; every report stamps `last_report_at`."""
    tps = state.tps.get(tps_id)
    if tps is None:
        raise RuleViolation("not_found", f"no TPS {tps_id}")
    changes: dict[str, Any] = {"last_report_at": now}
    if body.phase is not None and body.phase is not tps.phase:
        if TPS_PHASE_ORDER[body.phase] < TPS_PHASE_ORDER[tps.phase]:
            raise RuleViolation(
                "conflict",
                f"TPS {tps_id} is in {tps.phase.value}: it cannot go back to {body.phase.value}",
                {"current": tps.model_dump(mode="json")},
            )
        changes["phase"] = body.phase
    if body.ballots_cast is not None:
        if body.ballots_cast > tps.voters:
            raise RuleViolation(
                "invalid",
                f"ballots_cast ({body.ballots_cast}) exceeds the {tps.voters} registered voters",
                {"field": "ballots_cast", "voters": tps.voters},
            )
        changes["ballots_cast"] = body.ballots_cast
    if body.health_protocol is not None:
        changes["health_protocol"] = body.health_protocol
    return Decision([Effect(TPS_UPDATED, _bumped(tps, now, **changes))])


def officer_status(
    state: ElectionState, officer_id: str, body: OfficerStatusBody, by: str, now: datetime
) -> Decision:
    """An officer's own status. en_route / on_scene move his incident along (never
    back); a status outside dispatched/en_route/on_scene unbinds him from it."""
    officer = state.officers.get(officer_id)
    if officer is None:
        raise RuleViolation("not_found", f"no officer {officer_id}")
    status = body.status
    effects: list[Effect] = []
    incident = state.incidents.get(officer.incident_id) if officer.incident_id else None
    if incident is not None and not incident.is_open:
        incident = None
    keeps_incident = incident is not None and status in ASSIGNED_STATUSES
    if incident is not None:
        if keeps_incident:
            target = OFFICER_MOVES_INCIDENT.get(status)
            if target is not None and _forward(incident, target) is not incident.status:
                note = f"{officer.id} {status.value}" + (f": {body.note}" if body.note else "")
                moved = _bumped(
                    incident,
                    now,
                    status=target,
                    acknowledged_at=incident.acknowledged_at or now,
                    timeline=[*incident.timeline, _entry(now, by, f"officer:{status.value}", note)],
                )
                effects.append(Effect(INCIDENT_UPDATED, moved))
        else:
            note = f"{officer.id} {status.value}" + (f": {body.note}" if body.note else "")
            left = _bumped(
                incident,
                now,
                officer_ids=[i for i in incident.officer_ids if i != officer.id],
                timeline=[*incident.timeline, _entry(now, by, f"officer:{status.value}", note)],
            )
            effects.append(Effect(INCIDENT_UPDATED, left))
    updated = _bumped(
        officer,
        now,
        status=status,
        status_since=now if status is not officer.status else officer.status_since,
        last_contact_at=now,
        incident_id=officer.incident_id if keeps_incident else None,
    )
    effects.append(Effect(OFFICER_UPDATED, updated))
    return Decision(effects)


def officer_position(
    state: ElectionState, officer_id: str, body: PositionBody, now: datetime
) -> Decision:
    """The light update. It does not bump the officer's version (the reducer moves the
    held record in place); a position older than the one held changes nothing but is
    still logged, as the device sent it."""
    if officer_id not in state.officers:
        raise RuleViolation("not_found", f"no officer {officer_id}")
    if body.at is not None and body.at > now + FUTURE_FIX_TOLERANCE:
        # A fix from the future would make every later real fix look stale and freeze
        # the unit on the map; a device with a wrong clock must be told.
        raise RuleViolation(
            "invalid",
            f"at {body.at.isoformat()} is in the future (hub time {now.isoformat()})",
            {"field": "at"},
        )
    position = Position(id=officer_id, lat=body.lat, lon=body.lon, at=body.at or now)
    return Decision([Effect(OFFICER_POSITION, position)])


def set_phase(state: ElectionState, body: PhaseBody, now: datetime) -> Decision:
    """The election phase, set by an admin: any phase may be set (a correction too)."""
    current = state.phase
    since = now if body.phase is not current.phase else current.since
    phase = Phase(
        phase=body.phase,
        since=since,
        note=body.note or "",
        version=current.version + 1,
        updated_at=now,
    )
    return Decision([Effect(PHASE_CHANGED, phase)])


def notice(body: NoticeBody, by: str, notice_id: str) -> Decision:
    return Decision([Effect(NOTICE, Notice(id=notice_id, level=body.level, text=body.text, by=by))])
