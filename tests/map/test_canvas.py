"""The dot canvas and its projection, without Textual."""

from __future__ import annotations

import pytest

from pilkades_tui.console.canvas import (
    FIT_MARGIN,
    GLYPHS,
    NO_OWNER,
    Bounds,
    OutlineLayer,
    Raster,
    Viewport,
    block_char,
    bounds_of,
    braille_char,
    check_charset,
    clip_segment,
    compose_row,
    default_charset,
    risk_swatch,
    runs,
)
from pilkades_tui.domain.geo import haversine_km
from pilkades_tui.scenario.geography import Outline, outlines, villages

# Roughly Kabupaten Pekalongan.
BOUNDS = Bounds(109.48, -7.25, 109.80, -6.84)


def lit_dots(raster: Raster) -> set[tuple[int, int]]:
    """Decode the raster back into dot coordinates through the braille bit layout."""
    dots = set()
    for cell, bits in enumerate(raster.bits):
        row, col = divmod(cell, raster.cols)
        for dot_y in range(4):
            for dot_x in range(2):
                if bits & (1 << _unicode_dot_number(dot_x, dot_y)):
                    dots.add((col * 2 + dot_x, row * 4 + dot_y))
    return dots


def _unicode_dot_number(dot_x: int, dot_y: int) -> int:
    # Unicode numbers braille dots 1-2-3 down the left, 4-5-6 down the right, then 7, 8.
    return [[0, 3], [1, 4], [2, 5], [6, 7]][dot_y][dot_x]


# ---- characters ---------------------------------------------------------------------


def test_each_braille_dot_has_its_unicode_codepoint() -> None:
    expected = {
        (0, 0): "⠁",
        (0, 1): "⠂",
        (0, 2): "⠄",
        (0, 3): "⡀",
        (1, 0): "⠈",
        (1, 1): "⠐",
        (1, 2): "⠠",
        (1, 3): "⢀",
    }
    for (dot_x, dot_y), char in expected.items():
        raster = Raster(1, 1)
        raster.set_dot(dot_x, dot_y)
        assert braille_char(raster.bits[0]) == char, (dot_x, dot_y)
    assert braille_char(0) == " "
    assert braille_char(0xFF) == "⣿"


def test_block_characters_fold_the_dots_and_exist_in_cp437() -> None:
    assert block_char(0) == " "
    assert block_char(0x01 | 0x08) == "▀"  # top row
    assert block_char(0x40 | 0x80) == "▄"  # bottom row
    assert block_char(0x01 | 0x02 | 0x04 | 0x40) == "▌"  # left column
    assert block_char(0x08 | 0x10 | 0x20 | 0x80) == "▐"  # right column
    assert block_char(0x01 | 0x80) == "▒"  # a diagonal
    assert block_char(0xFF) == "█"
    for char in set(GLYPHS["blocks"]):
        char.encode("cp437")  # the Linux console's font has every one


def test_charset_choice() -> None:
    assert default_charset("linux") == "blocks"
    assert default_charset("vt220") == "blocks"
    assert default_charset("linux-16color") == "blocks"
    assert default_charset("xterm-256color") == "braille"
    assert default_charset("screen") == "braille"
    assert default_charset(None) == "braille"
    assert check_charset("blocks") == "blocks"
    with pytest.raises(ValueError, match="ascii"):
        check_charset("ascii")


# ---- lines and clipping ------------------------------------------------------------


def test_lines_light_every_dot_between_their_ends() -> None:
    raster = Raster(4, 2)
    raster.line(0, 0, 5, 0)
    assert lit_dots(raster) == {(x, 0) for x in range(6)}
    raster = Raster(4, 2)
    raster.line(1, 7, 1, 2)
    assert lit_dots(raster) == {(1, y) for y in range(2, 8)}
    raster = Raster(4, 2)
    raster.line(0, 0, 3, 3)
    assert lit_dots(raster) == {(0, 0), (1, 1), (2, 2), (3, 3)}
    raster = Raster(4, 2)
    raster.line(2.6, 3.9, 2.2, 3.1)  # inside one dot
    assert lit_dots(raster) == {(2, 3)}


def test_shallow_line_is_connected() -> None:
    raster = Raster(10, 3)
    raster.line(0, 0, 19, 5)
    dots = lit_dots(raster)
    assert len(dots) == 20  # one dot per column on a shallow line
    assert {x for x, _ in dots} == set(range(20))
    assert (0, 0) in dots and (19, 5) in dots


def test_clip_segment_keeps_the_inside_part() -> None:
    assert clip_segment(-10, 5, 30, 5, 20, 10) == pytest.approx((0, 5, 20 - 1e-9, 5))
    assert clip_segment(5, -5, 5, 50, 20, 10) == pytest.approx((5, 0, 5, 10 - 1e-9))
    assert clip_segment(-5, -5, -1, 50, 20, 10) is None
    assert clip_segment(30, 1, 40, 2, 20, 10) is None
    assert clip_segment(-10, 12, 12, -10, 20, 10) is not None  # crosses the corner area
    assert clip_segment(-10, 25, 25, -10, 20, 10) == pytest.approx((5, 10 - 1e-9, 15, 0))
    assert clip_segment(-10, 50, 50, -10, 20, 10) is None  # passes beyond the corner
    assert clip_segment(3, 3, 4, 4, 20, 10) == (3, 3, 4, 4)


def test_lines_off_the_canvas_are_clipped_not_wrapped() -> None:
    raster = Raster(3, 2)
    raster.line(-1e6, 3, 1e6, 3)  # far beyond: clipped, and no endless loop
    assert lit_dots(raster) == {(x, 3) for x in range(6)}
    raster = Raster(3, 2)
    raster.line(7, 0, 50, 0)  # starts one dot past the right edge
    raster.line(-9, -9, -1, 20)
    assert lit_dots(raster) == set()
    raster = Raster(3, 2)
    raster.line(5, -100, 5, 100)
    assert lit_dots(raster) == {(5, y) for y in range(8)}


def test_fill_claims_cell_centres_inside_and_leaves_holes() -> None:
    raster = Raster(10, 5)
    outer = [(0.0, 0.0), (20.0, 0.0), (20.0, 20.0), (0.0, 20.0), (0.0, 0.0)]
    hole = [(6.0, 6.0), (14.0, 6.0), (14.0, 14.0), (6.0, 14.0), (6.0, 6.0)]
    raster.fill([outer, hole], owner=7)
    owned = {divmod(cell, 10)[::-1] for cell, who in enumerate(raster.owner) if who == 7}
    # Cell (c, r) has its centre at dot (2c + 1, 4r + 2).
    expected = {
        (col, row)
        for col in range(10)
        for row in range(5)
        if not (6 <= 2 * col + 1 < 14 and 6 <= 4 * row + 2 < 14)
    }
    assert owned == expected
    assert raster.owner.count(NO_OWNER) == 50 - len(expected)


def test_fill_of_a_shape_larger_than_the_canvas_is_clipped() -> None:
    raster = Raster(4, 3)
    raster.fill([[(-100.0, -100.0), (100.0, -100.0), (50.0, 100.0), (-100.0, -100.0)]], owner=0)
    assert NO_OWNER not in raster.owner


# ---- projection ----------------------------------------------------------------------


def test_bounds_need_points() -> None:
    assert bounds_of([(1.0, 2.0), (3.0, -4.0)]) == Bounds(1.0, -4.0, 3.0, 2.0)
    with pytest.raises(ValueError, match="no points"):
        bounds_of([])


def test_the_centre_is_the_middle_of_the_pane() -> None:
    viewport = Viewport(80, 24, BOUNDS)
    assert viewport.to_dot(*BOUNDS.center) == pytest.approx((80, 48))
    assert viewport.to_cell(*BOUNDS.center) == (40, 12)


def test_north_is_up_and_east_is_right() -> None:
    viewport = Viewport(80, 24, BOUNDS)
    lon, lat = BOUNDS.center
    x, y = viewport.to_dot(lon, lat)
    assert viewport.to_dot(lon + 0.01, lat)[0] > x
    assert viewport.to_dot(lon, lat + 0.01)[1] < y


def test_a_kilometre_is_as_many_dots_east_as_north() -> None:
    """Square dots (2x4 in a 1:2 cell) and lon scaled by cos(lat): shapes keep their form."""
    viewport = Viewport(120, 40, BOUNDS, zoom=3)
    lon, lat = BOUNDS.center
    east = 0.01
    north = east * haversine_km(lat, lon, lat, lon + east) / haversine_km(lat, lon, lat + east, lon)
    x0, y0 = viewport.to_dot(lon, lat)
    x1, _ = viewport.to_dot(lon + east, lat)
    _, y1 = viewport.to_dot(lon, lat + north)
    assert x1 - x0 == pytest.approx(y0 - y1, rel=0.01)


def test_zoom_one_fits_the_whole_bounds() -> None:
    for cols, rows in ((80, 24), (200, 60), (30, 50), (5, 2)):
        viewport = Viewport(cols, rows, BOUNDS)
        corners = [
            viewport.to_dot(lon, lat)
            for lon in (BOUNDS.lon_min, BOUNDS.lon_max)
            for lat in (BOUNDS.lat_min, BOUNDS.lat_max)
        ]
        assert all(0 <= x <= cols * 2 and 0 <= y <= rows * 4 for x, y in corners)
        width = corners[2][0] - corners[0][0]
        height = corners[0][1] - corners[1][1]
        # One side is filled to the margin: the map is as large as the pane allows.
        assert max(width / (cols * 2), height / (rows * 4)) == pytest.approx(FIT_MARGIN)


def test_zoom_scales_distances_from_the_focus() -> None:
    lon, lat = BOUNDS.center
    point = (lon + 0.05, lat - 0.03)
    one = Viewport(80, 24, BOUNDS)
    four = one.zoomed(4)
    x1, y1 = one.to_dot(*point)
    x4, y4 = four.to_dot(*point)
    assert x4 - 80 == pytest.approx(4 * (x1 - 80))
    assert y4 - 48 == pytest.approx(4 * (y1 - 48))


def test_to_lonlat_inverts_to_dot() -> None:
    viewport = Viewport(100, 30, BOUNDS, zoom=6, center=(109.6, -7.0))
    for point in ((109.6, -7.0), (109.55, -6.9), (109.71, -7.2)):
        assert viewport.to_lonlat(*viewport.to_dot(*point)) == pytest.approx(point)


def test_pan_moves_by_whole_cells() -> None:
    viewport = Viewport(80, 24, BOUNDS, zoom=2)
    lon, lat = BOUNDS.center
    x, y = viewport.to_dot(lon, lat)
    moved = viewport.panned(10, -3)
    x_after, y_after = moved.to_dot(lon, lat)
    assert (x - x_after, y - y_after) == pytest.approx((20, -12))  # the map slides the other way
    assert moved.panned(-10, 3).focus == pytest.approx(BOUNDS.center)


def test_pan_stops_at_the_edge_of_the_bounds() -> None:
    viewport = Viewport(80, 24, BOUNDS, zoom=2)
    for _ in range(50):
        viewport = viewport.panned(20, 0)
    assert viewport.focus[0] == BOUNDS.lon_max
    assert viewport.to_cell(BOUNDS.lon_max, viewport.focus[1]) == (40, 12)


def test_points_off_the_pane_have_no_cell() -> None:
    viewport = Viewport(80, 24, BOUNDS, zoom=8)
    assert viewport.to_cell(BOUNDS.lon_min, BOUNDS.lat_min) is None
    assert viewport.to_cell(*BOUNDS.center) == (40, 12)


def test_degenerate_viewports_are_refused() -> None:
    with pytest.raises(ValueError, match="at least one cell"):
        Viewport(0, 10, BOUNDS)
    with pytest.raises(ValueError, match="zoom"):
        Viewport(10, 10, BOUNDS, zoom=0)


# ---- the outline layer ------------------------------------------------------------------


def test_villages_fill_their_own_cells() -> None:
    layer = OutlineLayer(outlines())
    viewport = Viewport(200, 60, layer.bounds, zoom=4)
    raster = layer.rasterize(viewport)
    owner_of = {code: index for index, code in enumerate(layer.codes)}
    seen = hits = 0
    for village in villages():
        cell = viewport.to_cell(village.lon, village.lat)
        if cell is None:
            continue
        seen += 1
        hits += raster.owner[cell[1] * raster.cols + cell[0]] == owner_of[village.code]
    assert seen > 30
    assert hits >= 0.95 * seen


def test_the_whole_regency_is_drawn_at_zoom_one() -> None:
    layer = OutlineLayer(outlines())
    raster = layer.rasterize(Viewport(80, 24, layer.bounds))
    assert len(layer.codes) == sum(shape.level == "village" for shape in outlines())
    lit_columns = {cell % 80 for cell, bits in enumerate(raster.bits) if bits}
    lit_rows = {cell // 80 for cell, bits in enumerate(raster.bits) if bits}
    # The regency is taller than wide: it spans (nearly) every row, and the middle columns.
    assert min(lit_rows) <= 1 and max(lit_rows) >= 22
    assert 40 in lit_columns and 0 not in lit_columns and 79 not in lit_columns


def test_a_shape_outside_the_view_is_skipped() -> None:
    square = Outline(
        "X", "X", "village", (([(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0), (0.0, 0.0)],),)
    )
    layer = OutlineLayer([square], bounds=Bounds(10.0, 10.0, 11.0, 11.0))
    raster = layer.rasterize(Viewport(20, 10, layer.bounds))
    assert not any(raster.bits) and set(raster.owner) == {NO_OWNER}
    with pytest.raises(ValueError, match="no outlines"):
        OutlineLayer([])


def test_compose_row_hatches_by_risk_level() -> None:
    raster = Raster(4, 1)
    raster.owner[:] = [NO_OWNER, 0, 1, 2]
    raster.bits[0] = 0x01
    tones = ["low", "medium", "high"]
    row = compose_row(raster, 0, "braille", tones, [0, 1, 2], "outside")
    assert row[0] == ("⠁", "outside")
    assert row[1] == (" ", "low")
    # Level 1 hatches every other cell, level 2 every cell.
    assert row[2][1] == "medium" and row[3][1] == "high"
    assert row[3][0] != " "
    blocks = compose_row(raster, 0, "blocks", tones, [0, 1, 2], "outside")
    assert blocks[0] == ("▀", "outside") and blocks[1] == (" ", "low")
    assert blocks[3][0] in "·░"


def test_runs_join_cells_of_one_tone_and_lay_markers_on_top() -> None:
    cells = [("a", "x"), ("b", "x"), ("c", "y"), ("d", "y")]
    assert runs(cells, {}) == [("ab", "x"), ("cd", "y")]
    assert runs(cells, {1: ("!", "m")}) == [("a", "x"), ("!", "m"), ("cd", "y")]
    assert runs([], {}) == []


def test_legend_swatches_tell_the_risk_levels_apart_without_colour() -> None:
    for charset in ("braille", "blocks"):
        swatches = [risk_swatch(charset, level) for level in (0, 1, 2)]
        assert len(set(swatches)) == 3, charset
        assert all(len(swatch) == 2 for swatch in swatches)
    "".join(risk_swatch("blocks", level) for level in (0, 1, 2)).encode("cp437")
