"""Without colours (NO_COLOR, the monokrom theme) the cursor row is still unmistakable:
a `►` in a gutter of its own, on that row only, and a style no row tone has."""

from __future__ import annotations

import pytest
from rich.color import Color
from rich.style import Style

from pilkades_tui.console.app import PilkadesApp
from pilkades_tui.console.widgets.virtual_table import CURSOR_MARK, TONES, VirtualTable
from tests.console.conftest import AppFactory, ColourCase
from tests.console.live import until
from tests.console.screen import screen_text

pytestmark = pytest.mark.timeout(60)


def marked_rows(app: PilkadesApp, table: VirtualTable) -> list[str]:
    """The table's lines on screen (inside the pane's border) that carry the mark."""
    region = table.content_region
    lines = screen_text(app).splitlines()[region.y : region.y + region.height]
    return [line[region.x : region.right] for line in lines if CURSOR_MARK in line]


def contrast(style: Style) -> float:
    """Difference in brightness (0..1) of the text and what it stands on, as drawn."""

    def brightness(colour: Color | None) -> float:
        assert colour is not None
        red, green, blue = colour.get_truecolor()
        return (0.2126 * red + 0.7152 * green + 0.0722 * blue) / 255

    text, ground = brightness(style.color), brightness(style.bgcolor)
    return abs(text - ground)


async def test_the_cursor_row_is_marked_when_colours_are_gone(colour_case: ColourCase) -> None:
    app, theme, marked = colour_case.app, colour_case.theme, colour_case.marked
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        table = app.query_one("#incidents", VirtualTable)
        if not marked:
            assert marked_rows(app, table) == []
            return
        first, second = (table.source.row(index).cells for index in (0, 1))
        assert [row.split()[:2] for row in marked_rows(app, table)] == [
            [CURSOR_MARK + first[0], first[1]]
        ]
        await pilot.press("down")
        await pilot.pause()
        assert [row.split()[:2] for row in marked_rows(app, table)] == [
            [CURSOR_MARK + second[0], second[1]]
        ]

        # The row itself looks like no tone either, an alarm row's reverse included:
        # with colours gone only bold, underline and reverse are left to tell them apart.
        def looks(style: Style) -> tuple[bool, bool, bool]:
            return (bool(style.bold), bool(style.underline), bool(style.reverse))

        cursor = table.get_component_rich_style("vtable--cursor")
        tones = {tone: table.get_component_rich_style(f"vtable--{tone}") for tone in TONES}
        plain_looks = {looks(style) for style in tones.values()}
        for tone, style in tones.items():
            assert looks(style + cursor) not in plain_looks, tone
            if theme == "monokrom":
                # Greys only: the cursor's band must not be as light as the text on it.
                assert contrast(table.rich_style + style + cursor) > 0.3, tone


async def test_switching_to_monokrom_brings_the_mark(app_factory: AppFactory) -> None:
    app = app_factory(theme="siang")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("2")
        table = app.query_one("#incidents", VirtualTable)
        assert marked_rows(app, table) == []
        await pilot.press("colon", *"theme monokrom", "enter")
        await until(pilot, lambda: len(marked_rows(app, table)) == 1)
        await pilot.press("colon", *"theme siang", "enter")
        await until(pilot, lambda: marked_rows(app, table) == [])
