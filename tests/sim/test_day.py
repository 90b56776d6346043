"""The shape of the day, with explicit clocks: phases, turnout, incident mix."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, time, timedelta

import pytest

from pilkades_tui.domain.models import Category, ElectionPhase, Risk, TpsPhase
from pilkades_tui.sim.day import (
    at_clock,
    incidents_due,
    phase_at,
    pick_incident,
    plan_tps,
    routine_report_floor,
    turnout_share,
)
from pilkades_tui.sim.runner import Pacer, SimClock

DAY = date(2022, 2, 23)


@pytest.mark.parametrize(
    ("clock", "phase"),
    [
        (time(5, 59), None),
        (time(6, 0), ElectionPhase.PREPARATION),
        (time(6, 59, 59), ElectionPhase.PREPARATION),
        (time(7, 0), ElectionPhase.VOTING),
        (time(12, 59), ElectionPhase.VOTING),
        (time(13, 0), ElectionPhase.COUNTING),
        (time(17, 0), ElectionPhase.RECAP),
        (time(20, 0), ElectionPhase.DONE),
    ],
)
def test_phases_follow_the_wib_clock(clock: time, phase: ElectionPhase | None) -> None:
    assert phase_at(at_clock(DAY, clock)) == phase


def test_turnout_rises_through_the_morning_and_stays_within_voters() -> None:
    opens, closes = at_clock(DAY, time(7)), at_clock(DAY, time(13))
    shares = [turnout_share(opens + timedelta(minutes=m), opens, closes) for m in range(0, 361, 10)]
    assert shares[0] == 0 and shares[-1] == 1
    assert all(a <= b for a, b in zip(shares, shares[1:], strict=False))
    # A morning rush: more than half the day's voters by 10:00.
    assert turnout_share(at_clock(DAY, time(10)), opens, closes) > 0.5
    plan = plan_tps(random.Random(1), "T1", 500, DAY)
    ballots = [plan.ballots_at(opens + timedelta(minutes=m)) for m in range(0, 400, 5)]
    assert all(a <= b for a, b in zip(ballots, ballots[1:], strict=False))
    assert 0.72 * 500 - 1 <= ballots[-1] <= 0.88 * 500
    assert plan.phase_at(at_clock(DAY, time(6, 30))) == TpsPhase.SETUP
    assert plan.phase_at(at_clock(DAY, time(9))) == TpsPhase.VOTING
    assert plan.phase_at(at_clock(DAY, time(13, 30))) == TpsPhase.COUNTING
    assert plan.phase_at(at_clock(DAY, time(23))) == TpsPhase.CLOSED


def test_incident_mix_follows_phase_and_risk() -> None:
    rng = random.Random(5)
    places = [
        ("low", "TPS 01 A", "A", Risk.LOW, None),
        ("high", "TPS 01 B", "B", Risk.HIGH, "KJN-B01"),
    ]
    counting = [pick_incident(rng, ElectionPhase.COUNTING, places) for _ in range(2000)]
    categories = Counter(plan.category for plan in counting)
    assert categories.most_common(1)[0][0] == Category.VOTE_DISPUTE
    assert Category.MONEY_POLITICS not in categories
    where = Counter(plan.tps_id for plan in counting)
    assert where["high"] > 3 * where["low"]
    assert all(plan.false_report for plan in counting if plan.category == Category.HOAX)
    assert any("KJN-B01" in plan.reported_by for plan in counting)


def test_incident_rate_matches_the_hourly_mean() -> None:
    rng = random.Random(9)
    total = sum(incidents_due(rng, ElectionPhase.COUNTING, 60) for _ in range(6000))
    assert total == pytest.approx(7.0 * 100, rel=0.1)  # 6000 minutes = 100 hours


def test_sim_clock_and_pacer() -> None:
    ticks = iter([0.0, 0.0, 10.0])
    clock = SimClock(at_clock(DAY, time(6)), 60, monotonic=lambda: next(ticks))
    assert clock.now() == at_clock(DAY, time(6))
    assert clock.now() == at_clock(DAY, time(6, 10))
    with pytest.raises(ValueError):
        SimClock(at_clock(DAY, time(6)), 0)
    # Requests taken in each real second never exceed rate + burst (the hub allows 100/s).
    now = [0.0]
    pacer = Pacer(60, monotonic=lambda: now[0])
    assert pacer.burst == 15
    taken_per_second = []
    for _second in range(5):
        taken = 0
        for _step in range(100):
            taken += sum(pacer.try_take() for _ in range(10))
            now[0] += 0.01
        taken_per_second.append(taken)
    assert taken_per_second[0] <= 60 + 15
    assert all(55 <= taken <= 61 for taken in taken_per_second[1:]), taken_per_second


@pytest.mark.parametrize("speed", [1.0, 60.0, 600.0, 3600.0])
def test_routine_reports_stay_within_their_share_of_the_rate_limit(speed: float) -> None:
    """Play the TPS report schedule of a morning on an explicit clock: after each TPS's
    first report, routine reports average at most the budget per real second (the
    runner's token bucket then smooths the peaks)."""
    rng = random.Random(11)
    plans = [plan_tps(rng, f"T{number}", 400, DAY) for number in range(560)]
    budget = 24.0  # requests per real second
    floor = routine_report_floor(len(plans), budget, speed)
    start, end = at_clock(DAY, time(6)), at_clock(DAY, time(12))
    next_report = {plan.tps_id: start + timedelta(minutes=rng.uniform(0, 45)) for plan in plans}
    first_sent: set[str] = set()
    later_reports = 0
    tick = timedelta(seconds=speed * 0.25)  # the runner steps every 0.25 real seconds
    now = start
    while now < end:
        for plan in plans:
            if now >= next_report[plan.tps_id]:
                next_report[plan.tps_id] = now + max(plan.report_every, floor)
                if plan.tps_id in first_sent:
                    later_reports += 1
                first_sent.add(plan.tps_id)
        now += tick
    real_seconds = (end - start).total_seconds() / speed
    assert later_reports / real_seconds <= budget
    # At a slow speed nothing stretches: each TPS still reports every 20-40 minutes.
    if speed == 1.0:
        assert later_reports >= len(plans) * (6 * 60 / 40 - 2)


def test_dawn_brings_money_politics_and_a_tps_phase_only_moves_forward() -> None:
    rng = random.Random(2)
    places = [("t", "TPS 01 A", "A", Risk.MEDIUM, "KJN-B03")]
    dawn = Counter(pick_incident(rng, None, places).category for _ in range(500))
    assert dawn.most_common(1)[0][0] == Category.MONEY_POLITICS
    assert Category.VOTE_DISPUTE not in dawn
    order = list(TpsPhase)
    for number in range(50):
        plan = plan_tps(rng, f"T{number}", 300, DAY)
        moments = [at_clock(DAY, time(5, 30)) + timedelta(minutes=m) for m in range(0, 1080, 7)]
        phases = [order.index(plan.phase_at(moment)) for moment in moments]
        assert phases == sorted(phases)
        assert set(phases) == set(range(len(order)))


def test_health_reports_worsen_only_in_the_morning_rush() -> None:
    rng = random.Random(4)
    plan = plan_tps(rng, "T1", 300, DAY)
    plan.health = "ok"
    rush = Counter(plan.health_at(rng, at_clock(DAY, time(9))) for _ in range(1000))
    calm = Counter(plan.health_at(rng, at_clock(DAY, time(11, 30))) for _ in range(1000))
    assert calm == {"ok": 1000}
    assert 100 < rush["warning"] < 200 and rush["ok"] + rush["warning"] == 1000
    plan.health = "violation"
    assert plan.health_at(rng, at_clock(DAY, time(9))) == "violation"
