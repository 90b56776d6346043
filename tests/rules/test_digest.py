"""The digest: the alerts as an officer reads them, one per incident and one per
kecamatan's understaffed TPS, gravest first."""

from __future__ import annotations

from pilkades_tui.domain.models import IncidentStatus
from pilkades_tui.domain.rules import Severity
from tests.domain.factories import T0, at, incident, officer, tps
from tests.rules.helpers import World


def digest_keys(world: World, minutes: float) -> list[str]:
    world.alerts(at(minutes))
    return [alert.key for alert in world.engine.digest()]


def test_an_incident_with_two_timers_firing_is_one_alert_its_gravest_then_newest() -> None:
    world = World(incidents=[incident("I1", priority=1)])
    # At 12: not acknowledged (an alarm since 5) and the on-scene target (a warning).
    assert set(world.keys(at(12))) == {"timer:unacknowledged:I1", "timer:target:I1"}
    assert digest_keys(world, 12) == ["timer:unacknowledged:I1"]
    # At 15 both are alarms: the newer one, the target, stands for the incident.
    assert digest_keys(world, 15) == ["timer:target:I1"]
    world.change(world.state.incidents["I1"], status=IncidentStatus.RESOLVED)
    assert digest_keys(world, 16) == []


def test_gravest_first_then_newest() -> None:
    world = World(
        incidents=[incident("I1", priority=1), incident("I2", priority=2, reported_at=at(1))],
    )
    world.alerts(at(6))
    digest = world.engine.digest()
    # I2's warning is newer than I1's alarm, and still comes after it.
    assert [(a.key, a.severity) for a in digest] == [
        ("timer:unacknowledged:I1", Severity.ALARM),
        ("timer:unacknowledged:I2", Severity.WARNING),
    ]
    assert world.engine.digest() is digest  # nothing changed: the same tuple


def test_a_kecamatans_understaffed_tps_are_one_alert_that_expands() -> None:
    world = World(
        tps=[
            tps("T1", risk="high"),
            tps("T2", risk="high", officer_ids=["G1"]),
            tps("T3", risk="high"),
            tps("K1", risk="high", district="Kajen"),
        ],
        officers=[officer("G1", post_tps_id="T2")],
    )
    assert len(world.alerts(T0)) == 4
    digest = {alert.key: alert for alert in world.engine.digest()}
    assert set(digest) == {"understaffed:district:Wiradesa", "understaffed:K1"}
    group = digest["understaffed:district:Wiradesa"]
    # Two of the three have nobody: the group is as grave as its gravest TPS.
    assert group.severity == Severity.ALARM
    assert group.fallback_text() == (
        "3 TPS in Wiradesa short of officers, 2 with none: TPS T1, TPS T3, TPS T2"
    )
    members = world.engine.digest_members(group.key)
    assert [alert.key for alert in members] == [
        "understaffed:T1",
        "understaffed:T3",
        "understaffed:T2",
    ]
    assert world.engine.digest_members("understaffed:K1") == ()
    # Reinforced down to one short TPS, the kecamatan shows that TPS's own alert.
    world.put(officer("G2", post_tps_id="T1"), at(1))
    world.put(officer("G3", post_tps_id="T1"), at(1))
    world.put(officer("G4", post_tps_id="T2"), at(1))
    assert sorted(digest_keys(world, 1)) == ["understaffed:K1", "understaffed:T3"]


def test_staffing_reads_in_whole_officers_and_the_pattern() -> None:
    world = World(
        tps=[tps("L1", risk="low", officer_ids=["G1"]), tps("L2", risk="low", officer_ids=["G1"])],
        officers=[officer("G1", post_tps_id="L1")],
    )
    world.alerts(T0)
    staffing = world.engine.tps_staffing("L1")
    assert staffing is not None
    # The guard covers both TPS: a 0.5 share at each, read as 1 of 2 officers per 5 TPS.
    assert (staffing.posted, staffing.pattern_officers, staffing.pattern_tps) == (1, 2, 5)
