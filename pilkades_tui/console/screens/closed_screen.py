"""`:closed [text]` (`:selesai`): the incidents that are no longer open (resolved,
cancelled, or found invalid), newest closure first, filtered as you type; `enter`
opens one's timeline in the incident detail screen."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Input, Static

from pilkades_tui.console.keys import CLOSED_BINDINGS
from pilkades_tui.console.widgets.header import DrillBanner, HeaderFacts, StatusHeader
from pilkades_tui.console.widgets.keybar import KeyBar
from pilkades_tui.console.widgets.pane import ListSource
from pilkades_tui.console.widgets.virtual_table import Column, Row, VirtualTable
from pilkades_tui.domain.clock import to_wib
from pilkades_tui.domain.models import Incident, Verification
from pilkades_tui.domain.state import ElectionState
from pilkades_tui.i18n import Catalogue

COLUMNS = (
    Column("col.id", 10),
    Column("col.priority", 2),
    Column("col.category", 17),
    Column("col.place", 24),
    Column("col.closed_as", 12),
    Column("col.closed_at", 5),
    Column("col.by", 30),
    Column("col.note", 40),
)


def closed_incidents(state: ElectionState) -> list[Incident]:
    """Every incident no longer open, the most recently closed first."""
    closed = [incident for incident in state.incidents.values() if not incident.is_open]
    closed.sort(key=lambda incident: (incident.updated_at, incident.id), reverse=True)
    return closed


@dataclass(frozen=True, slots=True)
class ClosedRow:
    incident: Incident
    cells: list[str]
    searchable: str  # every cell and the protocol words, folded, for the filter


def closed_row(incident: Incident, catalogue: Catalogue) -> ClosedRow:
    enum = catalogue.enum
    # A hoax is closed as cancelled; the officer knows it as "found invalid".
    closed_as = (
        enum("verification", Verification.INVALID)
        if incident.verification is Verification.INVALID
        else enum("status", incident.status)
    )
    last = incident.timeline[-1] if incident.timeline else None
    place = ", ".join(part for part in (incident.village, incident.district) if part)
    cells = [
        incident.id,
        str(incident.priority),
        enum("category", incident.category),
        place or (incident.tps_id or ""),
        closed_as,
        f"{to_wib(incident.updated_at):%H:%M}",
        last.by if last else "",
        last.note if last else "",
    ]
    words = [
        *cells,
        incident.category.value,
        incident.status.value,
        incident.verification.value,
        incident.tps_id or "",
        incident.description,
    ]
    return ClosedRow(incident, cells, " ".join(words).casefold())


def matches(row: ClosedRow, text: str) -> bool:
    """Every word of the filter appears somewhere in the row (any order)."""
    return all(word in row.searchable for word in text.casefold().split())


class ClosedIncidentsScreen(Screen[None]):
    DEFAULT_CSS = """
    ClosedIncidentsScreen #closed-title { padding: 0 1; text-style: bold; }
    ClosedIncidentsScreen #closed-filter { margin: 0 1; }
    ClosedIncidentsScreen VirtualTable { height: 1fr; }
    """
    BINDINGS = CLOSED_BINDINGS

    def __init__(
        self,
        catalogue: Catalogue,
        state_of: Callable[[], ElectionState | None],
        open_incident: Callable[[str], None],
        facts: HeaderFacts,
        clock: Callable[[], datetime],
        is_drill: Callable[[], bool],
        filter_text: str = "",
    ) -> None:
        super().__init__()
        self.catalogue = catalogue
        self.state_of = state_of
        self.open_incident = open_incident
        self.facts = facts
        self.clock = clock
        self.is_drill = is_drill
        self.filter_text = filter_text
        self.rows: dict[str, ClosedRow] = {}
        self.source = ListSource(build=self._build)
        self._seen_seq = -1

    def compose(self) -> ComposeResult:
        yield DrillBanner(self.catalogue.text("header.drill"))
        yield StatusHeader(self.catalogue, self.facts)
        yield Static(id="closed-title")
        yield Input(
            self.filter_text,
            placeholder=self.catalogue.text("closed.placeholder"),
            id="closed-filter",
        )
        table = VirtualTable(COLUMNS, self.source, id="closed-list")
        table.set_headers([self.catalogue.text(column.key) for column in COLUMNS])
        yield table
        yield KeyBar(self.catalogue)

    def on_mount(self) -> None:
        self.refresh_rows()
        # With a filter given on the command line the list is what the officer wants:
        # the cursor starts there, one enter away from the timeline.
        target = "#closed-list" if self.filter_text else "#closed-filter"
        self.query_one(target).focus()
        self.update_header()
        self.set_interval(1.0, self.update_header)

    def update_header(self) -> None:
        self.query_one(StatusHeader).update_now(self.clock())
        self.query_one(DrillBanner).set_class(self.is_drill(), "-drill")
        state = self.state_of()
        if state is not None and state.seq != self._seen_seq:
            self.refresh_rows()  # incidents closed (or reopened) while the list is open

    # ---- rows ------------------------------------------------------------------

    def _build(self, key: str) -> Row:
        if key not in self.rows:  # the empty state's line
            return Row("", [key], "muted")
        return Row(key, self.rows[key].cells, "normal")

    def refresh_rows(self) -> None:
        state = self.state_of()
        self._seen_seq = state.seq if state is not None else -1
        every = [closed_row(i, self.catalogue) for i in closed_incidents(state)] if state else []
        shown = [row for row in every if matches(row, self.filter_text)]
        self.rows = {row.incident.id: row for row in shown}
        text = self.catalogue.text
        if shown:
            keys = list(self.rows)
        elif every:
            keys = [text("empty.rows")]
        else:
            keys = [text("closed.none")]
        self.source.set_keys(keys)
        self.query_one(VirtualTable).reload()
        self.query_one("#closed-title", Static).update(
            text("closed.title", shown=len(shown), total=len(every))
        )

    @property
    def selected_id(self) -> str | None:
        key = self.query_one(VirtualTable).selected_key
        return key if key in self.rows else None

    # ---- keys and the filter ---------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value
        self.refresh_rows()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one(VirtualTable).focus()

    def action_open_selected(self) -> None:
        incident_id = self.selected_id
        if incident_id is not None:
            self.open_incident(incident_id)

    def action_focus_filter(self) -> None:
        self.query_one("#closed-filter", Input).focus()

    def action_back(self) -> None:
        if isinstance(self.focused, Input):
            self.query_one(VirtualTable).focus()
        else:
            self.dismiss(None)
