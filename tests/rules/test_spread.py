"""Spread detection: related incidents within radius and window, or in neighbouring
villages, raise one cluster alert that keeps its key while the cluster lives."""

from __future__ import annotations

import datetime as dt
import random

from pilkades_tui.domain.geo import haversine_km
from pilkades_tui.domain.models import Category, Incident, IncidentStatus
from pilkades_tui.domain.rules import Action, Alert, AlertEngine, AlertKind, Severity
from pilkades_tui.domain.rules.settings import settings_from_overrides
from pilkades_tui.domain.rules.spread import SpreadDetector
from tests.domain.factories import T0, at, incident, tps
from tests.rules.helpers import World

LAT, LON = -7.0, 109.6
KM_PER_DEGREE_LAT = haversine_km(0.0, 0.0, 1.0, 0.0)
SECOND = dt.timedelta(seconds=1)


def north(km: float) -> float:
    return LAT + km / KM_PER_DEGREE_LAT


def related(incident_id: str, km: float = 0.0, minutes: float = 0, **fields: object) -> Incident:
    values: dict[str, object] = {"lat": north(km), "lon": LON, "reported_at": at(minutes)}
    values.update(fields)
    return incident(incident_id, **values)


def spread_alerts(world: World, now: dt.datetime) -> list[Alert]:
    return [a for a in world.alerts(now) if a.kind == AlertKind.SPREAD]


def test_three_related_incidents_in_radius_and_window_make_a_cluster() -> None:
    world = World(
        incidents=[
            related("A", 0.0, 0, village="Kutorojo"),
            related("B", 1.0, 10, category="intimidation", village="Kutorojo"),
            related("C", 2.0, 20, category="vote_dispute", village="Kutorojo"),
        ]
    )
    (alert,) = spread_alerts(world, at(20))
    assert alert.subject_ids == ("A", "B", "C")
    assert alert.key == "spread:A" and alert.severity == Severity.WARNING
    assert alert.action == Action.SHOW_CLUSTER and alert.raised_at == at(20)
    assert alert.location is not None
    assert abs(alert.location[0] - north(1.0)) < 1e-9 and abs(alert.location[1] - LON) < 1e-9
    assert alert.params["count"] == 3 and "Kutorojo" in alert.fallback_text()


def test_two_are_not_enough_and_unrelated_categories_do_not_count() -> None:
    world = World(
        incidents=[
            related("A", 0.0, 0),
            related("B", 0.5, 1),
            related("C", 0.2, 2, category="money_politics"),
            related("D", 0.3, 3, verification="invalid"),
            related("E", 0.3, 4, status="cancelled"),
        ]
    )
    assert spread_alerts(world, at(5)) == []


def test_radius_edge_just_inside_links_just_outside_does_not() -> None:
    inside = World(incidents=[related("A", 0), related("B", 2.99), related("C", 5.98)])
    assert len(spread_alerts(inside, at(1))) == 1  # a chain: A-B and B-C each < 3 km
    outside = World(incidents=[related("A", 0), related("B", 3.01), related("C", 6.02)])
    assert spread_alerts(outside, at(1)) == []


def test_window_edge_inclusive_then_ages_out() -> None:
    world = World(incidents=[related("A", 0, 0), related("B", 1, 5), related("C", 2, 10)])
    assert len(spread_alerts(world, at(30))) == 1  # A reported exactly 30 min ago
    assert spread_alerts(world, at(30) + SECOND) == []


def test_resolved_inside_the_window_still_counts_until_all_are_resolved() -> None:
    world = World(incidents=[related("A", 0, 0), related("B", 1, 5), related("C", 2, 10)])
    assert len(spread_alerts(world, at(11))) == 1
    world.change(world.state.incidents["A"], status=IncidentStatus.RESOLVED)
    (alert,) = spread_alerts(world, at(12))
    assert alert.subject_ids == ("A", "B", "C") and alert.params["open"] == 2
    for incident_id in ("B", "C"):
        world.change(world.state.incidents[incident_id], status=IncidentStatus.RESOLVED)
    assert spread_alerts(world, at(13)) == []
    world.change(world.state.incidents["C"], status=IncidentStatus.CANCELLED)
    world.put(related("D", 1.5, 14))
    # A and B resolved, C cancelled (out), D open: three members again.
    (again,) = spread_alerts(world, at(14))
    assert again.subject_ids == ("A", "B", "D")


def test_neighbouring_villages_link_beyond_the_radius() -> None:
    far = [
        related("A", 0, 0, tps_id="TA"),
        related("B", 8, 1, tps_id="TB"),
        related("C", 16, 2, tps_id="TC"),
    ]
    stations = [
        tps("TA", village_code="V1"),
        tps("TB", village_code="V2"),
        tps("TC", village_code="V3"),
    ]
    chain = {"V1": frozenset({"V2"}), "V2": frozenset({"V1", "V3"}), "V3": frozenset({"V2"})}
    linked = World(tps=stations, incidents=far, engine=AlertEngine(neighbours=chain))
    (alert,) = spread_alerts(linked, at(3))
    assert alert.subject_ids == ("A", "B", "C")
    apart = {"V1": frozenset(), "V2": frozenset(), "V3": frozenset()}
    unlinked = World(tps=stations, incidents=far, engine=AlertEngine(neighbours=apart))
    assert spread_alerts(unlinked, at(3)) == []
    no_adjacency = settings_from_overrides({"spread": {"use_adjacency": False}})
    switched_off = World(
        tps=stations, incidents=far, engine=AlertEngine(no_adjacency, neighbours=chain)
    )
    assert spread_alerts(switched_off, at(3)) == []


def test_incidents_placed_by_village_name_find_their_code() -> None:
    far = [
        related("A", 0, 0, district="Doro", village="Rogoselo"),
        related("B", 8, 1, district="Doro", village="Harjosari"),
        related("C", 9, 2, district="Doro", village="Rogoselo"),
    ]
    codes = {("Doro", "Rogoselo"): "V1", ("Doro", "Harjosari"): "V2"}
    adjacency = {"V1": frozenset({"V2"}), "V2": frozenset({"V1"})}
    world = World(incidents=far, engine=AlertEngine(neighbours=adjacency, village_codes=codes))
    assert len(spread_alerts(world, at(3))) == 1


def test_the_key_stays_while_the_cluster_lives_and_a_clash_makes_it_an_alarm() -> None:
    world = World(incidents=[related("A", 0, 0), related("B", 1, 5), related("C", 2, 10)])
    assert [a.key for a in spread_alerts(world, at(10))] == ["spread:A"]
    world.put(related("D", 1.5, 25, category=Category.CLASH), at(25))
    (grown,) = spread_alerts(world, at(25))
    assert grown.key == "spread:A" and grown.severity == Severity.ALARM
    assert grown.raised_at == at(25)  # newest activity: it comes back to the top
    (aged,) = spread_alerts(world, at(31))  # A aged out; B, C, D stay together
    assert aged.key == "spread:A" and aged.subject_ids == ("B", "C", "D")


def test_grid_finds_the_same_clusters_as_comparing_every_pair() -> None:
    rng = random.Random(5)
    settings = settings_from_overrides({}).spread
    incidents = [
        incident(
            f"I{n}",
            lat=LAT + rng.uniform(-0.15, 0.15),
            lon=LON + rng.uniform(-0.15, 0.15),
            reported_at=T0 + dt.timedelta(minutes=rng.uniform(0, 20)),
        )
        for n in range(150)
    ]
    detector = SpreadDetector(settings)
    now = at(20)
    for item in incidents:
        detector.update(item, item.id, None, now)
    detector.advance(now, {i.id: i for i in incidents}, lambda _: None)
    found = {frozenset(c.member_ids) for c in detector.clusters()}
    # Brute force: union every pair within the radius.
    parent = {i.id: i.id for i in incidents}

    def root(x: str) -> str:
        while parent[x] != x:
            x = parent[x]
        return x

    for i, first in enumerate(incidents):
        for second in incidents[i + 1 :]:
            if haversine_km(first.lat, first.lon, second.lat, second.lon) <= settings.radius_km:
                parent[root(first.id)] = root(second.id)
    groups: dict[str, set[str]] = {}
    for item in incidents:
        groups.setdefault(root(item.id), set()).add(item.id)
    expected = {frozenset(g) for g in groups.values() if len(g) >= settings.min_incidents}
    assert found == expected and len(expected) > 1


def test_fed_incrementally_the_clusters_match_a_detector_built_afresh() -> None:
    rng = random.Random(9)
    settings = settings_from_overrides({}).spread
    codes = [f"V{n}" for n in range(30)]
    adjacency = {f"V{n}": frozenset({f"V{(n + 1) % 30}", f"V{(n - 1) % 30}"}) for n in range(30)}
    live = SpreadDetector(settings, adjacency)
    held: dict[str, Incident] = {}
    code_of: dict[str, str | None] = {}
    now = T0
    for step in range(400):
        now += dt.timedelta(seconds=rng.randint(0, 40))
        if held and rng.random() < 0.3:
            chosen = held[rng.choice(sorted(held))]
            changed = chosen.model_copy(
                update={"status": rng.choice(list(IncidentStatus)), "version": chosen.version + 1}
            )
        else:
            changed = incident(
                f"I{step}",
                category=rng.choice(list(Category)),
                lat=LAT + rng.uniform(-0.12, 0.12),
                lon=LON + rng.uniform(-0.12, 0.12),
                reported_at=now,
            )
            code_of[changed.id] = rng.choice(codes) if rng.random() < 0.2 else None
        held[changed.id] = changed
        live.update(changed, changed.id, code_of[changed.id], now)
        live.advance(now, held, lambda i: code_of[i.id])
        if step % 20 == 0:
            fresh = SpreadDetector(settings, adjacency)
            for item in held.values():
                fresh.update(item, item.id, code_of[item.id], now)
            fresh.advance(now, held, lambda i: code_of[i.id])
            assert {c.member_ids for c in live.clusters()} == {
                c.member_ids for c in fresh.clusters()
            }, step
            keys = [c.key for c in live.clusters()]
            assert len(keys) == len(set(keys))
