"""`:handover NAME`: serah terima piket. The same summary as `pilkades-tui report
--handover` (open incidents, units out, queued commands, this shift's decisions); `y`
records the handover in the logbook, `esc` goes back without recording.

The tables are drawn here rather than by the Markdown widget: that one shares the width
out evenly and cuts every cell, ids too (`IN…`). An id is what the officers say on the
radio, so its column is never cut nor wrapped; the other columns wrap instead."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table as RichTable
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from pilkades_tui.console.keys import HANDOVER_BINDINGS
from pilkades_tui.i18n import Catalogue
from pilkades_tui.report.document import Document, Table
from pilkades_tui.report.writers import display, to_markdown


def table_renderable(table: Table, words: Catalogue) -> RenderableType:
    """A report table for the terminal: the first column (the record's id) keeps its
    whole width, the rest fold."""
    if not table.rows:
        return Text(words("none"))
    rendered = RichTable(show_lines=False, expand=False, header_style="bold")
    cells = [[display(cell, words) for cell in row] for row in table.rows]
    for index, column in enumerate(table.columns):
        if index == 0:
            widest = max([len(column), *(len(row[0]) for row in cells)])
            rendered.add_column(column, no_wrap=True, min_width=widest)
        else:
            rendered.add_column(column, overflow="fold")
    for row in cells:
        rendered.add_row(*row)
    return rendered


def document_renderable(document: Document) -> RenderableType:
    words = document.words
    parts: list[RenderableType] = [Text(document.title, style="bold underline")]
    if document.alerts:
        parts.append(Text(document.alert_title or words("broken.title"), style="bold red"))
        parts += [Text(f"• {alert}", style="red") for alert in document.alerts]
    parts += [Text(f"• {label}: {value}") for label, value in document.facts]
    for section in document.sections:
        parts += [Text(""), Text(section.title, style="bold")]
        parts += [Text(paragraph) for paragraph in section.paragraphs]
        for table in section.tables:
            subtitle = section.subtitles.get(table.name)
            if subtitle:
                parts.append(Text(subtitle, style="italic"))
            parts.append(table_renderable(table, words))
    return Group(*parts)


class HandoverScreen(ModalScreen[bool]):
    DEFAULT_CSS = """
    HandoverScreen { align: center middle; }
    HandoverScreen > VerticalScroll { width: 110; max-width: 100%; height: 90%;
        border: thick $accent; background: $surface; padding: 0 1; }
    """
    BINDINGS = HANDOVER_BINDINGS

    def __init__(self, catalogue: Catalogue, summary: Document, to_operator: str) -> None:
        super().__init__()
        self.catalogue = catalogue
        self.summary = summary
        # The same summary as `report --handover` writes it, for whoever reads it as text.
        self.summary_markdown = to_markdown(summary)
        self.to_operator = to_operator

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(document_renderable(self.summary), id="summary")
            yield Label(
                self.catalogue.text("dialog.handover_confirm", to=self.to_operator),
                classes="title",
            )

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
