"""`python -m pilkades_tui.console.screenshots docs/images`: the README's pictures.

SVG screenshots Textual saves of the console on the demo's morning. The state is built
here, offline: the demo's Pekalongan scenario and seed, its TPS reporting by the
simulator's day plan and its opening reports decided by the domain's own commands, at a
stopped clock. No hub, no network, no wall clock: the same code gives the same bytes,
which tests/console/test_screenshots.py holds the committed pictures to.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from pilkades_tui.demo import DEMO_START, OPENING_REPORTS
from pilkades_tui.domain import commands
from pilkades_tui.domain.commands import Decision
from pilkades_tui.domain.events import Event
from pilkades_tui.domain.models import (
    IncidentAction,
    IncidentActionBody,
    NewIncident,
    PhaseBody,
    Snapshot,
    TpsPhase,
    TpsStatusBody,
)
from pilkades_tui.domain.rules import DEFAULT_SETTINGS, RuleSettings
from pilkades_tui.domain.state import ElectionState
from pilkades_tui.feed.client import ConnectionState, FeedStatus
from pilkades_tui.scenario import pekalongan
from pilkades_tui.sim.day import at_clock, incidents_due, phase_at, pick_incident, plan_tps

DEMO_SEED = 2022  # `pilkades-tui demo`'s default --seed
DEMO_DAY = date(2022, 2, 23)  # the day of the Pilkades serentak in Kabupaten Pekalongan
# Three quarters of an hour into the demo: the opening reports and the ones after them
# are in, the officer has sent a unit to the first, the rest wait in the queue.
SHOT_MINUTES = 45
OPERATOR = "Perwira Piket"  # `pilkades-tui demo`'s default --operator
THEME = "operasi-malam"
HUB_URL = "http://127.0.0.1:9"  # discard port: the console is given its state, not a hub


@dataclass(frozen=True, slots=True)
class Shot:
    """One picture: its file name (without .svg), the terminal size, the console's
    layout (None: the console's own choice for that size) and the keys pressed first."""

    name: str
    size: tuple[int, int]
    layout: str | None = None
    press: tuple[str, ...] = ()


SHOTS: tuple[Shot, ...] = (
    Shot("console-120x40", (120, 40)),
    Shot("console-80x24", (80, 24)),
    Shot("console-wall", (200, 60), "wall"),
)


def _apply(state: ElectionState, decision: Decision, at: datetime) -> None:
    """What the hub does with a decision, without its log: each effect becomes the next
    event of the state."""
    for effect in decision.effects:
        state.apply(Event(seq=state.seq + 1, ts=at, type=effect.type, data=effect.data))


def demo_state(
    seed: int = DEMO_SEED,
    day: date = DEMO_DAY,
    minutes: int = SHOT_MINUTES,
    settings: RuleSettings = DEFAULT_SETTINGS,
) -> tuple[ElectionState, datetime]:
    """The demo's election `minutes` after it starts, and that moment."""
    start = at_clock(day, DEMO_START)
    now = start + timedelta(minutes=minutes)
    scenario = pekalongan.build(seed, start)
    state = ElectionState.from_snapshot(
        Snapshot(
            seq=0, phase=scenario.phase, tps=list(scenario.tps), officers=list(scenario.officers)
        )
    )
    phase = phase_at(start)
    assert phase is not None, "the demo starts after dawn"
    _apply(state, commands.set_phase(state, PhaseBody(phase=phase), start), start)
    rng = random.Random(seed)
    for tps_id in sorted(state.tps):
        plan = plan_tps(rng, tps_id, state.tps[tps_id].voters, day)
        reported = now - plan.report_every * rng.random()
        tps_phase = plan.phase_at(reported)
        body = TpsStatusBody(
            phase=tps_phase,
            ballots_cast=plan.ballots_at(reported),
            health_protocol=plan.health_at(rng, reported) if tps_phase is TpsPhase.VOTING else None,
        )
        _apply(state, commands.tps_status(state, tps_id, body, "simulator", reported), reported)
    places = [
        (tps.id, tps.name, tps.village, tps.risk, None)
        for tps in sorted(state.tps.values(), key=lambda tps: tps.id)
    ]
    count = OPENING_REPORTS + incidents_due(rng, phase, minutes * 60)
    for number in range(count):
        plan = pick_incident(rng, phase, places)
        reported = start + timedelta(minutes=minutes * number / count)
        body = NewIncident(
            category=plan.category,
            tps_id=plan.tps_id,
            description=plan.description,
            reported_by=plan.reported_by,
        )
        decision = commands.new_incident(state, body, "lapangan", reported, settings.priority)
        _apply(state, decision, reported)
    _send_first_unit(state, start + timedelta(minutes=2))
    return state, now


def _send_first_unit(state: ElectionState, at: datetime) -> None:
    """The officer took the first report and sent it the unit the console recommends."""
    first = min(state.incidents.values(), key=lambda incident: incident.reported_at)
    acknowledge = IncidentActionBody(action=IncidentAction.ACKNOWLEDGE)
    _apply(state, commands.incident_action(state, first.id, acknowledge, OPERATOR, at), at)
    unit = state.recommend(state.incidents[first.id], limit=1)[0].officer
    assign = IncidentActionBody(action=IncidentAction.ASSIGN, officer_ids=[unit.id])
    _apply(state, commands.incident_action(state, first.id, assign, OPERATOR, at), at)


async def take(shot: Shot, folder: Path, state: ElectionState, now: datetime) -> Path:
    """Save one shot as `folder/<name>.svg`."""
    from pilkades_tui.console.app import PilkadesApp  # Textual only when pictures are made

    options: dict[str, Any] = {}
    if shot.layout is not None:
        options["layout"] = shot.layout
    with tempfile.TemporaryDirectory(prefix="pilkades-shot-") as data_dir:
        app = PilkadesApp(
            hub_url=HUB_URL,
            token="screenshot",
            operator=OPERATOR,
            data_dir=Path(data_dir),
            theme=THEME,
            lang="id",
            clock=lambda: now,
            state=state,
            **options,
        )
        # Given its state, the console has no feed to say it is connected; the demo's is.
        app.facts.status = FeedStatus(
            ConnectionState.LIVE, since=time.monotonic(), seq=state.seq, head=state.seq
        )
        async with app.run_test(size=shot.size) as pilot:
            await pilot.press(*shot.press)
            # The header measures its second line on the console's once-a-second tick:
            # the picture waits for the first one (the clock is stopped, nothing moves).
            await pilot.pause(1.2)
            svg = app.export_screenshot(title=f"pilkades-tui {shot.size[0]}x{shot.size[1]}")
    target = folder / f"{shot.name}.svg"
    target.write_text(svg, encoding="utf-8")
    return target


async def take_all(folder: Path, shots: Sequence[Shot] = SHOTS) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    saved = []
    for shot in shots:
        # Each shot on a fresh state: the console changes what it is given.
        state, now = demo_state()
        saved.append(await take(shot, folder, state, now))
    return saved


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pilkades_tui.console.screenshots", description=__doc__.splitlines()[0]
    )
    parser.add_argument("folder", type=Path, nargs="?", default=Path("docs/images"))
    args = parser.parse_args(argv)
    # The pictures show the colours: a NO_COLOR shell would save grey ones.
    os.environ.pop("NO_COLOR", None)
    for path in asyncio.run(take_all(args.folder)):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
