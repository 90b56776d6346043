"""The prompt line: `/` filters the pane on screen, `:` runs a command from the table
(console/commands.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.widgets import Input

from pilkades_tui.console.commands import COMMANDS
from pilkades_tui.console.widgets.incident_pane import IncidentPane
from pilkades_tui.console.widgets.pane import Filters, Pane

if TYPE_CHECKING:
    from pilkades_tui.console.app import PilkadesApp


class CommandLine:
    """Mixed into the app: the prompt line and the filters it sets."""

    def action_prompt(self: PilkadesApp, kind: str, value: str | None = None) -> None:
        if kind == "filter" and not isinstance(self.query_one(f"#{self.active_pane()}"), Pane):
            self.notify(self.catalogue.text("filter.not_here"), severity="warning")
            return
        prompt = self.query_one("#prompt", Input)
        prompt.display = True
        prompt.placeholder = self.catalogue.text(f"prompt.{kind}")
        if value is None:
            value = self._pane_filters().text if kind == "filter" else ""
        prompt.value = value
        prompt.cursor_position = len(value)
        self.prompt_kind = kind
        prompt.focus()

    def on_input_submitted(self: PilkadesApp, event: Input.Submitted) -> None:
        if event.input.id != "prompt":
            return
        event.stop()
        prompt = event.input
        prompt.display = False
        kind = self.prompt_kind
        self.action_show_pane(self.active_pane())
        if kind == "filter":
            self.set_filter(text=event.value.strip())
        else:
            COMMANDS.run(self, event.value)

    def on_key(self: PilkadesApp, event: events.Key) -> None:
        prompt = self.query_one("#prompt", Input)
        if event.key == "escape" and prompt.display:
            prompt.display = False
            self.action_show_pane(self.active_pane())
            event.stop()

    def _pane_filters(self: PilkadesApp) -> Filters:
        pane = self.query_one(f"#{self.active_pane()}")
        return pane.filters if isinstance(pane, Pane) else self.query_one(IncidentPane).filters

    def set_filter(self: PilkadesApp, **fields: str | None) -> None:
        """`/` text filters the pane on screen; kecamatan, risk, phase and `:clear` apply
        to every pane, so what one pane shows agrees with the others."""
        for pane in self.query(Pane):
            if pane.id == self.active_pane() or set(fields) != {"text"}:
                for name, value in fields.items():
                    setattr(pane.filters, name, value)
                if self.current_state() is not None:
                    pane.rebuild()
                pane.update_titles()

    def clear_filters(self: PilkadesApp) -> None:
        self.set_filter(text="", district=None, risk=None, phase=None)

    def run_command(self: PilkadesApp, line: str) -> None:
        COMMANDS.run(self, line)
