"""The console's layouts: which panes are on screen together, and where.

Every layout has one *main* slot, which shows one of the panes that are not fixed in
the layout (the number keys switch it, as the one pane of a narrow terminal), and its
*side* panes, always shown beside it. The stylesheet (app.tcss, `#panes.-layout-NAME`)
places them; this table says what is shown, so the app, the live drawing and the tests
ask one place.

- `single`: one pane at a time, the whole screen (below `DESK_MIN_WIDTH` columns);
- `desk`: the main pane (the queue) with the selected incident and its recommended
  units and the alerts beside it, and the map too from `DESK_WIDE_WIDTH` columns;
- `wall`: for the room's big screen: the map, the queue and the kecamatan board,
  nothing to type and read from across the room.
"""

from __future__ import annotations

from dataclasses import dataclass

PANES = ("tps", "incidents", "officers", "map", "alerts")
AUTO = "auto"
# From this width a duty officer's terminal holds the queue and what he needs beside it.
DESK_MIN_WIDTH = 120


@dataclass(frozen=True, slots=True)
class Layout:
    name: str
    side: tuple[str, ...]  # widget ids always shown beside the main pane
    main: str  # the main slot's pane when the layout is taken
    min_width: int  # narrower than this, the layout would cut its panes: single instead
    css: str = ""  # the stylesheet's name for the arrangement (`#panes.-layout-CSS`)

    def main_choices(self) -> tuple[str, ...]:
        """The panes the main slot can show: every pane not fixed beside it."""
        return tuple(pane for pane in PANES if pane not in self.side)

    def visible(self, main: str) -> tuple[str, ...]:
        """Widget ids on screen, in the order `tab` moves through them."""
        return (main, *self.side)


SINGLE = Layout("single", (), "incidents", 0, "single")
# Below DESK_WIDE_WIDTH the queue keeps the whole width (it needs ~100 columns), with
# the brief and the alerts under it and the map one key away in the main slot; from
# there the alerts go under the queue and the brief and the map beside them.
DESK = Layout("desk", ("brief", "alerts"), "incidents", DESK_MIN_WIDTH, "desk")
DESK_WIDE = Layout("desk", ("brief", "alerts", "map"), "incidents", DESK_MIN_WIDTH, "desk-wide")
DESK_WIDE_WIDTH = 180
WALL = Layout("wall", ("map", "board"), "incidents", 100, "wall")
LAYOUTS: dict[str, Layout] = {layout.name: layout for layout in (SINGLE, DESK, WALL)}
ARRANGEMENTS = (SINGLE, DESK, DESK_WIDE, WALL)
CHOICES = (AUTO, *LAYOUTS)
# The panes that take no keys: tab and focus pass them by.
PASSIVE = ("brief", "board")


def layout_for(choice: str, width: int) -> Layout:
    """The layout to show at `width` columns for the officer's choice (`auto` or a name)."""
    layout = LAYOUTS["desk" if choice == AUTO else choice]
    if width < layout.min_width:
        return SINGLE
    if layout is DESK and width >= DESK_WIDE_WIDTH:
        return DESK_WIDE
    return layout
