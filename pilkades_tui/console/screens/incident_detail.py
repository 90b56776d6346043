"""`enter` on an incident: the record, its timeline and the nearest available units."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from rich.table import Table
from rich.text import Text

from pilkades_tui.console.keys import DETAIL_BINDINGS
from pilkades_tui.console.screens.record_screen import RecordScreen
from pilkades_tui.console.widgets.header import HeaderFacts
from pilkades_tui.console.widgets.pane import age_text
from pilkades_tui.domain.clock import to_wib
from pilkades_tui.domain.models import Incident
from pilkades_tui.domain.recommend import Recommendation
from pilkades_tui.domain.state import ElectionState
from pilkades_tui.i18n import Catalogue


class IncidentDetailScreen(RecordScreen):
    """One incident: its record, its timeline and the nearest available units."""

    BINDINGS = DETAIL_BINDINGS

    def __init__(
        self,
        catalogue: Catalogue,
        state: ElectionState,
        incident_id: str,
        facts: HeaderFacts,
        clock: Callable[[], datetime],
        is_drill: Callable[[], bool],
    ) -> None:
        super().__init__(catalogue, facts, clock, is_drill)
        self.state = state
        self.incident_id = incident_id

    def render_record(self) -> Table | Text:
        text = self.catalogue.text
        enum = self.catalogue.enum
        incident = self.state.incidents.get(self.incident_id)
        if incident is None:
            return Text(text("detail.gone"))
        grid = Table.grid(padding=(0, 1))
        grid.add_column()
        grid.add_row(headline(self.catalogue, incident))
        grid.add_row(f"{place_text(incident)} ({incident.lat:.5f}, {incident.lon:.5f})")
        reported = text(
            "detail.reported",
            at=to_wib(incident.reported_at).strftime("%H:%M:%S"),
            by=incident.reported_by,
        )
        if incident.channel is not None:
            reported += " " + text("detail.channel", channel=enum("channel", incident.channel))
        grid.add_row(reported)
        grid.add_row(Text(incident.description, style="italic"))
        assigned = ", ".join(incident.officer_ids) or "-"
        grid.add_row(f"{text('detail.assigned')}: {assigned}")
        timeline = Table(title=text("detail.timeline"), title_justify="left", box=None)
        for column in ("WIB", text("col.by"), text("col.action"), text("col.note")):
            timeline.add_column(column)
        for step in incident.timeline:
            # "verify:invalid", "officer:on_scene": the first word names the action.
            action = step.action.split(":", 1)[0]
            words = self.catalogue.enum("action", action) if action else step.action
            timeline.add_row(to_wib(step.at).strftime("%H:%M:%S"), step.by, words, step.note)
        grid.add_row(timeline)
        recommended = self.state.recommend(incident, limit=8) if incident.is_open else []
        grid.add_row(units_table(self.catalogue, recommended))
        return grid


def headline(catalogue: Catalogue, incident: Incident) -> Text:
    """`Insiden INC-000004 · P1 · intimidasi · baru · …`: the record's first line, here
    and beside the queue on a wide screen."""
    enum = catalogue.enum
    title = catalogue.text("detail.title", id=incident.id)
    return Text(
        f"{title} · P{incident.priority} · {enum('category', incident.category)} · "
        f"{enum('status', incident.status)} · {enum('escalation', incident.escalation)} · "
        f"{enum('verification', incident.verification)}",
        style="bold",
    )


def place_text(incident: Incident) -> str:
    return ", ".join(p for p in (incident.tps_id, incident.village, incident.district) if p)


def units_table(catalogue: Catalogue, recommended: Sequence[Recommendation]) -> Table:
    """The nearest available units (the assign dialog's `state.recommend`), ★ local."""
    text = catalogue.text
    rows = [
        (
            rec.officer.id,
            text("unit.km", km=rec.distance_km),
            age_text(catalogue, round(rec.eta_min)),
            catalogue.enum("kind", rec.officer.kind),
            rec.officer.unit + (" ★" if rec.local else ""),
        )
        for rec in recommended
    ]
    units = Table(title=text("detail.recommended"), title_justify="left", box=None)
    keys = ("col.callsign", "col.distance", "col.eta", "col.kind", "col.unit")
    for index, key in enumerate(keys):
        title = text(key)
        if index == len(keys) - 1:
            # One line per unit however narrow the pane: the unit's name gives way.
            units.add_column(title, no_wrap=True, overflow="ellipsis")
        else:
            widest = max((len(row[index]) for row in rows), default=0)
            units.add_column(title, no_wrap=True, min_width=max(len(title), widest))
    for row in rows:
        units.add_row(*row)
    return units
