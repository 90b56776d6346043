"""`?`: every key, in the officer's language."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from pilkades_tui.console.i18n import Catalogue
from pilkades_tui.console.widgets.keybar import GLOBAL_KEYS, MAP_KEYS, QUEUE_KEYS

EXTRA_KEYS = (("L", "key.logbook"), ("o", "key.outbox"), ("esc", "key.back"))
MAP_EXTRA_KEYS = (("0", "key.map_reset"), ("f", "key.map_centre"), ("p", "key.map_posts"))


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 90; max-width: 100%; height: 90%;
        border: thick $accent; background: $surface; padding: 0 1; }
    """
    BINDINGS = [Binding("escape,question_mark,q", "dismiss_help", show=False)]

    def __init__(self, catalogue: Catalogue) -> None:
        super().__init__()
        self.catalogue = catalogue

    def compose(self) -> ComposeResult:
        text = self.catalogue.text
        with VerticalScroll():
            yield Static(f"[b]{text('help.title')}[/b]")
            for title, keys in (
                ("help.global", (*GLOBAL_KEYS, *EXTRA_KEYS)),
                ("help.queue", QUEUE_KEYS),
                ("help.map", (*MAP_KEYS, *MAP_EXTRA_KEYS)),
            ):
                table = Table(title=text(title), title_justify="left", show_header=False,
                              box=None, padding=(0, 1))  # fmt: skip
                table.add_column(style="bold")
                table.add_column()
                for key, label in keys:
                    table.add_row(key, text(label))
                yield Static(table)
            yield Static(f"\n[b]{text('help.commands')}[/b]\n{text('help.command_list')}")

    def action_dismiss_help(self) -> None:
        self.dismiss(None)
