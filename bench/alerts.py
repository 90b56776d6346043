"""How cheaply the election-security rules follow a province-sized election day.

Builds 50k TPS (5 per village, 500 kecamatan), 10k officers posted at the high-risk
TPS first, then plays a 10-hour day on a simulated clock: 20,000 incidents (a third of
the related ones around a few hotspots, so clusters form), each acknowledged,
dispatched, on scene and resolved by its unit at random delays, and every TPS passing
its phases. Events are applied to an ElectionState batch by batch; the AlertEngine
observes each batch and is evaluated once per simulated second, as a console does,
then asked for its digest (what the alerts pane shows: one alert per incident, a
kecamatan's understaffed TPS as one). Only the engine's time (observe + evaluate +
digest) is counted; records and events are made and applied outside the timed stretches.

    python bench/alerts.py [--incidents N] [--seed S]

Last line: `alerts incidents=N per_incident_us=U` (goal: U <= 1000).
"""

from __future__ import annotations

import argparse
import heapq
import random
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypeVar

from pilkades_tui.domain.clock import WIB
from pilkades_tui.domain.events import (
    INCIDENT_UPDATED,
    OFFICER_UPDATED,
    TPS_UPDATED,
    Event,
)
from pilkades_tui.domain.models import (
    Category,
    ElectionPhase,
    Incident,
    IncidentStatus,
    Officer,
    OfficerStatus,
    Phase,
    Risk,
    Snapshot,
    Tps,
    TpsPhase,
)
from pilkades_tui.domain.rules import Alert, AlertEngine, AlertKind
from pilkades_tui.domain.state import Changes, ElectionState

TPS_COUNT = 50_000
OFFICER_COUNT = 10_000
TPS_PER_VILLAGE = 5
GRID = 100  # villages on a 100 x 100 grid over the province
DISTRICTS = 500
LAT0, LAT1, LON0, LON1 = -8.0, -6.5, 108.5, 111.5
DAY_START = datetime(2024, 11, 27, 6, 0, tzinfo=WIB)
DAY_HOURS = 10
RISK_WEIGHTS = {Risk.LOW: 0.70, Risk.MEDIUM: 0.22, Risk.HIGH: 0.08}
RELATED = [Category.CROWD, Category.CLASH, Category.INTIMIDATION, Category.VOTE_DISPUTE]


def village_of(index: int) -> tuple[float, float]:
    row, column = divmod(index, GRID)
    return (
        LAT0 + (row + 0.5) * (LAT1 - LAT0) / GRID,
        LON0 + (column + 0.5) * (LON1 - LON0) / GRID,
    )


def grid_neighbours() -> dict[str, frozenset[str]]:
    result: dict[str, frozenset[str]] = {}
    for index in range(GRID * GRID):
        row, column = divmod(index, GRID)
        around = [
            f"V{(row + dr) * GRID + column + dc}"
            for dr, dc in ((-1, 0), (1, 0), (0, -1), (0, 1))
            if 0 <= row + dr < GRID and 0 <= column + dc < GRID
        ]
        result[f"V{index}"] = frozenset(around)
    return result


def build_state(rng: random.Random) -> ElectionState:
    at = DAY_START - timedelta(hours=1)
    risks = list(RISK_WEIGHTS)
    weights = list(RISK_WEIGHTS.values())
    tps: list[Tps] = []
    for village in range(TPS_COUNT // TPS_PER_VILLAGE):
        lat, lon = village_of(village)
        risk = rng.choices(risks, weights)[0]
        for number in range(TPS_PER_VILLAGE):
            tps.append(
                Tps(
                    id=f"T{village}-{number}",
                    name=f"TPS {number + 1:02d} Desa {village}",
                    village=f"Desa {village}",
                    village_code=f"V{village}",
                    district=f"Kecamatan {village % DISTRICTS:03d}",
                    lat=lat + rng.uniform(-0.003, 0.003),
                    lon=lon + rng.uniform(-0.003, 0.003),
                    voters=rng.randint(200, 800),
                    risk=risk,
                    updated_at=at,
                )
            )
    # Posts go where the risk is: two per high-risk TPS, then one per medium-risk TPS;
    # a few high-risk TPS are left with one, as happens when a Polres runs short.
    order = sorted(tps, key=lambda t: (t.risk != Risk.HIGH, t.risk != Risk.MEDIUM, t.id))
    slots = [t for t in order if t.risk == Risk.HIGH for _ in range(2)]
    slots += [t for t in order if t.risk == Risk.MEDIUM]
    officers: list[Officer] = []
    for number in range(OFFICER_COUNT):
        post = slots[number] if number < len(slots) and rng.random() > 0.01 else None
        lat, lon = (post.lat, post.lon) if post else village_of(rng.randrange(GRID * GRID))
        officers.append(
            Officer(
                id=f"O{number}",
                name=f"Petugas {number}",
                lat=lat,
                lon=lon,
                status_since=at,
                last_contact_at=at,
                position_at=at,
                post_tps_id=post.id if post else None,
                updated_at=at,
            )
        )
        if post is not None:
            post.officer_ids.append(f"O{number}")
    phase = Phase(phase=ElectionPhase.PREPARATION, since=at, updated_at=at)
    return ElectionState.from_snapshot(Snapshot(seq=0, phase=phase, tps=tps, officers=officers))


R = TypeVar("R", Tps, Incident, Officer)
Step = Callable[[ElectionState], Tps | Incident | Officer | Phase | None]


class Day:
    """A schedule of record changes: (when, order, make-the-new-record)."""

    def __init__(self) -> None:
        self._heap: list[tuple[datetime, int, Step]] = []
        self._order = 0

    def at(self, when: datetime, step: Step) -> None:
        self._order += 1
        heapq.heappush(self._heap, (when, self._order, step))

    def due(self, now: datetime) -> list[Step]:
        steps = []
        while self._heap and self._heap[0][0] <= now:
            steps.append(heapq.heappop(self._heap)[2])
        return steps


def bumped(record: R, now: datetime, **fields: object) -> R:
    fields.update(version=record.version + 1, updated_at=now)
    return record.model_copy(update=fields)


def plan_day(state: ElectionState, day: Day, incidents: int, rng: random.Random) -> None:
    seconds = DAY_HOURS * 3600
    for tps_id in state.tps:
        opens = DAY_START + timedelta(minutes=rng.uniform(50, 70))
        for phase, minutes in (
            (TpsPhase.VOTING, 0),
            (TpsPhase.COUNTING, 360),
            (TpsPhase.RECAP, 480),
        ):
            when = opens + timedelta(minutes=minutes + rng.uniform(-5, 5))
            day.at(when, _tps_step(tps_id, phase, when))
    hotspots = [village_of(rng.randrange(GRID * GRID)) for _ in range(40)]
    officer_ids = list(state.officers)
    for number in range(incidents):
        reported = DAY_START + timedelta(seconds=rng.uniform(0, seconds))
        category = rng.choice(list(Category))
        if category in RELATED and rng.random() < 0.33:
            lat, lon = rng.choice(hotspots)
            village = None
        else:
            village = rng.randrange(GRID * GRID)
            lat, lon = village_of(village)
        record = Incident(
            id=f"I{number}",
            category=category,
            priority=rng.choices([1, 2, 3, 4], [0.1, 0.3, 0.4, 0.2])[0],
            district=f"Kecamatan {rng.randrange(DISTRICTS):03d}",
            village=f"Desa {village}" if village is not None else "",
            tps_id=f"T{village}-0" if village is not None and rng.random() < 0.5 else None,
            lat=lat + rng.uniform(-0.01, 0.01),
            lon=lon + rng.uniform(-0.01, 0.01),
            reported_at=reported,
            updated_at=reported,
        )
        day.at(reported, lambda _state, record=record: record)
        unit = rng.choice(officer_ids)
        acknowledged = reported + timedelta(minutes=rng.uniform(0.5, 8))
        dispatched = acknowledged + timedelta(minutes=rng.uniform(0.5, 5))
        rolling = dispatched + timedelta(minutes=rng.uniform(0.5, 8))
        arrived = rolling + timedelta(minutes=rng.uniform(3, 25))
        resolved = arrived + timedelta(minutes=rng.uniform(5, 60))
        incident_id = record.id
        day.at(acknowledged, _incident_step(incident_id, acknowledged, IncidentStatus.ACKNOWLEDGED))
        day.at(dispatched, _dispatch_step(incident_id, unit, dispatched))
        day.at(rolling, _unit_step(unit, incident_id, rolling, OfficerStatus.EN_ROUTE))
        day.at(arrived, _unit_step(unit, incident_id, arrived, OfficerStatus.ON_SCENE))
        day.at(arrived, _incident_step(incident_id, arrived, IncidentStatus.ON_SCENE))
        day.at(resolved, _incident_step(incident_id, resolved, IncidentStatus.RESOLVED))
        day.at(resolved, _unit_step(unit, incident_id, resolved, OfficerStatus.AVAILABLE))


def _tps_step(tps_id: str, phase: TpsPhase, when: datetime) -> Step:
    def step(state: ElectionState) -> Tps:
        held = state.tps[tps_id]
        return bumped(held, when, phase=phase, last_report_at=when)

    return step


def _incident_step(incident_id: str, when: datetime, status: IncidentStatus) -> Step:
    def step(state: ElectionState) -> Incident | None:
        held = state.incidents.get(incident_id)
        if held is None or not held.is_open:
            return None
        return bumped(held, when, status=status)

    return step


def _dispatch_step(incident_id: str, unit: str, when: datetime) -> Step:
    def step(state: ElectionState) -> Incident | None:
        held = state.incidents.get(incident_id)
        if held is None or not held.is_open:
            return None
        return bumped(held, when, status=IncidentStatus.DISPATCHED, officer_ids=[unit])

    return step


def _unit_step(unit: str, incident_id: str, when: datetime, status: OfficerStatus) -> Step:
    def step(state: ElectionState) -> Officer:
        held = state.officers[unit]
        busy = None if status == OfficerStatus.AVAILABLE else incident_id
        return bumped(
            held, when, status=status, status_since=when, last_contact_at=when, incident_id=busy
        )

    return step


KINDS = {Tps: TPS_UPDATED, Incident: INCIDENT_UPDATED, Officer: OFFICER_UPDATED}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    started = time.perf_counter()
    state = build_state(rng)
    day = Day()
    plan_day(state, day, args.incidents, rng)
    engine = AlertEngine(neighbours=grid_neighbours())
    print(f"built state and day in {time.perf_counter() - started:.1f}s", file=sys.stderr)

    now = DAY_START - timedelta(minutes=30)
    started = time.perf_counter()
    engine.evaluate(state, now)
    engine.digest()
    first = time.perf_counter() - started
    elapsed = first
    evaluations = 0
    events = 0
    peak = 0
    digest_peak = 0
    seen_kinds: set[AlertKind] = set()
    previous: tuple[Alert, ...] = ()
    end = DAY_START + timedelta(hours=DAY_HOURS + 2)
    while now < end:
        now += timedelta(seconds=1)
        batch: list[Event] = []
        for step in day.due(now):
            record = step(state)
            if record is not None:
                batch.append(
                    Event.model_construct(
                        seq=state.seq + 1 + len(batch),
                        ts=now,
                        type=KINDS[type(record)],
                        data=record,
                    )
                )
        changes = state.apply_many(batch) if batch else Changes()
        events += len(batch)
        started = time.perf_counter()
        if batch:
            engine.observe(changes)
        alerts = engine.evaluate(state, now)
        digest = engine.digest()
        elapsed += time.perf_counter() - started
        digest_peak = max(digest_peak, len(digest))
        evaluations += 1
        if alerts is not previous:
            previous = alerts
            peak = max(peak, len(alerts))
            seen_kinds.update(alert.kind for alert in alerts)
    kinds = ",".join(sorted(seen_kinds))
    print(
        f"first evaluation {first * 1000:.0f} ms; {evaluations} evaluations, {events} events, "
        f"rules {elapsed:.2f}s; peak {peak} active alerts ({digest_peak} in the digest); "
        f"kinds seen: {kinds}",
        file=sys.stderr,
    )
    per_incident_us = elapsed / args.incidents * 1e6
    print(f"alerts incidents={args.incidents} per_incident_us={per_incident_us:.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
