"""The kabupaten map: villages hatched and coloured by risk, incidents, units, names.

Three layers. The outline layer (village borders, risk hatching) is rasterised once per
size, zoom and pan (the last three views are kept) and kept as ready Strips; risk
changes only re-tone it. The marker layer (incidents, units, the selection and its
recommended units) is built on each `apply` over the units' layer (`map_units.py`),
where only the units that moved are placed again, and only the rows whose markers
changed are repainted. The name
layer (kecamatan names once a kecamatan is big enough on screen, village names when
zoomed in) is placed around the markers and each other when the view changes; a new
incident or selection moves only the names in its way. Units move all the time: one
that moved onto a name since draws over it, rather than push the names about (names
that moved on every position batch would repaint most rows).

Attributes down: the app calls `show(state)`, `apply(changes)` and sets
`selected_incident_id`; the words come in through `labels` (the console's catalogue owns
them). Colours are component classes over theme variables, and every distinction also
has a shape (hatching density, glyph, reverse video) so it survives NO_COLOR.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from math import ceil, inf

from rich.segment import Segment
from rich.style import Style
from textual.events import Resize
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from pilkades_tui.console.canvas import (
    BOX_DOUBLE,
    BOX_SINGLE,
    DOTS_X,
    DOTS_Y,
    EXIT_E,
    EXIT_W,
    OutlineLayer,
    PlaceLabel,
    Raster,
    Viewport,
    check_charset,
    compose_row,
    risk_swatch,
    runs,
)
from pilkades_tui.console.keys import MAP_BINDINGS
from pilkades_tui.console.widgets.map_units import (
    Cell,
    Mark,
    Overlay,
    Placement,
    UnitLayers,
    keep,
    kept,
)
from pilkades_tui.domain.geo import haversine_km
from pilkades_tui.domain.models import Incident, Officer, OfficerStatus, Risk
from pilkades_tui.domain.recommend import TIE_KM
from pilkades_tui.domain.state import Changes, ElectionState
from pilkades_tui.scenario.geography import Geography, Outline, outlines, packaged

ZOOM_LEVELS = (1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 16.0)
# A pan moves the view by this share of its width or height, whatever the zoom.
PAN_SHARE = 0.25
RECOMMENDED_SHOWN = 3
# The recommended units are lettered best first, as the assign dialog lists them; letters
# are in every font and cannot be taken for an incident's priority digit.
RECOMMENDED_GLYPHS = "ABC"
SELECTED_GLYPH = {"braille": "◆", "blocks": "@"}
# The legend may take lines until this many rows of map are left; below, it is dropped
# whole rather than shown cut.
LEGEND_MIN_MAP_ROWS = 5
# A legend column beside the map is at most this wide (its entries wrap within it).
SIDE_LEGEND_MAX = 32
# Names are written once a kecamatan (a village) covers this many cells on average:
# from about a 120x40 terminal for kecamatan at the whole-kabupaten view, and after a
# zoom or two for villages. Below, the names would cover most of the map.
DISTRICT_LABEL_CELLS = 30.0
VILLAGE_LABEL_CELLS = 10.0
# The outline rendering adds village borders only where a village is this big: a line
# one cell thick around a smaller one leaves no inside to see its risk hatching.
VILLAGE_BORDER_CELLS = 30.0
DISTRICT_LABEL_TONE = "map--label"
VILLAGE_LABEL_TONE = "map--label-village"

LABEL_KEYS = (
    "title",
    "low",
    "medium",
    "high",
    "incident",
    "unit",
    "moving",
    "on_scene",
    "recommended",
    "selected",
    "district_border",
    "village_border",
    "zoom",
    "keys",
    "waiting",
)
DEFAULT_LABELS: dict[str, str] = {
    "title": "Map",
    "low": "low",
    "medium": "medium",
    "high": "high risk",
    "incident": "incident (priority)",
    "unit": "unit",
    "moving": "moving",
    "on_scene": "on scene",
    "recommended": "recommended, best first",
    "selected": "selected incident",
    "district_border": "kecamatan border",
    "village_border": "village border",
    "zoom": "zoom {zoom}×",  # {zoom}: the zoom factor, e.g. 1.5
    "keys": "+/- zoom · arrows pan · 0 reset · f centre · p posts",  # split at " · "
    "waiting": "waiting for the hub's map",
}

# A village's fill pattern by its risk: denser is riskier, so the number also ranks
# risk (a village takes the fill of its riskiest TPS).
RISK_FILL = {Risk.LOW: 0, Risk.MEDIUM: 1, Risk.HIGH: 2}
UNRATED_TONE = "map--unrated"
# Markers that move with every position batch: names make room for them only when the
# view changes.
UNIT_TONES = frozenset({"map--unit", "map--unit-busy"})
OUTSIDE_TONE = "map--outside"
# Unit markers per charset: (available, moving, on scene). The block set keeps to
# printable CP437, which every Linux console font has.
CLUSTER_GLYPH = {"braille": "◎", "blocks": "O"}
UNIT_GLYPHS = {"braille": ("▲", "►", "■"), "blocks": ("^", ">", "■")}

LegendLine = list[tuple[str, str]]  # (text, tone) runs
LegendLayout = tuple[int, list[LegendLine]]  # (width beside the map or 0 under it, lines)


@cache
def pekalongan_layer() -> OutlineLayer:
    """The packaged outlines, projected once per process: every pane shares them."""
    return OutlineLayer(outlines())


_LAYERS: dict[tuple[str, tuple[str, ...]], OutlineLayer] = {}


def layer_of(geography: Geography) -> OutlineLayer:
    """A geography's outlines projected once per process (by its fingerprint and the
    kabupaten kept: `:kabupaten` narrows a Polda-wide file to one)."""
    if geography is packaged():
        return pekalongan_layer()
    key = (geography.digest, tuple(regency.code for regency in geography.regencies))
    layer = _LAYERS.get(key)
    if layer is None:
        layer = _LAYERS[key] = OutlineLayer(geography.outlines)
    return layer


class MapPane(Widget, can_focus=True):
    """The map pane. Public API: see the module docstring and the report in the notes."""

    COMPONENT_CLASSES = {
        OUTSIDE_TONE,
        UNRATED_TONE,
        "map--low",
        "map--medium",
        "map--high",
        "map--incident",
        "map--incident-urgent",
        "map--unit",
        "map--unit-busy",
        "map--recommended",
        "map--selected",
        "map--legend",
        "map--cluster",
        DISTRICT_LABEL_TONE,
        VILLAGE_LABEL_TONE,
    }
    DEFAULT_CSS = """
    MapPane {
        width: 1fr;
        height: 1fr;
        border: round $foreground-muted;
        &:focus { border: round $accent; }
    }
    MapPane > .map--outside { color: $foreground-muted; }
    MapPane > .map--unrated { color: $foreground-muted; }
    MapPane > .map--cluster { color: $text-error; text-style: bold reverse; }
    MapPane > .map--low { color: $text-success; }
    MapPane > .map--medium { color: $text-warning; }
    MapPane > .map--high { color: $text-error; text-style: bold; }
    MapPane > .map--incident { color: $text-warning; text-style: bold; }
    MapPane > .map--incident-urgent { color: $text-error; text-style: bold underline; }
    MapPane > .map--unit { color: $text-primary; text-style: bold; }
    MapPane > .map--unit-busy { color: $text-secondary; text-style: bold; }
    MapPane > .map--recommended { color: $text-accent; text-style: bold reverse; }
    MapPane > .map--selected { color: $text-accent; text-style: bold reverse; }
    MapPane > .map--legend { color: $foreground-muted; }
    MapPane > .map--label { color: $foreground; text-style: bold; }
    MapPane > .map--label-village { color: $foreground; }
    """
    BINDINGS = MAP_BINDINGS

    charset: reactive[str] = reactive("braille")
    """`braille` (2x4 dots a cell) or `blocks` (CP437 box-drawing outlines, for the Linux
    console)."""
    selected_incident_id: reactive[str | None] = reactive(None, repaint=False)
    """The incident to highlight with its recommended units; None for none."""
    show_posts: reactive[bool] = reactive(False, repaint=False)
    """Also show available guards standing at their TPS (hidden: they would cover the map)."""

    def __init__(
        self,
        labels: Mapping[str, str] | None = None,
        *,
        charset: str = "braille",
        show_legend: bool = True,
        shapes: Sequence[Outline] | None = None,
        geography: Geography | None = None,
        awaiting_geography: bool = False,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 - Textual's own argument name
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.labels: dict[str, str] = {**DEFAULT_LABELS, **(labels or {})}
        self.show_legend = show_legend
        if geography is not None:
            self._layer = layer_of(geography)
        else:
            self._layer = pekalongan_layer() if shapes is None else OutlineLayer(shapes)
        # A console on a hub draws nothing until the hub's own geography arrives: the
        # packaged Pekalongan must never stand in for another kabupaten's map.
        self.awaiting_geography = awaiting_geography
        self._state: ElectionState | None = None
        self.zoom_index = 0
        self.center: tuple[float, float] | None = None
        self.stale_note = ""
        self.clusters: list[tuple[float, float]] = []  # spread clusters' centres (lat, lon)
        self._overlay_size: Size | None = None  # the size the markers were placed for
        # Risk per village, kept from the TPS records incrementally.
        self._tps_village: dict[str, tuple[str, Risk]] = {}
        self._village_tps: dict[str, dict[str, Risk]] = {}
        self._village_risk: dict[str, Risk] = {}
        self._owner_tones: list[str] = []
        self._owner_fills: list[int] = []
        self._retone()
        # The outline layer of the views shown lately (the desk layout moves the map
        # between slots: rasterising a view anew took ~30 ms), and its rows in colour.
        self._rasters: dict[tuple[object, ...], Raster] = {}
        self._base_rows: dict[tuple[object, ...], list[list[tuple[str, str]]]] = {}
        self._overlay: Overlay = {}
        self._unit_layers = UnitLayers()  # the units' layer of the overlay, kept between redraws
        self._placed_ahead: set[str] = set()  # units `take_in` placed since the last apply
        self._names: Overlay = {}  # the name layer, under the markers
        # What `_names` was placed for: the view and the cells kept free; the names in
        # view and where each was put (row, first column, width) by its index.
        self._names_view: tuple[object, ...] | None = None
        self._names_taken: frozenset[tuple[int, int]] = frozenset()
        self._name_specs: list[tuple[str, str, int, int]] = []
        self._placed: dict[int, tuple[int, int, int]] = {}
        self._name_at: dict[tuple[int, int], int] = {}  # (row, column) → the name written there
        self._unit_cells: frozenset[tuple[int, int]] = frozenset()  # units the names avoid
        self._legend: tuple[tuple[object, ...], LegendLayout] | None = None
        # The recommended units for (incident id, version), kept while no move can reorder them.
        self._recommend_key: tuple[str, int] | None = None
        self._recommended_ids: list[str] = []
        self._recommend_reach_km = inf
        self._strips: dict[int, Strip] = {}
        self._styles: dict[str, Style] = {}
        self._style_base: Style | None = None
        self.set_reactive(MapPane.charset, check_charset(charset))

    # ---- attributes down ---------------------------------------------------------

    @property
    def state(self) -> ElectionState | None:
        return self._state

    @state.setter
    def state(self, state: ElectionState | None) -> None:
        self.show(state)

    def show(self, state: ElectionState | None) -> None:
        """A new state (first snapshot or a resync): re-read every record."""
        self._state = state
        self._unit_layers.clear()
        self._placed_ahead = set()
        self._tps_village = {}
        self._village_tps = {}
        if state is not None:
            for tps in state.tps.values():
                self._tps_village[tps.id] = (tps.village_code, tps.risk)
                self._village_tps.setdefault(tps.village_code, {})[tps.id] = tps.risk
        self._village_risk = {
            code: max(risks.values(), key=RISK_FILL.__getitem__)
            for code, risks in self._village_tps.items()
        }
        self._retone()
        self._base_rows.clear()
        self._rebuild_marks()
        self._repaint_all()

    def set_geography(self, geography: Geography) -> None:
        """Draw this election's places (what the hub serves), the whole of them in view."""
        layer = layer_of(geography)
        if self.awaiting_geography:
            self.awaiting_geography = False
            self._strips.clear()
            self._update_titles()
            self.refresh()
        if layer is self._layer:
            return
        self._layer = layer
        self.zoom_index = 0
        self.center = None
        self._rasters.clear()
        self._base_rows.clear()
        self._retone()
        self._rebuild_marks()
        self._repaint_all()

    @property
    def village_codes(self) -> list[str]:
        """The villages drawn, in drawing order."""
        return list(self._layer.codes)

    def apply(self, changes: Changes) -> None:
        """Redraw what `changes` touched: markers always, the outline layer on a risk change."""
        state = self._state
        if state is None:
            return
        if changes.reloaded:
            self.show(state)
            return
        if changes.tps and self._update_risks(changes.tps, state):
            self._retone()
            self._base_rows.clear()
            self._rebuild_marks(changes)
            self._repaint_all()
            return
        if changes.incidents or changes.officers or changes.positions or changes.tps:
            overlay = self._build_overlay(changes)
            # Names make room for a new or closed incident, not for every unit's step.
            names = self._place_names(overlay, units_moved=False) if changes.incidents else None
            self._replace_overlay(overlay, names)

    def select_incident(self, incident_id: str | None) -> None:
        self.selected_incident_id = incident_id

    def show_clusters(self, centres: Sequence[tuple[float, float]]) -> None:
        """Spread warnings from the rules: a ring at each cluster's centre (lat, lon)."""
        clusters = list(centres)
        if clusters != self.clusters:
            self.clusters = clusters
            if self._state is not None:
                self._replace_overlay(self._build_overlay(Changes()))

    def set_labels(self, labels: Mapping[str, str]) -> None:
        """New words (a language switch); keys missing from `labels` keep English."""
        self.labels = {**DEFAULT_LABELS, **labels}
        self._legend = None
        # The legend's height may change with its words, and the map's rows with it.
        self._rebuild_marks()
        self._repaint_all()

    def set_stale(self, note: str) -> None:
        if note != self.stale_note:
            self.stale_note = note
            self.set_class(bool(note), "-stale")
            self._update_titles()

    @property
    def recommended_ids(self) -> list[str]:
        """The units highlighted for the selected incident, best first."""
        return list(self._recommended_ids) if self._selected_incident() is not None else []

    @property
    def zoom(self) -> float:
        return ZOOM_LEVELS[self.zoom_index]

    def viewport(self) -> Viewport:
        """The projection of the map area (the pane less its legend lines)."""
        cols, rows = self._map_size()
        return Viewport(max(1, cols), max(1, rows), self._layer.bounds, self.zoom, self.center)

    def cell_of(self, lon: float, lat: float) -> tuple[int, int] | None:
        """Where a point is drawn, as (column, row) in the content area, if on screen."""
        cols, rows = self._map_size()
        if cols < 1 or rows < 1:
            return None
        return self.viewport().to_cell(lon, lat)

    # ---- reactives and keys ------------------------------------------------------

    def validate_charset(self, charset: str) -> str:
        return check_charset(charset)

    def watch_charset(self) -> None:
        self._base_rows.clear()
        self._legend = None
        self._rebuild_marks()
        self._repaint_all()

    def watch_selected_incident_id(self) -> None:
        overlay = self._build_overlay()
        self._replace_overlay(overlay, self._place_names(overlay, units_moved=False))

    def watch_show_posts(self) -> None:
        self._replace_overlay(self._build_overlay())

    def action_zoom(self, step: int) -> None:
        index = max(0, min(len(ZOOM_LEVELS) - 1, self.zoom_index + step))
        if index != self.zoom_index:
            self.zoom_index = index
            self._view_changed()

    def action_pan(self, east: int, south: int) -> None:
        viewport = self.viewport()
        moved = viewport.panned(
            east * max(1, round(viewport.cols * PAN_SHARE)),
            south * max(1, round(viewport.rows * PAN_SHARE)),
        )
        if moved.center != viewport.focus:
            self.center = moved.center
            self._view_changed()

    def action_reset_view(self) -> None:
        self.zoom_index = 0
        self.center = None
        self._view_changed()

    def action_centre_selected(self) -> None:
        incident = self._selected_incident()
        if incident is not None:
            self.center = self.viewport().centred_on(incident.lon, incident.lat).center
            self._view_changed()

    def action_toggle_posts(self) -> None:
        self.show_posts = not self.show_posts

    # ---- layers ------------------------------------------------------------------

    def _update_risks(self, tps_ids: set[str], state: ElectionState) -> bool:
        """Fold changed TPS into the village risks; True if any village's risk moved."""
        touched: set[str] = set()
        for tps_id in tps_ids:
            tps = state.tps.get(tps_id)
            held = self._tps_village.get(tps_id)
            if held is not None and (tps is None or held != (tps.village_code, tps.risk)):
                village, _ = held
                self._village_tps[village].pop(tps_id, None)
                touched.add(village)
            if tps is not None and held != (tps.village_code, tps.risk):
                self._tps_village[tps_id] = (tps.village_code, tps.risk)
                self._village_tps.setdefault(tps.village_code, {})[tps_id] = tps.risk
                touched.add(tps.village_code)
        moved = False
        for village in touched:
            risks = self._village_tps.get(village)
            risk = max(risks.values(), key=RISK_FILL.__getitem__) if risks else None
            if risk != self._village_risk.get(village):
                moved = True
                if risk is None:
                    self._village_risk.pop(village, None)
                else:
                    self._village_risk[village] = risk
        return moved

    def _retone(self) -> None:
        tones: list[str] = []
        fills: list[int] = []
        for code in self._layer.codes:
            risk = self._village_risk.get(code)
            tones.append(UNRATED_TONE if risk is None else f"map--{risk.value}")
            fills.append(0 if risk is None else RISK_FILL[risk])
        self._owner_tones = tones
        self._owner_fills = fills

    def _map_size(self) -> tuple[int, int]:
        width, height = self.size
        side, lines = self._legend_layout()
        if side:
            return width - side - 1, height
        return width, height - len(lines)

    def _village_cells(self, viewport: Viewport) -> float:
        """How many cells a village covers on average in this view."""
        return self._layer.cells_per_place(viewport, len(self._layer.village_labels))

    def _ensure_base(self) -> list[list[tuple[str, str]]]:
        cols, rows = self._map_size()
        key = (cols, rows, self.zoom_index, self.center, self.charset)
        base = kept(self._base_rows, key)
        if base is not None:
            return base
        raster = kept(self._rasters, key)
        if raster is None:
            if cols > 0 and rows > 0:
                viewport = self.viewport()
                outline = self.charset == "blocks"
                # The outline rendering draws kecamatan borders; village borders only
                # where villages are big enough not to turn the map into a mesh.
                raster = self._layer.rasterize(
                    viewport,
                    villages=not outline or self._village_cells(viewport) >= VILLAGE_BORDER_CELLS,
                    major=outline,
                )
            else:
                raster = Raster(0, 0)
            keep(self._rasters, key, raster)
        base = [
            compose_row(
                raster, row, self.charset, self._owner_tones, self._owner_fills, OUTSIDE_TONE
            )
            for row in range(raster.rows)
        ]
        keep(self._base_rows, key, base)
        return base

    def _selected_incident(self) -> Incident | None:
        if self._state is None or self.selected_incident_id is None:
            return None
        return self._state.incidents.get(self.selected_incident_id)

    def _recommended_units(
        self, state: ElectionState, incident: Incident, changes: Changes | None
    ) -> list[Officer]:
        """state.recommend's top few, recomputed only when `changes` could reorder them.

        Ranking over ~1,200 available units on every position batch would cost more than
        the rest of the redraw; most batches move units far from the incident.
        """
        key = (incident.id, incident.version)
        if (
            changes is not None
            and key == self._recommend_key
            and not (changes.officers or changes.tps)
            and not self._moves_may_reorder(state, incident, changes.positions)
        ):
            officers = state.officers
            return [officers[i] for i in self._recommended_ids if i in officers]
        ranked = state.recommend(incident, limit=RECOMMENDED_SHOWN) if incident.is_open else []
        self._recommend_key = key
        self._recommended_ids = [recommendation.officer.id for recommendation in ranked]
        # recommend_units ranks by 0.1 km distance bucket first: a unit outside the last
        # one's bucket cannot overtake it.
        self._recommend_reach_km = (
            (int(ranked[-1].distance_km / TIE_KM) + 1) * TIE_KM
            if len(ranked) == RECOMMENDED_SHOWN
            else inf
        )
        return [recommendation.officer for recommendation in ranked]

    def _moves_may_reorder(self, state: ElectionState, incident: Incident, moved: set[str]) -> bool:
        recommended = set(self._recommended_ids)
        for officer_id in moved:
            if officer_id in recommended:
                return True
            officer = state.officers.get(officer_id)
            if officer is None or officer.status != OfficerStatus.AVAILABLE:
                continue
            distance = haversine_km(incident.lat, incident.lon, officer.lat, officer.lon)
            if distance < self._recommend_reach_km:
                return True
        return False

    def take_in(self, changes: Changes) -> None:
        """Each frame: the units that moved are placed at once, a frame's few hundred at
        a time, so that the redraw at the map's own rate does not place thousands."""
        state = self._state
        moved = changes.officers | changes.positions
        if state is None or not moved:
            return
        view = self._projection()
        if view is None:
            self._unit_layers.place(moved, state.officers, None)  # noted for when shown
            return
        key, _, placement, ranks = view
        self._unit_layers.show(key, state.officers, placement, ranks)
        self._unit_layers.place(moved, state.officers, placement)
        self._placed_ahead |= moved

    def _projection(
        self,
    ) -> tuple[object, Callable[[float, float], Cell | None], Placement, dict[Mark, int]] | None:
        """The view's key, where a point is drawn in it, and where and how a unit is; None
        while the map has no room (hidden behind another pane)."""
        state = self._state
        cols, rows = self._map_size()
        if state is None or cols < 1 or rows < 1:
            return None
        viewport = self.viewport()
        scale, offset_x, offset_y = viewport.transform()
        factor = viewport.bounds.lon_factor
        width, height = viewport.width, viewport.height

        def cell(lon: float, lat: float) -> Cell | None:
            x = lon * factor * scale + offset_x
            y = offset_y - lat * scale
            if 0 <= x < width and 0 <= y < height:
                return int(y) >> 2, int(x) >> 1
            return None

        unit_glyph, moving_glyph, on_scene_glyph = UNIT_GLYPHS[self.charset]
        show_posts = self.show_posts  # a reactive: read once, not once per unit
        available: Mark = (unit_glyph, "map--unit")
        on_scene: Mark = (on_scene_glyph, "map--unit-busy")
        moving: Mark = (moving_glyph, "map--unit-busy")

        def placement(officer: Officer) -> tuple[Cell, Mark] | None:
            status = officer.status
            if status == OfficerStatus.OFF_DUTY:
                return None
            if status == OfficerStatus.AVAILABLE:
                if officer.post_tps_id is not None and not show_posts:
                    return None
                mark = available
            else:
                mark = on_scene if status == OfficerStatus.ON_SCENE else moving
            where = cell(officer.lon, officer.lat)
            return None if where is None else (where, mark)

        key = (state, scale, offset_x, offset_y, factor, width, height, available, show_posts)
        # Where units share a cell the busiest shows: one at work over one waiting.
        ranks = {available: 0, moving: 1, on_scene: 2}
        return key, cell, placement, ranks

    def _build_overlay(self, changes: Changes | None = None) -> Overlay:
        """Markers by cell; later ones cover earlier ones, so the most urgent shows.

        `changes` None means anything may have changed (recommendations are recomputed).
        The units' layer is kept per view: only the units in `changes` that `take_in`
        has not placed yet move on it.
        """
        state = self._state
        view = self._projection()
        if view is None:
            # Hidden (another pane showing): the resize that shows it again must rebuild.
            self._overlay_size = None
            self._unit_layers.hide()
            return {}
        assert state is not None
        key, cell, placement, ranks = view
        self._unit_layers.show(key, state.officers, placement, ranks)
        if changes is not None:
            moved = (changes.officers | changes.positions) - self._placed_ahead
            self._unit_layers.place(moved, state.officers, placement)
            self._placed_ahead = set()
        overlay = self._unit_layers.overlay()

        def put(lon: float, lat: float, glyph: str, tone: str) -> None:
            where = cell(lon, lat)
            if where is not None:
                overlay.setdefault(where[0], {})[where[1]] = (glyph, tone)

        # open_incidents() is most urgent first; drawn in reverse so P1 ends on top.
        for incident in reversed(state.open_incidents()):
            tone = "map--incident-urgent" if incident.priority <= 2 else "map--incident"
            put(incident.lon, incident.lat, str(incident.priority), tone)
        for lat, lon in self.clusters:
            put(lon, lat, CLUSTER_GLYPH[self.charset], "map--cluster")
        selected = self._selected_incident()
        if selected is not None:
            ranked = self._recommended_units(state, selected, changes)
            # The best last, so it shows where two share a cell.
            for glyph, unit in reversed(list(zip(RECOMMENDED_GLYPHS, ranked, strict=False))):
                put(unit.lon, unit.lat, glyph, "map--recommended")
            put(selected.lon, selected.lat, SELECTED_GLYPH[self.charset], "map--selected")
        return overlay

    def _place_names(self, overlay: Overlay, *, units_moved: bool = True) -> Overlay:
        """Kecamatan names (in capitals), then village names, each at its label point
        or beside it, never on a marker, another name or the cell next to one.

        The units count where they stood at the last placement with `units_moved`; without
        it, only the other markers (incidents, the selection) are read anew, and only the
        names a new marker stands on are moved: the rest keep their place.
        """
        cols, rows = self._map_size()
        if self._state is None or cols < 1 or rows < 1:
            self._names_view = None
            return {}
        taken: set[tuple[int, int]] = set()
        units: set[tuple[int, int]] = set()
        for row, marks in overlay.items():
            for col, (_, tone) in marks.items():
                (units if tone in UNIT_TONES else taken).add((row, col))
        if units_moved:
            self._unit_cells = frozenset(units)
        taken |= self._unit_cells
        view = (cols, rows, self.zoom_index, self.center, self._layer)
        placed = self._placed
        name_at = self._name_at  # (row, column) of each letter → the name's index
        queue: list[int]
        if view == self._names_view:
            arrived = taken - self._names_taken
            queue = sorted(
                {
                    name_at[near]
                    for row, col in arrived
                    for near in ((row, col - 1), (row, col), (row, col + 1))
                    if near in name_at
                }
            )
            self._names_taken = frozenset(taken)
            if not queue:
                return self._names
            for index in queue:
                self._unplace(index)
        else:
            self._names_view = view
            self._names_taken = frozenset(taken)
            self._name_specs = self._names_in_view()
            placed.clear()
            name_at.clear()
            queue = list(range(len(self._name_specs)))
        specs = self._name_specs
        # Kecamatan first (lower index): one moved by an incident may take the spot of
        # village names, which then look for another.
        while queue:
            index = heapq.heappop(queue)
            if index in placed:
                continue
            text, tone, col, row = specs[index]
            width = len(text)
            for dy, start in (
                (0, col - width // 2),
                (-1, col - width // 2),
                (1, col - width // 2),
                (0, col + 1),
                (0, col - width),
            ):
                y = row + dy
                if not (0 <= y < rows and start >= 0 and start + width <= cols):
                    continue
                footprint = [(y, x) for x in range(start - 1, start + width + 1)]
                if not taken.isdisjoint(footprint):
                    continue
                blockers = (
                    set()
                    if name_at.keys().isdisjoint(footprint)
                    else {name_at[cell] for cell in footprint if cell in name_at}
                )
                # Only a kecamatan name pushes names away, and only village names: the
                # pushed ones take a free spot or none, so one incident moves a few names.
                if blockers and (
                    tone != DISTRICT_LABEL_TONE
                    or any(specs[blocker][1] == DISTRICT_LABEL_TONE for blocker in blockers)
                ):
                    continue
                for blocker in blockers:
                    self._unplace(blocker)
                    heapq.heappush(queue, blocker)
                placed[index] = (y, start, width)
                name_at.update(dict.fromkeys(footprint[1:-1], index))
                break
        names: Overlay = {}
        for index in sorted(placed):  # in the order of placement, whatever moved
            text, tone, _, _ = specs[index]
            row, start, _ = placed[index]
            line = names.setdefault(row, {})
            for offset, char in enumerate(text):
                line[start + offset] = (char, tone)
        return names

    def _unplace(self, index: int) -> None:
        row, start, width = self._placed.pop(index)
        for x in range(start, start + width):
            del self._name_at[row, x]

    def _names_in_view(self) -> list[tuple[str, str, int, int]]:
        """(text, tone, column, row) of each name whose place is in view, kecamatan first
        (they win a contested spot), once a kecamatan or village is big enough."""
        viewport = self.viewport()
        layer = self._layer
        scale, offset_x, offset_y = viewport.transform()
        factor = viewport.bounds.lon_factor
        width, height = viewport.width, viewport.height
        specs: list[tuple[str, str, int, int]] = []
        wanted: list[tuple[list[PlaceLabel], bool, str]] = []
        if layer.cells_per_place(viewport, len(layer.district_labels)) >= DISTRICT_LABEL_CELLS:
            wanted.append((layer.district_labels, True, DISTRICT_LABEL_TONE))
        if self._village_cells(viewport) >= VILLAGE_LABEL_CELLS:
            wanted.append((layer.village_labels, False, VILLAGE_LABEL_TONE))
        for places, capitals, tone in wanted:
            for place in places:
                x = place.lon * factor * scale + offset_x
                y = offset_y - place.lat * scale
                if 0 <= x < width and 0 <= y < height:
                    text = place.name.upper() if capitals else place.name
                    specs.append((text, tone, int(x) >> 1, int(y) >> 2))
        return specs

    def _rebuild_marks(self, changes: Changes | None = None) -> None:
        self._overlay = self._build_overlay(changes)
        self._names = self._place_names(self._overlay)

    def _replace_overlay(self, overlay: Overlay, names: Overlay | None = None) -> None:
        old, old_names = self._overlay, self._names
        self._overlay = overlay
        if names is not None:
            self._names = names
        if not self.is_mounted:
            return
        width = self.size.width
        rows = old.keys() | overlay.keys()
        if self._names is not old_names:
            rows |= old_names.keys() | self._names.keys()
        for row in rows:
            if old.get(row) != overlay.get(row) or old_names.get(row) != self._names.get(row):
                self._strips.pop(row, None)
                self.refresh(Region(0, row, width, 1))

    def _view_changed(self) -> None:
        self._rebuild_marks()
        self._repaint_all()

    def _repaint_all(self) -> None:
        self._strips.clear()
        self._update_titles()
        self.refresh()

    def _update_titles(self) -> None:
        self.border_title = self.labels["title"]
        zoom = f"{self.zoom:g}"
        # The keys are in the legend, which wraps: a border cannot.
        parts = [self.labels["zoom"].format(zoom=zoom)]
        if self.awaiting_geography:
            parts.insert(0, self.labels["waiting"])
        if self.stale_note:
            parts.insert(0, self.stale_note)
        self.border_subtitle = " · ".join(parts)

    # ---- Textual -----------------------------------------------------------------

    def on_mount(self) -> None:
        self._update_titles()

    def on_resize(self, event: Resize) -> None:
        # Showing the pane again (switching back to it) resizes it to the size it had:
        # the markers are still right then, and rebuilding them costs ~1 s on a province.
        if event.size == self._overlay_size:
            return
        self._overlay_size = event.size
        self._rebuild_marks()
        self._repaint_all()

    def notify_style_update(self) -> None:
        self._style_base = None
        self._styles.clear()
        self._strips.clear()
        super().notify_style_update()

    def _style(self, tone: str) -> Style:
        style = self._styles.get(tone)
        if style is None:
            base = self._style_base or self._style_base_now()
            style = base + self.get_component_rich_style(tone, partial=True)
            self._styles[tone] = style
        return style

    def _style_base_now(self) -> Style:
        base = self.rich_style
        if base != self._style_base:
            self._style_base = base
            self._styles.clear()
            self._strips.clear()
        return base

    def render_lines(self, crop: Region) -> list[Strip]:
        # The widget's own style is read once a paint, not once a row.
        self._style_base_now()
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base_style = self._style_base or self._style_base_now()
        strip = self._strips.get(y)
        if strip is not None and strip.cell_length == width:
            return strip
        cols, rows = self._map_size()
        if self.awaiting_geography:
            return Strip.blank(width, base_style)
        if y < rows:
            base = self._ensure_base()
            cells = base[y] if y < len(base) else []
            marks = self._overlay.get(y, {})
            names = self._names.get(y)
            if names:
                marks = {**names, **marks}
            segments = [Segment(text, self._style(tone)) for text, tone in runs(cells, marks)]
            strip = Strip(segments).adjust_cell_length(cols, base_style)
            side, legend = self._legend_layout()
            if side and y < len(legend):
                gap = Strip.blank(1, base_style)  # the map never touches its legend
                strip = Strip.join([strip, gap, self._legend_strip(legend[y])])
            # Always the pane's width: the cache above knows a strip by it.
            strip = strip.adjust_cell_length(width, base_style)
        elif y - rows < len(legend := self._legend_layout()[1]):
            strip = self._legend_strip(legend[y - rows])
            strip = strip.adjust_cell_length(width, base_style)
        else:
            strip = Strip.blank(width, base_style)
        self._strips[y] = strip
        return strip

    def _legend_items(self) -> list[tuple[str, str, str]]:
        """(glyph, its tone, words) for each legend entry, then each of the map's keys."""
        labels = self.labels
        unit_glyph, moving_glyph, on_scene_glyph = UNIT_GLYPHS[self.charset]
        items = [
            (risk_swatch(self.charset, RISK_FILL[Risk.LOW]), "map--low", labels["low"]),
            (risk_swatch(self.charset, RISK_FILL[Risk.MEDIUM]), "map--medium", labels["medium"]),
            (risk_swatch(self.charset, RISK_FILL[Risk.HIGH]), "map--high", labels["high"]),
            ("1-4", "map--incident-urgent", labels["incident"]),
            (SELECTED_GLYPH[self.charset], "map--selected", labels["selected"]),
            (RECOMMENDED_GLYPHS, "map--recommended", labels["recommended"]),
            (unit_glyph, "map--unit", labels["unit"]),
            (moving_glyph, "map--unit-busy", labels["moving"]),
            (on_scene_glyph, "map--unit-busy", labels["on_scene"]),
        ]
        if self.charset == "blocks":
            line = EXIT_E | EXIT_W
            items.append((BOX_DOUBLE[line] * 2, "map--legend", labels["district_border"]))
            items.append((BOX_SINGLE[line] * 2, "map--legend", labels["village_border"]))
        items.extend(("", "map--legend", key) for key in labels["keys"].split(" · ") if key)
        return items

    def _legend_strip(self, line: LegendLine) -> Strip:
        return Strip([Segment(text, self._style(tone)) for text, tone in line])

    def _legend_layout(self) -> LegendLayout:
        """(width of a legend column beside the map, or 0 for one under it; its lines).

        Beside the map when the pane is wider than the kabupaten drawn at the pane's full
        height needs (one entry a line, the map keeping every row); otherwise under it,
        wrapped to the pane's width. Entries stay whole (words split only when one is
        wider than the pane); no legend at all if it would leave too little map.
        """
        width, height = self.size
        key = (width, height, self.charset, self.show_legend, self._layer.bounds)
        if self._legend is not None and self._legend[0] == key:
            return self._legend[1]
        layout: LegendLayout = (0, [])
        if self.show_legend and width > 0 and height > 0:
            items = self._legend_items()
            widest = max(len(glyph) + 1 + len(words) for glyph, _, words in items)
            side = min(SIDE_LEGEND_MAX, widest)
            column = self._legend_wrapped(items, side, one_per_line=True)
            if len(column) <= height and width - side - 1 >= self._map_width_for(height):
                layout = (side, column)
            else:
                lines = self._legend_wrapped(items, width, one_per_line=False)
                if height - len(lines) >= LEGEND_MIN_MAP_ROWS:
                    layout = (0, lines)
        self._legend = (key, layout)
        return layout

    def _map_width_for(self, rows: int) -> int:
        """Columns the whole kabupaten takes when drawn `rows` high (zoom 1)."""
        bounds = self._layer.bounds
        span_x = (bounds.lon_max - bounds.lon_min) * bounds.lon_factor
        span_y = max(bounds.lat_max - bounds.lat_min, 1e-9)
        # A cell is 2 dots wide and 4 high, and one scale serves both axes.
        return ceil(rows * DOTS_Y * span_x / span_y / DOTS_X)

    def _legend_wrapped(
        self, items: list[tuple[str, str, str]], width: int, *, one_per_line: bool
    ) -> list[LegendLine]:
        lines: list[LegendLine] = []
        line: LegendLine = []
        used = 0
        for glyph, tone, words in items:
            for index, (lead, text) in enumerate(self._entry_pieces(glyph, words, width)):
                size = len(lead) + len(text)
                gap = 2 if used else 0
                if used and (one_per_line or used + gap + size > width):
                    lines.append(line)
                    line, used, gap = [], 0, 0
                if gap:
                    line.append(("  ", "map--legend"))
                if lead:
                    line.append((lead, tone if index == 0 else "map--legend"))
                elif one_per_line and index:
                    line.append(("  ", "map--legend"))  # a wrapped entry's words indented
                line.append((text, "map--legend"))
                used += gap + size
        if line:
            lines.append(line)
        return lines

    @staticmethod
    def _entry_pieces(glyph: str, words: str, width: int) -> list[tuple[str, str]]:
        """One legend entry as (glyph part, words part) pieces no wider than `width`."""
        lead = f"{glyph} " if glyph else ""
        if len(lead) + len(words) <= width:
            return [(lead, words)]
        pieces: list[tuple[str, str]] = []
        text = ""
        for word in words.split():
            room = width - (len(lead) if not pieces else 0)
            if text and len(text) + 1 + len(word) > room:
                pieces.append((lead if not pieces else "", text))
                text = word
            else:
                text = f"{text} {word}" if text else word
        pieces.append(
            (lead if not pieces else "", text[: width - (len(lead) if not pieces else 0)])
        )
        return pieces
