"""`L` or `:logbook`: this shift's decisions, with their outcomes and the chain's health."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from pilkades_tui.console.desk import Desk
from pilkades_tui.console.keys import LOGBOOK_BINDINGS
from pilkades_tui.domain.clock import to_wib
from pilkades_tui.i18n import Catalogue
from pilkades_tui.logbook import Kind


class LogbookScreen(Screen[None]):
    BINDINGS = LOGBOOK_BINDINGS

    def __init__(self, catalogue: Catalogue, desk: Desk) -> None:
        super().__init__()
        self.catalogue = catalogue
        self.desk = desk

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(self.render_entries(), id="entries")

    def render_entries(self) -> Table | Text:
        text = self.catalogue.text
        verdict = self.desk.logbook.verify()
        table = Table(title=text("logbook.title"), title_justify="left", expand=True)
        for column in ("#", "WIB", text("col.by"), text("col.action"), text("col.note"),
                       text("col.outcome")):  # fmt: skip
            table.add_column(column)
        if not verdict.ok:
            table.caption = text("logbook.broken", n=verdict.first_broken, reason=verdict.reason)
            table.caption_style = "bold red"
        entries = self.desk.shift_entries()
        if not entries:
            return Text(text("logbook.empty"))
        for entry in entries:
            if entry.kind is Kind.DECISION:
                outcome = text(f"outcome.{entry.outcome.value if entry.outcome else 'pending'}")
                if entry.why:
                    outcome += f" ({entry.why})"
                action = self.catalogue.enum("action", entry.action)
                what = f"{action} {entry.subject or ''} {' '.join(entry.officer_ids)}"
            elif entry.kind is Kind.LOG:
                outcome = ""
                what = text(f"logcat.{entry.category}")
            else:
                outcome = ""
                what = f"→ {entry.to_operator}"
            table.add_row(
                str(entry.n),
                to_wib(entry.at).strftime("%H:%M:%S"),
                entry.operator,
                what.strip(),
                entry.note,
                outcome,
            )
        return table
