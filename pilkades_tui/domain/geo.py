"""Geography helpers: pure functions on WGS84 coordinates."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from math import asin, cos, floor, radians, sin, sqrt
from typing import Generic, TypeVar

# Indonesia's bounding box with a small margin (Sabang to Merauke, Miangas to Rote):
# the models refuse a position outside it (models.Latitude, models.Longitude).
INDONESIA_LAT = (-11.5, 6.5)
INDONESIA_LON = (94.5, 141.5)

EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = radians(lat1), radians(lat2)
    dp = p2 - p1
    dl = radians(lon2 - lon1)
    h = sin(dp / 2) ** 2 + cos(p1) * cos(p2) * sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * asin(min(1.0, sqrt(h)))


def in_indonesia(lat: float, lon: float) -> bool:
    """Inside the bounding box above (a scenario folder's coordinates are checked by it)."""
    return (
        INDONESIA_LAT[0] <= lat <= INDONESIA_LAT[1] and INDONESIA_LON[0] <= lon <= INDONESIA_LON[1]
    )


# Side of a PlaceGrid cell in degrees (~2.2 km): a village is a cell or two across.
PLACE_CELL_DEG = 0.02
KM_PER_DEGREE = 111.195  # along a meridian

Cell = tuple[int, int]
T = TypeVar("T")


# Units' last fixes whose nearest place is remembered: a screenful of rows many times.
MAX_REMEMBERED_ANSWERS = 4096


class PlaceGrid(Generic[T]):
    """Fixed places (TPS, village centres) by grid cell, for "which is nearest to this
    point": a unit's last fix is named by its nearest place whenever its row is drawn,
    and a province has tens of thousands of places, too many to measure each time."""

    def __init__(self, places: Iterable[tuple[float, float, T]]) -> None:
        # Places at one point are measured once, the first given standing for them: the
        # TPS of a village are often all given its centre.
        first: dict[tuple[float, float], T] = {}
        for lat, lon, item in places:
            first.setdefault((lat, lon), item)
        self._cells: dict[Cell, list[tuple[float, float, T]]] = {}
        for (lat, lon), item in first.items():
            self._cells.setdefault(cell_of(lat, lon, PLACE_CELL_DEG), []).append((lat, lon, item))
        rows = [i for i, _ in self._cells] or [0]
        columns = [j for _, j in self._cells] or [0]
        self._box = (min(rows), max(rows), min(columns), max(columns))
        # A row drawn again (a cursor moving past it, a pane laid out anew) asks for the
        # same point; the places never change, so an answer stays true.
        self._answers: dict[tuple[float, float], tuple[T, float] | None] = {}

    def __len__(self) -> int:
        """How many distinct points it holds."""
        return sum(len(members) for members in self._cells.values())

    def nearest(self, lat: float, lon: float) -> tuple[T, float] | None:
        """The nearest place and its great-circle distance in km; None when empty."""
        point = (lat, lon)
        if point in self._answers:
            return self._answers[point]
        if len(self._answers) >= MAX_REMEMBERED_ANSWERS:
            self._answers.clear()
        found = self._answers[point] = self._search(lat, lon)
        return found

    def _search(self, lat: float, lon: float) -> tuple[T, float] | None:
        if not self._cells:
            return None
        centre = cell_of(lat, lon, PLACE_CELL_DEG)
        low_i, high_i, low_j, high_j = self._box
        last_ring = max(
            abs(centre[0] - low_i), abs(centre[0] - high_i),
            abs(centre[1] - low_j), abs(centre[1] - high_j),
        )  # fmt: skip
        best: tuple[T, float] | None = None
        for ring in range(last_ring + 1):
            for cell in ring_cells(centre, ring):
                for place_lat, place_lon, item in self._cells.get(cell, ()):
                    km = haversine_km(lat, lon, place_lat, place_lon)
                    if best is None or km < best[1]:
                        best = (item, km)
            if best is not None:
                # A place beyond this ring is at least `ring` cells off east-west (the
                # shorter way), with a margin for the flat-earth bound.
                reach = ring * PLACE_CELL_DEG * KM_PER_DEGREE * cos(radians(abs(lat) + 1.0))
                if reach * 0.99 > best[1]:
                    break
        return best


def cell_of(lat: float, lon: float, side_deg: float) -> Cell:
    return (floor(lat / side_deg), floor(lon / side_deg))


def ring_cells(centre: Cell, ring: int) -> Iterator[Cell]:
    """The grid cells at Chebyshev distance `ring` from `centre`."""
    i, j = centre
    if ring == 0:
        yield centre
        return
    for step in range(-ring, ring + 1):
        yield (i - ring, j + step)
        yield (i + ring, j + step)
    for step in range(-ring + 1, ring):
        yield (i + step, j - ring)
        yield (i + step, j + ring)
