"""A table that renders only the rows on screen (Textual's Line API).

DataTable builds every row up front (2.3 s for 10k rows here); a province has 50k TPS.
This table asks its `RowSource` for a row only when that row is drawn, so its cost
follows the height of the terminal, not the size of the state.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from pilkades_tui.console.keys import LIST_BINDINGS

# Row tones, each a component class the theme colours.
TONES = ("normal", "muted", "warn", "alarm", "good", "summary", "highlight")
# Without colours the cursor row's background is one grey among others and an alarm row
# is already reversed: a glyph in a gutter of its own marks it instead. `►` is in CP437,
# so the Linux console's font has it too.
CURSOR_MARK = "►"


@dataclass(frozen=True, slots=True)
class Column:
    key: str  # i18n key of the title
    width: int  # the least width; the table's natural width is the sum of these
    align: str = "left"  # left or right
    # Share of the spare width this column takes when the table is wider than its
    # natural width: free text (places, alert texts, unit names) grows, codes do not.
    grow: int = 0


def share_width(columns: Sequence[Column], width: int) -> list[int]:
    """Each column's width when the table is `width` cells wide (one space between
    columns): the natural widths, plus the spare shared by `grow`, the rest to the first.
    Narrower than natural, the growing columns give up to half their width, the
    rightmost first (the one the screen's edge would cut anyway), so the short columns
    after them (a key, a count) stay on screen."""
    widths = [column.width for column in columns]
    spare = width - sum(widths) - max(0, len(widths) - 1)
    weights = sum(column.grow for column in columns)
    growing = [index for index, column in enumerate(columns) if column.grow]
    if spare < 0 and growing:
        for index in reversed(growing):
            give = min(-spare, widths[index] // 2)
            widths[index] -= give
            spare += give
        return widths
    if spare <= 0 or weights == 0:
        return widths
    given = 0
    for index in growing:
        extra = spare * columns[index].grow // weights
        widths[index] += extra
        given += extra
    widths[growing[0]] += spare - given
    return widths


@dataclass(frozen=True, slots=True)
class Row:
    key: str  # the record id, or "" for a summary line
    cells: Sequence[str]
    tone: str = "normal"


class RowSource(Protocol):
    def __len__(self) -> int: ...

    def row(self, index: int) -> Row: ...


def fit(text: str, width: int, align: str = "left") -> str:
    if len(text) > width:
        return text[: max(0, width - 1)] + "…" if width > 0 else ""
    return text.rjust(width) if align == "right" else text.ljust(width)


class VirtualTable(ScrollView, can_focus=True):
    COMPONENT_CLASSES = {
        "vtable--header",
        "vtable--cursor",
        "vtable--gutter",
        *(f"vtable--{tone}" for tone in TONES),
    }

    DEFAULT_CSS = """
    VirtualTable { background: $surface; }
    VirtualTable > .vtable--header { text-style: bold; color: $text-primary; background: $panel; }
    VirtualTable > .vtable--cursor { background: $accent 40%; text-style: bold; }
    VirtualTable:focus > .vtable--cursor { background: $accent 70%; }
    VirtualTable > .vtable--gutter { display: none; text-style: bold; }
    VirtualTable > .vtable--normal { color: $foreground; }
    VirtualTable > .vtable--muted { color: $foreground-muted; }
    VirtualTable > .vtable--warn { color: $text-warning; }
    VirtualTable > .vtable--alarm { color: $text-error; text-style: bold; }
    VirtualTable > .vtable--good { color: $text-success; }
    VirtualTable > .vtable--summary { color: $text-secondary; text-style: italic; }
    VirtualTable > .vtable--highlight { color: $text-accent; text-style: bold; }
    """

    BINDINGS = LIST_BINDINGS

    class Selected(Message):
        """The cursor moved onto a row (attributes down, messages up)."""

        def __init__(self, table: VirtualTable, key: str) -> None:
            super().__init__()
            self.table = table
            self.key = key

    def __init__(
        self,
        columns: Sequence[Column],
        source: RowSource,
        *,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 - Textual's name
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.columns = list(columns)
        self._widths: tuple[tuple[int, tuple[Column, ...]], list[int]] | None = None
        self.source = source
        self.header_text: Sequence[str] = [c.key for c in self.columns]
        self.cursor = 0
        self.cursor_key = ""
        self._gutter: bool | None = None
        # The styles of a line, by (component, on the cursor row): Textual walks the
        # ancestors for the widget's style, twice a line, a screenful at a time.
        self._line_styles: dict[tuple[str, bool], tuple[Style, Style, Style]] = {}
        self._blank: Style | None = None

    # ---- data ------------------------------------------------------------------

    def set_headers(self, titles: Sequence[str]) -> None:
        self.header_text = titles
        self.refresh()

    def reload(self) -> None:
        """The number or order of rows changed: resize and redraw what is visible."""
        self.resize_rows()
        self.refresh()

    @property
    def widths(self) -> list[int]:
        """The columns' widths at the table's present width (kept until either changes)."""
        key = (self.scrollable_content_region.width, tuple(self.columns))
        if self._widths is None or self._widths[0] != key:
            self._widths = (key, share_width(self.columns, key[0]))
        return self._widths[1]

    def resize_rows(self) -> None:
        """Fit the scroll area to the rows and keep the cursor on its record."""
        count = len(self.source)
        width = self.gutter_width() + sum(c.width + 1 for c in self.columns)
        self.virtual_size = Size(width, count + 1)
        if count == 0:
            self.cursor = 0
        else:
            self.cursor = min(self.cursor, count - 1)
            self._follow_key()

    def visible_keys(self) -> list[str]:
        row = self.source.row
        return [row(index).key for index in self.visible_range()] + [str(self.cursor)]

    def _follow_key(self) -> None:
        # Keep the cursor on the same record when rows move under it.
        if not self.cursor_key:
            self.cursor_key = self.source.row(self.cursor).key if len(self.source) else ""
            return
        if self.cursor < len(self.source) and self.source.row(self.cursor).key == self.cursor_key:
            return
        finder = getattr(self.source, "index_of", None)
        if finder is not None:
            index = finder(self.cursor_key)
            if index is not None:
                self.cursor = index
                return
        self.cursor_key = self.source.row(self.cursor).key

    def visible_range(self) -> range:
        top = int(self.scroll_offset.y)
        return range(top, min(len(self.source), top + max(0, self.size.height - 1)))

    def refresh_keys(self, keys: set[str]) -> int:
        """Redraw only the visible rows whose record changed; returns how many."""
        redrawn = 0
        for index in self.visible_range():
            if self.source.row(index).key in keys:
                self.refresh_row(index)
                redrawn += 1
        return redrawn

    def refresh_row(self, index: int) -> None:
        """Redraw the row at `index` of the source, if it is on screen (below the header)."""
        line = index - int(self.scroll_offset.y) + 1
        if 0 < line < self.size.height:
            # In the widget's own cells: ScrollView.refresh_line takes content lines.
            self.refresh(Region(0, line, self.size.width, 1))

    def refresh_visible_rows(self) -> None:
        """Redraw the rows on screen, not the header nor the blank below the last row:
        each cell repainted is sent to the terminal again (times that move with the clock)."""
        rows = len(self.visible_range())
        if rows:
            self.refresh(Region(0, 1, self.size.width, rows))

    @property
    def selected_key(self) -> str | None:
        if not len(self.source):
            return None
        return self.source.row(min(self.cursor, len(self.source) - 1)).key or None

    def select_key(self, key: str) -> bool:
        finder = getattr(self.source, "index_of", None)
        index = finder(key) if finder else None
        if index is None:
            return False
        self._move_to(index)
        return True

    # ---- keys ------------------------------------------------------------------

    def action_cursor(self, step: int) -> None:
        self._move_to(self.cursor + step)

    def action_page(self, direction: int) -> None:
        self._move_to(self.cursor + direction * max(1, self.size.height - 2))

    def action_jump(self, where: int) -> None:
        self._move_to(len(self.source) - 1 if where < 0 else 0)

    def _move_to(self, index: int) -> None:
        count = len(self.source)
        if count == 0:
            return
        index = max(0, min(count - 1, index))
        previous, self.cursor = self.cursor, index
        self.cursor_key = self.source.row(index).key
        body_height = max(1, self.size.height - 1)
        top = int(self.scroll_offset.y)
        if index < top:
            self.scroll_to(y=index, animate=False)
            self.refresh()
        elif index >= top + body_height:
            self.scroll_to(y=index - body_height + 1, animate=False)
            self.refresh()
        else:
            # The rows stay where they are: only the old and the new cursor row change,
            # and every row repainted is a row rebuilt (on a province, with lookups).
            self.refresh_row(previous)
            self.refresh_row(index)
        if self.cursor_key:
            self.post_message(self.Selected(self, self.cursor_key))

    # ---- drawing ---------------------------------------------------------------

    def gutter_width(self) -> int:
        """Cells left of the first column: the cursor's mark, where the CSS shows it
        (app.tcss, for NO_COLOR and the monokrom theme)."""
        if self._gutter is None:
            self._gutter = self.get_component_styles("vtable--gutter").display != "none"
        return len(CURSOR_MARK) if self._gutter else 0

    def notify_style_update(self) -> None:
        self._gutter = None  # a theme switch may show or hide the gutter
        self._line_styles.clear()
        self._blank = None
        super().notify_style_update()

    def _styles_of(self, component: str, on_cursor: bool = False) -> tuple[Style, Style, Style]:
        """The text's, the gutter's and the padding's style of a line (`vtable--header`
        or a row's tone)."""
        key = (component, on_cursor)
        styles = self._line_styles.get(key)
        if styles is None:
            base = self.rich_style
            style = self.get_component_rich_style(component)
            gutter_style = style
            if on_cursor:
                style = style + self.get_component_rich_style("vtable--cursor")
                gutter_style = style + self.get_component_rich_style("vtable--gutter")
            styles = self._line_styles[key] = (base + style, base + gutter_style, base + style)
        return styles

    def _blank_style(self) -> Style:
        """Under the last row: the widget's own style."""
        if self._blank is None:
            self._blank = self.rich_style
        return self._blank

    def _line_text(self, cells: Sequence[str]) -> str:
        widths = self.widths
        return " ".join(
            fit(cell, width, column.align)
            for cell, column, width in zip(cells, self.columns, widths, strict=False)
        )

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        scroll_x = int(self.scroll_offset.x)
        gutter = " " * self.gutter_width()
        if y == 0:
            text = self._line_text(self.header_text)
            return self._strip(gutter, text, self._styles_of("vtable--header"), scroll_x, width)
        index = int(self.scroll_offset.y) + y - 1
        if index >= len(self.source):
            return Strip.blank(width, self._blank_style())
        row = self.source.row(index)
        on_cursor = index == self.cursor
        if on_cursor and gutter:
            gutter = CURSOR_MARK
        text = self._line_text(row.cells) if row.key else row.cells[0]
        return self._strip(
            gutter, text, self._styles_of(f"vtable--{row.tone}", on_cursor), scroll_x, width
        )

    def _strip(
        self, gutter: str, text: str, styles: tuple[Style, Style, Style], scroll_x: int, width: int
    ) -> Strip:
        text_style, gutter_style, pad_style = styles
        line = [Segment(text, text_style)]
        if gutter:
            line.insert(0, Segment(gutter, gutter_style))
        visible = Strip(line).crop(scroll_x, scroll_x + width)
        return visible.extend_cell_length(width, pad_style)
