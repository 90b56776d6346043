"""The pure command rules (domain/commands.py), without a hub: state and body in,
effects or a RuleViolation out, applied through the same reducer as the hub."""

from __future__ import annotations

from datetime import timedelta

import pytest

from pilkades_tui.domain import commands
from pilkades_tui.domain.commands import Decision, RuleViolation
from pilkades_tui.domain.events import Event
from pilkades_tui.domain.models import (
    IncidentActionBody,
    NewIncident,
    OfficerStatusBody,
    PhaseBody,
    PositionBody,
)
from pilkades_tui.domain.rules.settings import PrioritySettings
from pilkades_tui.domain.state import ElectionState
from tests.domain.factories import T0, officer, phase, tps


def world() -> ElectionState:
    state = ElectionState(phase())
    state.tps["T1"] = tps("T1", risk="high")
    state.tps["T2"] = tps("T2", lat=-7.2, lon=109.7, village="Lolong", district="Karanganyar")
    for officer_id in ("A", "B", "C"):
        state.officers[officer_id] = officer(officer_id)
    return state


def apply(state: ElectionState, decision: Decision, minutes: float = 0) -> None:
    for effect in decision.effects:
        state.apply(
            Event(
                seq=state.seq + 1,
                ts=T0 + timedelta(minutes=minutes),
                type=effect.type,
                data=effect.data,
            )
        )


def report(state: ElectionState, **fields: object) -> str:
    body = NewIncident.model_validate(
        {"category": "crowd", "description": "d", "reported_by": "r", "tps_id": "T1", **fields}
    )
    decision = commands.new_incident(state, body, "piket", T0, PrioritySettings())
    apply(state, decision)
    return decision.answer.id  # type: ignore[attr-defined]


def act(state: ElectionState, incident_id: str, **body: object) -> Decision:
    decision = commands.incident_action(
        state, incident_id, IncidentActionBody.model_validate(body), "piket", T0
    )
    apply(state, decision)
    return decision


def test_priority_from_settings_and_place_from_the_nearest_tps() -> None:
    state = world()
    first = report(state)
    assert state.incidents[first].priority == 1  # crowd (2) raised at a high-risk TPS
    body = NewIncident(category="crowd", description="d", reported_by="r", lat=-7.19, lon=109.69)
    flat = PrioritySettings(raise_at_high_risk=False)
    decision = commands.new_incident(state, body, "piket", T0, flat)
    record = decision.answer
    assert (record.village, record.district, record.tps_id) == ("Lolong", "Karanganyar", None)  # type: ignore[attr-defined]
    assert commands.next_incident_id(state) == "INC-000002"


def test_assign_then_officer_status_then_resolve() -> None:
    state = world()
    incident_id = report(state)
    act(state, incident_id, action="assign", officer_ids=["A", "B", "A"])
    assert state.incidents[incident_id].officer_ids == ["A", "B"]
    assert state.officers["A"].incident_id == incident_id
    with pytest.raises(RuleViolation) as busy:
        act(state, report(state), action="assign", officer_ids=["C", "A"])
    assert busy.value.kind == "conflict" and busy.value.details["busy"][0]["id"] == "A"
    apply(state, commands.officer_status(state, "A", OfficerStatusBody(status="on_scene"), "r", T0))
    assert state.incidents[incident_id].status == "on_scene"
    apply(state, commands.officer_status(state, "B", OfficerStatusBody(status="off_duty"), "r", T0))
    assert state.incidents[incident_id].officer_ids == ["A"]  # B left the incident
    assert state.officers["B"].incident_id is None
    act(state, incident_id, action="resolve")
    assert state.officers["A"].status == "available" and state.officers["A"].incident_id is None


def test_version_conflict_and_closed_incident() -> None:
    state = world()
    incident_id = report(state)
    act(state, incident_id, action="acknowledge")
    with pytest.raises(RuleViolation) as stale:
        act(state, incident_id, action="note", note="x", expected_version=1)
    assert stale.value.kind == "conflict" and stale.value.details["current"]["version"] == 2
    act(state, incident_id, action="verify", verdict="invalid")
    assert state.incidents[incident_id].status == "cancelled"
    with pytest.raises(RuleViolation):
        act(state, incident_id, action="escalate", to="polres")


def test_positions_leave_the_version_and_phase_may_be_set_by_admin() -> None:
    state = world()
    before = state.officers["A"].version
    apply(state, commands.officer_position(state, "A", PositionBody(lat=-7.1, lon=109.5), T0))
    assert state.officers["A"].version == before and state.officers["A"].lat == -7.1
    apply(state, commands.set_phase(state, PhaseBody(phase="voting"), T0))
    assert state.phase.phase == "voting" and state.phase.version == 2
    with pytest.raises(RuleViolation) as missing:
        commands.officer_position(state, "Z", PositionBody(lat=-7.1, lon=109.5), T0)
    assert missing.value.kind == "not_found"
