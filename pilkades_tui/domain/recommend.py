"""Which available unit to send: nearest first, with an ETA.

Distances are great-circle; roads in the Pekalongan highlands (Petungkriyono,
Lebakbarang, Kandangserang) wind, so the ETA multiplies the straight line by a road
factor before dividing by an assumed speed per kind of unit.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from math import cos, radians, sqrt
from operator import itemgetter

from pilkades_tui.domain.geo import Cell, cell_of, haversine_km, ring_cells
from pilkades_tui.domain.models import Incident, Officer, OfficerKind, OfficerStatus

# Assumed average speeds on kabupaten roads, km/h. A person is a Bhabinkamtibmas or a
# post officer on a motorbike; a vehicle is a patrol car; a team is a Dalmas truck.
SPEED_KMH: dict[OfficerKind, float] = {
    OfficerKind.PERSON: 30.0,
    OfficerKind.VEHICLE: 40.0,
    OfficerKind.TEAM: 25.0,
}
# Road distance over straight-line distance, a common rule of thumb for rural Java.
ROAD_FACTOR = 1.4
# Distances within this many km count as a tie, broken by the local Polsek.
TIE_KM = 0.1
KM_PER_DEGREE = 111.195  # along a meridian
# The flat-earth pre-selection keeps units up to this factor farther than the cut.
FLAT_MARGIN = 1.02
# Side of a UnitGrid cell in degrees (~2.2 km): a kecamatan is a few dozen cells.
CELL_DEG = 0.02


@dataclass(frozen=True, slots=True)
class Recommendation:
    officer: Officer
    distance_km: float
    eta_min: float
    local: bool  # from the incident's own kecamatan


def eta_minutes(distance_km: float, kind: OfficerKind) -> float:
    return distance_km * ROAD_FACTOR / SPEED_KMH[kind] * 60.0


def recommend_units(
    incident: Incident,
    officers: Iterable[Officer],
    district_of: Callable[[Officer], str | None],
    limit: int | None = 10,
) -> list[Recommendation]:
    """Available officers for `incident`, nearest first; equal distance: local Polsek first."""
    lat, lon = incident.lat, incident.lon
    available = [officer for officer in officers if officer.status == OfficerStatus.AVAILABLE]
    if limit is not None and len(available) > limit * 4:
        # A province has tens of thousands of units. A flat-earth distance (cheap, within
        # a fraction of a percent at these ranges) picks those that can make the list;
        # only they get the great-circle distance and a place in the ranking.
        x_scale = cos(radians(lat))
        flat = [
            (((officer.lon - lon) * x_scale) ** 2 + (officer.lat - lat) ** 2, officer)
            for officer in available
        ]
        reach = _flat_reach(heapq.nsmallest(limit, flat, key=itemgetter(0))[-1][0])
        available = [officer for squared, officer in flat if squared <= reach * reach]
    scored = [(haversine_km(lat, lon, officer.lat, officer.lon), officer) for officer in available]
    ranked: list[tuple[tuple[int, bool, float, str], Recommendation]] = []
    for distance, officer in scored:
        local = district_of(officer) == incident.district
        recommendation = Recommendation(
            officer=officer,
            distance_km=distance,
            eta_min=eta_minutes(distance, officer.kind),
            local=local,
        )
        key = (int(distance / TIE_KM), not local, recommendation.eta_min, officer.id)
        ranked.append((key, recommendation))
    ranked.sort(key=itemgetter(0))
    chosen = ranked if limit is None else ranked[:limit]
    return [recommendation for _, recommendation in chosen]


def _flat_reach(kth_squared: float) -> float:
    """How far (flat degrees) a unit can be and still make a list whose last unit is
    `sqrt(kth_squared)` away: flat-earth error and the 0.1 km ties allowed for."""
    return (sqrt(kth_squared) * KM_PER_DEGREE * FLAT_MARGIN + TIE_KM) / KM_PER_DEGREE


class UnitGrid:
    """Available units by grid cell.

    A province has tens of thousands of units; ranking them all for each incident took
    ~0.1 s. The state notes which units moved and refreshes the grid only when asked
    for a recommendation: positions are most of the feed, and placing each as it came
    cost a fifth of the reducer's speed.

    The grid hands `recommend_units` only the units near enough to make the list: rings
    of cells around the incident, until no unvisited cell can hold one.
    """

    def __init__(self) -> None:
        self._cells: dict[Cell, set[str]] = {}
        self._cell_of: dict[str, Cell] = {}

    def place(self, officer_id: str, lat: float, lon: float, available: bool) -> None:
        """Where a unit is now, and whether it can be sent (only those are kept)."""
        old = self._cell_of.get(officer_id)
        cell = cell_of(lat, lon, CELL_DEG) if available else None
        if old == cell:
            return
        if old is not None:
            members = self._cells[old]
            members.discard(officer_id)
            if not members:
                del self._cells[old]
            del self._cell_of[officer_id]
        if cell is not None:
            self._cells.setdefault(cell, set()).add(officer_id)
            self._cell_of[officer_id] = cell

    def refresh(self, officer_ids: Iterable[str], officers: Mapping[str, Officer]) -> None:
        """Take in units that moved or changed since the last refresh."""
        for officer_id in officer_ids:
            officer = officers.get(officer_id)
            if officer is None:
                self.place(officer_id, 0.0, 0.0, False)
            else:
                available = officer.status == OfficerStatus.AVAILABLE
                self.place(officer_id, officer.lat, officer.lon, available)

    def cells(self) -> dict[Cell, frozenset[str]]:
        return {cell: frozenset(ids) for cell, ids in self._cells.items()}

    def candidates(
        self, lat: float, lon: float, limit: int, officers: Mapping[str, Officer]
    ) -> list[Officer]:
        """Every unit that `recommend_units(..., limit)` could put on its list for a
        place at (lat, lon): those within the flat reach of the `limit`-th nearest."""
        x_scale = cos(radians(lat))
        centre = cell_of(lat, lon, CELL_DEG)
        last_ring = max(
            (max(abs(i - centre[0]), abs(j - centre[1])) for i, j in self._cells), default=0
        )
        found: list[tuple[float, Officer]] = []
        reach = float("inf")
        for ring in range(last_ring + 1):
            for cell in ring_cells(centre, ring):
                for officer_id in self._cells.get(cell, ()):
                    officer = officers[officer_id]
                    squared = ((officer.lon - lon) * x_scale) ** 2 + (officer.lat - lat) ** 2
                    found.append((squared, officer))
            if len(found) >= limit:
                reach = _flat_reach(heapq.nsmallest(limit, found, key=itemgetter(0))[-1][0])
                # A unit in a cell beyond this ring is at least this far away.
                if ring * CELL_DEG * x_scale > reach:
                    break
        return [officer for squared, officer in found if squared <= reach * reach]
