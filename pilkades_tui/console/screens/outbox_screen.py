"""`o` or `:outbox`: commands waiting for the hub; `d` drops the selected one."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from pilkades_tui.console.keys import OUTBOX_BINDINGS, hint_line
from pilkades_tui.feed.outbox import Outbox
from pilkades_tui.i18n import Catalogue


class OutboxScreen(Screen[None]):
    BINDINGS = OUTBOX_BINDINGS

    def __init__(self, catalogue: Catalogue, outbox: Outbox) -> None:
        super().__init__()
        self.catalogue = catalogue
        self.outbox = outbox

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.catalogue.text("outbox.title"), classes="title")
            yield OptionList(id="queued")
            yield Label(hint_line(OUTBOX_BINDINGS, self.catalogue.text))

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        option_list = self.query_one(OptionList)
        option_list.clear_options()
        items = self.outbox.items()
        if not items:
            option_list.add_option(Option(self.catalogue.text("outbox.empty"), disabled=True))
            return
        for command in items:
            error = f" — {command.last_error}" if command.last_error else ""
            option_list.add_option(
                Option(
                    f"{command.created_at[11:19]}  {command.description}  "
                    f"(×{command.attempts}){error}",
                    id=command.key,
                )
            )
        option_list.highlighted = 0
        option_list.focus()

    def action_drop(self) -> None:
        option_list = self.query_one(OptionList)
        option = option_list.highlighted_option
        if option is None or option.id is None:
            return
        if self.outbox.drop(option.id):
            self.notify(self.catalogue.text("notify.outbox_dropped"))
        self.reload()
