"""Stage checkpoints: late TPS listed per stage, from phase, escort and `now`."""

from __future__ import annotations

import datetime as dt

from pilkades_tui.domain.clock import WIB
from pilkades_tui.domain.models import ElectionPhase, OfficerStatus, TpsPhase
from pilkades_tui.domain.rules import Stage, StageState, settings_from_overrides
from pilkades_tui.domain.rules.checkpoints import election_day
from tests.domain.factories import T0, officer, phase, tps
from tests.rules.helpers import World

DAY = T0.date()


def clock(hour: int, minute: int, second: int = 0, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute, second), tzinfo=WIB)


def world() -> World:
    return World(
        tps=[
            tps("T1", officer_ids=["E1"]),
            tps("T2", officer_ids=["E2"], last_report_at=clock(6, 10)),
            tps("T3", district="Doro", last_report_at=clock(6, 10), officer_ids=["E3"]),
        ],
        officers=[
            officer("E1", post_tps_id="T1"),
            officer("E2", post_tps_id="T2", status=OfficerStatus.ESCORTING),
            officer("E3", post_tps_id="T3"),
        ],
    )


def checkpoint(world: World, now: dt.datetime, stage: Stage) -> tuple[str, ...] | None:
    alerts = {a.key: a for a in world.alerts(now)}
    alert = alerts.get(f"checkpoint:{stage.value}")
    return None if alert is None else alert.subject_ids


def test_late_exactly_after_the_grace_not_at_it() -> None:
    w = world()
    assert checkpoint(w, clock(6, 35), Stage.BALLOTS_DELIVERED) is None
    # T1 never reported; T2's escort still reports escorting; T3 has its ballots.
    assert checkpoint(w, clock(6, 35, 1), Stage.BALLOTS_DELIVERED) == ("T1", "T2")


def test_escort_arriving_clears_the_tps_from_the_checkpoint() -> None:
    w = world()
    w.alerts(clock(6, 40))
    w.change(w.state.officers["E2"], status=OfficerStatus.AVAILABLE)
    assert checkpoint(w, clock(6, 41), Stage.BALLOTS_DELIVERED) == ("T1",)
    w.change(w.state.tps["T1"], phase=TpsPhase.VOTING)
    assert checkpoint(w, clock(6, 42), Stage.BALLOTS_DELIVERED) is None


def test_each_stage_follows_the_tps_phase() -> None:
    w = world()
    w.put(phase(phase=ElectionPhase.VOTING, since=clock(7, 0)))
    alert = {a.key: a for a in w.alerts(clock(7, 6))}["checkpoint:voting_open"]
    assert alert.subject_ids == ("T3", "T1", "T2")  # by kecamatan: Doro, then Wiradesa
    assert alert.params["due"] == "07:00" and alert.params["count"] == 3
    assert alert.raised_at == clock(7, 5)
    assert alert.fallback_text().startswith(
        "3 TPS missed 'voting_open' (due 07:00): TPS T3, TPS T1"
    )
    for tps_id in ("T1", "T2", "T3"):
        w.change(w.state.tps[tps_id], phase=TpsPhase.VOTING)
    assert checkpoint(w, clock(7, 7), Stage.VOTING_OPEN) is None
    assert checkpoint(w, clock(13, 5, 1), Stage.VOTING_CLOSED) == ("T3", "T1", "T2")
    w.change(w.state.tps["T1"], phase=TpsPhase.CLOSED)
    w.change(w.state.tps["T2"], phase=TpsPhase.RECAP)
    w.change(w.state.tps["T3"], phase=TpsPhase.COUNTING)
    now = clock(20, 30)
    keys = w.keys(now)
    assert "checkpoint:voting_closed" not in keys
    assert checkpoint(w, now, Stage.COUNTING_DONE) == ("T3",)
    assert checkpoint(w, now, Stage.BOX_RETURNED) == ("T3", "T2")


def test_the_evening_before_nothing_is_due() -> None:
    w = world()
    evening_before = clock(22, 0, day=DAY - dt.timedelta(days=1))
    assert w.alerts(evening_before) == ()
    assert all(
        row.state == StageState.UPCOMING for row in w.engine.checkpoint_summary(evening_before)
    )


def test_election_day_from_setting_phase_or_morning() -> None:
    settings = settings_from_overrides({}).checkpoints
    morning = phase(phase=ElectionPhase.PREPARATION)
    assert election_day(settings, morning, clock(6, 0)) == DAY
    assert election_day(settings, morning, clock(13, 0)) is None
    voting = phase(phase=ElectionPhase.VOTING, since=clock(7, 0))
    assert election_day(settings, voting, clock(23, 0, day=DAY + dt.timedelta(days=1))) == DAY
    fixed = settings_from_overrides({"checkpoints": {"election_date": DAY}}).checkpoints
    assert election_day(fixed, morning, clock(22, 0)) == DAY


def test_kabupaten_summary_at_a_glance() -> None:
    w = world()
    w.change(w.state.tps["T3"], phase=TpsPhase.VOTING)
    now = clock(7, 30)
    w.alerts(now)
    rows = {row.stage: row for row in w.engine.checkpoint_summary(now)}
    ballots, opened, closed = (
        rows[Stage.BALLOTS_DELIVERED],
        rows[Stage.VOTING_OPEN],
        rows[Stage.VOTING_CLOSED],
    )
    assert (ballots.state, ballots.reached, ballots.pending) == (StageState.MISSED, 1, 2)
    assert (opened.state, opened.pending_by_district) == (StageState.MISSED, {"Wiradesa": 2})
    assert (closed.state, closed.pending, closed.due) == (StageState.UPCOMING, 3, clock(13, 0))
    for tps_id in ("T1", "T2"):
        w.change(w.state.tps[tps_id], phase=TpsPhase.VOTING)
    w.alerts(now)
    assert w.engine.checkpoint_summary(now)[1].state == StageState.MET
