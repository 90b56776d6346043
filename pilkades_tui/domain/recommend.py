"""Which available unit to send: nearest first, with an ETA.

Distances are great-circle; roads in the Pekalongan highlands (Petungkriyono,
Lebakbarang, Kandangserang) wind, so the ETA multiplies the straight line by a road
factor before dividing by an assumed speed per kind of unit.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from math import cos, radians, sqrt
from operator import itemgetter

from pilkades_tui.domain.geo import haversine_km
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
        last = heapq.nsmallest(limit, flat, key=itemgetter(0))[-1][0]
        reach = (sqrt(last) * KM_PER_DEGREE * FLAT_MARGIN + TIE_KM) / KM_PER_DEGREE
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
