"""`pilkades-tui demo`: a hub, a simulated day in Kabupaten Pekalongan and the console,
on loopback, with nothing to configure. Quitting the console stops everything."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path

from pilkades_tui.console.canvas import default_charset
from pilkades_tui.domain.clock import wib_now
from pilkades_tui.files import make_private_folder
from pilkades_tui.hub.runner import HubServer
from pilkades_tui.logbook import LogbookError
from pilkades_tui.settings_file import SettingsError, load_settings
from pilkades_tui.sim.day import at_clock
from pilkades_tui.sim.runner import SimClock, Simulator, SimulatorError

# A newcomer should see the day at work within seconds, not wait 75 s at an empty
# queue before dawn: the demo joins the morning when voting has begun (4 reports an
# hour, the rush ahead) and the desk it takes over already has reports waiting.
DEMO_START = time(7, 40)
OPENING_REPORTS = 4


@dataclass
class SimulatorThread:
    """The simulator on its own event loop, so the console's loop stays free for the UI."""

    hub_url: str
    token: str
    clock: SimClock
    seed: int
    opening_reports: int = OPENING_REPORTS
    errors: list[str] = field(default_factory=list)
    _loop: asyncio.AbstractEventLoop | None = None
    _stop: asyncio.Event | None = None
    _ready: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._main, name="simulator", daemon=True)
        self._thread.start()
        self._ready.wait(5)

    def _main(self) -> None:
        async def body() -> None:
            self._loop = asyncio.get_running_loop()
            self._stop = asyncio.Event()
            self._ready.set()
            simulator = Simulator(
                self.hub_url,
                self.token,
                seed=self.seed,
                clock=self.clock,
                speed=self.clock.speed,
                opening_reports=self.opening_reports,
            )
            try:
                await simulator.run(self._stop)
            except SimulatorError as error:
                self.errors.append(str(error))

        asyncio.run(body())

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread is not None:
            self._thread.join(timeout=15)


def run_demo(args: argparse.Namespace) -> int:
    from pilkades_tui.console.app import PilkadesApp  # Textual only when the demo runs

    if args.speed <= 0:
        print("pilkades-tui demo: --speed must be positive", file=sys.stderr)
        return 2
    try:
        settings = load_settings(args.settings)
    except SettingsError as error:
        print(f"pilkades-tui demo: {error}", file=sys.stderr)
        return 2
    # Only once the input is known good: a refused start leaves no folder behind.
    kept = args.data is not None
    data_dir: Path = args.data or Path(tempfile.mkdtemp(prefix="pilkades-demo-"))
    make_private_folder(data_dir)
    # One simulated day for everyone: the hub stamps records, the simulator plays and the
    # console judges timers and checkpoints on the same clock, so a 60x day is coherent.
    clock = SimClock(at_clock(wib_now().date(), DEMO_START), args.speed)
    with HubServer(
        data_dir / "hub", scenario="pekalongan", seed=args.seed, exercise=args.exercise,
        access_log=False, settings=settings, clock=clock.now,
    ) as hub:  # fmt: skip
        simulator = SimulatorThread(hub.url, hub.tokens["admin"], clock, args.seed)
        try:
            app = PilkadesApp(
                hub_url=hub.url,
                token=hub.tokens["dispatcher"],
                operator=args.operator,
                data_dir=data_dir,
                theme=args.theme,
                lang=args.lang or "id",
                layout=args.layout,
                braille=default_charset(os.environ.get("TERM")) == "braille",
                settings=settings,
                clock=clock.now,
            )
        except LogbookError as error:
            print(f"pilkades-tui demo: {error}", file=sys.stderr)
            return 1
        simulator.start()
        try:
            app.run()
        finally:
            simulator.stop()
    for error in simulator.errors:
        print(f"pilkades-tui demo: simulator: {error}", file=sys.stderr)
    where = "kept" if kept else "left"
    print(f"pilkades-tui demo: hub log and logbook {where} in {data_dir}")
    print(
        f"  Anev report: pilkades-tui report --data {data_dir / 'hub'} "
        f"--logbook {data_dir / 'logbook.json'} --format html --out anev.html"
    )
    return 0
