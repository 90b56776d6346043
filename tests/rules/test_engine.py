"""The alert engine: one ordered list of every rule's alerts, kept incrementally."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from pilkades_tui.domain.models import (
    Category,
    IncidentStatus,
    OfficerStatus,
    Risk,
    TpsPhase,
    Verification,
)
from pilkades_tui.domain.rules import FALLBACK_TEXT, Alert, AlertEngine, AlertKind
from tests.domain.factories import T0, at, incident, officer, snapshot, tps
from tests.rules.helpers import World


def test_newest_first_and_the_same_tuple_while_nothing_changes() -> None:
    world = World(
        tps=[tps("T1", risk="high")],
        incidents=[incident("I1", priority=1), incident("I2", priority=2, reported_at=at(1))],
    )
    alerts = world.alerts(at(6))
    assert [a.key for a in alerts] == [
        "understaffed:T1",  # first seen at 6, nobody posted: an alarm
        "timer:unacknowledged:I2",  # a warning since 6: as new, but less grave
        "timer:unacknowledged:I1",  # an alarm since 5
    ]
    assert world.alerts(at(6)) is alerts
    assert world.alerts(at(6.5)) is alerts  # no threshold crossed


def test_alerts_clear_themselves_when_their_cause_does() -> None:
    world = World(tps=[tps("T1", risk="high")], incidents=[incident("I1", priority=1)])
    assert {a.kind for a in world.alerts(at(6))} == {AlertKind.UNDERSTAFFED, AlertKind.TIMER}
    world.put(officer("G1", post_tps_id="T1"))
    world.put(officer("G2", post_tps_id="T1"))
    world.change(world.state.incidents["I1"], status=IncidentStatus.RESOLVED)
    assert world.alerts(at(7)) == ()


def test_a_reloaded_state_rebuilds() -> None:
    world = World(incidents=[incident("I1", priority=1)])
    assert world.keys(at(3)) == ["timer:unacknowledged:I1"]
    changes = world.state.load(snapshot(seq=50, incidents=[incident("I9", priority=1)]))
    assert world.engine.evaluate(world.state, at(3), changes)[0].key == ("timer:unacknowledged:I9")
    assert len(world.alerts(at(3))) == 1


def test_unverified_listed_apart_and_invalid_counted() -> None:
    world = World(
        incidents=[
            incident("I1", priority=3),
            incident("I2", priority=1, reported_at=at(2)),
            incident("I3", verification="verified"),
            incident("I4", category="hoax", verification="invalid", status="cancelled"),
            incident("I5", status="resolved"),
        ]
    )
    world.alerts(at(3))
    assert [i.id for i in world.engine.unverified_open()] == ["I2", "I1"]
    world.change(world.state.incidents["I2"], verification=Verification.INVALID)
    world.alerts(at(4))
    assert [i.id for i in world.engine.unverified_open()] == ["I1"]
    counts = world.engine.verification_counts()
    assert (counts.unverified, counts.verified, counts.invalid, counts.unverified_open) == (
        2,
        1,
        2,
        1,
    )


def test_engine_priority_uses_the_settings() -> None:
    assert AlertEngine().priority_for(Category.VOTE_DISPUTE, Risk.HIGH) == 1


def comparable(alerts: tuple[Alert, ...]) -> set[tuple[object, ...]]:
    """Alerts minus what only history explains: the first-seen time of staffing alerts,
    and which member a cluster's key inherited from its earlier shape."""
    return {
        (
            "spread" if a.kind == AlertKind.SPREAD else a.key,
            a.severity,
            a.subject_ids,
            tuple(sorted(a.params.items())),
            a.action,
            None if a.kind == AlertKind.UNDERSTAFFED else a.raised_at,
        )
        for a in alerts
    }


@pytest.mark.parametrize("taken_in_between", [False, True])
def test_incremental_evaluation_equals_a_fresh_engine(taken_in_between: bool) -> None:
    """Also when changes are taken in as they come (the console's frames) and judged
    only now and then."""
    rng = random.Random(11)
    stations = [
        tps(f"T{n}", risk=rng.choice(list(Risk)), lat=-7.0 + n * 0.01, village_code=f"V{n // 2}")
        for n in range(12)
    ]
    world = World(
        tps=stations,
        officers=[officer(f"G{n}", post_tps_id=f"T{n % 12}") for n in range(14)],
    )
    now = T0.replace(hour=6, minute=20)
    world.alerts(now)
    for step in range(160):
        now += dt.timedelta(seconds=rng.randint(0, 90))
        roll = rng.random()
        if roll < 0.35:
            world.put(
                incident(
                    f"I{step}",
                    category=rng.choice(list(Category)),
                    priority=rng.randint(1, 4),
                    lat=-7.0 + rng.uniform(0, 0.12),
                    tps_id=rng.choice([None, f"T{rng.randint(0, 11)}"]),
                    reported_at=now,
                    updated_at=now,
                ),
                now,
            )
        elif roll < 0.6 and world.state.incidents:
            chosen = world.state.incidents[rng.choice(sorted(world.state.incidents))]
            world.change(
                chosen,
                now,
                status=rng.choice(list(IncidentStatus)),
                verification=rng.choice(list(Verification)),
            )
        elif roll < 0.8:
            chosen_officer = world.state.officers[f"G{rng.randint(0, 13)}"]
            world.change(
                chosen_officer,
                now,
                status=rng.choice(list(OfficerStatus)),
                status_since=now,
                post_tps_id=rng.choice([None, f"T{rng.randint(0, 11)}"]),
            )
        else:
            chosen_tps = world.state.tps[f"T{rng.randint(0, 11)}"]
            world.change(
                chosen_tps,
                now,
                phase=rng.choice(list(TpsPhase)),
                officer_ids=rng.sample([f"G{n}" for n in range(14)], rng.randint(0, 3)),
                last_report_at=now,
            )
        if taken_in_between:
            world.engine.take_in(world.state, now)
        if step % 4 == 0:
            incremental = world.alerts(now)
            fresh = AlertEngine().evaluate(world.state, now)
            assert comparable(incremental) == comparable(fresh), step
            for alert in incremental:
                assert alert.message_key in FALLBACK_TEXT
                assert "{" not in alert.fallback_text()
