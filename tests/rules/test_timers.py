"""Priority targets and timers: warning then alarm, escalation proposed on alarm."""

from __future__ import annotations

import datetime as dt

from pilkades_tui.domain.events import OFFICER_POSITION, Event
from pilkades_tui.domain.models import Escalation, IncidentStatus, OfficerStatus, Position
from pilkades_tui.domain.rules import DEFAULT_SETTINGS, Action, Alert, Severity
from pilkades_tui.domain.rules.settings import TimerKind
from pilkades_tui.domain.rules.timers import next_target
from tests.domain.factories import T0, at, incident, officer
from tests.rules.helpers import World

SECOND = dt.timedelta(seconds=1)


def alert_of(world: World, now: dt.datetime, key: str) -> Alert:
    return {a.key: a for a in world.alerts(now)}[key]


def absent(world: World, now: dt.datetime, key: str) -> bool:
    return key not in world.keys(now)


def test_unacknowledged_warns_then_alarms_exactly_at_the_thresholds() -> None:
    world = World(incidents=[incident("I1", category="clash", priority=1)])
    key = "timer:unacknowledged:I1"
    assert absent(world, at(2) - SECOND, key)
    warning = alert_of(world, at(2), key)
    assert warning.severity == Severity.WARNING and warning.action == Action.ACKNOWLEDGE
    assert warning.raised_at == at(2)
    assert warning.fallback_text() == "P1 I1 not acknowledged for 2 min"
    alarm = alert_of(world, at(5), key)
    assert alarm.severity == Severity.ALARM and alarm.key == warning.key
    assert (alarm.action, alarm.action_params) == (Action.ESCALATE, {"to": "polres"})
    assert alarm.raised_at == at(5) and alarm.params["minutes"] == 5


def test_escalation_proposes_the_next_level_and_stops_at_polda() -> None:
    world = World(incidents=[incident("I1", priority=1, escalation="polres")])
    assert alert_of(world, at(6), "timer:unacknowledged:I1").action_params == {"to": "polda"}
    world.change(world.state.incidents["I1"], escalation=Escalation.POLDA)
    alarm = alert_of(world, at(7), "timer:unacknowledged:I1")
    assert alarm.severity == Severity.ALARM and alarm.action == Action.ACKNOWLEDGE


def test_acknowledging_clears_the_timer_but_the_target_runs_on() -> None:
    world = World(incidents=[incident("I1", category="clash", priority=1)])
    world.alerts(at(3))
    world.change(world.state.incidents["I1"], status=IncidentStatus.ACKNOWLEDGED)
    assert world.keys(at(3)) == []
    target = alert_of(world, at(11.25), "timer:target:I1")
    assert target.severity == Severity.WARNING and target.params["target"] == "15 min"
    assert absent(world, at(11.25) - SECOND, "timer:target:I1")
    assert alert_of(world, at(15), "timer:target:I1").severity == Severity.ALARM


def test_rural_kecamatan_gets_the_longer_p1_target() -> None:
    world = World(incidents=[incident("I1", priority=1, district="Petungkriyono")])
    assert alert_of(world, at(19), "timer:target:I1").severity == Severity.WARNING
    assert alert_of(world, at(20), "timer:target:I1").severity == Severity.ALARM


def test_p3_is_due_by_the_shift_change_and_p4_only_monitored() -> None:
    evening = T0.replace(hour=18)
    world = World(
        incidents=[
            incident("I3", priority=3, reported_at=evening, status="acknowledged"),
            incident("I4", priority=4, reported_at=evening, status="acknowledged"),
        ]
    )
    assert alert_of(world, evening.replace(minute=45), "timer:target:I3").severity == (
        Severity.WARNING
    )
    alarm = alert_of(world, evening.replace(hour=19), "timer:target:I3")
    assert alarm.severity == Severity.ALARM and alarm.params["target"] == "shift 19:00"
    assert [k for k in world.keys(evening + dt.timedelta(hours=6)) if "I4" in k] == []


def test_dispatched_but_not_moving_until_a_unit_rolls() -> None:
    world = World(
        officers=[
            officer("U1", status="dispatched", status_since=at(1), incident_id="I1"),
        ],
        incidents=[incident("I1", priority=1, status="dispatched", officer_ids=["U1"])],
    )
    key = "timer:not_moving:I1"
    assert alert_of(world, at(4), key).severity == Severity.WARNING
    assert alert_of(world, at(4), key).action == Action.CONTACT_UNIT
    assert alert_of(world, at(7), key).severity == Severity.ALARM
    world.change(world.state.officers["U1"], at(7.5), status=OfficerStatus.EN_ROUTE)
    assert absent(world, at(7.5), key)


def test_on_scene_without_contact_and_a_position_report_resets_it() -> None:
    world = World(
        officers=[officer("U1", status="on_scene", incident_id="I1", last_contact_at=at(0))],
        incidents=[incident("I1", priority=2, status="on_scene", officer_ids=["U1"])],
    )
    key = "timer:no_contact:I1"
    assert alert_of(world, at(15), key).severity == Severity.WARNING
    ping = Position(id="U1", lat=-7.02, lon=109.59, at=at(16))
    event = Event(seq=world.state.seq + 1, ts=at(16), type=OFFICER_POSITION, data=ping)
    world.engine.observe(world.state.apply(event))
    assert absent(world, at(16), key)
    assert alert_of(world, at(31), key).severity == Severity.WARNING


def test_invalid_or_closed_reports_run_no_timer() -> None:
    world = World(
        incidents=[
            incident("I1", priority=1, verification="invalid"),
            incident("I2", priority=1, status="resolved"),
        ]
    )
    assert world.keys(at(60)) == []


def test_a_clock_set_back_judges_every_timer_again() -> None:
    world = World(incidents=[incident("I1", priority=1)])
    assert alert_of(world, at(6), "timer:unacknowledged:I1").severity == Severity.ALARM
    assert alert_of(world, at(3), "timer:unacknowledged:I1").severity == Severity.WARNING
    assert world.keys(at(1)) == []


def test_next_target_is_acknowledgement_then_arrival_by_priority() -> None:
    new_p1 = next_target(incident(priority=1), DEFAULT_SETTINGS)
    assert new_p1 is not None and new_p1.kind is TimerKind.UNACKNOWLEDGED
    assert (new_p1.warning_at, new_p1.alarm_at) == (at(2), at(5))
    acknowledged = incident(priority=1, status=IncidentStatus.ACKNOWLEDGED, acknowledged_at=at(1))
    arrive = next_target(acknowledged, DEFAULT_SETTINGS)
    assert arrive is not None and arrive.kind is TimerKind.TARGET and arrive.alarm_at == at(15)
    dispatched = incident(priority=2, status=IncidentStatus.DISPATCHED, acknowledged_at=at(1))
    assert next_target(dispatched, DEFAULT_SETTINGS).alarm_at == at(60)  # type: ignore[union-attr]
    # On scene, monitored only (P4 once acknowledged), invalid or closed: nothing is due.
    for done in (
        incident(status=IncidentStatus.ON_SCENE, acknowledged_at=at(1)),
        incident(priority=4, status=IncidentStatus.ACKNOWLEDGED, acknowledged_at=at(1)),
        incident(verification="invalid"),
        incident(status=IncidentStatus.RESOLVED),
    ):
        assert next_target(done, DEFAULT_SETTINGS) is None, done.status
