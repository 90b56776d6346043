"""Staffing against risk: posted vs required per TPS and kecamatan, alerts at high risk."""

from __future__ import annotations

from pilkades_tui.domain.models import IncidentStatus, OfficerStatus, Risk
from pilkades_tui.domain.rules import AlertKind, Severity, compute_staffing
from pilkades_tui.domain.rules.settings import StaffingSettings
from tests.domain.factories import T0, at, incident, officer, tps
from tests.rules.helpers import World


def high_tps_world(guards: int) -> World:
    ids = [f"G{n}" for n in range(guards)]
    return World(
        tps=[tps("T1", risk="high", officer_ids=ids), tps("T2", risk="high", officer_ids=["G9"])],
        officers=[officer(i, post_tps_id="T1") for i in ids] + [officer("G9", post_tps_id="T2")],
    )


def test_exactly_the_pattern_is_not_short() -> None:
    world = high_tps_world(guards=2)
    staffing = world.engine.evaluate(world.state, T0) and world.engine.tps_staffing("T1")
    assert staffing is not None
    assert (staffing.posted, staffing.required, staffing.short) == (2, 2.0, False)
    assert "understaffed:T1" not in world.keys(T0)


def test_short_high_risk_tps_raises_and_clears_when_reinforced() -> None:
    world = high_tps_world(guards=1)
    alerts = {a.key: a for a in world.alerts(T0)}
    alert = alerts["understaffed:T1"]
    assert alert.kind == AlertKind.UNDERSTAFFED and alert.severity == Severity.WARNING
    assert alert.subject_ids == ("T1",)
    assert (alert.params["posted"], alert.params["required"]) == (1, 2)
    assert alert.fallback_text() == "TPS T1 (Wiradesa, high risk): 1 of 2 officers posted"
    assert alert.raised_at == T0
    # Still short a minute later: the same alert, raised at the same moment.
    assert {a.key: a for a in world.alerts(at(1))}["understaffed:T1"] == alert
    world.put(officer("R1", post_tps_id="T1"), at(2))
    assert "understaffed:T1" not in world.keys(at(2))


def test_a_tps_with_nobody_is_an_alarm() -> None:
    world = World(tps=[tps("T1", risk="high")])
    (alert,) = world.alerts(T0)
    assert alert.severity == Severity.ALARM and alert.params["posted"] == 0


def test_shared_guards_count_as_shares() -> None:
    world = World(
        tps=[
            tps("L1", risk="low", officer_ids=["G1"]),
            tps("L2", risk="low", officer_ids=["G1"]),
            tps("M1", risk="low", officer_ids=["G2"]),
            tps("M2", risk="low", officer_ids=["G2"]),
            tps("M3", risk="low", officer_ids=["G2"]),
        ],
        officers=[officer("G1", post_tps_id="L1"), officer("G2", post_tps_id="M1")],
    )
    world.alerts(T0)
    # One guard for two low-risk TPS: half an officer each, the pattern asks 0.4.
    l2 = world.engine.tps_staffing("L2")
    assert l2 is not None and l2.short is False
    # One guard for three: a third each, short; but a low-risk TPS raises no alert.
    m3 = world.engine.tps_staffing("M3")
    assert m3 is not None and m3.short and m3.posted == 1
    assert world.keys(T0) == []


def test_an_officer_drawn_away_leaves_his_post_short() -> None:
    world = high_tps_world(guards=2)
    world.alerts(T0)
    away = incident("INC-9", tps_id="T2", status="dispatched", officer_ids=["G0"])
    world.put(away, at(1))
    world.change(
        world.state.officers["G0"], at(1), status=OfficerStatus.DISPATCHED, incident_id="INC-9"
    )
    assert "understaffed:T1" in world.keys(at(1))
    world.change(world.state.incidents["INC-9"], at(5), status=IncidentStatus.RESOLVED)
    assert "understaffed:T1" not in world.keys(at(5))


def test_trouble_at_his_own_tps_keeps_him_at_his_post_and_off_duty_does_not() -> None:
    world = high_tps_world(guards=2)
    world.put(incident("INC-1", tps_id="T1", status="on_scene", officer_ids=["G0"]))
    world.change(world.state.officers["G0"], status=OfficerStatus.ON_SCENE, incident_id="INC-1")
    assert "understaffed:T1" not in world.keys(at(1))
    world.change(world.state.officers["G1"], status=OfficerStatus.OFF_DUTY)
    assert "understaffed:T1" in world.keys(at(2))


def test_per_kecamatan_required_and_posted() -> None:
    world = World(
        tps=[tps(f"L{n}", risk="low", officer_ids=["G1"]) for n in range(5)]
        + [tps("H1", risk="high", district="Doro", officer_ids=["G2"])],
        officers=[officer("G1", post_tps_id="L0"), officer("G2", post_tps_id="H1")],
    )
    world.alerts(T0)
    rows = world.engine.district_staffing()
    wiradesa, doro = rows["Wiradesa"], rows["Doro"]
    assert (wiradesa.tps, wiradesa.required, wiradesa.posted, wiradesa.short_tps) == (5, 2, 1, 5)
    assert (doro.required, doro.posted, doro.short_alert_tps) == (2, 1, 1)


def test_incremental_staffing_equals_a_fresh_count() -> None:
    world = high_tps_world(guards=2)
    world.alerts(T0)
    world.change(world.state.tps["T2"], risk=Risk.MEDIUM, officer_ids=["G9", "G1"])
    world.change(world.state.officers["G0"], post_tps_id="T2")
    world.change(world.state.tps["T1"], officer_ids=["G1"])
    world.put(officer("N1", post_tps_id="T1"))
    world.alerts(at(1))
    fresh = compute_staffing(world.state, StaffingSettings())
    for tps_id in world.state.tps:
        assert world.engine.tps_staffing(tps_id) == fresh.tps(tps_id)
    assert world.engine.district_staffing() == fresh.by_district()


def test_kecamatan_rows_follow_a_tps_that_moves_and_officers_that_leave() -> None:
    world = high_tps_world(guards=2)
    world.alerts(T0)
    before = world.engine.district_staffing()
    world.change(world.state.tps["T2"], district="Doro")
    world.change(world.state.officers["G1"], status=OfficerStatus.OFF_DUTY)
    world.alerts(at(1))
    fresh = compute_staffing(world.state, StaffingSettings()).by_district()
    assert world.engine.district_staffing() == fresh
    assert fresh != before
    for name, row in fresh.items():
        assert world.engine.staffing_in(name) == row
    assert world.engine.staffing_in("Nowhere") is None
