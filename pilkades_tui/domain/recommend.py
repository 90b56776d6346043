"""Which available unit to send: nearest first, with an ETA.

Distances are great-circle; roads in the Pekalongan highlands (Petungkriyono,
Lebakbarang, Kandangserang) wind, so the ETA multiplies the straight line by a road
factor before dividing by an assumed speed per kind of unit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

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
    ranked: list[tuple[tuple[int, bool, float, str], Recommendation]] = []
    for officer in officers:
        if officer.status != OfficerStatus.AVAILABLE:
            continue
        distance = haversine_km(incident.lat, incident.lon, officer.lat, officer.lon)
        local = district_of(officer) == incident.district
        recommendation = Recommendation(
            officer=officer,
            distance_km=distance,
            eta_min=eta_minutes(distance, officer.kind),
            local=local,
        )
        key = (int(distance / TIE_KM), not local, recommendation.eta_min, officer.id)
        ranked.append((key, recommendation))
    ranked.sort(key=lambda pair: pair[0])
    chosen = ranked if limit is None else ranked[:limit]
    return [recommendation for _, recommendation in chosen]
