"""A fixed election morning for console tests: no network, a stopped clock, so screens
and snapshots come out the same on every run."""

from __future__ import annotations

from datetime import datetime, timedelta

from pilkades_tui.domain.clock import WIB
from pilkades_tui.domain.models import (
    Category,
    ElectionPhase,
    HealthProtocol,
    Incident,
    IncidentStatus,
    OfficerStatus,
    Phase,
    Snapshot,
    TimelineEntry,
    TpsPhase,
)
from pilkades_tui.domain.state import ElectionState
from pilkades_tui.scenario import load_scenario

# Voting day, nine in the morning: polls opened at seven.
AT = datetime(2022, 2, 23, 9, 0, tzinfo=WIB)
OPENED = AT - timedelta(hours=2)
UNUSED_HUB = "http://127.0.0.1:9"  # discard port: nothing answers, nothing is sent


def fixed_clock() -> datetime:
    return AT


def _incident(
    number: int,
    tps_id: str,
    state: ElectionState,
    category: Category,
    priority: int,
    minutes_ago: int,
    status: IncidentStatus = IncidentStatus.NEW,
    officer_ids: tuple[str, ...] = (),
) -> Incident:
    tps = state.tps[tps_id]
    reported = AT - timedelta(minutes=minutes_ago)
    timeline = [TimelineEntry(at=reported, by="lapangan", action="reported")]
    acknowledged = None
    if status is not IncidentStatus.NEW:
        acknowledged = reported + timedelta(minutes=1)
        timeline.append(TimelineEntry(at=acknowledged, by="Piket", action="acknowledge"))
    return Incident(
        id=f"INC-{number:04d}",
        version=len(timeline),
        updated_at=reported,
        category=category,
        priority=priority,
        status=status,
        acknowledged_at=acknowledged,
        tps_id=tps.id,
        village=tps.village,
        district=tps.district,
        lat=tps.lat,
        lon=tps.lon,
        description=f"{category.value} di {tps.name}",
        reported_by="Bhabinkamtibmas",
        reported_at=reported,
        officer_ids=list(officer_ids),
        timeline=timeline,
    )


def fixed_state() -> ElectionState:
    """The Pekalongan scenario two hours into voting, with four open incidents."""
    scenario = load_scenario("pekalongan", OPENED)
    assert scenario is not None
    phase = Phase(phase=ElectionPhase.VOTING, since=OPENED, updated_at=OPENED, version=2)
    base = ElectionState.from_snapshot(
        Snapshot(seq=0, phase=phase, tps=list(scenario.tps), officers=list(scenario.officers))
    )
    tps_records = []
    for index, tps in enumerate(sorted(base.tps.values(), key=lambda record: record.id)):
        if index % 3 == 2:
            tps_records.append(tps)  # still setting up: never reported
            continue
        # One in seven reported long ago: the pane must show it as stale.
        silent_min = 45 if index % 7 == 0 else 5 + index % 20
        health = HealthProtocol.OK
        if index % 11 == 0:
            health = HealthProtocol.WARNING
        if index % 53 == 0:
            health = HealthProtocol.VIOLATION
        tps_records.append(
            tps.model_copy(
                update={
                    "version": 2,
                    "phase": TpsPhase.VOTING,
                    "ballots_cast": tps.voters * (20 + index % 50) // 100,
                    "health_protocol": health,
                    "last_report_at": AT - timedelta(minutes=silent_min),
                }
            )
        )
    officers = dict(base.officers)
    first_officer = sorted(officers)[0]
    tps_ids = [record.id for record in tps_records]
    incidents = [
        _incident(1, tps_ids[3], base, Category.CLASH, 1, minutes_ago=6),
        _incident(2, tps_ids[40], base, Category.CROWD, 2, minutes_ago=3),
        _incident(3, tps_ids[90], base, Category.MONEY_POLITICS, 3, minutes_ago=1),
        _incident(
            4,
            tps_ids[200],
            base,
            Category.LOGISTICS,
            3,
            minutes_ago=20,
            status=IncidentStatus.DISPATCHED,
            officer_ids=(first_officer,),
        ),
    ]
    officers[first_officer] = officers[first_officer].model_copy(
        update={
            "version": 2,
            "status": OfficerStatus.DISPATCHED,
            "incident_id": "INC-0004",
            "status_since": AT - timedelta(minutes=19),
        }
    )
    return ElectionState.from_snapshot(
        Snapshot(
            seq=100,
            phase=phase,
            tps=tps_records,
            incidents=incidents,
            officers=list(officers.values()),
        )
    )
