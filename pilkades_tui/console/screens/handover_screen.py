"""`:handover NAME`: serah terima piket. The same summary as `pilkades-tui report
--handover` (open incidents, units out, queued commands, this shift's decisions); `y`
records the handover in the logbook, `esc` goes back without recording."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Markdown

from pilkades_tui.console.keys import HANDOVER_BINDINGS
from pilkades_tui.i18n import Catalogue


class HandoverScreen(ModalScreen[bool]):
    DEFAULT_CSS = """
    HandoverScreen { align: center middle; }
    HandoverScreen > VerticalScroll { width: 110; max-width: 100%; height: 90%;
        border: thick $accent; background: $surface; padding: 0 1; }
    """
    BINDINGS = HANDOVER_BINDINGS

    def __init__(self, catalogue: Catalogue, summary_markdown: str, to_operator: str) -> None:
        super().__init__()
        self.catalogue = catalogue
        self.summary_markdown = summary_markdown
        self.to_operator = to_operator

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Markdown(self.summary_markdown)
            yield Label(
                self.catalogue.text("dialog.handover_confirm", to=self.to_operator),
                classes="title",
            )

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
