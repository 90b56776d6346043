"""The report's map: the election's villages coloured by risk class, the period's
incidents marked by priority, drawn as one inline SVG (no script, prints as it shows).

Points closer than half a pixel to the last one kept are dropped, so a province's
thousands of villages stay a file a browser opens at once.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from math import cos, radians

from pilkades_tui.i18n import Catalogue
from pilkades_tui.report.figures import IncidentMark
from pilkades_tui.scenario.geography import Geography, Ring

WIDTH = 640
MAX_HEIGHT = 640  # a tall kabupaten is scaled down to fit a printed page with its legend
MARGIN = 10
LEGEND_H = 46
MIN_STEP_PX = 0.5
RISK_FILL = {"low": "#cfe8cf", "medium": "#f5d58a", "high": "#e8826f"}
UNRATED_FILL = "#f2f2f2"
# Priority 1 (most urgent) largest and darkest; the number is written in the mark too,
# so a black-and-white print still tells them apart.
PRIORITY_STYLE = {1: (7.0, "#8b0000"), 2: (6.0, "#d35400"), 3: (5.0, "#1f4e79"), 4: (4.0, "#555")}


@dataclass(frozen=True, slots=True)
class RiskMap:
    title: str
    geography: Geography
    village_risk: dict[str, str]  # village code -> low / medium / high
    incidents: Sequence[IncidentMark]


class _Projection:
    def __init__(self, geography: Geography) -> None:
        points = [
            point
            for outline in geography.outlines
            if outline.level == "village"
            for polygon in outline.polygons
            for point in polygon[0]
        ]
        lons = [lon for lon, _ in points]
        lats = [lat for _, lat in points]
        self.west, self.east = min(lons), max(lons)
        self.south, self.north = min(lats), max(lats)
        # Equirectangular at the middle latitude: true enough over one kabupaten.
        self.factor = cos(radians((self.south + self.north) / 2))
        span_x = max((self.east - self.west) * self.factor, 1e-9)
        span_y = max(self.north - self.south, 1e-9)
        self.scale = min((WIDTH - 2 * MARGIN) / span_x, (MAX_HEIGHT - 2 * MARGIN) / span_y)
        self.height = span_y * self.scale + 2 * MARGIN

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return (
            MARGIN + (lon - self.west) * self.factor * self.scale,
            MARGIN + (self.north - lat) * self.scale,
        )

    def path(self, rings: Sequence[Ring]) -> str:
        parts: list[str] = []
        for ring in rings:
            kept: list[str] = []
            last: tuple[float, float] | None = None
            for lon, lat in ring:
                x, y = self.xy(lon, lat)
                if last is not None and abs(x - last[0]) + abs(y - last[1]) < MIN_STEP_PX:
                    continue
                kept.append(f"{x:.1f} {y:.1f}")
                last = (x, y)
            if len(kept) >= 3:
                parts.append("M" + "L".join(kept) + "Z")
        return "".join(parts)


def risk_map_svg(risk_map: RiskMap, words: Catalogue) -> str:
    projection = _Projection(risk_map.geography)
    map_h = projection.height
    height = map_h + LEGEND_H
    label = html.escape(risk_map.title)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="map" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'width="{WIDTH}" height="{height:.0f}" role="img" aria-label="{label}">'
    ]
    for outline in risk_map.geography.outlines:
        if outline.level != "village":
            continue
        risk = risk_map.village_risk.get(outline.code)
        fill = RISK_FILL.get(risk or "", UNRATED_FILL)
        shape = projection.path([ring for polygon in outline.polygons for ring in polygon])
        if not shape:
            continue
        risk_word = words.enum("risk", risk) if risk else words("report.map.unrated")
        parts.append(
            f'<path d="{shape}" fill="{fill}" fill-rule="evenodd" stroke="#999" '
            f'stroke-width="0.4"><title>{html.escape(outline.name)}: '
            f"{html.escape(risk_word)}</title></path>"
        )
    for outline in risk_map.geography.outlines:
        if outline.level == "district":
            shape = projection.path([ring for polygon in outline.polygons for ring in polygon])
            parts.append(f'<path d="{shape}" fill="none" stroke="#444" stroke-width="1"/>')
    # The most urgent last, so it is drawn on top.
    for mark in sorted(risk_map.incidents, key=lambda m: -m.priority):
        radius, colour = PRIORITY_STYLE.get(mark.priority, PRIORITY_STYLE[4])
        x, y = projection.xy(mark.lon, mark.lat)
        parts.append(
            f'<g class="incident"><circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}" '
            f'fill="{colour}" stroke="#fff" stroke-width="1"/>'
            f'<text x="{x:.1f}" y="{y + 3:.1f}" text-anchor="middle" '
            f'style="font-size:8px;fill:#fff">{mark.priority}</text>'
            f"<title>{html.escape(mark.id)} P{mark.priority}</title></g>"
        )
    parts.append(_legend(map_h, words))
    parts.append("</svg>")
    return "".join(parts)


def _legend(top: float, words: Catalogue) -> str:
    parts = []
    x = MARGIN
    y = top + 8
    swatches = [(words.enum("risk", risk), fill) for risk, fill in RISK_FILL.items()]
    swatches.append((words("report.map.unrated"), UNRATED_FILL))
    for name, fill in swatches:
        parts.append(
            f'<rect x="{x}" y="{y:.0f}" width="14" height="10" fill="{fill}" stroke="#999"/>'
            f'<text x="{x + 18}" y="{y + 9:.0f}">{html.escape(name)}</text>'
        )
        x += 110
    y += 20
    x = MARGIN
    parts.append(
        f'<text x="{x}" y="{y + 9:.0f}">{html.escape(words("report.map.incidents"))}</text>'
    )
    x += 150
    for priority, (radius, colour) in PRIORITY_STYLE.items():
        parts.append(
            f'<circle cx="{x + radius:.0f}" cy="{y + 5:.0f}" r="{radius}" fill="{colour}"/>'
            f'<text x="{x + 2 * radius + 4:.0f}" y="{y + 9:.0f}">P{priority}</text>'
        )
        x += 60
    return "".join(parts)
