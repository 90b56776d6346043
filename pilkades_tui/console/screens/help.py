"""`?`: every key and every command, in the officer's language.

Built from the bindings the console declares (console/keys.py, attached to the app,
panes and screens) and from the command table, never from a list of its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from pilkades_tui.console.keys import HELP_BINDINGS, key_entries, plain_display
from pilkades_tui.i18n import Catalogue

HelpSection = tuple[str, Sequence[Binding]]


def help_sections() -> list[HelpSection]:
    """(title key, bindings) for every place that binds keys, in the order an officer
    meets them."""
    # Imported here: the screens and widgets import this module's neighbours.
    from pilkades_tui.console.app import PilkadesApp
    from pilkades_tui.console.screens.checkpoints_screen import CheckpointsScreen
    from pilkades_tui.console.screens.closed_screen import ClosedIncidentsScreen
    from pilkades_tui.console.screens.dialogs import (
        AssignDialog,
        ChoiceDialog,
        ConfirmDialog,
        LogDialog,
        TextDialog,
    )
    from pilkades_tui.console.screens.handover_screen import HandoverScreen
    from pilkades_tui.console.screens.incident_detail import IncidentDetailScreen
    from pilkades_tui.console.screens.intake import NewIncidentForm, PlaceInput, TpsStatusForm
    from pilkades_tui.console.screens.logbook_screen import LogbookScreen
    from pilkades_tui.console.screens.outbox_screen import OutboxScreen
    from pilkades_tui.console.screens.unit_detail import UnitDetailScreen
    from pilkades_tui.console.widgets.alerts_pane import AlertsPane
    from pilkades_tui.console.widgets.incident_pane import IncidentPane
    from pilkades_tui.console.widgets.map_pane import MapPane
    from pilkades_tui.console.widgets.officer_pane import OfficerPane
    from pilkades_tui.console.widgets.tps_pane import TpsPane
    from pilkades_tui.console.widgets.virtual_table import VirtualTable

    def bindings(*owners: type) -> list[Binding]:
        return [b for owner in owners for b in Binding.make_bindings(owner.BINDINGS)]

    return [
        ("help.global", bindings(PilkadesApp)),
        ("help.lists", bindings(VirtualTable)),
        ("help.queue", bindings(IncidentPane)),
        ("help.detail", bindings(IncidentDetailScreen)),
        ("help.closed", bindings(ClosedIncidentsScreen)),
        ("help.alerts", bindings(AlertsPane)),
        ("help.map", bindings(MapPane)),
        ("help.units", bindings(OfficerPane, UnitDetailScreen)),
        ("help.dialogs", bindings(ConfirmDialog, HandoverScreen, AssignDialog)),
        (
            "help.screens",
            bindings(TextDialog, ChoiceDialog, LogDialog, OutboxScreen, LogbookScreen),
        ),
        (
            "help.intake",
            [
                *bindings(TpsPane),
                # The unit board's radio report is call-taking too.
                *(b for b in bindings(OfficerPane) if b.action == "app.unit_report"),
                *bindings(NewIncidentForm, TpsStatusForm, PlaceInput),
            ],
        ),
        ("help.checkpoints", bindings(CheckpointsScreen, HelpScreen)),
    ]


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 116; max-width: 100%; height: 90%;
        border: thick $accent; background: $surface; padding: 0 1; }
    """
    BINDINGS = HELP_BINDINGS

    def __init__(
        self,
        catalogue: Catalogue,
        commands: Iterable[tuple[str, str]] = (),
        sections: Sequence[HelpSection] | None = None,
    ) -> None:
        super().__init__()
        self.catalogue = catalogue
        self.commands = list(commands)  # (usage, description) from the command table
        self.sections = sections

    def compose(self) -> ComposeResult:
        text = self.catalogue.text
        with VerticalScroll():
            yield Static(f"[b]{text('help.title')}[/b]")
            for title, bindings in self.sections or help_sections():
                table = Table(title=text(title), title_justify="left", show_header=False,
                              box=None, padding=(0, 1), expand=True)  # fmt: skip
                table.add_column(style="bold")
                table.add_column()
                for keys, description in key_entries(bindings, plain_display):
                    table.add_row(keys, text(description))
                yield Static(table)
            if self.commands:
                table = Table(title=text("help.commands"), title_justify="left",
                              show_header=False, box=None, padding=(0, 1), expand=True)  # fmt: skip
                table.add_column(style="bold")
                table.add_column()
                for usage, description in self.commands:
                    table.add_row(usage, description)
                yield Static(table)

    def action_dismiss_help(self) -> None:
        self.dismiss(None)
