"""`:checkpoints` (or enter on a checkpoint alert): every stage of the day across the
kabupaten at a glance, with the kecamatan still behind."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from pilkades_tui.console.keys import CHECKPOINT_BINDINGS
from pilkades_tui.domain.clock import to_wib
from pilkades_tui.domain.rules import StageState, StageSummary
from pilkades_tui.i18n import Catalogue

LATE_DISTRICTS_SHOWN = 4


class CheckpointsScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    CheckpointsScreen { align: center middle; }
    CheckpointsScreen > VerticalScroll { width: 110; max-width: 100%; height: auto;
        max-height: 90%; border: thick $accent; background: $surface; padding: 0 1; }
    """
    BINDINGS = CHECKPOINT_BINDINGS

    def __init__(self, catalogue: Catalogue, stages: list[StageSummary]) -> None:
        super().__init__()
        self.catalogue = catalogue
        self.stages = stages

    def compose(self) -> ComposeResult:
        text = self.catalogue.text
        table = Table(title=text("checkpoints.title"), title_justify="left", expand=True)
        for key in ("col.stage", "col.due", "col.reached", "col.pending", "col.state",
                    "col.late_districts"):  # fmt: skip
            table.add_column(text(key))
        for stage in self.stages:
            behind = sorted(stage.pending_by_district.items(), key=lambda pair: -pair[1])
            late = ", ".join(f"{name} {count}" for name, count in behind[:LATE_DISTRICTS_SHOWN])
            style = "bold red" if stage.state == StageState.MISSED else ""
            table.add_row(
                self.catalogue.enum("stage", stage.stage),
                to_wib(stage.due).strftime("%H:%M") if stage.due else "-",
                str(stage.reached),
                str(stage.pending),
                text(f"checkpoints.state.{stage.state.value}"),
                late,
                style=style,
            )
        with VerticalScroll():
            yield Static(table)
            yield Label(text("checkpoints.hint"))
