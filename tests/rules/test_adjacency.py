"""Village adjacency from the packaged outlines."""

from __future__ import annotations

import time

from pilkades_tui.domain.geo import haversine_km
from pilkades_tui.domain.models import Incident, Risk
from pilkades_tui.domain.rules import AlertEngine, AlertKind
from pilkades_tui.scenario import load_scenario
from pilkades_tui.scenario.adjacency import pekalongan_engine, village_codes, village_neighbours
from pilkades_tui.scenario.geography import Village, villages
from tests.domain.factories import T0, at, incident
from tests.rules.helpers import World


def test_every_village_has_neighbours_and_the_relation_is_symmetric() -> None:
    neighbours = village_neighbours()
    assert set(neighbours) == {v.code for v in villages()}
    assert all(neighbours[code] for code in neighbours)
    for code, others in neighbours.items():
        assert code not in others
        assert all(code in neighbours[other] for other in others)
    # A plane map of villages averages about six neighbours each.
    assert 4.0 < sum(len(n) for n in neighbours.values()) / len(neighbours) < 9.0


def test_known_neighbours_and_a_village_far_away() -> None:
    by_name = {(v.district, v.name): v.code for v in villages()}
    klesem = by_name[("Kandangserang", "Klesem")]
    bodas = by_name[("Kandangserang", "Bodas")]
    coast = by_name[("Wonokerto", next(n for d, n in by_name if d == "Wonokerto"))]
    neighbours = village_neighbours()
    assert bodas in neighbours[klesem]
    assert coast not in neighbours[klesem]


def test_more_tolerance_finds_more_and_never_fewer() -> None:
    touching = village_neighbours(0.0)
    near = village_neighbours(0.15)
    wide = village_neighbours(0.5)
    for code in near:
        assert touching[code] <= near[code] <= wide[code]
    assert sum(map(len, wide.values())) > sum(map(len, touching.values()))


def test_cached_and_village_names_resolve() -> None:
    village_neighbours()
    started = time.perf_counter()
    village_neighbours()
    assert time.perf_counter() - started < 0.01
    codes = village_codes()
    assert len(codes) == len(villages())
    assert codes[("Kandangserang", "Klesem")] == "33.26.01.2001"


def test_pekalongan_engine_links_incidents_in_neighbouring_villages_by_name() -> None:
    by_code = {v.code: v for v in villages()}
    neighbours = village_neighbours()
    first, second = next(
        (by_code[a], by_code[b])
        for a, others in sorted(neighbours.items())
        for b in sorted(others)
        if haversine_km(by_code[a].lat, by_code[a].lon, by_code[b].lat, by_code[b].lon) > 4.0
    )

    def report(incident_id: str, village: Village, minutes: float) -> Incident:
        return incident(
            incident_id,
            district=village.district,
            village=village.name,
            lat=village.lat,
            lon=village.lon + minutes * 1e-4,
            reported_at=at(minutes),
        )

    far = [report("A", first, 0), report("B", second, 1), report("C", first, 2)]
    world = World(incidents=far, engine=pekalongan_engine())
    spread = [a for a in world.alerts(at(3)) if a.kind == AlertKind.SPREAD]
    assert [a.subject_ids for a in spread] == [("A", "B", "C")]
    alone = World(incidents=far, engine=AlertEngine())  # no adjacency: B stays apart
    assert [a for a in alone.alerts(at(3)) if a.kind == AlertKind.SPREAD] == []


def test_the_packaged_scenario_raises_staffing_alerts_only_at_high_risk() -> None:
    scenario = load_scenario("pekalongan", T0)
    assert scenario is not None
    world = World(tps=list(scenario.tps), officers=list(scenario.officers))
    world.engine = pekalongan_engine()
    alerts = world.alerts(T0)
    risky = {t.id for t in scenario.tps if t.risk == Risk.HIGH}
    flagged = {a.subject_ids[0] for a in alerts if a.kind == AlertKind.UNDERSTAFFED}
    assert flagged and flagged <= risky
    rows = world.engine.district_staffing()
    assert sum(row.tps for row in rows.values()) == len(scenario.tps)
    assert sum(row.short_alert_tps for row in rows.values()) == len(flagged)
