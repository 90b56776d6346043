"""Call-taking: finding the place a caller names, proposing a priority, spotting a
report the room already has. Pure functions: the console's intake forms call them.

A place is a TPS or a village. A village without a TPS (a kelurahan elects no village
head, so it has none) is reported by its centre's coordinates; the hub then takes the
village and kecamatan of the nearest TPS (domain/commands.py::new_incident).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from math import cos, radians
from typing import Literal

from pilkades_tui.domain.geo import haversine_km
from pilkades_tui.domain.models import Category, Incident, NewIncident, Risk, Tps
from pilkades_tui.domain.rules.settings import PrioritySettings
from pilkades_tui.domain.rules.triage import priority_for

DUPLICATE_WINDOW = timedelta(minutes=30)
DUPLICATE_RADIUS_KM = 0.5


@dataclass(frozen=True, slots=True)
class Place:
    kind: Literal["tps", "village"]
    label: str  # "TPS 03 Kajen" or "Kajen"
    village: str
    district: str
    lat: float
    lon: float
    tps_id: str | None = None
    tps_number: int | None = None
    risk: Risk | None = None  # a TPS's mapped risk; a village's is its nearest TPS's


@dataclass(frozen=True, slots=True)
class VillageCentre:
    """A village as the geography knows it (scenario/geography.py::Village has these)."""

    name: str
    district: str
    lat: float
    lon: float


def places(tps: Iterable[Tps], villages: Iterable[VillageCentre]) -> list[Place]:
    """Every TPS, then every village that has no TPS of its own, by the centre given."""
    found: list[Place] = []
    with_tps: set[tuple[str, str]] = set()
    for record in tps:
        number = re.search(r"(\d+)", record.name)
        found.append(
            Place(
                kind="tps",
                label=record.name
                if record.village.casefold() in record.name.casefold()
                else f"{record.name} {record.village}",
                village=record.village,
                district=record.district,
                lat=record.lat,
                lon=record.lon,
                tps_id=record.id,
                tps_number=int(number.group(1)) if number else None,
                risk=record.risk,
            )
        )
        with_tps.add((record.village.casefold(), record.district.casefold()))
    tps_places = list(found)
    for village in villages:
        if (village.name.casefold(), village.district.casefold()) in with_tps:
            continue
        # Nearest by the flat-earth distance: within one kabupaten it orders TPS as the
        # great-circle distance does, at a fraction of the cost (1,000+ TPS per village).
        squeeze = cos(radians(village.lat)) ** 2
        nearest = min(
            tps_places,
            key=lambda p: (p.lat - village.lat) ** 2 + squeeze * (p.lon - village.lon) ** 2,
            default=None,
        )
        found.append(
            Place(
                kind="village",
                label=village.name,
                village=village.name,
                district=village.district,
                lat=village.lat,
                lon=village.lon,
                risk=nearest.risk if nearest is not None else None,
            )
        )
    return found


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def match_places(candidates: Sequence[Place], query: str, limit: int = 8) -> list[Place]:
    """The places a typed query names, best first. Each word of the query must start a
    word of the place's village, kecamatan or TPS name; a number names the TPS number
    (`kajen 3` is TPS 03 in Kajen). A whole-word village match ranks before a kecamatan
    match, a village (the place itself) before its TPS when no number is typed."""
    terms = _words(query)
    if not terms:
        return []
    numbers = [int(term) for term in terms if term.isdigit()]
    names = [term for term in terms if not term.isdigit()]
    scored: list[tuple[tuple[int, int, str], Place]] = []
    for place in candidates:
        if numbers and (place.tps_number is None or place.tps_number not in numbers):
            continue
        village_words = _words(place.village)
        district_words = _words(place.district)
        score = 0
        for term in names:
            if any(word.startswith(term) for word in village_words):
                score += 0 if term in village_words else 1
            elif any(word.startswith(term) for word in district_words):
                score += 2 if term in district_words else 3
            else:
                break
        else:
            kind_rank = 0 if (place.kind == "village") != bool(numbers) else 1
            scored.append(((score, kind_rank, place.label), place))
    scored.sort(key=lambda item: item[0])
    return [place for _, place in scored[:limit]]


@dataclass(frozen=True, slots=True)
class PriorityProposal:
    priority: int
    base: int  # the category's priority before the place's risk is counted
    raised_by_risk: bool


def propose_priority(
    category: Category, risk: Risk | None, settings: PrioritySettings
) -> PriorityProposal:
    """The triage rule's priority for a report (rules/triage.py), and why: the
    category's base, raised one level when the place is high-risk and the rule says so."""
    base = priority_for(category, None, settings)
    priority = priority_for(category, risk, settings)
    return PriorityProposal(priority=priority, base=base, raised_by_risk=priority != base)


@dataclass(frozen=True, slots=True)
class PossibleDuplicate:
    incident: Incident
    distance_km: float
    minutes_ago: int
    same_place: bool


def possible_duplicates(
    incidents: Iterable[Incident],
    place: Place,
    category: Category,
    now: datetime,
    *,
    window: timedelta = DUPLICATE_WINDOW,
    radius_km: float = DUPLICATE_RADIUS_KM,
) -> list[PossibleDuplicate]:
    """Open incidents of the same category that a new call about `place` probably
    repeats: reported at the same place (the same TPS; the same village when either has
    no TPS) within the last `window`, or at any time while still open within
    `radius_km`. Nearest first, then most recent."""
    found: list[PossibleDuplicate] = []
    for incident in incidents:
        if not incident.is_open or incident.category != category:
            continue
        distance = haversine_km(place.lat, place.lon, incident.lat, incident.lon)
        if place.tps_id is not None and incident.tps_id is not None:
            same_place = place.tps_id == incident.tps_id
        else:
            same_place = (incident.village.casefold(), incident.district.casefold()) == (
                place.village.casefold(),
                place.district.casefold(),
            )
        age = now - incident.reported_at
        recent = timedelta(0) <= age <= window or age < timedelta(0)
        if (same_place and recent) or distance <= radius_km:
            found.append(
                PossibleDuplicate(
                    incident=incident,
                    distance_km=distance,
                    minutes_ago=max(0, int(age.total_seconds() // 60)),
                    same_place=same_place,
                )
            )
    found.sort(key=lambda d: (d.distance_km, -d.incident.reported_at.timestamp()))
    return found


def description_limit() -> int:
    """The protocol's longest description (NewIncident.description), named when exceeded."""
    for rule in NewIncident.model_fields["description"].metadata:
        limit = getattr(rule, "max_length", None)
        if isinstance(limit, int):
            return limit
    raise LookupError("NewIncident.description has no max_length")
