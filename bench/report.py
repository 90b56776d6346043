"""The Anev report over a hub log of 1,000,000 events.

Writes a day of events (the Pekalongan scenario seeded, then GPS fixes, TPS reports,
unit status changes and incidents going through their whole life, with rising
timestamps) straight into a hub log through the hub's own `SqliteLog`, then runs
`pilkades-tui report --format html` over it in a child process and measures that
process alone (wall time, peak RSS).

    python bench/report.py [--events N] [--keep DIR]

Last line: `report events=N seconds=S rss_mb=M` (goal: S <= 20, M <= 500 at 1e6).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from pilkades_tui.domain.clock import WIB
from pilkades_tui.hub.log import INITIAL_PHASE, LoggedEvent, SqliteLog
from pilkades_tui.paths import hub_log_file
from pilkades_tui.scenario import load_scenario

BATCH = 20_000
CATEGORIES = ("crowd", "clash", "intimidation", "money_politics", "logistics", "hoax", "other")
PHASES = (
    (datetime(2026, 11, 29, 7, 0, tzinfo=WIB), "voting", "voting"),
    (datetime(2026, 11, 29, 13, 0, tzinfo=WIB), "counting", "counting"),
    (datetime(2026, 11, 29, 17, 0, tzinfo=WIB), "recap", "recap"),
    (datetime(2026, 11, 29, 20, 0, tzinfo=WIB), "done", "closed"),
)
DAY_START = datetime(2026, 11, 29, 6, 0, tzinfo=WIB)
DAY_LENGTH = timedelta(hours=15)
STAGES = ("acknowledged", "dispatched", "on_scene", "resolved")


class DayWriter:
    def __init__(self, log: SqliteLog, total: int, seed: int = 7) -> None:
        self.log = log
        self.total = total
        self.rng = random.Random(seed)
        self.seq = 0
        self.pending: list[LoggedEvent] = []
        scenario = load_scenario("pekalongan", DAY_START)
        assert scenario is not None
        self.phase = scenario.phase
        self.tps = [t.model_dump(mode="json") for t in scenario.tps]
        self.officers = [o.model_dump(mode="json") for o in scenario.officers]
        self.free = list(range(len(self.officers)))
        self.incidents: list[dict[str, Any]] = []
        self.incident_unit: dict[str, int] = {}
        self.made = 0

    def emit(self, kind: str, at: datetime, data: dict[str, Any]) -> None:
        self.seq += 1
        ts = at.isoformat()
        text = json.dumps(
            {"seq": self.seq, "ts": ts, "type": kind, "data": data},
            ensure_ascii=False,
            separators=(",", ":"),
        )
        self.pending.append(LoggedEvent(self.seq, kind, text, ts))
        if len(self.pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        self.log.append(self.pending, [])
        self.pending = []

    def bump(self, record: dict[str, Any], at: datetime, **changes: Any) -> dict[str, Any]:
        record.update(changes)
        record["version"] += 1
        record["updated_at"] = at.isoformat()
        return record

    def run(self) -> None:
        self.log.set_meta(INITIAL_PHASE, self.phase.model_dump_json())
        for tps in self.tps:
            self.emit("tps.updated", DAY_START, tps)
        for officer in self.officers:
            self.emit("officer.updated", DAY_START, officer)
        phases = list(PHASES)
        step = DAY_LENGTH / (self.total - self.seq)
        at = DAY_START
        tps_phase = "setup"
        while self.seq < self.total:
            at += step
            if phases and at >= phases[0][0]:
                moment, phase, tps_phase = phases.pop(0)
                data = {
                    "version": 2 + len(PHASES) - len(phases),
                    "updated_at": moment.isoformat(),
                    "phase": phase,
                    "since": moment.isoformat(),
                    "note": "",
                }
                self.emit("phase.changed", at, data)
                continue
            roll = self.rng.random()
            if roll < 0.55:
                officer = self.rng.choice(self.officers)
                self.emit(
                    "officer.position",
                    at,
                    {
                        "id": officer["id"],
                        "lat": officer["lat"],
                        "lon": officer["lon"],
                        "at": at.isoformat(),
                    },
                )
            elif roll < 0.92:
                self.tps_report(at, tps_phase)
            else:
                self.incident_step(at)
        self.flush()

    def tps_report(self, at: datetime, phase: str) -> None:
        tps = self.rng.choice(self.tps)
        ballots = tps["ballots_cast"]
        if phase == "voting" and ballots < tps["voters"]:
            ballots = min(tps["voters"], ballots + self.rng.randint(0, 5))
        health = "violation" if self.rng.random() < 0.01 else "ok"
        self.bump(
            tps,
            at,
            phase=phase,
            ballots_cast=ballots,
            health_protocol=health,
            last_report_at=at.isoformat(),
        )
        self.emit("tps.updated", at, tps)

    def incident_step(self, at: datetime) -> None:
        if not self.incidents or (len(self.incidents) < 60 and self.rng.random() < 0.3):
            self.new_incident(at)
            return
        incident = self.rng.choice(self.incidents)
        status = incident["status"]
        entry = {"at": at.isoformat(), "by": "bench", "action": status, "note": ""}
        timeline = [*incident["timeline"][-4:], entry]
        if status == "new":
            self.bump(incident, at, status="acknowledged", acknowledged_at=at.isoformat())
        elif status == "acknowledged" and self.free:
            unit = self.free.pop(self.rng.randrange(len(self.free)))
            self.incident_unit[incident["id"]] = unit
            officer = self.officers[unit]
            self.bump(incident, at, status="dispatched", officer_ids=[officer["id"]])
            self.bump(
                officer, at, status="dispatched", status_since=at.isoformat(),
                incident_id=incident["id"],
            )  # fmt: skip
            self.emit("officer.updated", at, officer)
        elif status == "dispatched":
            self.bump(incident, at, status="on_scene")
            officer = self.officers[self.incident_unit[incident["id"]]]
            self.bump(officer, at, status="on_scene", status_since=at.isoformat())
            self.emit("officer.updated", at, officer)
        elif status == "on_scene":
            self.bump(incident, at, status="resolved")
            unit = self.incident_unit.pop(incident["id"])
            officer = self.officers[unit]
            self.bump(
                officer, at, status="available", status_since=at.isoformat(), incident_id=None
            )
            self.emit("officer.updated", at, officer)
            self.free.append(unit)
            self.incidents.remove(incident)
        else:
            return
        incident["timeline"] = timeline
        self.emit("incident.updated", at, incident)

    def new_incident(self, at: datetime) -> None:
        self.made += 1
        tps = self.rng.choice(self.tps)
        incident = {
            "version": 1,
            "updated_at": at.isoformat(),
            "id": f"INC-{self.made:06d}",
            "category": self.rng.choice(CATEGORIES),
            "priority": self.rng.randint(1, 4),
            "status": "new",
            "tps_id": tps["id"],
            "village": tps["village"],
            "district": tps["district"],
            "lat": tps["lat"],
            "lon": tps["lon"],
            "description": "laporan warga",
            "reported_by": "bench",
            "reported_at": at.isoformat(),
            "officer_ids": [],
            "timeline": [{"at": at.isoformat(), "by": "bench", "action": "report", "note": ""}],
        }
        self.incidents.append(incident)
        self.emit("incident.updated", at, incident)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, default=None, help="data folder to (re)use")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        data_dir = args.keep or Path(scratch) / "hub"
        if not hub_log_file(data_dir).exists():
            started = time.perf_counter()
            log = SqliteLog.in_data_dir(data_dir)
            writer = DayWriter(log, args.events)
            writer.run()
            log.close()
            print(
                f"wrote {writer.seq:,} events ({writer.made:,} incidents) "
                f"in {time.perf_counter() - started:.1f}s"
            )
        out = Path(scratch) / "anev.html"
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "pilkades_tui", "report", "--data", str(data_dir)]
            + ["--format", "html", "--out", str(out)],
            capture_output=True,
            text=True,
        )
        seconds = time.perf_counter() - started
        if done.returncode != 0:
            raise SystemExit(f"report failed ({done.returncode}): {done.stderr}")
        rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"html report: {out.stat().st_size / 1024:.0f} KiB")
        print(f"report events={args.events} seconds={seconds:.1f} rss_mb={rss_mb:.0f}")


if __name__ == "__main__":
    main()
