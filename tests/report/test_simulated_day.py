"""A simulated day against a real hub, a test acting as the duty officer, and the
report's figures checked against values worked out independently from the raw log
(plain sqlite3 and json here, none of the report's code)."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import math
import sqlite3
from collections import Counter
from datetime import datetime, time
from pathlib import Path
from typing import Any

import httpx
import pytest

from pilkades_tui.cli import main
from pilkades_tui.domain.clock import WIB, wib_now
from pilkades_tui.hub.runner import HubServer
from pilkades_tui.paths import hub_log_file
from pilkades_tui.sim.runner import Simulator

SIM_SECONDS = 10.0


async def play_the_day(hub: HubServer) -> int:
    """Run the simulator at high speed while acknowledging and assigning like a console."""
    start = datetime.combine(wib_now().date(), time(11, 30), tzinfo=WIB)
    simulator = Simulator(hub.url, hub.tokens["admin"], speed=1200, seed=11, start=start)
    stop = asyncio.Event()
    running = asyncio.create_task(simulator.run(stop))
    headers = {"Authorization": f"Bearer {hub.tokens['dispatcher']}"}
    sent = 0
    loop = asyncio.get_running_loop()
    try:
        async with httpx.AsyncClient(base_url=hub.url, headers=headers) as desk:
            deadline = loop.time() + SIM_SECONDS
            while loop.time() < deadline:
                await asyncio.sleep(0.25)
                state = simulator.state
                if state is None:
                    continue
                for incident in state.open_incidents():
                    body: dict[str, Any] | None = None
                    if incident.status.value == "new" and sent % 3 != 2:
                        body = {"action": "acknowledge"}  # every third waits a round
                    elif incident.status.value == "acknowledged":
                        best = state.recommend(incident, limit=1)
                        if best:
                            body = {"action": "assign", "officer_ids": [best[0].officer.id]}
                    sent += 1
                    if body is not None:
                        await desk.post(
                            f"/v1/incidents/{incident.id}/actions",
                            json=body,
                            headers={"Idempotency-Key": f"desk-{sent}"},
                        )
    finally:
        stop.set()
        await asyncio.wait_for(running, 20)
    # Some of the simulator's requests may fail on a loaded machine (timeouts, a unit the
    # desk took first): the report is checked against whatever the log then holds.
    return simulator.incidents_reported


def independent_figures(log: Path) -> dict[str, Any]:
    connection = sqlite3.connect(f"file:{log}?mode=ro", uri=True)
    last: dict[str, dict[str, Any]] = {}
    first_status: dict[tuple[str, str], str] = {}
    pairs: set[tuple[str, str]] = set()
    violations: Counter[str] = Counter()
    health: dict[str, str] = {}
    for kind, text in connection.execute("SELECT type, json FROM events ORDER BY seq"):
        data = json.loads(text)["data"]
        if kind == "incident.updated":
            last[data["id"]] = data
            first_status.setdefault((data["id"], data["status"]), data["updated_at"])
            pairs.update((data["id"], officer) for officer in data["officer_ids"])
        elif kind == "tps.updated":
            if data["health_protocol"] == "violation" and health.get(data["id"]) != "violation":
                violations[data["id"]] += 1
            health[data["id"]] = data["health_protocol"]
    connection.close()

    def seconds(later: str, earlier: str) -> float:
        return (datetime.fromisoformat(later) - datetime.fromisoformat(earlier)).total_seconds()

    acknowledged: dict[str, list[float]] = {}
    on_scene: dict[str, list[float]] = {}
    for incident in last.values():
        group = f"P{incident['priority']}"
        if incident["acknowledged_at"]:
            acknowledged.setdefault(group, []).append(
                seconds(incident["acknowledged_at"], incident["reported_at"])
            )
        reached = first_status.get((incident["id"], "on_scene"))
        if reached:
            on_scene.setdefault(group, []).append(seconds(reached, incident["reported_at"]))
    return {
        "total": len(last),
        "by_category": Counter(i["category"] for i in last.values()),
        "by_priority": Counter(f"P{i['priority']}" for i in last.values()),
        "open": sorted(
            i["id"] for i in last.values() if i["status"] not in ("resolved", "cancelled")
        ),
        "acknowledged": acknowledged,
        "on_scene": on_scene,
        "assignments": Counter(officer for _incident, officer in pairs),
        "violations": violations,
    }


def percentile(values: list[float], share: float) -> str:
    ordered = sorted(values)
    return f"{ordered[max(1, math.ceil(share * len(ordered))) - 1]:.0f}"


def read_csv(folder: Path, name: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO((folder / name).read_text("utf-8-sig"))))[1:]


@pytest.mark.timeout(90)
def test_the_report_of_a_simulated_day_matches_its_log(hub: HubServer, tmp_path: Path) -> None:
    reported = asyncio.run(play_the_day(hub))
    assert reported >= 3, "the simulated hours should bring a few incidents"
    expected = independent_figures(hub_log_file(hub.data_dir))

    out = tmp_path / "from-file"
    argv = ["report", "--data", str(hub.data_dir), "--format", "csv", "--lang", "en"]
    assert main([*argv, "--out", str(out)]) == 0

    category_names = {"crowd": "crowd", "vote_dispute": "vote dispute", "hoax": "hoax",
                      "money_politics": "money politics", "intimidation": "intimidation",
                      "logistics": "logistics", "health_protocol": "health protocol",
                      "clash": "clash", "other": "other",
                      "fire_or_disaster": "fire or disaster"}  # fmt: skip
    assert {row[0]: int(row[1]) for row in read_csv(out, "incidents_by_category.csv")} == {
        category_names[c]: n for c, n in expected["by_category"].items()
    }
    assert {row[0]: int(row[1]) for row in read_csv(out, "incidents_by_priority.csv")} == dict(
        expected["by_priority"]
    )
    assert sorted(row[0] for row in read_csv(out, "incidents_open.csv")) == expected["open"]

    response = {(row[0], row[1]): row[2:] for row in read_csv(out, "response_by_priority.csv")}
    for stage, durations in (("acknowledged", "acknowledged"), ("on scene", "on_scene")):
        for group, values in expected[durations].items():
            count, p50, p90, most = response[(group, stage)]
            assert int(count) == len(values)
            assert (p50, p90) == (percentile(values, 0.5), percentile(values, 0.9))
            assert most == f"{max(values):.0f}"
    assert any(values for values in expected["on_scene"].values()), "nobody reached a scene"

    workload = {row[0]: int(row[3]) for row in read_csv(out, "unit_workload.csv")}
    assert workload == dict(expected["assignments"])
    flagged = {row[0]: int(row[5]) for row in read_csv(out, "tps_flagged.csv")}
    assert {k: v for k, v in flagged.items() if v} == dict(expected["violations"])

    # The same report replayed from the running hub's feed instead of its file. The feed
    # does not carry the phase before event 1, so the phase table may lack that row.
    replayed = tmp_path / "from-hub"
    remote = ["--hub", hub.url, "--token", hub.tokens["viewer"], "--out", str(replayed)]
    assert main([*argv, *remote]) == 0
    for table in sorted(p.name for p in out.iterdir()):
        if table != "phases.csv":
            assert (replayed / table).read_text("utf-8-sig") == (out / table).read_text(
                "utf-8-sig"
            ), table

    # The handover from the same hub's snapshot: the same incidents are open.
    handover = tmp_path / "handover.csv"
    remote = ["--hub", hub.url, "--token", hub.tokens["viewer"]]
    handover_argv = ["report", "--handover", "--data", str(tmp_path), *remote]
    assert main([*handover_argv, "--format", "csv", "--out", str(handover)]) == 0
    assert sorted(row[0] for row in read_csv(handover, "open_incidents.csv")) == expected["open"]
