"""Village adjacency from the packaged outlines."""

from __future__ import annotations

import time

from pilkades_tui.scenario.adjacency import village_codes, village_neighbours
from pilkades_tui.scenario.geography import villages


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
