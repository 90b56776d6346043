"""A small hand-built election morning with explicit clocks, and the figures a person
works out from it by hand (written next to each event below)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from pilkades_tui.domain.clock import WIB
from pilkades_tui.domain.events import Event
from pilkades_tui.domain.models import Incident, Officer, Phase, Tps
from pilkades_tui.hub.log import INITIAL_PHASE, LoggedEvent, SqliteLog
from pilkades_tui.paths import hub_log_file

M = TypeVar("M", bound=BaseModel)

DAY = datetime(2026, 11, 29, tzinfo=WIB)


def at(clock: str) -> datetime:
    hours, minutes = (int(part) for part in clock.split(":"))
    return DAY + timedelta(hours=hours, minutes=minutes)


INITIAL = Phase(phase="preparation", since=at("06:00"), updated_at=at("06:00"))


def _changed(old: M, changes: dict[str, Any]) -> M:
    # Validated, like a record that came over the wire: enums are enums, times are times.
    return type(old).model_validate({**old.model_dump(), **changes})


class Day:
    def __init__(self) -> None:
        self.events: list[Event] = []
        self.tps: dict[str, Tps] = {}
        self.incidents: dict[str, Incident] = {}
        self.officers: dict[str, Officer] = {}
        self.phase_version = 1

    def _emit(self, kind: str, when: datetime, data: Any) -> None:
        self.events.append(Event(seq=len(self.events) + 1, ts=when, type=kind, data=data))

    def add_tps(self, tps_id: str, district: str, village: str, risk: str) -> None:
        tps = Tps(
            id=tps_id,
            name=f"TPS {tps_id}",
            village=village,
            village_code="33.26",
            district=district,
            lat=-6.95,
            lon=109.6,
            voters=300,
            risk=risk,
            updated_at=at("06:00"),
        )
        self.tps[tps_id] = tps
        self._emit("tps.updated", at("06:00"), tps)

    def tps_report(self, tps_id: str, clock: str, **changes: Any) -> None:
        old = self.tps[tps_id]
        tps = _changed(
            old,
            {
                **changes,
                "version": old.version + 1,
                "updated_at": at(clock),
                "last_report_at": at(clock),
            },
        )
        self.tps[tps_id] = tps
        self._emit("tps.updated", at(clock), tps)

    def add_officer(self, officer_id: str) -> None:
        officer = Officer(
            id=officer_id,
            name=f"Unit {officer_id}",
            rank="Bripka",
            unit="Polsek Doro",
            lat=-6.95,
            lon=109.6,
            updated_at=at("06:00"),
        )
        self.officers[officer_id] = officer
        self._emit("officer.updated", at("06:00"), officer)

    def officer(self, officer_id: str, clock: str, status: str, incident: str | None) -> None:
        old = self.officers[officer_id]
        officer = _changed(
            old,
            {
                "status": status,
                "status_since": at(clock),
                "incident_id": incident,
                "version": old.version + 1,
                "updated_at": at(clock),
            },
        )
        self.officers[officer_id] = officer
        self._emit("officer.updated", at(clock), officer)

    def phase(self, clock: str, phase: str) -> None:
        self.phase_version += 1
        data = Phase(phase=phase, since=at(clock), updated_at=at(clock), version=self.phase_version)
        self._emit("phase.changed", at(clock), data)

    def report(self, incident_id: str, clock: str, **fields: Any) -> None:
        incident = Incident(
            id=incident_id,
            lat=-6.95,
            lon=109.6,
            reported_at=at(clock),
            updated_at=at(clock),
            **fields,
        )
        self.incidents[incident_id] = incident
        self._emit("incident.updated", at(clock), incident)

    def move(self, incident_id: str, clock: str, **changes: Any) -> None:
        old = self.incidents[incident_id]
        incident = _changed(old, {**changes, "version": old.version + 1, "updated_at": at(clock)})
        self.incidents[incident_id] = incident
        self._emit("incident.updated", at(clock), incident)

    def write_log(self, data_dir: Path) -> Path:
        """The day as a hub log file, through the hub's own log writer."""
        log = SqliteLog.in_data_dir(data_dir)
        log.set_meta(INITIAL_PHASE, INITIAL.model_dump_json())
        log.append(
            [LoggedEvent(e.seq, e.type, e.to_json(), e.ts.isoformat()) for e in self.events], []
        )
        log.close()
        return hub_log_file(data_dir)


def morning() -> Day:
    day = Day()
    day.add_tps("T1", "Doro", "Doro", "high")  # Doro is a highland kecamatan: P1 in 20 min
    day.add_tps("T2", "Kajen", "Kajen", "low")
    day.add_tps("T3", "Bojong", "Bojong", "medium")
    day.add_tps("T4", "Kajen", "Kajen", "low")
    day.add_officer("U1")
    day.add_officer("U2")
    day.phase("07:00", "voting")
    for tps_id in ("T1", "T2", "T3"):
        day.tps_report(tps_id, "07:00", phase="voting")
    # A: P1 clash at T1. Acknowledged after 3 min, dispatched after 5, on scene after
    # 21 (the highland target is 20: a breach), resolved after 51. U1 on scene 30 min.
    day.report("A", "07:10", category="clash", priority=1, tps_id="T1", district="Doro",
               village="Doro")  # fmt: skip
    day.move("A", "07:13", status="acknowledged", acknowledged_at=at("07:13"))
    day.move("A", "07:15", status="dispatched", officer_ids=["U1"])
    day.officer("U1", "07:15", "dispatched", "A")
    day.move("A", "07:31", status="on_scene")
    day.officer("U1", "07:31", "on_scene", "A")
    # B: P2 crowd at T2, acknowledged after 20 min (alarm at 10: a breach), never
    # reached: at the end (09:00) 100 min against a target of 60 (a breach, still open).
    day.report("B", "07:20", category="crowd", priority=2, tps_id="T2", district="Kajen",
               village="Kajen")  # fmt: skip
    day.move("B", "07:40", status="acknowledged", acknowledged_at=at("07:40"))
    day.tps_report("T2", "08:00", health_protocol="violation")
    day.move("A", "08:01", status="resolved")
    day.officer("U1", "08:01", "available", None)
    day.tps_report("T1", "08:05")  # 65 min after its last report: a stale gap
    # C: P3 hoax without a TPS, in a medium-risk village; cancelled (no breach).
    day.report("C", "08:10", category="hoax", priority=3, district="Bojong", village="Bojong")
    day.move("C", "08:20", status="cancelled")
    day.tps_report("T3", "09:00")  # 120 min after its last report
    return day
