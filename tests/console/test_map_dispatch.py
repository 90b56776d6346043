"""The map as a dispatcher reads it in the console: kecamatan names on a big enough
screen, village names once zoomed in, the selected incident and its recommended units
told apart from everything else, a legend that is never cut, and outlines (not a blob
of blocks) on the Linux console."""

from __future__ import annotations

import re

import pytest

from pilkades_tui.console.app import PilkadesApp
from pilkades_tui.console.canvas import BOX_DOUBLE, BOX_SINGLE, NO_OWNER
from pilkades_tui.console.widgets.incident_pane import IncidentPane
from pilkades_tui.console.widgets.map_pane import (
    RECOMMENDED_GLYPHS,
    SELECTED_GLYPH,
    UNIT_GLYPHS,
    MapPane,
    layer_of,
)
from pilkades_tui.domain.models import Incident
from pilkades_tui.scenario.geography import districts, packaged, villages
from tests.console.conftest import AppFactory
from tests.console.screen import screen_text

pytestmark = pytest.mark.timeout(60)

SOLID = set("█▀▄▌▐▒▓")


def map_rows(app: PilkadesApp) -> list[str]:
    """The map's own rows on screen (inside the pane's border, without its legend)."""
    pane = app.query_one(MapPane)
    region = pane.content_region
    viewport = pane.viewport()
    lines = screen_text(app).splitlines()[region.y : region.y + viewport.rows]
    return [line[region.x : region.x + viewport.cols] for line in lines]


def legend_rows(app: PilkadesApp) -> list[str]:
    """The legend's lines, from beside the map or under it."""
    pane = app.query_one(MapPane)
    region = pane.content_region
    viewport = pane.viewport()
    lines = screen_text(app).splitlines()
    beside = [
        line[region.x + viewport.cols : region.right].strip()
        for line in lines[region.y : region.y + viewport.rows]
    ]
    under = [
        line[region.x : region.right] for line in lines[region.y + viewport.rows : region.bottom]
    ]
    return [line for line in beside + under if line.strip()]


def glyph_at(app: PilkadesApp, lon: float, lat: float) -> str:
    pane = app.query_one(MapPane)
    spot = pane.cell_of(lon, lat)
    assert spot is not None, "off the map"
    col, row = spot
    return map_rows(app)[row][col]


def names_shown(text: str, names: list[str]) -> set[str]:
    """The names written on the map whole (a marker drawn over one cuts it)."""
    return {
        name for name in names if re.search(rf"(?<![A-Za-z]){re.escape(name)}(?![A-Za-z])", text)
    }


KECAMATAN = [district.name.upper() for district in districts()]


@pytest.mark.parametrize(("size", "least"), [((120, 40), 8), ((200, 60), 14)])
async def test_kecamatan_names_are_on_the_map_from_120x40(
    app_factory: AppFactory, size: tuple[int, int], least: int
) -> None:
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        await pilot.press("4")
        await pilot.pause()
        text = "\n".join(map_rows(app))
        shown = names_shown(text, KECAMATAN)
        assert len(shown) >= least, (shown, text)
        # Names never run into each other: at least a space between two.
        for line in map_rows(app):
            for name in shown:
                start = line.find(name)
                if start > 0:
                    assert not line[start - 1].isalpha(), line


async def test_at_80x24_names_wait_for_a_zoom(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("4")
        await pilot.pause()
        # Nineteen names on a map 17 rows high would cover it.
        assert not names_shown("\n".join(map_rows(app)), KECAMATAN)
        await pilot.press("plus", "plus")
        await pilot.pause()
        assert names_shown("\n".join(map_rows(app)), KECAMATAN)


async def test_village_names_appear_when_zoomed_in(app_factory: AppFactory) -> None:
    village_names = sorted({village.name for village in villages()})
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("4")
        await pilot.pause()
        assert not names_shown("\n".join(map_rows(app)), village_names)
        # Beside the brief and the alerts (the desk), two or three zooms, as wide as the map is.
        pane = app.query_one(MapPane)
        shown: set[str] = set()
        while len(shown) < 10 and pane.zoom < 4:
            await pilot.press("plus")
            await pilot.pause()
            text = "\n".join(map_rows(app))
            shown = names_shown(text, village_names)
        assert pane.zoom > 1
        assert len(shown) >= 10, text
        # Kecamatan keep their capitals, so the two kinds of name read apart.
        assert names_shown(text, KECAMATAN)
        await pilot.press("0")
        await pilot.pause()
        assert not names_shown("\n".join(map_rows(app)), village_names)


async def test_the_selected_incident_and_its_recommended_units_have_their_own_glyphs(
    app_factory: AppFactory,
) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        queue = app.query_one(IncidentPane)
        state = app.current_state()
        assert state is not None
        first = queue.selected_key
        assert first is not None
        await pilot.press("4")
        await pilot.pause()
        pane = app.query_one(MapPane)
        incident: Incident = state.incidents[first]
        assert glyph_at(app, incident.lon, incident.lat) == SELECTED_GLYPH["braille"]
        # The units the assign dialog offers first (workflows: state.recommend), best first.
        offered = [r.officer.id for r in state.recommend(incident, limit=15)]
        assert pane.recommended_ids == offered[: len(RECOMMENDED_GLYPHS)]
        assert pane.recommended_ids
        cells: dict[tuple[int, int] | None, str] = {}
        for glyph, officer_id in zip(RECOMMENDED_GLYPHS, pane.recommended_ids, strict=False):
            unit = state.officers[officer_id]
            cells.setdefault(pane.cell_of(unit.lon, unit.lat), glyph)
        incident_cell = pane.cell_of(incident.lon, incident.lat)
        for spot, glyph in cells.items():
            if spot is not None and spot != incident_cell:
                assert map_rows(app)[spot[1]][spot[0]] == glyph
        ordinary = set(UNIT_GLYPHS["braille"]) | set("1234")
        assert not ordinary & {SELECTED_GLYPH["braille"], *RECOMMENDED_GLYPHS}

        # Another incident chosen in the queue moves the marks with it.
        await pilot.press("2", "down")
        await pilot.pause()
        second = queue.selected_key
        assert second is not None and second != first
        await pilot.press("4")
        await pilot.pause()
        other: Incident = state.incidents[second]
        assert glyph_at(app, other.lon, other.lat) == SELECTED_GLYPH["braille"]
        if pane.cell_of(incident.lon, incident.lat) != pane.cell_of(other.lon, other.lat):
            assert glyph_at(app, incident.lon, incident.lat) == str(incident.priority)
        expected = [r.officer.id for r in state.recommend(other, limit=len(RECOMMENDED_GLYPHS))]
        assert pane.recommended_ids == expected


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_legend_is_complete(
    app_factory: AppFactory, size: tuple[int, int], lang: str
) -> None:
    app = app_factory(lang=lang)
    async with app.run_test(size=size) as pilot:
        await pilot.press("4")
        await pilot.pause()
        legend = legend_rows(app)
        assert legend, "no legend"
        text = "\n".join(legend)
        labels = app.map_labels()
        words = [labels[key] for key in ("low", "medium", "high", "incident", "selected")]
        words += [labels[key] for key in ("recommended", "unit", "moving", "on_scene")]
        words += labels["keys"].split(" · ")
        for entry in words:
            assert entry in text, (entry, legend)
        for glyph in (SELECTED_GLYPH["braille"], RECOMMENDED_GLYPHS, *UNIT_GLYPHS["braille"]):
            assert glyph in text
        # Nothing runs past the pane's edge: every legend line ends inside it.
        pane = app.query_one(MapPane)
        for line in legend:
            assert len(line.rstrip()) <= pane.content_region.width


async def test_the_linux_console_gets_outlines_not_a_blob(app_factory: AppFactory) -> None:
    # What TERM=linux chooses (cli: default_charset), the map with the whole screen.
    app = app_factory(braille=False, layout="single")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("4")
        await pilot.pause()
        rows = map_rows(app)
        text = "".join(rows)
        text.encode("cp437")  # the Linux console's font has every character
        assert not set(text) & SOLID
        lines = sum(char in BOX_SINGLE + BOX_DOUBLE for char in text if char != " ")
        pane = app.query_one(MapPane)
        inside = sum(
            owner != NO_OWNER for owner in layer_of(packaged()).rasterize(pane.viewport()).owner
        )
        # Outlines leave the villages' insides open: nearly half of the kabupaten is line
        # at most (the folded blocks covered all of it).
        assert 0.15 * inside < lines < 0.6 * inside, (lines, inside)
        assert set(text) & set(BOX_DOUBLE[1:])  # kecamatan borders
        legend = "\n".join(legend_rows(app))
        labels = app.map_labels()
        assert labels["district_border"] in legend and labels["village_border"] in legend
        assert SELECTED_GLYPH["blocks"] in legend
        await pilot.press("plus", "plus", "plus", "plus")
        await pilot.pause()
        zoomed = "".join(map_rows(app))
        assert set(zoomed) & set(BOX_SINGLE[1:])  # village borders once villages are big
        assert not set(zoomed) & SOLID
