"""Which villages are neighbours, from an election's outlines (the packaged Pekalongan
by default, or any Geography).

Two villages are neighbours when their outlines touch or nearly touch: some vertex of
one lies within `tolerance_km` of an edge of the other. The outlines are simplified
(Douglas-Peucker, about 60-100 m), so villages sharing a border can show a small gap
or overlap; the default tolerance (0.15 km) bridges that without reaching across a
whole village.

Edges sit in grid buckets about a tolerance wide, so each vertex is measured against
the few edges near it, not against every edge of the kabupaten; the result is cached
per tolerance.
"""

from __future__ import annotations

from functools import cache
from math import cos, floor, radians, sqrt

from pilkades_tui.domain.rules import DEFAULT_SETTINGS, AlertEngine, RuleSettings
from pilkades_tui.scenario.geography import Geography, Outline, outlines, villages

KM_PER_DEGREE = 111.32
DEFAULT_TOLERANCE_KM = 0.15

Point = tuple[float, float]  # x, y in km on a local plane
Segment = tuple[Point, Point]


def _distance_to_segment(point: Point, segment: Segment) -> float:
    (px, py), ((ax, ay), (bx, by)) = point, segment
    dx, dy = bx - ax, by - ay
    length_sq = dx * dx + dy * dy
    t = (
        0.0
        if length_sq == 0.0
        else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length_sq))
    )
    ex, ey = ax + t * dx - px, ay + t * dy - py
    return sqrt(ex * ex + ey * ey)


def _village_outlines() -> list[Outline]:
    return [outline for outline in outlines() if outline.level == "village"]


# Per geography (by its fingerprint) and tolerance: a console reconnecting to the same
# hub does not measure the same province twice.
_NEIGHBOURS: dict[tuple[str, float], dict[str, frozenset[str]]] = {}


def _projector(all_outlines: list[Outline]) -> tuple[float, float]:
    """km per degree of longitude and latitude at the kabupaten's middle latitude: over
    40 km the error of a flat projection is far below the tolerance."""
    lats = [lat for o in all_outlines for poly in o.polygons for ring in poly for _, lat in ring]
    middle = (min(lats) + max(lats)) / 2
    return KM_PER_DEGREE * cos(radians(middle)), KM_PER_DEGREE


@cache
def village_neighbours(tolerance_km: float = DEFAULT_TOLERANCE_KM) -> dict[str, frozenset[str]]:
    """Village code -> codes of the villages whose outlines touch it (within tolerance)."""
    return neighbours_of(_village_outlines(), tolerance_km)


def geography_neighbours(
    geography: Geography, tolerance_km: float = DEFAULT_TOLERANCE_KM
) -> dict[str, frozenset[str]]:
    key = (geography.digest, tolerance_km)
    found = _NEIGHBOURS.get(key)
    if found is None:
        village_shapes = [o for o in geography.outlines if o.level == "village"]
        found = _NEIGHBOURS[key] = neighbours_of(village_shapes, tolerance_km)
    return found


def neighbours_of(
    all_outlines: list[Outline], tolerance_km: float = DEFAULT_TOLERANCE_KM
) -> dict[str, frozenset[str]]:
    """Village code -> codes of the villages whose outlines touch it, for these outlines."""
    if tolerance_km < 0:
        raise ValueError("tolerance_km must not be negative")
    if not all_outlines:
        return {}
    x_scale, y_scale = _projector(all_outlines)
    cell = max(tolerance_km, 0.05)
    points: dict[str, list[Point]] = {}
    buckets: dict[tuple[int, int], list[tuple[str, Segment]]] = {}
    for outline in all_outlines:
        own: list[Point] = []
        for polygon in outline.polygons:
            for ring in polygon:
                projected = [(lon * x_scale, lat * y_scale) for lon, lat in ring]
                own.extend(projected)
                for start, end in zip(projected, projected[1:], strict=False):
                    # Every cell the segment's box (grown by the tolerance) touches.
                    low_x = floor((min(start[0], end[0]) - tolerance_km) / cell)
                    high_x = floor((max(start[0], end[0]) + tolerance_km) / cell)
                    low_y = floor((min(start[1], end[1]) - tolerance_km) / cell)
                    high_y = floor((max(start[1], end[1]) + tolerance_km) / cell)
                    for gx in range(low_x, high_x + 1):
                        for gy in range(low_y, high_y + 1):
                            buckets.setdefault((gx, gy), []).append((outline.code, (start, end)))
        points[outline.code] = own
    pairs: dict[str, set[str]] = {code: set() for code in points}
    for code, own in points.items():
        found = pairs[code]
        for point in own:
            for other, segment in buckets.get((floor(point[0] / cell), floor(point[1] / cell)), ()):
                if other == code or other in found:
                    continue
                if _distance_to_segment(point, segment) <= tolerance_km:
                    found.add(other)
                    pairs[other].add(code)
    return {code: frozenset(found) for code, found in pairs.items()}


@cache
def village_codes() -> dict[tuple[str, str], str]:
    """(kecamatan, village name) -> village code, for incidents placed by name."""
    return {(village.district, village.name): village.code for village in villages()}


def pekalongan_engine(settings: RuleSettings = DEFAULT_SETTINGS) -> AlertEngine:
    """An AlertEngine wired to the packaged villages: neighbours at the settings'
    tolerance and village names resolved to codes."""
    return AlertEngine(
        settings,
        neighbours=village_neighbours(settings.spread.adjacency_tolerance_km),
        village_codes=village_codes(),
    )


def geography_engine(
    geography: Geography, settings: RuleSettings = DEFAULT_SETTINGS
) -> AlertEngine:
    """An AlertEngine wired to an election's own villages (what its hub serves)."""
    return AlertEngine(
        settings,
        neighbours=geography_neighbours(geography, settings.spread.adjacency_tolerance_km),
        village_codes=geography.village_codes,
    )
