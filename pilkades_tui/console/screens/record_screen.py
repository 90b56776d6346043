"""A whole screen for one record (an incident, a unit) with the console's header on
top, so the connection state and a drill are never out of sight."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from rich.console import RenderableType
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from pilkades_tui.console.widgets.header import DrillBanner, HeaderFacts, StatusHeader
from pilkades_tui.console.widgets.keybar import KeyBar
from pilkades_tui.i18n import Catalogue


class RecordScreen(Screen[None]):
    """Header, the record (`render_record`, redrawn by `redraw`), the key bar."""

    DEFAULT_CSS = """
    RecordScreen VerticalScroll { padding: 0 1; }
    """

    def __init__(
        self,
        catalogue: Catalogue,
        facts: HeaderFacts,
        clock: Callable[[], datetime],
        is_drill: Callable[[], bool],
    ) -> None:
        super().__init__()
        self.catalogue = catalogue
        self.facts = facts
        self.clock = clock
        self.is_drill = is_drill

    def compose(self) -> ComposeResult:
        yield DrillBanner(self.catalogue.text("header.drill"))
        yield StatusHeader(self.catalogue, self.facts)
        with VerticalScroll():
            yield Static(id="record")
        yield KeyBar(self.catalogue)

    def on_mount(self) -> None:
        self.query_one(KeyBar).show_keys()
        self.redraw()
        self.update_header()
        self.set_interval(1.0, self.update_header)

    def update_header(self) -> None:
        self.query_one(StatusHeader).update_now(self.clock())
        self.query_one(DrillBanner).set_class(self.is_drill(), "-drill")

    def redraw(self) -> None:
        self.query_one("#record", Static).update(self.render_record())

    def render_record(self) -> RenderableType:
        raise NotImplementedError  # each record screen draws its own record
