"""`pilkades-tui simulate`."""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from datetime import datetime, time

from pilkades_tui.domain.clock import WIB, wib_now
from pilkades_tui.domain.models import ElectionPhase
from pilkades_tui.sim.runner import Simulator, SimulatorError


def parse_start(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        clock = time.fromisoformat(value)
    except ValueError:
        raise SimulatorError(f"--start {value!r}: give a WIB time such as 06:45") from None
    return datetime.combine(wib_now().date(), clock, tzinfo=WIB)


async def _main(args: argparse.Namespace) -> None:
    simulator = Simulator(
        args.hub,
        args.token,
        speed=args.speed,
        seed=args.seed,
        start=parse_start(args.start),
        until=ElectionPhase(args.until) if getattr(args, "until", None) else None,
        on_log=lambda line: print(line, flush=True),
        field_share=getattr(args, "field_page", 0.0),
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await simulator.run(stop)
    print(
        f"sent {simulator.sent} requests ({simulator.failed} not accepted), "
        f"{simulator.incidents_reported} incidents reported"
        + (f", {simulator.field_reports} from the field page" if simulator.field_share else "")
    )


def run_simulate(args: argparse.Namespace) -> int:
    if args.speed <= 0:
        print("pilkades-tui simulate: --speed must be positive", file=sys.stderr)
        return 2
    if not 0.0 <= getattr(args, "field_page", 0.0) <= 1.0:
        print("pilkades-tui simulate: --field-page is a share from 0 to 1", file=sys.stderr)
        return 2
    try:
        asyncio.run(_main(args))
    except SimulatorError as error:
        print(f"pilkades-tui simulate: {error}", file=sys.stderr)
        return 1
    return 0
