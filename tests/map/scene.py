"""The Pekalongan day at a fixed time, with a few incidents applied as events."""

from __future__ import annotations

from datetime import datetime, timedelta

from pilkades_tui.domain.clock import WIB
from pilkades_tui.domain.events import INCIDENT_UPDATED, OFFICER_POSITION, TPS_UPDATED, Event
from pilkades_tui.domain.models import Incident, Position, Risk, Snapshot
from pilkades_tui.domain.state import Changes, ElectionState
from pilkades_tui.scenario import load_scenario

T0 = datetime(2022, 2, 23, 9, 0, tzinfo=WIB)


def pekalongan_state() -> ElectionState:
    scenario = load_scenario("pekalongan", T0)
    assert scenario is not None
    return ElectionState.from_snapshot(
        Snapshot(
            seq=0, phase=scenario.phase, tps=list(scenario.tps), officers=list(scenario.officers)
        )
    )


def next_event(state: ElectionState, kind: str, data: object) -> Event:
    return Event(seq=state.seq + 1, ts=T0 + timedelta(seconds=state.seq), type=kind, data=data)


def report_incident(
    state: ElectionState, incident_id: str, tps_index: int, priority: int, **fields: object
) -> Changes:
    """An incident at the n-th TPS (sorted by id), applied through the reducer."""
    tps = sorted(state.tps.values(), key=lambda record: record.id)[tps_index]
    values: dict[str, object] = {
        "id": incident_id,
        "category": "crowd",
        "priority": priority,
        "tps_id": tps.id,
        "village": tps.village,
        "district": tps.district,
        "lat": tps.lat,
        "lon": tps.lon,
        "reported_at": T0,
        "updated_at": T0,
    }
    values.update(fields)
    incident = Incident.model_validate(values)
    return state.apply(next_event(state, INCIDENT_UPDATED, incident))


def move_officer(state: ElectionState, officer_id: str, lon: float, lat: float) -> Changes:
    position = Position(id=officer_id, lat=lat, lon=lon, at=T0 + timedelta(minutes=state.seq))
    return state.apply(next_event(state, OFFICER_POSITION, position))


def rerate_tps(state: ElectionState, tps_id: str, risk: Risk) -> Changes:
    tps = state.tps[tps_id]
    changed = tps.model_copy(update={"risk": risk, "version": tps.version + 1})
    return state.apply(next_event(state, TPS_UPDATED, changed))


def busy_state() -> ElectionState:
    """Three incidents of different priorities in different kecamatan."""
    state = pekalongan_state()
    report_incident(state, "INC-1", 10, 1)
    report_incident(state, "INC-2", 500, 3)
    report_incident(state, "INC-3", 900, 2)
    return state
