"""The kabupaten map: village outlines coloured by risk, incidents, units.

The outlines are rasterised once per size, zoom and pan; a redraw for moved units or
new incidents only lays markers over that cached layer.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.strip import Strip
from textual.widget import Widget

from pilkades_tui.console.canvas import Bounds, DotCanvas, Projection, bounds_of
from pilkades_tui.console.i18n import Catalogue
from pilkades_tui.domain.models import OfficerStatus, Risk
from pilkades_tui.domain.state import Changes, ElectionState
from pilkades_tui.scenario.geography import Outline, outlines

ZOOMS = (1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0)
PAN_STEP_CELLS = 8
RECOMMENDED_SHOWN = 3


def _default_outlines() -> tuple[Outline, ...]:
    return outlines()


class MapPane(Widget, can_focus=True):
    COMPONENT_CLASSES = {
        "map--border",
        "map--none",
        "map--low",
        "map--medium",
        "map--high",
        "map--incident",
        "map--incident-urgent",
        "map--officer",
        "map--busy",
        "map--selected",
        "map--recommended",
    }
    DEFAULT_CSS = """
    MapPane { background: $surface; }
    MapPane > .map--border { color: $foreground-muted; }
    MapPane > .map--none { color: $foreground-muted; }
    MapPane > .map--low { color: $text-success; }
    MapPane > .map--medium { color: $text-warning; }
    MapPane > .map--high { color: $text-error; }
    MapPane > .map--incident { color: $text-warning; text-style: bold; }
    MapPane > .map--incident-urgent { color: $text-error; text-style: bold reverse; }
    MapPane > .map--officer { color: $text-primary; }
    MapPane > .map--busy { color: $text-secondary; }
    MapPane > .map--selected { color: $text-accent; text-style: bold reverse; }
    MapPane > .map--recommended { color: $text-accent; text-style: bold; }
    """
    BINDINGS = [
        Binding("plus,equals_sign", "zoom(1)", show=False),
        Binding("minus", "zoom(-1)", show=False),
        Binding("left", "pan(-1, 0)", show=False),
        Binding("right", "pan(1, 0)", show=False),
        Binding("up", "pan(0, -1)", show=False),
        Binding("down", "pan(0, 1)", show=False),
        Binding("0", "reset_view", show=False),
    ]

    def __init__(
        self,
        catalogue: Catalogue,
        *,
        braille: bool = True,
        shapes: Callable[[], tuple[Outline, ...]] = _default_outlines,
        id: str | None = None,  # noqa: A002 - Textual's name
    ) -> None:
        super().__init__(id=id)
        self.catalogue = catalogue
        self.braille = braille
        self.state: ElectionState | None = None
        self.selected_incident_id: str | None = None
        self.zoom_index = 0
        self.center: tuple[float, float] | None = None
        self._shapes = shapes()
        regency = [s for s in self._shapes if s.level == "regency"] or list(self._shapes)
        self.bounds: Bounds = bounds_of(
            point for shape in regency for polygon in shape.polygons for point in polygon[0]
        )
        self._base_key: tuple | None = None
        self._base: list[list[tuple[str, str]]] = []
        self._markers: dict[tuple[int, int], tuple[str, str]] = {}
        self._risk_key: tuple | None = None
        self._village_risk: dict[str, Risk] = {}

    # ---- attributes down ---------------------------------------------------------

    def show(self, state: ElectionState | None) -> None:
        self.state = state
        self._risk_key = None
        self.refresh_markers()

    def apply(self, changes: Changes) -> None:
        if changes.tps:
            self._risk_key = None  # a risk class could have changed
        if changes.tps or changes.incidents or changes.officers or changes.positions:
            self.refresh_markers()

    def select_incident(self, incident_id: str | None) -> None:
        if incident_id != self.selected_incident_id:
            self.selected_incident_id = incident_id
            self.refresh_markers()

    # ---- keys --------------------------------------------------------------------

    def action_zoom(self, step: int) -> None:
        self.zoom_index = max(0, min(len(ZOOMS) - 1, self.zoom_index + step))
        self._base_key = None
        self.refresh_markers()

    def action_pan(self, dx: int, dy: int) -> None:
        projection = self.projection().pan(dx * PAN_STEP_CELLS, dy * PAN_STEP_CELLS)
        self.center = projection.center
        self._base_key = None
        self.refresh_markers()

    def action_reset_view(self) -> None:
        self.zoom_index = 0
        self.center = None
        self._base_key = None
        self.refresh_markers()

    # ---- drawing -----------------------------------------------------------------

    def projection(self) -> Projection:
        return Projection(
            max(1, self.size.width),
            max(1, self.size.height),
            self.bounds,
            ZOOMS[self.zoom_index],
            self.center,
        )

    def _village_risks(self) -> dict[str, Risk]:
        if self.state is None:
            return {}
        key = (id(self.state), len(self.state.tps))
        if key != self._risk_key:
            order = {Risk.LOW: 0, Risk.MEDIUM: 1, Risk.HIGH: 2}
            risks: dict[str, Risk] = {}
            for tps in self.state.tps.values():
                held = risks.get(tps.village_code)
                if held is None or order[tps.risk] > order[held]:
                    risks[tps.village_code] = tps.risk
            self._village_risk = risks
            self._risk_key = key
            self._base_key = None
        return self._village_risk

    def _ensure_base(self) -> None:
        risks = self._village_risks()
        key = (self.size.width, self.size.height, self.zoom_index, self.center, self.braille,
               self._risk_key)  # fmt: skip
        if key == self._base_key:
            return
        projection = self.projection()
        canvas = DotCanvas(self.size.width, self.size.height)
        for level in ("regency", "district", "village"):
            for shape in self._shapes:
                if shape.level != level:
                    continue
                if level == "village":
                    risk = risks.get(shape.code)
                    tone = f"map--{risk.value}" if risk is not None else "map--none"
                else:
                    tone = "map--border"
                for polygon in shape.polygons:
                    for ring in polygon:
                        canvas.polyline([projection.to_dot(lon, lat) for lon, lat in ring], tone)
        self._base = canvas.rows_of_cells(self.braille)
        self._base_key = key

    def refresh_markers(self) -> None:
        markers: dict[tuple[int, int], tuple[str, str]] = {}
        state = self.state
        if state is not None and self.size.width and self.size.height:
            projection = self.projection()
            for officer in state.officers.values():
                # A guard standing at his TPS is the TPS itself; mobile units and anyone
                # moving are what the officer needs to see.
                if officer.status == OfficerStatus.OFF_DUTY:
                    continue
                at_post = officer.post_tps_id is not None
                if at_post and officer.status == OfficerStatus.AVAILABLE:
                    continue
                tone = "map--officer" if officer.status == OfficerStatus.AVAILABLE else "map--busy"
                markers[projection.to_cell(officer.lon, officer.lat)] = ("▴", tone)
            for incident in state.open_incidents():
                tone = "map--incident-urgent" if incident.priority <= 2 else "map--incident"
                markers[projection.to_cell(incident.lon, incident.lat)] = ("●", tone)
            selected = state.incidents.get(self.selected_incident_id or "")
            if selected is not None and selected.is_open:
                for rec in state.recommend(selected, limit=RECOMMENDED_SHOWN):
                    cell = projection.to_cell(rec.officer.lon, rec.officer.lat)
                    markers[cell] = ("▲", "map--recommended")
                markers[projection.to_cell(selected.lon, selected.lat)] = ("◆", "map--selected")
        self._markers = markers
        self.border_subtitle = self.catalogue.text("map.zoom", zoom=ZOOMS[self.zoom_index])
        self.refresh()

    def on_resize(self) -> None:
        self._base_key = None
        self.refresh_markers()

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        self._ensure_base()
        if y >= len(self._base):
            return Strip.blank(width, self.rich_style)
        row = self._base[y]
        segments: list[Segment] = []
        run_text: list[str] = []
        run_tone = None
        styles: dict[str, Style] = {}

        def flush() -> None:
            if run_text:
                style = styles.get(run_tone or "")
                if style is None:
                    style = self.rich_style + (
                        self.get_component_rich_style(run_tone) if run_tone else Style()
                    )
                    styles[run_tone or ""] = style
                segments.append(Segment("".join(run_text), style))

        markers = self._markers
        for x in range(min(width, len(row))):
            char, tone = markers.get((x, y)) or row[x]
            if tone != run_tone:
                flush()
                run_text = []
                run_tone = tone
            run_text.append(char)
        flush()
        return Strip(segments, width).adjust_cell_length(width, self.rich_style)

    def legend(self) -> str:
        return self.catalogue.text("map.legend")
