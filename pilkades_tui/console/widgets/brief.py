"""Beside the queue on a wide screen: the selected incident and its nearest units.

The app hands over the incident and the recommendations (the assign dialog's
`state.recommend`); this widget only lays them out, with the same lines as the
incident's detail screen.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group
from rich.text import Text
from textual.widgets import Static

from pilkades_tui.console.screens.incident_detail import headline, place_text, units_table
from pilkades_tui.domain.models import Incident
from pilkades_tui.domain.recommend import Recommendation
from pilkades_tui.i18n import Catalogue


class IncidentBrief(Static):
    """Not focusable: the queue's keys act on the incident it shows."""

    DEFAULT_CSS = """
    IncidentBrief { padding: 0 1; }
    """

    def __init__(self, catalogue: Catalogue, **kwargs) -> None:
        super().__init__(**kwargs)
        self.catalogue = catalogue
        self.incident: Incident | None = None
        self.recommended: Sequence[Recommendation] = ()

    def on_mount(self) -> None:
        self.relabel()
        if hasattr(self.app, "language"):
            self.watch(self.app, "language", lambda _lang: self.relabel(), init=False)

    def relabel(self) -> None:
        self.border_title = self.catalogue.text("pane.brief")
        self.redraw()

    def show_incident(
        self, incident: Incident | None, recommended: Sequence[Recommendation]
    ) -> None:
        self.incident = incident
        self.recommended = recommended
        self.redraw()

    def redraw(self) -> None:
        incident = self.incident
        if incident is None:
            self.update(Text(self.catalogue.text("brief.none"), style="italic"))
            return
        assigned = ", ".join(incident.officer_ids) or "-"
        self.update(
            Group(
                headline(self.catalogue, incident),
                Text(place_text(incident)),
                Text(incident.description, style="italic"),
                Text(f"{self.catalogue.text('detail.assigned')}: {assigned}"),
                units_table(self.catalogue, self.recommended),
            )
        )
