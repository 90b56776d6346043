"""How fast the election-day reducer applies events on a province-sized state.

Builds 50k TPS, 10k officers and 20k incidents, then applies 200k mixed events
(80% officer positions, the rest full TPS, incident and officer records with a newer
version), parsed beforehand: this measures the reducer, not JSON parsing.

    python bench/state_apply.py [--events N]

Last line: `state_apply events_per_s=N rss_mb=M` (goal: N >= 200000, M < 400).
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from datetime import timedelta

from pilkades_tui.domain.clock import wib_now
from pilkades_tui.domain.events import (
    INCIDENT_UPDATED,
    OFFICER_POSITION,
    OFFICER_UPDATED,
    TPS_UPDATED,
    Event,
)
from pilkades_tui.domain.models import (
    Category,
    Incident,
    IncidentStatus,
    Officer,
    OfficerStatus,
    Phase,
    Position,
    Risk,
    Snapshot,
    Tps,
    TpsPhase,
)
from pilkades_tui.domain.state import ElectionState

TPS_COUNT = 50_000
OFFICER_COUNT = 10_000
INCIDENT_COUNT = 20_000
DISTRICTS = [f"Kecamatan {n:03d}" for n in range(500)]


def build_state(rng: random.Random) -> ElectionState:
    at = wib_now()
    tps = [
        Tps(
            id=f"T{n}",
            name=f"TPS {n % 20 + 1:02d}",
            village=f"Desa {n // 5}",
            village_code=f"33.{n // 5}",
            district=DISTRICTS[n % len(DISTRICTS)],
            lat=rng.uniform(-8.0, -6.5),
            lon=rng.uniform(108.5, 111.5),
            voters=rng.randint(200, 800),
            risk=rng.choice(list(Risk)),
            updated_at=at,
        )
        for n in range(TPS_COUNT)
    ]
    officers = [
        Officer(
            id=f"O{n}",
            name=f"Petugas {n}",
            unit=f"Polsek {DISTRICTS[n % len(DISTRICTS)]}",
            lat=rng.uniform(-8.0, -6.5),
            lon=rng.uniform(108.5, 111.5),
            position_at=at,
            updated_at=at,
        )
        for n in range(OFFICER_COUNT)
    ]
    incidents = [
        Incident(
            id=f"I{n}",
            category=rng.choice(list(Category)),
            priority=rng.randint(1, 4),
            district=DISTRICTS[n % len(DISTRICTS)],
            lat=rng.uniform(-8.0, -6.5),
            lon=rng.uniform(108.5, 111.5),
            reported_at=at - timedelta(seconds=n),
            updated_at=at,
        )
        for n in range(INCIDENT_COUNT)
    ]
    phase = Phase(since=at, updated_at=at)
    snapshot = Snapshot(seq=0, phase=phase, tps=tps, officers=officers, incidents=incidents)
    return ElectionState.from_snapshot(snapshot)


def build_events(
    state: ElectionState, first_seq: int, count: int, rng: random.Random
) -> list[Event]:
    at = wib_now()
    tps_ids = list(state.tps)
    officer_ids = list(state.officers)
    incident_ids = list(state.incidents)
    events: list[Event] = []
    for index in range(count):
        seq = first_seq + index
        ts = at + timedelta(milliseconds=index)
        roll = rng.random()
        if roll < 0.8:
            data = Position(
                id=rng.choice(officer_ids),
                lat=rng.uniform(-8.0, -6.5),
                lon=rng.uniform(108.5, 111.5),
                at=ts,
            )
            kind = OFFICER_POSITION
        elif roll < 0.88:
            record = state.tps[rng.choice(tps_ids)]
            version = record.version + 1
            data = record.model_copy(
                update={
                    "version": version,
                    "phase": rng.choice(list(TpsPhase)),
                    "ballots_cast": min(record.voters, version * 3),
                    "updated_at": ts,
                }
            )
            kind = TPS_UPDATED
        elif roll < 0.95:
            record = state.incidents[rng.choice(incident_ids)]
            version = record.version + 1
            data = record.model_copy(
                update={
                    "version": version,
                    "status": rng.choice(list(IncidentStatus)),
                    "updated_at": ts,
                }
            )
            kind = INCIDENT_UPDATED
        else:
            record = state.officers[rng.choice(officer_ids)]
            version = record.version + 1
            data = record.model_copy(
                update={
                    "version": version,
                    "status": rng.choice(list(OfficerStatus)),
                    "updated_at": ts,
                }
            )
            kind = OFFICER_UPDATED
        events.append(Event.model_construct(seq=seq, ts=ts, type=kind, data=data))
    return events


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    started = time.perf_counter()
    state = build_state(rng)
    print(f"built state in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    # Events are made in chunks between timed stretches, so the bench's own event
    # objects do not inflate the memory figure; only applying is timed.
    chunk = 5_000
    frame = 50  # a console applies one batched frame at once
    elapsed = 0.0
    applied = 0
    while applied < args.events:
        size = min(chunk, args.events - applied)
        events = build_events(state, state.seq + 1, size, rng)
        started = time.perf_counter()
        for start in range(0, size, frame):
            state.apply_many(events[start : start + frame])
        # A console reads the queue after each redraw; keep that cost in the figure.
        state.open_incidents()
        elapsed += time.perf_counter() - started
        applied += size
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"applied {applied} events in {elapsed:.2f}s", file=sys.stderr)
    print(f"state_apply events_per_s={applied / elapsed:.0f} rss_mb={rss_mb:.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
