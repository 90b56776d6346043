"""A province-sized state: the rules are built in a thread while the console stays
usable, and the heap is kept out of the garbage collector's way (pilkades_tui/heap.py)."""

from __future__ import annotations

import time

import pytest

from pilkades_tui.console import judging
from pilkades_tui.console.widgets.tps_pane import SUMMARY_PREFIX, TpsPane
from pilkades_tui.domain.state import ElectionState
from tests.console.conftest import AppFactory
from tests.console.live import until

pytestmark = pytest.mark.timeout(60)


async def judged(app_factory: AppFactory) -> tuple[list[str], list[list[str]], bool]:
    """The alerts, the TPS pane's rows and whether the rules were built in a thread."""
    app = app_factory()
    built_in_thread: list[bool] = []
    finish = app._engine_built

    def engine_built(state: ElectionState) -> None:
        built_in_thread.append(True)
        finish(state)

    app._engine_built = engine_built  # type: ignore[method-assign]
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("1")
        await until(pilot, lambda: app.engine_ready)
        app._tick()  # the once-a-second judgement, now rather than within the second
        await pilot.pause()
        pane = app.query_one(TpsPane)
        rows = [list(pane.source_rows.row(i).cells) for i in range(len(pane.source_rows))]
        assert any(key.startswith(SUMMARY_PREFIX) for key in pane.source_rows.keys)
        alerts = [alert.key for alert in app.alerts]
        return alerts, rows, bool(built_in_thread)


async def test_rules_built_in_a_thread_judge_as_the_direct_build(
    app_factory: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    direct = await judged(app_factory)
    monkeypatch.setattr(judging, "LARGE_STATE_TPS", 1)
    threaded = await judged(app_factory)
    assert (direct[2], threaded[2]) == (False, True)
    assert threaded[0] == direct[0]
    assert threaded[1] == direct[1]  # staffing column and kecamatan lines included
    assert any(row[-1] != "-" for row in threaded[1] if len(row) > 1)


async def test_the_heap_is_cleaned_deep_only_while_nobody_types(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 30)) as pilot:
        keeper = app.heap_keeper
        keeper.deep_every_s = 0.0
        keeper.idle_s = 30.0
        await pilot.press("3")
        assert time.monotonic() - app.last_input_at < 5
        app._draw_frame()  # the keeper works between frames
        assert keeper.deep_cleans == 0
        app.last_input_at -= 60  # a minute without a key
        app._draw_frame()
        assert keeper.deep_cleans == 1
