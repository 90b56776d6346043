"""A dot canvas for drawing the kabupaten in a terminal, and its projection.

Each terminal cell holds 2x4 braille dots. A cell is about twice as tall as it is wide,
so a braille dot is square; longitude is scaled by cos(latitude) so the map keeps its
shape. Where braille is missing (the Linux console font), the same dots are shown as
2x2 quadrant blocks. No Textual here: the widget asks this module for characters and
tones only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from math import cos, radians

BRAILLE_BASE = 0x2800
# Bit of each dot (column, row) in a braille cell.
BRAILLE_BITS = {
    (0, 0): 0x01, (0, 1): 0x02, (0, 2): 0x04, (0, 3): 0x40,
    (1, 0): 0x08, (1, 1): 0x10, (1, 2): 0x20, (1, 3): 0x80,
}  # fmt: skip
# Quadrants: bit 1 top-left, 2 top-right, 4 bottom-left, 8 bottom-right.
QUADRANTS = " ▘▝▀▖▌▞▛▗▚▐▜▄▙▟█"


def braille_char(bits: int) -> str:
    return chr(BRAILLE_BASE + bits) if bits else " "


def quadrant_char(bits: int) -> str:
    """The 2x4 braille dots of a cell folded into 2x2 quadrant blocks."""
    quadrant = 0
    if bits & (0x01 | 0x02):
        quadrant |= 1
    if bits & (0x08 | 0x10):
        quadrant |= 2
    if bits & (0x04 | 0x40):
        quadrant |= 4
    if bits & (0x20 | 0x80):
        quadrant |= 8
    return QUADRANTS[quadrant]


@dataclass(frozen=True, slots=True)
class Bounds:
    lon_min: float
    lat_min: float
    lon_max: float
    lat_max: float

    @property
    def center(self) -> tuple[float, float]:
        return ((self.lon_min + self.lon_max) / 2, (self.lat_min + self.lat_max) / 2)


def bounds_of(points: Iterable[tuple[float, float]]) -> Bounds:
    lons, lats = zip(*points, strict=True)
    return Bounds(min(lons), min(lats), max(lons), max(lats))


@dataclass(frozen=True, slots=True)
class Projection:
    """(lon, lat) → dot (x, y) for a canvas of `cols` x `rows` cells."""

    cols: int
    rows: int
    bounds: Bounds
    zoom: float = 1.0
    center: tuple[float, float] | None = None

    @property
    def _x_scale(self) -> float:
        return cos(radians((self.bounds.lat_min + self.bounds.lat_max) / 2))

    @property
    def dots_per_degree(self) -> float:
        width_deg = (self.bounds.lon_max - self.bounds.lon_min) * self._x_scale
        height_deg = self.bounds.lat_max - self.bounds.lat_min
        fit = min(self.cols * 2 / max(width_deg, 1e-9), self.rows * 4 / max(height_deg, 1e-9))
        return fit * 0.95 * self.zoom

    def to_dot(self, lon: float, lat: float) -> tuple[int, int]:
        center_lon, center_lat = self.center or self.bounds.center
        scale = self.dots_per_degree
        x = (lon - center_lon) * self._x_scale * scale + self.cols  # cols*2/2
        y = (center_lat - lat) * scale + self.rows * 2  # rows*4/2
        return int(round(x)), int(round(y))

    def to_cell(self, lon: float, lat: float) -> tuple[int, int]:
        x, y = self.to_dot(lon, lat)
        return x // 2, y // 4

    def pan(self, dx_cells: float, dy_cells: float) -> Projection:
        center_lon, center_lat = self.center or self.bounds.center
        scale = self.dots_per_degree
        return Projection(
            self.cols,
            self.rows,
            self.bounds,
            self.zoom,
            (
                center_lon + dx_cells * 2 / (scale * self._x_scale),
                center_lat - dy_cells * 4 / scale,
            ),
        )


class DotCanvas:
    """Dots with a tone per cell (the last tone drawn in a cell wins)."""

    def __init__(self, cols: int, rows: int) -> None:
        self.cols = max(0, cols)
        self.rows = max(0, rows)
        self.bits = bytearray(self.cols * self.rows)
        self.tones: list[str] = [""] * (self.cols * self.rows)

    def set(self, x: int, y: int, tone: str) -> None:
        if 0 <= x < self.cols * 2 and 0 <= y < self.rows * 4:
            cell = (y // 4) * self.cols + x // 2
            self.bits[cell] |= BRAILLE_BITS[(x % 2, y % 4)]
            self.tones[cell] = tone

    def line(self, x0: int, y0: int, x1: int, y1: int, tone: str) -> None:
        """Bresenham, clipped by `set`; skips lines wholly off the canvas."""
        width, height = self.cols * 2, self.rows * 4
        if (x0 < 0 and x1 < 0) or (y0 < 0 and y1 < 0):
            return
        if (x0 >= width and x1 >= width) or (y0 >= height and y1 >= height):
            return
        dx, dy = abs(x1 - x0), -abs(y1 - y0)
        sx = 1 if x0 < x1 else -1
        sy = 1 if y0 < y1 else -1
        error = dx + dy
        for _ in range(dx - dy + 1):
            self.set(x0, y0, tone)
            if x0 == x1 and y0 == y1:
                return
            double = 2 * error
            if double >= dy:
                error += dy
                x0 += sx
            if double <= dx:
                error += dx
                y0 += sy

    def polyline(self, points: Sequence[tuple[int, int]], tone: str) -> None:
        for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
            self.line(x0, y0, x1, y1, tone)

    def rows_of_cells(self, braille: bool = True) -> list[list[tuple[str, str]]]:
        """Each row as (character, tone) per cell."""
        glyph = braille_char if braille else quadrant_char
        result = []
        for row in range(self.rows):
            start = row * self.cols
            result.append(
                [
                    (glyph(self.bits[start + col]), self.tones[start + col])
                    for col in range(self.cols)
                ]
            )
        return result
