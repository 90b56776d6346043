"""The dot canvas and its projection, without Textual."""

from __future__ import annotations

import pytest

from pilkades_tui.console.canvas import (
    BOX_DOUBLE,
    BOX_SINGLE,
    EXIT_E,
    EXIT_N,
    EXIT_S,
    EXIT_W,
    FIT_MARGIN,
    NO_OWNER,
    Bounds,
    OutlineLayer,
    Raster,
    Viewport,
    bounds_of,
    braille_char,
    cell_exits,
    check_charset,
    clip_segment,
    compose_row,
    default_charset,
    label_point,
    risk_swatch,
    runs,
)
from pilkades_tui.domain.geo import haversine_km
from pilkades_tui.scenario.geography import Outline, contains, outlines, villages

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


# Characters a map drawn in blocks would show: filled or shaded cells.
SOLID = set("█▀▄▌▐▒▓")


def outline_text(raster: Raster) -> list[str]:
    owners = max(raster.owner) + 1
    return [
        "".join(
            char
            for char, _ in compose_row(raster, row, "blocks", ["v"] * owners, [0] * owners, "out")
        )
        for row in range(raster.rows)
    ]


def test_outline_traces_lines_one_cell_thin_with_box_characters() -> None:
    raster = Raster(6, 4)
    raster.line(1, 5, 9, 5)  # along row 1, from column 0 to 4
    raster.line(9, 5, 9, 14)  # down column 4 to row 3
    rows = outline_text(raster)
    assert rows[0] == " " * 6
    assert rows[1] == "────┐ "
    assert rows[2] == "    │ "
    assert rows[3] == "    │ "  # off the bottom edge the line goes on
    for box in (BOX_SINGLE, BOX_DOUBLE):
        "".join(box).encode("cp437")  # every one in the Linux console font


def test_kecamatan_borders_are_double_and_village_lines_beside_them_give_way() -> None:
    raster = Raster(5, 4)
    raster.owner[:] = [0] * 20
    raster.line(0, 5, 9, 5, raster.major)  # a kecamatan border along row 1
    raster.line(0, 1, 9, 1)  # a village border a cell above it, doubling it
    raster.line(0, 13, 3, 13)  # and one two cells off
    rows = outline_text(raster)
    assert rows[1] == "═════"
    assert rows[0] == "     "
    assert rows[3] == "──   "


def test_cell_exits_follow_the_line_into_each_neighbour() -> None:
    raster = Raster(3, 3)
    raster.line(1, 5, 3, 5)  # from the left cell into the middle one
    raster.line(3, 5, 3, 9)  # and down into the cell below the middle
    middle = 1 * 3 + 1
    assert cell_exits(raster.bits, 3, 3, middle) == EXIT_W | EXIT_S
    assert cell_exits(raster.bits, 3, 3, 2 * 3 + 1) == EXIT_N
    assert cell_exits(raster.bits, 3, 3, 0) == 0  # no dots, no line
    assert BOX_SINGLE[EXIT_W | EXIT_S] == "┐" and BOX_SINGLE[EXIT_E | EXIT_N] == "└"


def test_the_regency_in_outline_is_lines_not_a_blob() -> None:
    layer = OutlineLayer(outlines())
    # (cols, rows, zoom, village borders drawn, most line cells per cell inside)
    for cols, rows, zoom, villages_drawn, most in (
        (78, 17, 1.0, False, 1.0),
        (118, 33, 1.0, False, 0.6),
        (198, 55, 1.0, False, 0.45),
        (118, 33, 3.0, True, 0.6),
    ):
        viewport = Viewport(cols, rows, layer.bounds, zoom)
        raster = layer.rasterize(viewport, villages=villages_drawn, major=True)
        text = "".join(outline_text(raster))
        text.encode("cp437")
        assert not set(text) & SOLID, (cols, zoom)
        inside = sum(owner != NO_OWNER for owner in raster.owner)
        lines = sum(char in BOX_SINGLE + BOX_DOUBLE for char in text if char != " ")
        # Kecamatan (and, zoomed in, village) borders, with room inside them.
        assert 0.15 * inside < lines < most * inside, (cols, zoom, lines, inside)
        assert any(char in BOX_DOUBLE for char in text if char.strip())
        assert villages_drawn == any(char in BOX_SINGLE for char in text if char.strip())


def test_a_label_point_lies_inside_its_shape() -> None:
    # A U: its centroid lies in the gap between the arms.
    ring = [(0.0, 0.0), (3.0, 0.0), (3.0, 3.0), (2.0, 3.0), (2.0, 1.0), (1.0, 1.0)]
    ring += [(1.0, 3.0), (0.0, 3.0), (0.0, 0.0)]
    shape = Outline("U", "U", "village", ((ring,),))
    lon, lat = label_point(shape)
    assert contains(shape, lat, lon)
    layer = OutlineLayer(outlines())
    assert len(layer.district_labels) == sum(o.level == "district" for o in outlines())
    for outline, place in zip(
        (o for o in outlines() if o.level == "village"), layer.village_labels, strict=True
    ):
        assert place.name == outline.name
        assert contains(outline, place.lat, place.lon), outline.name


def test_cells_per_place_grow_with_the_square_of_the_zoom() -> None:
    layer = OutlineLayer(outlines())
    one = layer.cells_per_place(Viewport(80, 24, layer.bounds), 19)
    two = layer.cells_per_place(Viewport(80, 24, layer.bounds, zoom=2.0), 19)
    assert two == pytest.approx(4 * one)
    inside = sum(o != NO_OWNER for o in layer.rasterize(Viewport(80, 24, layer.bounds)).owner)
    assert one * 19 == pytest.approx(inside, rel=0.15)


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
    assert blocks[0][0] in BOX_SINGLE and blocks[0][1] == "outside"
    assert blocks[1] == (" ", "low")
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
