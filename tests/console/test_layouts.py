"""The layouts at the sizes a shift uses them: one pane at 80x24, the desk at 120x40 and
200x60, the wall for the room's screen; focus between the visible panes, `:layout`
remembered across a restart, the switch when the terminal is resized."""

from __future__ import annotations

from pathlib import Path

import pytest

from pilkades_tui.console.app import PilkadesApp
from pilkades_tui.console.config import resolve
from pilkades_tui.console.layouts import PANES
from pilkades_tui.console.widgets.virtual_table import Column, share_width
from pilkades_tui.paths import config_file
from tests.console.conftest import AppFactory
from tests.console.live import until
from tests.console.screen import notifications, screen_text

pytestmark = pytest.mark.timeout(60)


def shown(app: PilkadesApp) -> set[str]:
    """The widgets of the pane area on screen (what the compositor draws, not a flag)."""
    return {
        child.id or ""
        for child in app.query_one("#panes").children
        if child.display and child.region.area
    }


async def test_one_pane_at_80x24_and_the_keys_switch_it(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.shown_layout.name == "single"
        assert shown(app) == {"incidents"}
        assert "Insiden terpilih" not in screen_text(app)
        await pilot.press("5")
        assert shown(app) == {"alerts"} and app.focused is app.query_one("#alerts")
        await pilot.press("tab")
        assert shown(app) == {"tps"} and app.active_pane() == "tps"


async def test_desk_at_120x40_queue_brief_and_alerts(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.shown_layout.name == "desk"
        assert shown(app) == {"incidents", "brief", "alerts"}
        text = screen_text(app)
        # The queue's first incident, its record and its nearest units beside the queue.
        assert "Insiden terpilih" in text and "Unit terdekat yang siaga" in text
        assert "INC-0001" in text and "KND-001" in text
        assert app.focused is app.query_one("#incidents")
        # tab passes the brief by (it takes no keys) and comes back round.
        await pilot.press("tab")
        assert app.focused is app.query_one("#alerts")
        await pilot.press("tab")
        assert app.focused is app.query_one("#incidents")
        # A visible pane is focused where it is; a hidden one takes the main slot.
        await pilot.press("5")
        assert app.focused is app.query_one("#alerts") and app.main_pane == "incidents"
        await pilot.press("4")
        assert shown(app) == {"map", "brief", "alerts"} and app.active_pane() == "map"
        await pilot.press("2")
        assert shown(app) == {"incidents", "brief", "alerts"}


async def test_the_brief_follows_the_selected_incident(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("down")
        second = app.query_one("#incidents").selected_key
        assert second is not None and second != "INC-0001"
        await until(pilot, lambda: f"Insiden {second}" in screen_text(app))


async def test_desk_at_200x60_adds_the_map_and_cuts_nothing(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(200, 60)) as pilot:
        await pilot.pause()
        assert shown(app) == {"incidents", "brief", "alerts", "map"}
        await pilot.press("4")
        assert app.focused is app.query_one("#map") and app.main_pane == "incidents"
        order = []
        for _ in range(3):
            await pilot.press("tab")
            order.append(app.active_pane())
        assert order == ["incidents", "alerts", "map"]
        text = screen_text(app)
        # With the width to spare, the queue's places and the alert texts are whole: the
        # free-text column takes the spare, and a text as long as it is wide is not cut
        # (a kecamatan's list of understaffed TPS can be longer than any screen).
        for pane, key_name in (("#incidents", "col.place"), ("#alerts", "col.alert")):
            table = app.query_one(pane)
            column = [c.key for c in table.column_spec].index(key_name)
            natural = table.column_spec[column].width
            assert table.widths[column] > natural
            for key in table.visible_keys()[:-1]:
                cell = table.build_row(key).cells[column]
                if len(cell) <= table.widths[column]:
                    assert cell in text


async def test_wall_shows_map_queue_and_kecamatan_board(app_factory: AppFactory) -> None:
    app = app_factory(layout="wall")
    async with app.run_test(size=(200, 60)) as pilot:
        await pilot.pause()
        assert shown(app) == {"incidents", "map", "board"}
        text = screen_text(app)
        assert "Papan kecamatan" in text
        # Kandangserang has the two open P1/P2 incidents of the fixed morning: it is on top.
        board = app.query_one("#board")
        assert board.source_rows.keys[0] == "Kandangserang"
        row = board.build_row("Kandangserang").cells
        assert row[-2:] == ["2", "1"]  # open incidents, of them P1
        state = app.current_state()
        assert row[1] == str(len(state.tps_in_district("Kandangserang")))


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 60)])
async def test_every_pane_reachable_by_its_number_at_every_size(
    app_factory: AppFactory, size: tuple[int, int]
) -> None:
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        for number, pane in enumerate(PANES, start=1):
            await pilot.press(str(number))
            assert app.active_pane() == pane and pane in shown(app)
            assert app.focused is app.query_one(f"#{pane}")


async def test_layout_wall_is_remembered_across_a_restart(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(200, 60)) as pilot:
        await pilot.press("colon")
        field = app.focused
        field.value = "layout wall"
        await pilot.press("enter")
        await pilot.pause()
        assert app.shown_layout.name == "wall" and "board" in shown(app)
    assert 'layout = "wall"' in config_file().read_text()
    # The next start reads the config as `pilkades-tui console` does.
    config = resolve(hub=None, token="t", operator=None, data=None, theme=None, lang=None)
    assert config.layout == "wall"
    again = app_factory(layout=config.layout)
    async with again.run_test(size=(200, 60)) as pilot:
        await pilot.pause()
        assert shown(again) == {"incidents", "map", "board"}


async def test_layout_keeps_the_rest_of_the_config_file(
    app_factory: AppFactory, isolated_home: Path
) -> None:
    path = config_file()
    path.parent.mkdir(parents=True)
    path.write_text('# the room console\n[console]\ntoken = "t"\nlayout = "desk"\n')
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        app.run_command("layout auto")
        await pilot.pause()
    assert path.read_text() == '# the room console\n[console]\ntoken = "t"\nlayout = "auto"\n'


async def test_auto_switches_layout_when_the_terminal_is_resized(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert shown(app) == {"incidents"}
        await pilot.resize_terminal(200, 60)
        await until(pilot, lambda: shown(app) == {"incidents", "brief", "alerts", "map"})
        await pilot.press("4")  # the map has the keys; narrowing keeps it on screen
        await pilot.resize_terminal(100, 30)
        await until(pilot, lambda: app.shown_layout.name == "single")
        assert shown(app) == {"map"} and app.focused is app.query_one("#map")


async def test_a_chosen_layout_too_wide_for_the_terminal_waits(app_factory: AppFactory) -> None:
    app = app_factory(layout="desk")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.shown_layout.name == "single"
        await pilot.resize_terminal(130, 40)
        await until(pilot, lambda: app.shown_layout.name == "desk")


async def test_the_focused_pane_is_marked_without_colours(app_factory: AppFactory) -> None:
    app = app_factory(theme="monokrom")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        lines = screen_text(app).splitlines()
        assert lines[1].startswith("┏")  # the queue: a heavy border
        assert any(line.startswith("╭─ Insiden terpilih") for line in lines)
        await pilot.press("tab")
        lines = screen_text(app).splitlines()
        assert lines[1].startswith("╭") and any("┏━ Peringatan" in line for line in lines)


def test_free_text_columns_share_the_spare_width() -> None:
    columns = [Column("a", 4), Column("place", 10, grow=2), Column("text", 10, grow=1)]
    assert share_width(columns, 26) == [4, 10, 10]
    assert share_width(columns, 56) == [4, 30, 20]
    # Narrower than natural: the free text gives way (to half, the rightmost first)
    # before the codes do.
    assert share_width(columns, 21) == [4, 10, 5]
    assert share_width(columns, 16) == [4, 5, 5]
    assert share_width([Column("a", 4)], 50) == [4]


async def test_a_layout_that_cannot_be_saved_is_taken_and_says_so(
    app_factory: AppFactory,
) -> None:
    config_file().parent.parent.mkdir(parents=True)
    config_file().parent.write_text("not a folder")  # the config folder is a file
    app = app_factory()
    async with app.run_test(size=(200, 60), notifications=True) as pilot:
        app.run_command("layout wall")
        await pilot.pause()
        assert app.shown_layout.name == "wall"
        assert any("tidak tersimpan" in message for message in notifications(app))
