"""A dot canvas for drawing the kabupaten in a terminal, and its projection.

A terminal cell is about twice as tall as it is wide, so its 2x4 braille dots are square:
one scale serves both axes once longitude is shrunk by cos(latitude). Terminals without
braille (the Linux console's font only has CP437) get the same lines traced with box-drawing
characters instead: thin edges, double for kecamatan borders, so the map reads as outlines
and the projection never depends on the character set.

The outlines are projected once into "scaled degrees" (lon·cos(lat₀), −lat); a viewport
is then only a shift and a scale, and a raster of ~300 village polygons is cheap enough
to rebuild on each zoom or pan. No Textual here: the widget asks for characters and tones.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from math import ceil, cos, radians

from pilkades_tui.scenario.geography import Outline, centroid, contains

DOTS_X = 2
DOTS_Y = 4
BRAILLE_BASE = 0x2800
# DOT_BITS[row][column]: the bit of that dot in a braille cell (Unicode's dot numbering).
DOT_BITS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))
# `blocks` is the outline rendering with CP437 box-drawing characters (the name stays
# for the configs and code that already say it).
CHARSETS = ("braille", "blocks")
# Terminals whose fonts have no braille: the Linux virtual console and its kin.
BLOCK_TERMS = frozenset({"linux", "vt100", "vt102", "vt220", "cons25"})
# The map fills this much of the pane at zoom 1, leaving a rim around the regency.
FIT_MARGIN = 0.96
NO_OWNER = -1

# Risk hatching: a level per village (0 none, 1 sparse, 2 dense), drawn as extra dots in
# a checkerboard so the risk still reads when NO_COLOR strips every colour.
FILL_DOTS = ((0, 0), (DOT_BITS[1][0], 0), (DOT_BITS[1][0], DOT_BITS[2][1]))
FILL_BLOCKS = (("", ""), ("·", ""), ("░", "·"))


def default_charset(term: str | None) -> str:
    """`braille`, unless TERM names a console whose font lacks it."""
    return "blocks" if (term or "").split("-")[0] in BLOCK_TERMS else "braille"


def braille_char(bits: int) -> str:
    return chr(BRAILLE_BASE + bits) if bits else " "


GLYPHS: dict[str, tuple[str, ...]] = {
    "braille": tuple(braille_char(bits) for bits in range(256)),
}


def risk_swatch(charset: str, level: int) -> str:
    """Two cells of a hatching level over a border, as the legend shows it."""
    if charset == "braille":
        border = DOT_BITS[3][0] | DOT_BITS[3][1]
        return "".join(GLYPHS["braille"][border | FILL_DOTS[level][parity]] for parity in (0, 1))
    return "".join(FILL_BLOCKS[level][parity] or BOX_SINGLE[EXIT_E | EXIT_W] for parity in (0, 1))


# ---- outlines traced with box-drawing characters (the Linux console) ------------------
# A cell's line dots leave it through some of its four sides; the box-drawing character
# joining those sides draws the same line one cell thin, where folding the dots into
# blocks drew a solid mass.
EXIT_N, EXIT_E, EXIT_S, EXIT_W = 1, 2, 4, 8
_BOX_SIDES = {
    EXIT_N: "│",
    EXIT_S: "│",
    EXIT_N | EXIT_S: "│",
    EXIT_E: "─",
    EXIT_W: "─",
    EXIT_E | EXIT_W: "─",
    EXIT_N | EXIT_E: "└",
    EXIT_E | EXIT_S: "┌",
    EXIT_S | EXIT_W: "┐",
    EXIT_W | EXIT_N: "┘",
    EXIT_N | EXIT_E | EXIT_S: "├",
    EXIT_E | EXIT_S | EXIT_W: "┬",
    EXIT_S | EXIT_W | EXIT_N: "┤",
    EXIT_W | EXIT_N | EXIT_E: "┴",
    EXIT_N | EXIT_E | EXIT_S | EXIT_W: "┼",
}
BOX_SINGLE = tuple(_BOX_SIDES.get(exits, "") for exits in range(16))
BOX_DOUBLE = tuple(
    char.translate(str.maketrans("│─└┌┐┘├┬┤┴┼", "║═╚╔╗╝╠╦╣╩╬")) for char in BOX_SINGLE
)


def _column_mask(bits: int, column: int) -> int:
    """Which of the four dot rows are lit in one column of a cell, as 4 bits."""
    return sum(1 << row for row in range(DOTS_Y) if bits & DOT_BITS[row][column])


LEFT_ROWS = tuple(_column_mask(bits, 0) for bits in range(256))
RIGHT_ROWS = tuple(_column_mask(bits, 1) for bits in range(256))
# A lit row, or the rows beside it: a line may step diagonally into the next cell.
NEAR_ROWS = tuple((mask | mask << 1 | mask >> 1) & 0xF for mask in range(16))
TOP_DOTS = DOT_BITS[0][0] | DOT_BITS[0][1]
BOTTOM_DOTS = DOT_BITS[3][0] | DOT_BITS[3][1]
LEFT_DOTS = DOT_BITS[0][0] | DOT_BITS[1][0] | DOT_BITS[2][0] | DOT_BITS[3][0]


def cell_exits(bits: bytes | bytearray, cols: int, rows: int, index: int) -> int:
    """The sides of cell `index` its line dots cross into the next cell (or off the edge)."""
    cell = bits[index]
    if not cell:
        return 0
    row, col = divmod(index, cols)
    exits = 0
    if cell & TOP_DOTS and (row == 0 or bits[index - cols] & BOTTOM_DOTS):
        exits |= EXIT_N
    if cell & BOTTOM_DOTS and (row == rows - 1 or bits[index + cols] & TOP_DOTS):
        exits |= EXIT_S
    right = RIGHT_ROWS[cell]
    if right and (col == cols - 1 or right & NEAR_ROWS[LEFT_ROWS[bits[index + 1]]]):
        exits |= EXIT_E
    left = LEFT_ROWS[cell]
    if left and (col == 0 or left & NEAR_ROWS[RIGHT_ROWS[bits[index - 1]]]):
        exits |= EXIT_W
    if not exits:
        # A fragment touching no neighbour: its longer extent decides.
        exits = EXIT_E | EXIT_W if right and left else EXIT_N | EXIT_S
    return exits


def check_charset(charset: str) -> str:
    if charset not in CHARSETS:
        raise ValueError(f"charset {charset!r}: expected one of {', '.join(CHARSETS)}")
    return charset


@dataclass(frozen=True, slots=True)
class Bounds:
    lon_min: float
    lat_min: float
    lon_max: float
    lat_max: float

    @property
    def center(self) -> tuple[float, float]:
        return ((self.lon_min + self.lon_max) / 2, (self.lat_min + self.lat_max) / 2)

    @property
    def lon_factor(self) -> float:
        """How much shorter a degree of longitude is than one of latitude, here."""
        return cos(radians((self.lat_min + self.lat_max) / 2))


def bounds_of(points: Iterable[tuple[float, float]]) -> Bounds:
    lons: list[float] = []
    lats: list[float] = []
    for lon, lat in points:
        lons.append(lon)
        lats.append(lat)
    if not lons:
        raise ValueError("no points to bound")
    return Bounds(min(lons), min(lats), max(lons), max(lats))


@dataclass(frozen=True, slots=True)
class Viewport:
    """(lon, lat) → continuous dot coordinates for `cols` x `rows` cells.

    Dot (x, y) covers [x, x+1) × [y, y+1); the focus point sits at the pane's middle.
    Zoom 1 fits `bounds`; `center` None means the middle of `bounds`.
    """

    cols: int
    rows: int
    bounds: Bounds
    zoom: float = 1.0
    center: tuple[float, float] | None = None

    def __post_init__(self) -> None:
        if self.cols < 1 or self.rows < 1:
            raise ValueError(f"a viewport needs at least one cell, got {self.cols}x{self.rows}")
        if self.zoom <= 0:
            raise ValueError(f"zoom must be positive, got {self.zoom}")

    @property
    def focus(self) -> tuple[float, float]:
        return self.center or self.bounds.center

    @property
    def width(self) -> int:
        return self.cols * DOTS_X

    @property
    def height(self) -> int:
        return self.rows * DOTS_Y

    @property
    def dots_per_degree(self) -> float:
        """Dots per degree of latitude (and per cos(lat₀)-scaled degree of longitude)."""
        bounds = self.bounds
        span_x = max((bounds.lon_max - bounds.lon_min) * bounds.lon_factor, 1e-9)
        span_y = max(bounds.lat_max - bounds.lat_min, 1e-9)
        fit = min(self.width / span_x, self.height / span_y)
        return fit * FIT_MARGIN * self.zoom

    def transform(self) -> tuple[float, float, float]:
        """(scale, x offset, y offset) taking scaled degrees (X, Y) to dots."""
        scale = self.dots_per_degree
        focus_lon, focus_lat = self.focus
        offset_x = self.width / 2 - focus_lon * self.bounds.lon_factor * scale
        offset_y = self.height / 2 + focus_lat * scale
        return scale, offset_x, offset_y

    def to_dot(self, lon: float, lat: float) -> tuple[float, float]:
        scale, offset_x, offset_y = self.transform()
        return lon * self.bounds.lon_factor * scale + offset_x, offset_y - lat * scale

    def to_lonlat(self, x: float, y: float) -> tuple[float, float]:
        scale, offset_x, offset_y = self.transform()
        return (x - offset_x) / (self.bounds.lon_factor * scale), (offset_y - y) / scale

    def to_cell(self, lon: float, lat: float) -> tuple[int, int] | None:
        """The cell (column, row) showing this point, or None when it is off the pane."""
        x, y = self.to_dot(lon, lat)
        if 0 <= x < self.width and 0 <= y < self.height:
            return int(x) // DOTS_X, int(y) // DOTS_Y
        return None

    def zoomed(self, zoom: float) -> Viewport:
        return Viewport(self.cols, self.rows, self.bounds, zoom, self.center)

    def centred_on(self, lon: float, lat: float) -> Viewport:
        """Focus on a point, kept inside `bounds` so the map cannot be lost off-screen."""
        bounds = self.bounds
        lon = min(max(lon, bounds.lon_min), bounds.lon_max)
        lat = min(max(lat, bounds.lat_min), bounds.lat_max)
        return Viewport(self.cols, self.rows, bounds, self.zoom, (lon, lat))

    def panned(self, columns: float, rows: float) -> Viewport:
        """Move the view by whole cells (positive: east and south)."""
        focus_x, focus_y = self.to_dot(*self.focus)
        return self.centred_on(*self.to_lonlat(focus_x + columns * DOTS_X, focus_y + rows * DOTS_Y))


def clip_segment(
    x0: float, y0: float, x1: float, y1: float, width: float, height: float
) -> tuple[float, float, float, float] | None:
    """Liang–Barsky: the part of a segment inside [0, width) × [0, height), or None."""
    right = width - 1e-9
    bottom = height - 1e-9
    dx = x1 - x0
    dy = y1 - y0
    enter, leave = 0.0, 1.0
    for step, room in ((-dx, x0), (dx, right - x0), (-dy, y0), (dy, bottom - y0)):
        if step == 0:
            if room < 0:
                return None
            continue
        ratio = room / step
        if step < 0:
            if ratio > leave:
                return None
            enter = max(enter, ratio)
        else:
            if ratio < enter:
                return None
            leave = min(leave, ratio)
    if enter > leave:
        return None
    return x0 + enter * dx, y0 + enter * dy, x0 + leave * dx, y0 + leave * dy


@dataclass(slots=True)
class Raster:
    """Line dots per cell, and which filled shape owns each cell's centre.

    `bits` holds the village borders, `major` the kecamatan and kabupaten borders (drawn
    only for the outline rendering, which tells the two apart).
    """

    cols: int
    rows: int
    bits: bytearray = field(init=False)
    major: bytearray = field(init=False)
    owner: list[int] = field(init=False)

    def __post_init__(self) -> None:
        self.cols = max(0, self.cols)
        self.rows = max(0, self.rows)
        self.bits = bytearray(self.cols * self.rows)
        self.major = bytearray(self.cols * self.rows)
        self.owner = [NO_OWNER] * (self.cols * self.rows)

    def set_dot(self, x: int, y: int) -> None:
        if 0 <= x < self.cols * DOTS_X and 0 <= y < self.rows * DOTS_Y:
            self.bits[(y >> 2) * self.cols + (x >> 1)] |= DOT_BITS[y & 3][x & 1]

    def line(
        self, x0: float, y0: float, x1: float, y1: float, into: bytearray | None = None
    ) -> None:
        """Bresenham between the dots of two points, clipped to the canvas first, into
        `bits` (or `into`, e.g. `major`)."""
        width, height = self.cols * DOTS_X, self.rows * DOTS_Y
        if 0 <= x0 < width and 0 <= x1 < width and 0 <= y0 < height and 0 <= y1 < height:
            ax, ay, bx, by = int(x0), int(y0), int(x1), int(y1)
        else:
            clipped = clip_segment(x0, y0, x1, y1, width, height)
            if clipped is None:
                return
            ax, ay, bx, by = (int(value) for value in clipped)
        bits = self.bits if into is None else into
        cols = self.cols
        dx = abs(bx - ax)
        dy = -abs(by - ay)
        sx = 1 if ax < bx else -1
        sy = 1 if ay < by else -1
        error = dx + dy
        while True:
            bits[(ay >> 2) * cols + (ax >> 1)] |= DOT_BITS[ay & 3][ax & 1]
            if ax == bx and ay == by:
                return
            double = 2 * error
            if double >= dy:
                error += dy
                ax += sx
            if double <= dx:
                error += dx
                ay += sy

    def fill(self, rings: Sequence[Sequence[tuple[float, float]]], owner: int) -> None:
        """Claim the cells whose centre lies inside the rings (even-odd, so holes stay out)."""
        cols, rows = self.cols, self.rows
        crossings: dict[int, list[float]] = {}
        for ring in rings:
            for (xa, ya), (xb, yb) in zip(ring, ring[1:], strict=False):
                if ya == yb:
                    continue
                low, high = (ya, yb) if ya < yb else (yb, ya)
                # Row r's centre line is y = 4r + 2; half-open [low, high) counts a shared
                # vertex once.
                first = max(0, ceil((low - 2) / DOTS_Y))
                last = min(rows - 1, ceil((high - 2) / DOTS_Y) - 1)
                slope = (xb - xa) / (yb - ya)
                for row in range(first, last + 1):
                    crossings.setdefault(row, []).append(xa + (row * DOTS_Y + 2 - ya) * slope)
        owners = self.owner
        for row, xs in crossings.items():
            xs.sort()
            base = row * cols
            for start, end in zip(xs[::2], xs[1::2], strict=False):
                # Column c's centre is x = 2c + 1.
                first = max(0, ceil((start - 1) / DOTS_X))
                last = min(cols - 1, ceil((end - 1) / DOTS_X) - 1)
                for col in range(first, last + 1):
                    owners[base + col] = owner


@dataclass(frozen=True, slots=True)
class _Shape:
    owner: int  # index in OutlineLayer.codes, or NO_OWNER for a shape only outlined
    rings: tuple[tuple[tuple[float, float], ...], ...]  # in scaled degrees
    edges: tuple[tuple[float, float, float, float], ...]  # borders no earlier shape drew
    box: tuple[float, float, float, float]  # X min, Y min, X max, Y max


@dataclass(frozen=True, slots=True)
class PlaceLabel:
    """A place's name and where it is written: its centroid, or a point inside the
    shape when the centroid falls outside it (a crescent, an archipelago)."""

    name: str
    lon: float
    lat: float


def label_point(outline: Outline) -> tuple[float, float]:
    """(lon, lat) inside the outline, as near its centroid as a horizontal scan finds."""
    lat, lon = centroid(outline.polygons)
    if contains(outline, lat, lon):
        return lon, lat
    spans: list[tuple[float, float]] = []
    for polygon in outline.polygons:
        crossings = sorted(
            x0 + (lat - y0) * (x1 - x0) / (y1 - y0)
            for ring in polygon
            for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False)
            if (y0 > lat) != (y1 > lat)
        )
        spans.extend(zip(crossings[::2], crossings[1::2], strict=False))
    if not spans:
        first = next((ring[0] for polygon in outline.polygons for ring in polygon[:1]), (lon, lat))
        return first
    west, east = max(spans, key=lambda span: span[1] - span[0])
    return (west + east) / 2, lat


def _ring_area(ring: Sequence[tuple[float, float]]) -> float:
    return abs(
        sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False)) / 2
    )


class OutlineLayer:
    """Outlines projected once; `rasterize` draws them for any viewport.

    Village polygons are filled (their cells take the village's tone) and outlined; the
    other levels are outlined only. When villages are given, the kecamatan and kabupaten
    borders are kept apart (`major`) for the outline rendering, which draws them heavier;
    the dot rendering needs only the village borders, which include them.
    """

    def __init__(self, shapes: Sequence[Outline], bounds: Bounds | None = None) -> None:
        if not shapes:
            raise ValueError("no outlines to draw")
        self.bounds = bounds or bounds_of(
            point for shape in shapes for polygon in shape.polygons for point in polygon[0]
        )
        has_villages = any(shape.level == "village" for shape in shapes)
        self.codes: list[str] = []
        self.district_labels: list[PlaceLabel] = []
        self.village_labels: list[PlaceLabel] = []
        # The villages' area in square scaled degrees: with a viewport's scale it says
        # how many cells a kecamatan or a village covers on average, at any pan.
        self.village_area = 0.0
        self._shapes: list[_Shape] = []
        self._major: list[_Shape] = []
        # Neighbouring villages share their border; drawing it once halves the line work.
        drawn: set[tuple[tuple[float, float], tuple[float, float]]] = set()
        drawn_major: set[tuple[tuple[float, float], tuple[float, float]]] = set()
        for shape in shapes:
            if shape.level == "district":
                self.district_labels.append(PlaceLabel(shape.name, *label_point(shape)))
            major = has_villages and shape.level != "village"
            owner = NO_OWNER
            if shape.level == "village":
                owner = len(self.codes)
                self.codes.append(shape.code)
                self.village_labels.append(PlaceLabel(shape.name, *label_point(shape)))
            for polygon in shape.polygons:
                projected = self._project(polygon, owner, drawn_major if major else drawn)
                (self._major if major else self._shapes).append(projected)
                if owner != NO_OWNER:
                    self.village_area += _ring_area(projected.rings[0])

    def _project(
        self,
        polygon: Sequence[Sequence[tuple[float, float]]],
        owner: int,
        drawn: set[tuple[tuple[float, float], tuple[float, float]]],
    ) -> _Shape:
        factor = self.bounds.lon_factor
        rings = tuple(tuple((lon * factor, -lat) for lon, lat in ring) for ring in polygon)
        edges = []
        for ring in rings:
            for start, end in zip(ring, ring[1:], strict=False):
                key = (start, end) if start <= end else (end, start)
                if start != end and key not in drawn:
                    drawn.add(key)
                    edges.append((*start, *end))
        xs = [x for ring in rings for x, _ in ring]
        ys = [y for ring in rings for _, y in ring]
        return _Shape(owner, rings, tuple(edges), (min(xs), min(ys), max(xs), max(ys)))

    def cells_per_place(self, viewport: Viewport, places: int) -> float:
        """How many cells each of `places` equal parts of the villages' area would cover."""
        dots = self.village_area * viewport.dots_per_degree**2
        return dots / (DOTS_X * DOTS_Y) / max(1, places)

    def rasterize(
        self, viewport: Viewport, *, villages: bool = True, major: bool = False
    ) -> Raster:
        """Fill the villages; draw their borders into `bits` if `villages`, and the
        kecamatan and kabupaten borders into `major` if `major`."""
        raster = Raster(viewport.cols, viewport.rows)
        scale, offset_x, offset_y = viewport.transform()
        # In scaled degrees Y is −lat, so the viewport's y offset applies as it is.
        width, height = viewport.width, viewport.height
        shapes = [(shape, raster.bits if villages else None) for shape in self._shapes]
        if major:
            shapes += [(shape, raster.major) for shape in self._major]
        for shape, into in shapes:
            x_min, y_min, x_max, y_max = shape.box
            if (
                x_max * scale + offset_x < 0
                or x_min * scale + offset_x >= width
                or y_max * scale + offset_y < 0
                or y_min * scale + offset_y >= height
            ):
                continue
            if shape.owner != NO_OWNER:
                dot_rings = [
                    [(x * scale + offset_x, y * scale + offset_y) for x, y in ring]
                    for ring in shape.rings
                ]
                raster.fill(dot_rings, shape.owner)
            if into is None:
                continue
            line = raster.line
            for xa, ya, xb, yb in shape.edges:
                line(
                    xa * scale + offset_x,
                    ya * scale + offset_y,
                    xb * scale + offset_x,
                    yb * scale + offset_y,
                    into,
                )
        return raster


def compose_row(
    raster: Raster,
    row: int,
    charset: str,
    owner_tones: Sequence[str],
    owner_fills: Sequence[int],
    outside_tone: str,
) -> list[tuple[str, str]]:
    """One row as (character, tone) per cell: the lines plus the owner's risk hatching."""
    if charset != "braille":
        return _outline_row(raster, row, owner_tones, owner_fills, outside_tone)
    glyphs = GLYPHS[charset]
    start = row * raster.cols
    bits = raster.bits
    owners = raster.owner
    cells: list[tuple[str, str]] = []
    for col in range(raster.cols):
        owner = owners[start + col]
        cell_bits = bits[start + col]
        if owner == NO_OWNER:
            cells.append((glyphs[cell_bits], outside_tone))
            continue
        parity = (col + row) & 1
        char = glyphs[cell_bits | FILL_DOTS[owner_fills[owner]][parity]]
        cells.append((char, owner_tones[owner]))
    return cells


def _beside(bits: bytes | bytearray, cols: int, rows: int, index: int) -> bool:
    """Whether a 4-neighbour of cell `index` has lines in `bits`."""
    row, col = divmod(index, cols)
    return bool(
        (col > 0 and bits[index - 1])
        or (col < cols - 1 and bits[index + 1])
        or (row > 0 and bits[index - cols])
        or (row < rows - 1 and bits[index + cols])
    )


def _outline_row(
    raster: Raster,
    row: int,
    owner_tones: Sequence[str],
    owner_fills: Sequence[int],
    outside_tone: str,
) -> list[tuple[str, str]]:
    """The outline rendering: kecamatan borders double, village borders single, one
    cell thin; the cells between them hatched by risk."""
    cols, rows = raster.cols, raster.rows
    start = row * cols
    bits, major, owners = raster.bits, raster.major, raster.owner
    cells: list[tuple[str, str]] = []
    for col in range(cols):
        index = start + col
        owner = owners[index]
        if major[index]:
            char = BOX_DOUBLE[cell_exits(major, cols, rows, index)]
        elif bits[index] and not _beside(major, cols, rows, index):
            # The kecamatan outlines are simpler than the villages' (their borders run a
            # dot or two apart): a village line beside a kecamatan line would double it.
            char = BOX_SINGLE[cell_exits(bits, cols, rows, index)]
        elif owner == NO_OWNER:
            char = " "
        else:
            char = FILL_BLOCKS[owner_fills[owner]][(col + row) & 1] or " "
        cells.append((char, outside_tone if owner == NO_OWNER else owner_tones[owner]))
    return cells


def runs(
    cells: Sequence[tuple[str, str]], overlay: Mapping[int, tuple[str, str]]
) -> list[tuple[str, str]]:
    """Adjacent cells of one tone joined into (text, tone) runs, overlay cells on top."""
    result: list[tuple[str, str]] = []
    text: list[str] = []
    tone = ""
    for col, cell in enumerate(cells):
        char, cell_tone = overlay.get(col, cell)
        if cell_tone != tone and text:
            result.append(("".join(text), tone))
            text = []
        tone = cell_tone
        text.append(char)
    if text:
        result.append(("".join(text), tone))
    return result
