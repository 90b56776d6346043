"""The map pane in a small Textual app, driven by keys and by state changes."""

from __future__ import annotations

import random
import re

import pytest
from rich.style import Style
from textual.app import App, ComposeResult

from pilkades_tui.console.canvas import BOX_DOUBLE, GLYPHS
from pilkades_tui.console.widgets.map_pane import (
    DEFAULT_LABELS,
    LABEL_KEYS,
    PAN_SHARE,
    RECOMMENDED_GLYPHS,
    SELECTED_GLYPH,
    UNIT_GLYPHS,
    ZOOM_LEVELS,
    MapPane,
)
from pilkades_tui.domain.models import Incident, OfficerStatus, Risk
from pilkades_tui.domain.state import Changes, ElectionState
from pilkades_tui.scenario.geography import districts
from tests.map.scene import busy_state, move_officer, report_incident, rerate_tps

pytestmark = pytest.mark.timeout(60)

SIZE = (82, 26)  # an 80x24 content area inside the pane's border


class MapApp(App[None]):
    def __init__(self, pane: MapPane) -> None:
        super().__init__()
        self.pane = pane

    def compose(self) -> ComposeResult:
        yield self.pane


def cell(pane: MapPane, col: int, row: int) -> tuple[str, Style]:
    """The character and style the pane paints at a cell of its content area."""
    left = 0
    for segment in pane.render_line(row):
        if left <= col < left + len(segment.text):
            return segment.text[col - left], segment.style or Style()
        left += len(segment.text)
    raise AssertionError(f"no cell {col},{row}")


def tone(pane: MapPane, name: str) -> Style:
    return pane.get_component_rich_style(name, partial=True)


def painted_with(pane: MapPane, col: int, row: int, name: str) -> bool:
    _, style = cell(pane, col, row)
    expected = tone(pane, name)
    return (
        style.color == expected.color
        and bool(style.reverse) == bool(expected.reverse)
        and bool(style.bold) == bool(expected.bold)
    )


def screen_text(pane: MapPane) -> str:
    return "\n".join(
        "".join(segment.text for segment in pane.render_line(row))
        for row in range(pane.size.height)
    )


def map_lines(pane: MapPane) -> list[str]:
    """The map's rows, without the legend under or beside them."""
    viewport = pane.viewport()
    return [line[: viewport.cols] for line in screen_text(pane).splitlines()[: viewport.rows]]


def legend_text(pane: MapPane) -> str:
    """The legend, from beside the map or under it."""
    viewport = pane.viewport()
    lines = screen_text(pane).splitlines()
    beside = [line[viewport.cols :].strip() for line in lines[: viewport.rows]]
    return "\n".join(line for line in beside + lines[viewport.rows :] if line.strip())


async def test_incidents_show_their_priority_and_the_selection_stands_out() -> None:
    state = busy_state()
    pane = MapPane()
    async with MapApp(pane).run_test(size=SIZE) as pilot:
        pane.show(state)
        await pilot.pause()
        incident = state.incidents["INC-1"]
        col, row = pane.cell_of(incident.lon, incident.lat) or (-1, -1)
        assert cell(pane, col, row)[0] == "1"
        assert painted_with(pane, col, row, "map--incident-urgent")
        assert not painted_with(pane, col, row, "map--selected")

        pane.selected_incident_id = "INC-1"
        await pilot.pause()
        char, style = cell(pane, col, row)
        assert char == SELECTED_GLYPH["braille"]
        assert painted_with(pane, col, row, "map--selected")
        assert style.reverse  # readable without colour too

        pane.select_incident(None)
        await pilot.pause()
        assert not painted_with(pane, col, row, "map--selected")


async def test_recommended_units_are_highlighted() -> None:
    state = busy_state()
    tps = state.tps[state.incidents["INC-2"].tps_id or ""]
    # Away from any TPS, so the nearest guards stand in other cells than the incident.
    report_incident(state, "INC-9", 0, 2, lat=tps.lat + 0.012, lon=tps.lon - 0.012)
    pane = MapPane()
    async with MapApp(pane).run_test(size=SIZE) as pilot:
        pane.show(state)
        pane.selected_incident_id = "INC-9"
        pane.focus()
        await pilot.press("f", *"+" * 7)  # centre on it and zoom in: 12x
        await pilot.pause()
        assert pane.zoom == 12
        incident = state.incidents["INC-9"]
        incident_cell = pane.cell_of(incident.lon, incident.lat)
        viewport = pane.viewport()
        assert incident_cell == (viewport.cols // 2, viewport.rows // 2)  # beside the legend
        recommended = state.recommend(incident, limit=3)
        assert recommended
        apart = 0
        best_at: dict[tuple[int, int], str] = {}
        for glyph, recommendation in zip(RECOMMENDED_GLYPHS, recommended, strict=False):
            unit = recommendation.officer
            unit_cell = pane.cell_of(unit.lon, unit.lat)
            assert unit_cell is not None
            best_at.setdefault(unit_cell, glyph)  # two in one cell: the better shows
        for unit_cell, glyph in best_at.items():
            if unit_cell == incident_cell:
                continue
            apart += 1
            assert cell(pane, *unit_cell)[0] == glyph
            assert painted_with(pane, *unit_cell, "map--recommended")
        assert apart >= 1


async def test_zoom_and_pan_keys() -> None:
    pane = MapPane()
    async with MapApp(pane).run_test(size=SIZE) as pilot:
        pane.show(busy_state())
        pane.focus()
        await pilot.pause()
        assert pane.zoom == 1
        assert "1×" in str(pane.border_subtitle)
        before = screen_text(pane)

        await pilot.press("plus")
        assert pane.zoom == 1.5
        assert "1.5×" in str(pane.border_subtitle)
        assert screen_text(pane) != before
        await pilot.press("minus")
        assert pane.zoom == 1
        await pilot.press("minus")  # already the widest
        assert pane.zoom == 1
        await pilot.press(*["equals_sign"] * 20)
        assert pane.zoom == ZOOM_LEVELS[-1]

        start = pane.viewport().focus
        await pilot.press("right", "right")
        east = pane.viewport().focus
        assert east[0] > start[0] and east[1] == pytest.approx(start[1])
        await pilot.press("up")
        north = pane.viewport().focus
        assert north[1] > east[1]
        await pilot.press("down", "left", "left", "down")
        back = pane.viewport().focus
        assert back[0] < east[0] and back[1] < north[1]

        await pilot.press("0")
        assert pane.zoom == 1 and pane.center is None
        await pilot.pause()
        assert screen_text(pane) == before


async def test_pan_moves_the_map_by_a_quarter_of_the_view() -> None:
    state = busy_state()
    pane = MapPane()
    async with MapApp(pane).run_test(size=SIZE) as pilot:
        pane.show(state)
        pane.selected_incident_id = "INC-1"
        pane.focus()
        await pilot.press("f", "plus", "plus")
        incident = state.incidents["INC-1"]
        col, row = pane.cell_of(incident.lon, incident.lat) or (-1, -1)
        assert (col, row) == (pane.viewport().cols // 2, pane.viewport().rows // 2)
        await pilot.press("right")
        across = round(pane.viewport().cols * PAN_SHARE)
        assert pane.cell_of(incident.lon, incident.lat) == (col - across, row)
        await pilot.press("up")
        step = round(pane.viewport().rows * PAN_SHARE)
        assert pane.cell_of(incident.lon, incident.lat) == (col - across, row + step)


async def test_moving_a_unit_redraws_its_marker_without_redrawing_the_outlines(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pilkades_tui.console.canvas import OutlineLayer

    rasterized: list[object] = []
    original = OutlineLayer.rasterize

    def counting(layer: OutlineLayer, viewport: object, **options: bool) -> object:
        rasterized.append(viewport)
        return original(layer, viewport, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(OutlineLayer, "rasterize", counting)
    state = busy_state()
    patrol = next(o for o in state.officers.values() if o.post_tps_id is None)
    pane = MapPane()
    async with MapApp(pane).run_test(size=SIZE) as pilot:
        pane.show(state)
        await pilot.pause()
        old_cell = pane.cell_of(patrol.lon, patrol.lat)
        assert old_cell is not None and cell(pane, *old_cell)[0] == "▲"
        drawn = len(rasterized)
        assert drawn >= 1

        # Ten cells west and five north, staying on the map.
        lon, lat = pane.viewport().to_lonlat(old_cell[0] * 2 - 20 + 1, old_cell[1] * 4 - 20 + 2)
        pane.apply(move_officer(state, patrol.id, lon, lat))
        await pilot.pause()
        assert pane.cell_of(lon, lat) == (old_cell[0] - 10, old_cell[1] - 5)
        assert cell(pane, old_cell[0] - 10, old_cell[1] - 5)[0] == "▲"
        assert cell(pane, *old_cell)[0] != "▲" or any(
            pane.cell_of(o.lon, o.lat) == old_cell
            for o in state.officers.values()
            if o.post_tps_id is None and o.id != patrol.id
        )
        assert len(rasterized) == drawn


async def test_units_by_status_and_guards_at_posts_on_request() -> None:
    state = busy_state()
    pane = MapPane()
    async with MapApp(pane).run_test(size=SIZE) as pilot:
        pane.show(state)
        pane.focus()
        await pilot.pause()
        units_shown = screen_text(pane).count("▲")
        mobile = [o for o in state.officers.values() if o.post_tps_id is None]
        assert 0 < units_shown <= len(mobile)
        await pilot.press("p")
        assert pane.show_posts
        await pilot.pause()
        assert screen_text(pane).count("▲") > units_shown * 3

        guard = next(o for o in state.officers.values() if o.post_tps_id is not None)
        on_scene = guard.model_copy(
            update={"status": OfficerStatus.ON_SCENE, "version": guard.version + 1}
        )
        from tests.map.scene import next_event

        pane.apply(state.apply(next_event(state, "officer.updated", on_scene)))
        await pilot.press("p")
        await pilot.pause()
        guard_cell = pane.cell_of(guard.lon, guard.lat)
        assert guard_cell is not None
        char = cell(pane, *guard_cell)[0]
        # An incident at the same TPS would cover the unit; none of the three is there.
        assert char == "■"
        assert painted_with(pane, *guard_cell, "map--unit-busy")


async def test_village_colour_follows_its_tps_risk() -> None:
    state = busy_state()
    by_village: dict[str, list[str]] = {}
    for tps in state.tps.values():
        by_village.setdefault(tps.village_code, []).append(tps.id)
    village, tps_ids = next(
        (code, ids)
        for code, ids in sorted(by_village.items())
        if all(state.tps[i].risk == Risk.LOW for i in ids)
    )
    from pilkades_tui.scenario.geography import villages

    place = next(v for v in villages() if v.code == village)
    pane = MapPane()
    async with MapApp(pane).run_test(size=SIZE) as pilot:
        pane.show(state)
        pane.center = (place.lon, place.lat)
        pane.focus()
        await pilot.press("plus", "plus", "plus", "plus")  # 4x, centred on the village
        col, row = pane.cell_of(place.lon, place.lat) or (-1, -1)
        if cell(pane, col, row)[0] in "▲123" or cell(pane, col, row)[0].isalpha():
            row += 1  # a marker or the village's name there: look under it
        assert painted_with(pane, col, row, "map--low")
        pane.apply(rerate_tps(state, tps_ids[0], Risk.HIGH))
        await pilot.pause()
        assert painted_with(pane, col, row, "map--high")
        pane.apply(rerate_tps(state, tps_ids[0], Risk.LOW))
        await pilot.pause()
        assert painted_with(pane, col, row, "map--low")


async def test_tiny_and_changing_sizes_do_not_crash() -> None:
    state = busy_state()
    pane = MapPane()
    async with MapApp(pane).run_test(size=(3, 3)) as pilot:
        pane.show(state)
        pane.selected_incident_id = "INC-1"
        pane.focus()
        for size in ((1, 1), (2, 2), (4, 3), (12, 5), (12, 8), (200, 60), (5, 40), (3, 3)):
            await pilot.resize_terminal(*size)
            await pilot.press("plus", "right", "up", "minus", "f", "0")
            await pilot.pause()
            screen_text(pane)
            pane.apply(report_incident(state, f"INC-{size[0]}x{size[1]}", 42, 4))
            await pilot.pause()
        await pilot.resize_terminal(*SIZE)
        await pilot.pause()
        assert "1" in screen_text(pane)


async def test_block_characters_for_the_linux_console() -> None:
    state = busy_state()
    pane = MapPane(charset="blocks")
    async with MapApp(pane).run_test(size=SIZE) as pilot:
        pane.show(state)
        await pilot.pause()
        text = screen_text(pane)
        assert not set(text) & set(GLYPHS["braille"][1:])
        text.encode("cp437")  # every character drawable in the Linux console font
        assert set(text) & set(BOX_DOUBLE[1:])  # kecamatan borders as thin lines
        assert not set(text) & set("█▀▄▌▐▒▓")  # not a blob of blocks
        pane.charset = "braille"
        await pilot.pause()
        assert set(screen_text(pane)) & set(GLYPHS["braille"][1:])
        with pytest.raises(ValueError, match="charset"):
            pane.charset = "emoji"
    with pytest.raises(ValueError, match="charset"):
        MapPane(charset="emoji")


async def test_labels_come_from_the_app() -> None:
    assert set(DEFAULT_LABELS) == set(LABEL_KEYS)
    indonesian = {"title": "Peta", "high": "sangat rawan", "zoom": "perbesaran {zoom}x"}
    pane = MapPane(labels=indonesian)
    async with MapApp(pane).run_test(size=(122, 26)) as pilot:
        pane.show(ElectionState.from_snapshot(busy_state().snapshot()))
        await pilot.pause()
        assert pane.border_title == "Peta"
        assert "perbesaran 1x" in str(pane.border_subtitle)
        legend = legend_text(pane)
        assert "sangat rawan" in legend and "medium" in legend  # a missing key keeps English
        pane.set_labels({"title": "Map", "medium": "sedang"})
        pane.set_stale("stale for 30 s")
        await pilot.pause()
        legend = legend_text(pane)
        assert "sedang" in legend and "high risk" in legend
        assert pane.border_title == "Map"
        assert str(pane.border_subtitle).startswith("stale for 30 s")
        assert pane.has_class("-stale")


async def test_colours_follow_the_theme() -> None:
    state = busy_state()
    pane = MapPane()
    app = MapApp(pane)
    async with app.run_test(size=SIZE) as pilot:
        pane.show(state)
        pane.selected_incident_id = "INC-1"
        incident = state.incidents["INC-1"]
        col, row = pane.cell_of(incident.lon, incident.lat) or (-1, -1)
        app.theme = "textual-dark"
        await pilot.pause()
        dark = cell(pane, col, row)[1]
        app.theme = "textual-light"
        await pilot.pause()
        light = cell(pane, col, row)[1]
        assert dark.color != light.color
        assert painted_with(pane, col, row, "map--selected")


async def test_a_resync_rereads_the_state() -> None:
    state = busy_state()
    pane = MapPane()
    async with MapApp(pane).run_test(size=SIZE) as pilot:
        pane.state = state
        await pilot.pause()
        assert pane.state is state
        assert "3" in screen_text(pane)
        empty = ElectionState(state.phase)
        changes = empty.load(state.snapshot().model_copy(update={"incidents": []}))
        pane.state = empty
        pane.apply(changes)
        await pilot.pause()
        assert all(char not in "123" for line in map_lines(pane) for char in line)


async def test_recommendations_stay_those_of_the_domain_as_units_move(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The pane skips re-ranking for far moves; it must still agree with state.recommend."""
    rankings: list[str] = []
    original = ElectionState.recommend

    def counting(self: ElectionState, incident: Incident, limit: int | None = 10) -> list:
        rankings.append(incident.id)
        return original(self, incident, limit)

    monkeypatch.setattr(ElectionState, "recommend", counting)
    state = busy_state()
    incident = state.incidents["INC-3"]
    rng = random.Random(4)
    available = sorted(
        officer.id
        for officer in state.officers.values()
        if officer.status == OfficerStatus.AVAILABLE
    )
    pane = MapPane()
    async with MapApp(pane).run_test(size=SIZE) as pilot:
        pane.show(state)
        pane.selected_incident_id = incident.id
        await pilot.pause()
        expected = [r.officer.id for r in state.recommend(incident, limit=3)]
        assert pane.recommended_ids == expected
        rankings.clear()
        for step in range(40):
            changes = Changes()
            for officer_id in rng.sample(available, 5):
                if step % 4 == 0:  # now and then, right next to the incident
                    lon = incident.lon + rng.uniform(-0.002, 0.002)
                    lat = incident.lat + rng.uniform(-0.002, 0.002)
                else:
                    lon = rng.uniform(109.5, 109.78)
                    lat = rng.uniform(-7.2, -6.9)
                changes.merge(move_officer(state, officer_id, lon, lat))
            pane.apply(changes)
            expected = [r.officer.id for r in original(state, incident, 3)]
            assert pane.recommended_ids == expected, step
        # Far moves were not re-ranked, near ones were.
        assert 0 < len(rankings) < 40
        await pilot.pause()
        for officer_id in pane.recommended_ids:
            unit = state.officers[officer_id]
            unit_cell = pane.cell_of(unit.lon, unit.lat)
            assert unit_cell is not None
            assert cell(pane, *unit_cell)[1].reverse


async def test_every_builtin_theme_draws_risk_and_selection_apart() -> None:
    state = busy_state()
    pane = MapPane()
    app = MapApp(pane)
    async with app.run_test(size=SIZE) as pilot:
        pane.show(state)
        pane.selected_incident_id = "INC-1"
        incident = state.incidents["INC-1"]
        col, row = pane.cell_of(incident.lon, incident.lat) or (-1, -1)
        for theme in sorted(app.available_themes):
            app.theme = theme
            await pilot.pause()
            assert painted_with(pane, col, row, "map--selected"), theme
            assert cell(pane, col, row)[1].reverse, theme
            risks = {tone(pane, f"map--{risk}") for risk in ("low", "medium", "high")}
            assert len(risks) == 3, theme


def name_spots(pane: MapPane, names: list[str]) -> dict[str, tuple[int, int]]:
    """Where each name is written whole on the map: (column, row) of its first letter."""
    spots: dict[str, tuple[int, int]] = {}
    for row, line in enumerate(map_lines(pane)):
        for name in names:
            for found in re.finditer(rf"(?<![A-Za-z]){re.escape(name)}(?![A-Za-z])", line):
                spots[name] = (found.start(), row)
    return spots


KECAMATAN = [district.name.upper() for district in districts()]


async def test_names_keep_clear_of_markers_and_each_other() -> None:
    state = busy_state()
    pane = MapPane()
    async with MapApp(pane).run_test(size=(202, 62)) as pilot:
        pane.show(state)
        pane.selected_incident_id = "INC-1"
        await pilot.pause()
        spots = name_spots(pane, KECAMATAN)
        # Placed around the markers, so none is cut by one right after the view changed.
        assert len(spots) >= 15, spots
        lines = map_lines(pane)
        for name, (col, row) in spots.items():
            before = lines[row][col - 1] if col else " "
            after = lines[row][col + len(name)] if col + len(name) < len(lines[row]) else " "
            assert not before.isalpha() and not after.isalpha(), name
        # Every incident still shows: names give way to markers.
        for incident in state.open_incidents():
            spot = pane.cell_of(incident.lon, incident.lat)
            assert spot is not None
            assert lines[spot[1]][spot[0]] in f"{incident.priority}{SELECTED_GLYPH['braille']}"


async def test_a_new_incident_moves_only_the_name_it_lands_on() -> None:
    state = busy_state()
    pane = MapPane()
    async with MapApp(pane).run_test(size=(202, 62)) as pilot:
        pane.show(state)
        await pilot.pause()
        before = name_spots(pane, KECAMATAN)
        name, (col, row) = sorted(before.items())[0]
        lon, lat = pane.viewport().to_lonlat(col * 2 + 3, row * 4 + 2)  # its second letter
        assert pane.cell_of(lon, lat) == (col + 1, row)
        pane.apply(report_incident(state, "INC-ON-NAME", 0, 4, lat=lat, lon=lon))
        await pilot.pause()
        after = name_spots(pane, KECAMATAN)
        assert map_lines(pane)[row][col + 1] == "4"
        assert name in after and after[name] != (col, row)  # moved, and whole
        assert {k: v for k, v in after.items() if k != name} == {
            k: v for k, v in before.items() if k != name
        }


@pytest.mark.parametrize("charset", ["braille", "blocks"])
async def test_the_legend_wraps_whole_entries_in_a_narrow_pane(charset: str) -> None:
    pane = MapPane(charset=charset)
    async with MapApp(pane).run_test(size=(42, 26)) as pilot:
        pane.show(busy_state())
        await pilot.pause()
        legend = legend_text(pane)
        assert len(legend.splitlines()) >= 5
        entries = [label for key, label in DEFAULT_LABELS.items() if key in LEGEND_WORDS]
        if charset == "blocks":
            entries += [DEFAULT_LABELS["district_border"], DEFAULT_LABELS["village_border"]]
        entries += DEFAULT_LABELS["keys"].split(" · ")
        for entry in entries:
            assert entry in legend, (entry, legend)
        assert all(len(line.rstrip()) <= 40 for line in legend.splitlines())
        # Too low for the legend and a map: no legend rather than a cut one.
        await pilot.resize_terminal(42, 10)
        await pilot.pause()
        assert legend_text(pane) == ""
        assert pane.viewport().rows == pane.size.height


LEGEND_WORDS = (
    "low",
    "medium",
    "high",
    "incident",
    "selected",
    "recommended",
    "unit",
    "moving",
    "on_scene",
)


@pytest.mark.parametrize("size", [(82, 20), (122, 42), (202, 62)])
async def test_a_wide_pane_puts_the_legend_beside_the_map_which_keeps_every_row(
    size: tuple[int, int],
) -> None:
    pane = MapPane()
    async with MapApp(pane).run_test(size=size) as pilot:
        pane.show(busy_state())
        await pilot.pause()
        viewport = pane.viewport()
        assert viewport.rows == pane.size.height
        assert viewport.cols < pane.size.width
        legend = legend_text(pane)
        for key in LEGEND_WORDS:
            assert DEFAULT_LABELS[key] in legend, key
        # The whole kabupaten still fits its columns: nothing drawn at their right edge.
        assert all(line[-1] == " " for line in map_lines(pane))


def random_unit_changes(state: ElectionState, rng: random.Random, step: int) -> Changes:
    """Twenty units moved across the kabupaten and one unit's status changed."""
    from pilkades_tui.domain.events import OFFICER_UPDATED
    from tests.map.scene import next_event

    units = sorted(state.officers)
    changes = Changes()
    for officer_id in rng.sample(units, 20):
        lon = rng.uniform(109.5, 109.78)
        lat = rng.uniform(-7.2, -6.9)
        changes.merge(move_officer(state, officer_id, lon, lat))
    officer = state.officers[rng.choice(units)]
    statuses = [OfficerStatus.OFF_DUTY, OfficerStatus.EN_ROUTE, OfficerStatus.AVAILABLE]
    changed = officer.model_copy(
        update={"status": statuses[step % 3], "version": officer.version + 1}
    )
    changes.merge(state.apply(next_event(state, OFFICER_UPDATED, changed)))
    return changes


async def unit_cells(state: ElectionState) -> list[list[bool]]:
    """Which cells of a freshly drawn map hold a unit."""
    fresh = MapPane()
    async with MapApp(fresh).run_test(size=SIZE) as pilot:
        fresh.show(state)
        await pilot.pause()
        return has_unit(map_lines(fresh))


def has_unit(lines: list[str]) -> list[list[bool]]:
    # Where several units share a cell either may be on top: compare where there are
    # units, whose glyphs differ from every outline's.
    glyphs = set(UNIT_GLYPHS["braille"])
    return [[char in glyphs for char in line] for line in lines]


async def test_units_kept_between_redraws_stand_where_a_fresh_map_puts_them() -> None:
    """The pane places only the units that moved or changed; after a stream of moves,
    status changes and units going off duty, each cell holds what a fresh pane draws."""
    state = busy_state()
    rng = random.Random(7)
    kept = MapPane()
    async with MapApp(kept).run_test(size=SIZE) as pilot:
        kept.show(state)
        await pilot.pause()
        for step in range(30):
            kept.apply(random_unit_changes(state, rng, step))
        await pilot.pause()
        kept_cells = has_unit(map_lines(kept))
    assert kept_cells == await unit_cells(state)


async def test_units_placed_frame_by_frame_and_in_another_view_catch_up() -> None:
    """As the console feeds it: `take_in` each frame, `apply` at the map's own rate, and
    the pane resized to another view and back while units move (the desk layout moves
    the map between slots); the view shown again has every unit where it now is."""
    state = busy_state()
    rng = random.Random(11)
    kept = MapPane()
    async with MapApp(kept).run_test(size=SIZE) as pilot:
        kept.show(state)
        await pilot.pause()
        for size in (SIZE, (60, 20), SIZE):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            missed = Changes()
            for step in range(12):
                changes = random_unit_changes(state, rng, step)
                kept.take_in(changes)
                missed.merge(changes)
                if step % 4 == 3:
                    kept.apply(missed)
                    missed = Changes()
        await pilot.pause()
        kept_cells = has_unit(map_lines(kept))
    assert kept_cells == await unit_cells(state)
