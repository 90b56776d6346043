"""How fast the map pane redraws, headless, at a 200x60 content area.

Figures, each over many rounds on the Pekalongan day:
- `view`: a zoom or pan, which re-rasterises the ~300 outlines and repaints every row
  (the widget's own work: rasterise, compose, render_line for every row);
- `dynamic`: every mobile unit moves (and now and then an incident comes in): the
  widget's `apply` plus `render_line` for every row, as a full repaint would ask;
- `frame`: the same change measured end to end through Textual: `apply`, then until the
  app has composited and written the screen (`pilot.pause()`); `idle` is that wait with
  nothing changed, Textual's own share of it.

    python bench/map_render.py [--rounds N] [--charset braille|blocks] [--clock wall|cpu]

`--clock cpu` times the main thread's CPU (time.thread_time) instead of the wall clock:
on a machine shared with other jobs the wall clock mostly measures the queue for a core,
and a before/after comparison needs the work itself.

Last line: `map_render view_p95_ms=A dynamic_p95_ms=B frame_p95_ms=C` (goal: B < 50).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from textual.app import App, ComposeResult

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pilkades_tui.console.widgets.map_pane import ZOOM_LEVELS, MapPane  # noqa: E402
from pilkades_tui.domain.state import Changes  # noqa: E402
from tests.map.scene import busy_state, move_officer, report_incident  # noqa: E402

WIDTH, HEIGHT = 200, 60


class BenchApp(App[None]):
    def __init__(self, pane: MapPane) -> None:
        super().__init__()
        self.pane = pane

    def compose(self) -> ComposeResult:
        yield self.pane


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] if len(samples) > 1 else samples[0]


def paint_all(pane: MapPane) -> None:
    for row in range(pane.size.height):
        pane.render_line(row)


async def run(rounds: int, charset: str, clock: Callable[[], float]) -> None:
    state = busy_state()
    pane = MapPane(charset=charset)
    app = BenchApp(pane)
    mobile = [officer for officer in state.officers.values() if officer.post_tps_id is None]
    async with app.run_test(size=(WIDTH + 2, HEIGHT + 2)) as pilot:
        pane.show(state)
        pane.selected_incident_id = "INC-1"
        pane.focus()
        await pilot.pause()
        assert pane.size.width == WIDTH and pane.size.height == HEIGHT

        view_ms: list[float] = []
        for round_index in range(rounds):
            started = clock()
            if round_index % 2:
                pane.action_pan(1 if round_index % 4 == 1 else -1, 0)
            else:
                pane.action_zoom(1 if pane.zoom_index < len(ZOOM_LEVELS) // 2 else -3)
            paint_all(pane)
            view_ms.append((clock() - started) * 1000)
        pane.action_reset_view()
        paint_all(pane)

        def move_everyone(step: int) -> Changes:
            changes = Changes()
            for index, officer in enumerate(mobile):
                drift = 0.002 * ((step + index) % 5 - 2)
                changes.merge(move_officer(state, officer.id, officer.lon + drift, officer.lat))
            if step % 10 == 0:
                changes.merge(report_incident(state, f"BENCH-{step}", (step * 37) % 1000, 3))
            return changes

        dynamic_ms: list[float] = []
        for step in range(rounds):
            changes = move_everyone(step)
            started = clock()
            pane.apply(changes)
            paint_all(pane)
            dynamic_ms.append((clock() - started) * 1000)

        # What a frame costs with nothing to draw: Textual's own round trip, for comparison.
        idle_ms: list[float] = []
        for _ in range(rounds):
            started = clock()
            await pilot.pause()
            idle_ms.append((clock() - started) * 1000)

        frame_ms: list[float] = []
        for step in range(rounds, 2 * rounds):
            changes = move_everyone(step)
            started = clock()
            pane.apply(changes)
            await pilot.pause()
            frame_ms.append((clock() - started) * 1000)

    print(
        f"size={WIDTH}x{HEIGHT} charset={charset} rounds={rounds} mobile_units={len(mobile)}"
        f" clock={'cpu' if clock is time.thread_time else 'wall'}"
    )
    figures = (("view", view_ms), ("dynamic", dynamic_ms), ("frame", frame_ms), ("idle", idle_ms))
    for name, samples in figures:
        print(
            f"{name:8s} median={statistics.median(samples):6.1f} ms"
            f"  p95={p95(samples):6.1f} ms  max={max(samples):6.1f} ms"
        )
    print(
        f"map_render view_p95_ms={p95(view_ms):.1f} dynamic_p95_ms={p95(dynamic_ms):.1f}"
        f" frame_p95_ms={p95(frame_ms):.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--charset", choices=("braille", "blocks"), default="braille")
    parser.add_argument("--clock", choices=("wall", "cpu"), default="wall")
    args = parser.parse_args()
    clock = time.thread_time if args.clock == "cpu" else time.perf_counter
    asyncio.run(run(args.rounds, args.charset, clock))


if __name__ == "__main__":
    main()
