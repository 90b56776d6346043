"""Nearest available unit first, with an ETA; ties go to the local Polsek."""

from __future__ import annotations

import pytest

from pilkades_tui.domain.geo import haversine_km
from pilkades_tui.domain.models import OfficerKind, OfficerStatus
from pilkades_tui.domain.recommend import ROAD_FACTOR, SPEED_KMH, eta_minutes
from pilkades_tui.domain.state import ElectionState
from tests.domain.factories import incident, officer, snapshot


def test_haversine_known_distance() -> None:
    # Kajen to Wiradesa centroids, about 17.9 km apart.
    assert haversine_km(-7.0310, 109.5813, -6.8840, 109.6440) == pytest.approx(17.7, abs=0.5)


def test_ranking_skips_busy_units_and_orders_by_distance() -> None:
    target = incident(lat=-7.0, lon=109.6, district="Kajen")
    state = ElectionState.from_snapshot(
        snapshot(
            incidents=[target],
            officers=[
                officer("far", lat=-7.2, lon=109.6),
                officer("near", lat=-7.01, lon=109.6),
                officer("busy", lat=-7.0, lon=109.6, status="on_scene"),
                officer("car", lat=-7.05, lon=109.6, kind="vehicle"),
            ],
        )
    )
    ranked = state.recommend(target)
    assert [r.officer.id for r in ranked] == ["near", "car", "far"]
    assert ranked[0].distance_km == pytest.approx(1.11, abs=0.01)
    assert ranked[1].eta_min == pytest.approx(
        ranked[1].distance_km * ROAD_FACTOR / SPEED_KMH[OfficerKind.VEHICLE] * 60
    )


def test_equal_distance_goes_to_local_polsek() -> None:
    target = incident(lat=-7.0, lon=109.6, district="Kajen")
    state = ElectionState.from_snapshot(
        snapshot(
            officers=[
                officer("neighbour", unit="Polsek Bojong", lat=-7.01, lon=109.6),
                officer("local", unit="Polsek Kajen", lat=-6.99, lon=109.6),
            ]
        )
    )
    assert [r.officer.id for r in state.recommend(target)] == ["local", "neighbour"]
    assert state.recommend(target)[0].local


def test_limit_and_eta_speeds() -> None:
    assert eta_minutes(10, OfficerKind.VEHICLE) < eta_minutes(10, OfficerKind.TEAM)
    state = ElectionState.from_snapshot(
        snapshot(officers=[officer(f"o{n}", lat=-7 - n / 100) for n in range(20)])
    )
    assert len(state.recommend(incident(), limit=5)) == 5
    assert len(state.recommend(incident(), limit=None)) == 20


def test_the_shortcut_for_many_units_ranks_like_the_full_ranking() -> None:
    """With more units than the limit can use, the flat-earth pre-selection must give
    exactly the top of the full great-circle ranking, local Polsek ties included."""
    import random

    from pilkades_tui.domain.recommend import recommend_units

    rng = random.Random(4)
    officers = [
        officer(
            f"o{n:03d}",
            lat=-7.0 + rng.uniform(-0.3, 0.3),
            lon=109.6 + rng.uniform(-0.3, 0.3),
            unit=f"Polsek {rng.choice(['Kajen', 'Bojong', 'Doro'])}",
        )
        for n in range(400)
    ]
    state = ElectionState.from_snapshot(snapshot(officers=officers))
    available = state.officers_with_status(OfficerStatus.AVAILABLE)
    for _ in range(40):
        target = incident(
            lat=-7.0 + rng.uniform(-0.3, 0.3),
            lon=109.6 + rng.uniform(-0.3, 0.3),
            district=rng.choice(["Kajen", "Bojong", "Doro"]),
        )
        short = recommend_units(target, available, state.officer_district, 10)
        full = recommend_units(target, available, state.officer_district, None)[:10]
        assert [r.officer.id for r in short] == [r.officer.id for r in full]


def test_the_grid_of_a_moving_province_ranks_like_the_full_ranking() -> None:
    """Units move (position events), go busy and come back (records), some far off the
    map, and the grid takes them in now and then ahead of a recommendation: the grid's
    candidates must give exactly the full ranking's top, at every step."""
    import random

    from pilkades_tui.domain.events import OFFICER_POSITION, OFFICER_UPDATED
    from pilkades_tui.domain.models import Position
    from pilkades_tui.domain.recommend import recommend_units
    from tests.domain.factories import at, event

    rng = random.Random(11)
    districts = ["Kajen", "Bojong", "Doro"]
    officers = [
        officer(
            f"o{n:03d}",
            lat=-7.0 + rng.uniform(-0.4, 0.4),
            lon=109.6 + rng.uniform(-0.4, 0.4),
            unit=f"Polsek {rng.choice(districts)}",
        )
        for n in range(300)
    ] + [officer("lone", lat=-8.5, lon=111.0)]
    state = ElectionState.from_snapshot(snapshot(officers=officers))
    seq = 0
    for step in range(400):
        seq += 1
        unit = state.officers[f"o{rng.randrange(300):03d}"]
        if rng.random() < 0.8:
            moved = Position(
                id=unit.id,
                lat=unit.lat + rng.uniform(-0.05, 0.05),
                lon=unit.lon + rng.uniform(-0.05, 0.05),
                at=at(step),
            )
            state.apply(event(seq, OFFICER_POSITION, moved))
        else:
            status = rng.choice([OfficerStatus.AVAILABLE, OfficerStatus.ON_SCENE])
            changed = unit.model_copy(update={"status": status, "version": unit.version + 1})
            state.apply(event(seq, OFFICER_UPDATED, changed))
        if step % 3 == 0:
            state.place_moved_units()  # as the console does between two recommendations
        if step % 10:
            continue
        target = incident(
            lat=-7.0 + rng.uniform(-0.5, 0.5),
            lon=109.6 + rng.uniform(-0.5, 0.5),
            district=rng.choice(districts),
        )
        available = state.officers_with_status(OfficerStatus.AVAILABLE)
        full = recommend_units(target, available, state.officer_district, None)
        for limit in (1, 3, 10):
            got = [r.officer.id for r in state.recommend(target, limit)]
            assert got == [r.officer.id for r in full[:limit]]
    far_off = incident(lat=-8.6, lon=111.1)
    assert state.recommend(far_off, 1)[0].officer.id == "lone"
    assert state.index_view() == state.recount()


def test_place_grid_finds_the_same_nearest_place_as_measuring_all() -> None:
    """The grid's rings stop early; they must never stop before the nearest place."""
    import random

    from pilkades_tui.domain.geo import PlaceGrid, haversine_km

    rng = random.Random(7)
    places = [(rng.uniform(-7.3, -6.8), rng.uniform(109.4, 109.9), n) for n in range(400)]
    grid = PlaceGrid(places)
    assert len(grid) == 400
    for _ in range(300):
        lat, lon = rng.uniform(-7.5, -6.6), rng.uniform(109.2, 110.1)
        best = min(places, key=lambda p: haversine_km(lat, lon, p[0], p[1]))
        found = grid.nearest(lat, lon)
        assert found is not None
        assert found[1] == pytest.approx(haversine_km(lat, lon, best[0], best[1]))
    assert PlaceGrid([]).nearest(-7.0, 109.5) is None
