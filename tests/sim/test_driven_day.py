"""The simulator's world stepped on an explicit clock, without a hub: what it would send."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import date, datetime, time, timedelta
from typing import Any

from pilkades_tui.domain.clock import WIB
from pilkades_tui.domain.models import Snapshot
from pilkades_tui.domain.state import ElectionState
from pilkades_tui.feed.results import CommandResult, Outcome
from pilkades_tui.scenario.pekalongan import build
from pilkades_tui.sim.day import at_clock
from pilkades_tui.sim.runner import Simulator

DAY = date(2022, 2, 23)


class RecordingCommands:
    """Stands in for HubCommands: accepts everything and writes down what was asked."""

    def __init__(self, clock: list[datetime]) -> None:
        self.calls: list[tuple[datetime, str, tuple[Any, ...], dict[str, Any]]] = []
        self.clock = clock
        self.incidents = 0

    def __getattr__(self, name: str) -> Any:
        async def call(*args: Any, **kwargs: Any) -> CommandResult:
            self.calls.append((self.clock[0], name, args, kwargs))
            record: dict[str, Any] = {}
            if name == "new_incident":
                self.incidents += 1
                record = {"id": f"INC-{self.incidents:06d}"}
            return CommandResult(Outcome.ACCEPTED, 200, record, None, None, None, None, "k")

        return call


def play(seed: int, until: time) -> RecordingCommands:
    scenario = build(2022, datetime.combine(DAY, time(5), tzinfo=WIB))
    snapshot = Snapshot(
        seq=0, phase=scenario.phase, tps=list(scenario.tps), officers=list(scenario.officers)
    )
    start = at_clock(DAY, time(5, 30))
    simulator = Simulator("http://127.0.0.1:1", "unused", speed=60, seed=seed, start=start)
    clock = [start]
    recorder = RecordingCommands(clock)
    simulator.commands = recorder  # type: ignore[assignment]
    simulator.feed.state = ElectionState.from_snapshot(snapshot)
    simulator.clock.now = lambda: clock[0]  # type: ignore[method-assign]
    simulator._plan()

    async def drain() -> None:
        while not simulator.jobs.empty():
            _rank, _number, job = simulator.jobs.get_nowait()
            await job()

    now = start
    while now.time() < until:
        clock[0] = now
        simulator.step(now)
        asyncio.run(drain())
        now += timedelta(seconds=15)  # one runner tick at speed 60
    return recorder


def test_a_driven_morning_is_repeatable_and_follows_the_clock() -> None:
    first = play(seed=8, until=time(8, 30))
    again = play(seed=8, until=time(8, 30))
    other = play(seed=9, until=time(7, 0))
    assert first.calls == again.calls
    assert [call for call in first.calls if call[0].time() < time(7)] != other.calls
    phases = [(at, args[0]) for at, name, args, _ in first.calls if name == "set_phase"]
    assert [(at.time(), phase) for at, phase in phases] == [
        (time(6, 0), "preparation"),
        (time(7, 0), "voting"),
    ]
    kinds = Counter(name for _, name, _, _ in first.calls)
    assert kinds["tps_status"] >= 1130  # every TPS reported in at least once
    escorts = [args for at, name, args, _ in first.calls if name == "officer_status"]
    assert any(args[1] == "escorting" for args in escorts)
    assert any(args[1] == "available" for args in escorts)
    ballots_by_tps: dict[str, list[int]] = {}
    for _, name, args, kwargs in first.calls:
        if name == "tps_status" and kwargs.get("ballots_cast") is not None:
            ballots_by_tps.setdefault(args[0], []).append(kwargs["ballots_cast"])
    assert all(values == sorted(values) for values in ballots_by_tps.values())
    # By 08:30 (at speed 60 a TPS reports about every 47 simulated minutes) the
    # morning rush shows: most TPS have reported ballots.
    reporting = [values[-1] for values in ballots_by_tps.values() if values[-1] > 0]
    assert len(reporting) > 1130 * 0.5
    incidents = [kwargs for _, name, _, kwargs in first.calls if name == "new_incident"]
    assert incidents and all(kwargs["description"] for kwargs in incidents)
