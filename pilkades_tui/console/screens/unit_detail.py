"""`enter` on a unit: who it is, its status and for how long, where its last fix puts it,
the incident it is on, and its history: the incidents' timeline entries that name it,
and the status changes this console saw applied (domain/state.py `unit_history`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from rich.table import Table
from rich.text import Text

from pilkades_tui.console.keys import UNIT_DETAIL_BINDINGS
from pilkades_tui.console.screens.record_screen import RecordScreen
from pilkades_tui.console.widgets.header import HeaderFacts
from pilkades_tui.console.widgets.officer_pane import km_to_incident, unit_name
from pilkades_tui.console.widgets.pane import age_text, minutes_since
from pilkades_tui.domain.clock import to_wib
from pilkades_tui.domain.models import Officer
from pilkades_tui.domain.state import ElectionState, UnitChange
from pilkades_tui.i18n import Catalogue

# The record and its history move with the feed and the clock; redrawn this often (s).
REDRAW_S = 2.0


@dataclass(frozen=True, slots=True)
class HistoryLine:
    at: datetime
    incident_id: str
    by: str
    action: str  # a timeline action: "assign", "officer:on_scene"
    note: str
    change: UnitChange | None = None  # a change the state applied that no entry tells


def unit_history(state: ElectionState, officer_id: str) -> list[HistoryLine]:
    """The unit's history, oldest first. The hub writes a unit's callsign in the note of
    the timeline entries about it (assign, release, its own status reports); a change
    the state applied at the same moment as such an entry is that entry, told once."""
    named = re.compile(rf"(?<![\w-]){re.escape(officer_id)}(?![\w-])")
    lines: list[HistoryLine] = []
    for incident in state.incidents.values():
        for entry in incident.timeline:
            # The cheap test first: a province's timelines are read on every redraw.
            if officer_id in entry.note and named.search(entry.note):
                lines.append(HistoryLine(entry.at, incident.id, entry.by, entry.action, entry.note))
    told = {line.at for line in lines}
    for change in state.unit_history(officer_id):
        if change.at in told:
            continue
        incident_id = change.incident_id or change.left or ""
        lines.append(HistoryLine(change.at, incident_id, "", "", "", change))
    lines.sort(key=lambda line: line.at)
    return lines


class UnitDetailScreen(RecordScreen):
    """One unit, like the incident's detail; its record follows the feed and the clock."""

    BINDINGS = UNIT_DETAIL_BINDINGS

    def __init__(
        self,
        catalogue: Catalogue,
        current_state: Callable[[], ElectionState | None],
        officer_id: str,
        facts: HeaderFacts,
        clock: Callable[[], datetime],
        is_drill: Callable[[], bool],
    ) -> None:
        super().__init__(catalogue, facts, clock, is_drill)
        self.current_state = current_state
        self.officer_id = officer_id

    def on_mount(self) -> None:
        super().on_mount()
        self.set_interval(REDRAW_S, self.redraw)

    def render_record(self) -> Table | Text:
        text = self.catalogue.text
        state = self.current_state()
        officer = state.officers.get(self.officer_id) if state is not None else None
        if state is None or officer is None:
            return Text(text("unit_detail.gone"))
        grid = Table.grid(padding=(0, 1))
        grid.add_column()
        enum = self.catalogue.enum
        title = " · ".join(
            part
            for part in (
                text("unit_detail.title", id=officer.id),
                unit_name(officer),
                enum("kind", officer.kind),
                officer.unit,
            )
            if part
        )
        grid.add_row(Text(title, style="bold"))
        grid.add_row(self._status_line(state, officer))
        grid.add_row(self._place_line(state, officer))
        facts = []
        if officer.post_tps_id:
            post = state.tps.get(officer.post_tps_id)
            facts.append(text("unit_detail.post", tps=post.name if post else officer.post_tps_id))
        if officer.last_contact_at is not None:
            facts.append(text("unit_detail.contact", at=f"{to_wib(officer.last_contact_at):%H:%M}"))
        if officer.nrp:
            facts.append(text("unit_detail.nrp", nrp=officer.nrp))
        if officer.phone:
            facts.append(text("unit_detail.phone", phone=officer.phone))
        if facts:
            grid.add_row(" · ".join(facts))
        grid.add_row(self._incident_line(state, officer))
        grid.add_row(self._history_table(state, officer))
        return grid

    def _status_line(self, state: ElectionState, officer: Officer) -> str:
        text = self.catalogue.text
        status = self.catalogue.enum("ostatus", officer.status)
        since = state.status_since(officer)
        minutes = minutes_since(since, self.clock())
        if since is None or minutes is None:
            return text("unit_detail.status_unknown", status=status)
        return text(
            "unit_detail.status",
            status=status,
            at=f"{to_wib(since):%H:%M}",
            duration=age_text(self.catalogue, minutes),
        )

    def _place_line(self, state: ElectionState, officer: Officer) -> str:
        text = self.catalogue.text
        found = state.nearest_tps(officer.lat, officer.lon)
        age = minutes_since(officer.position_at, self.clock())
        if found is None or officer.position_at is None or age is None:
            return text("unit_detail.no_fix")
        tps, km = found
        return text(
            "unit_detail.place",
            place=f"{tps.village}, {tps.district}",
            km=text("unit.km", km=km),
            tps=tps.name,
            at=f"{to_wib(officer.position_at):%H:%M}",
            age=age_text(self.catalogue, age),
        )

    def _incident_line(self, state: ElectionState, officer: Officer) -> str:
        text = self.catalogue.text
        enum = self.catalogue.enum
        incident = state.incidents.get(officer.incident_id) if officer.incident_id else None
        km = km_to_incident(state, officer)
        if incident is None or km is None:
            return text("unit_detail.no_incident")
        place = ", ".join(p for p in (incident.village, incident.district) if p)
        return text(
            "unit_detail.incident",
            id=incident.id,
            priority=incident.priority,
            category=enum("category", incident.category),
            place=place or incident.tps_id or "-",
            status=enum("status", incident.status),
            km=text("unit.km", km=km),
        )

    def _history_table(self, state: ElectionState, officer: Officer) -> Table | Text:
        text = self.catalogue.text
        lines = unit_history(state, officer.id)
        if not lines:
            return Text(text("unit_detail.history_none"), style="italic")
        table = Table(title=text("unit_detail.history"), title_justify="left", box=None)
        for column in ("WIB", text("col.incident"), text("col.by"), text("col.action")):
            table.add_column(column)
        table.add_column(text("col.note"))
        for line in lines:
            change = line.change
            if change is None:
                # "officer:on_scene", "verify:invalid": the first word names the action.
                first, _, detail = line.action.partition(":")
                action = self.catalogue.enum("action", first)
                by, note = line.by, line.note
                if first == "officer" and detail:
                    # The hub notes "BJN-001 on_scene: text": said in words, not raw.
                    action += ": " + self.catalogue.enum("ostatus", detail)
                    note = note.removeprefix(f"{officer.id} {detail}").removeprefix(": ")
            else:
                status = self.catalogue.enum("ostatus", change.status)
                action = text("unit_detail.became", status=status)
                if change.left:
                    action += " · " + text("unit_detail.left", id=change.left)
                by, note = text("unit_detail.seen"), ""
            table.add_row(f"{to_wib(line.at):%H:%M:%S}", line.incident_id or "-", by, action, note)
        return table
