"""Small record builders for domain tests."""

from __future__ import annotations

from datetime import datetime, timedelta

from pilkades_tui.domain.clock import WIB
from pilkades_tui.domain.events import Event
from pilkades_tui.domain.models import Incident, Officer, Phase, Snapshot, Tps

T0 = datetime(2022, 2, 23, 6, 0, tzinfo=WIB)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def tps(tps_id: str = "T1", **fields: object) -> Tps:
    values: dict[str, object] = {
        "id": tps_id,
        "name": f"TPS {tps_id}",
        "village": "Rowokembu",
        "village_code": "33.26.16.2001",
        "district": "Wiradesa",
        "lat": -6.9,
        "lon": 109.6,
        "voters": 500,
        "updated_at": T0,
    }
    values.update(fields)
    return Tps.model_validate(values)


def officer(officer_id: str = "KJN-001", **fields: object) -> Officer:
    values: dict[str, object] = {
        "id": officer_id,
        "name": "Agus Santoso",
        "unit": "Polsek Kajen",
        "lat": -7.03,
        "lon": 109.58,
        "position_at": T0,
        "updated_at": T0,
    }
    values.update(fields)
    return Officer.model_validate(values)


def incident(incident_id: str = "INC-1", **fields: object) -> Incident:
    values: dict[str, object] = {
        "id": incident_id,
        "category": "crowd",
        "priority": 2,
        "district": "Kajen",
        "lat": -7.02,
        "lon": 109.59,
        "reported_at": T0,
        "updated_at": T0,
    }
    values.update(fields)
    return Incident.model_validate(values)


def phase(**fields: object) -> Phase:
    values: dict[str, object] = {"since": T0, "updated_at": T0}
    values.update(fields)
    return Phase.model_validate(values)


def snapshot(seq: int = 0, **fields: object) -> Snapshot:
    values: dict[str, object] = {"seq": seq, "phase": phase()}
    values.update(fields)
    return Snapshot.model_validate(values)


def event(seq: int, kind: str, data: object, minutes: float = 0) -> Event:
    return Event(seq=seq, ts=at(minutes), type=kind, data=data)
