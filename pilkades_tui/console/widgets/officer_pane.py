"""The unit board: who (callsign, rank and name), what (status, and for how long),
where (the village and kecamatan of the last fix, the distance to its incident), and
how old that fix is; the title counts the units by status."""

from __future__ import annotations

from pilkades_tui.console.keys import OFFICER_PANE_BINDINGS
from pilkades_tui.console.widgets.pane import Pane, age_text, minutes_since
from pilkades_tui.console.widgets.virtual_table import Column, Row
from pilkades_tui.domain.geo import haversine_km
from pilkades_tui.domain.models import Officer, OfficerKind, OfficerStatus
from pilkades_tui.domain.state import Changes, ElectionState
from pilkades_tui.i18n import Catalogue

# Durations on the board move with the clock, not only with the feed: an idle unit's
# time in status is redrawn this often (seconds) even when nothing about it changes.
CLOCK_REDRAW_S = 20.0


def unit_name(officer: Officer) -> str:
    """`Bripda Andi Hakim`; a vehicle or team has its own name and no rank in front."""
    if officer.rank and officer.kind == OfficerKind.PERSON:
        return f"{officer.rank} {officer.name}"
    return officer.name


def unit_place(state: ElectionState, officer: Officer) -> str:
    """The village and kecamatan of the TPS nearest to the unit's last fix."""
    found = state.nearest_tps(officer.lat, officer.lon)
    if found is None:
        return "-"
    return f"{found[0].village}, {found[0].district}"


def km_to_incident(state: ElectionState, officer: Officer) -> float | None:
    incident = state.incidents.get(officer.incident_id) if officer.incident_id else None
    if incident is None:
        return None
    return haversine_km(officer.lat, officer.lon, incident.lat, incident.lon)


def status_counts_text(catalogue: Catalogue, counts: dict[str, int]) -> str:
    """`40 siaga · 12 menuju lokasi · 3 di lokasi`, in the statuses' own order."""
    return " · ".join(
        catalogue.text(
            "units.count", count=counts[status], status=catalogue.enum("ostatus", status)
        )
        for status in OfficerStatus
        if counts.get(status)
    )


class OfficerPane(Pane):
    BINDINGS = OFFICER_PANE_BINDINGS
    title_key = "pane.officers"
    column_spec = (
        Column("col.callsign", 10),
        Column("col.name", 24, grow=1),
        Column("col.status", 13),
        Column("col.status_for", 10, "right"),
        Column("col.place", 28, grow=2),
        Column("col.incident", 11),
        Column("col.distance", 8, "right"),
        Column("col.fix_age", 9, "right"),
        Column("col.unit", 22, grow=1),
        Column("col.kind", 9),
    )

    def on_mount(self) -> None:
        super().on_mount()
        self.set_interval(CLOCK_REDRAW_S, self.tick)

    def tick(self) -> None:
        """Times in status and fix ages grow with the clock: redraw the rows on screen."""
        if self.state is None or not self.display:
            return
        self.refresh_visible_rows()

    def total(self) -> int:
        return len(self.state.officers) if self.state else 0

    def update_titles(self) -> None:
        super().update_titles()
        if self.state is None:
            return
        counts = self.status_counts()
        if counts:
            self.border_title = self.catalogue.text(
                "units.title",
                title=self.catalogue.text(self.title_key),
                counts=status_counts_text(self.catalogue, counts),
            )

    def status_counts(self) -> dict[str, int]:
        """Units by status among those listed: the whole board from the state's index,
        a filtered one by counting its rows."""
        assert self.state is not None
        if len(self.source_rows) == len(self.state.officers):
            return self.state.officer_status_counts()
        counts: dict[str, int] = {}
        officers = self.state.officers
        for key in self.source_rows.keys:
            status = officers[key].status
            counts[status] = counts.get(status, 0) + 1
        return counts

    def apply(self, changes: Changes) -> None:
        super().apply(changes)
        if self.state is not None and changes.officers and not changes.reloaded:
            self.update_titles()  # a status changed: the counts in the title move

    def ordered_keys(self) -> list[str]:
        assert self.state is not None
        filters = self.filters
        keys = []
        for officer in self.state.officers.values():
            if (filters.district or filters.regency_districts) and not filters.in_area(
                self.state.officer_district(officer)
            ):
                continue
            # The status as the officer reads it (`siaga`) and as the protocol says it.
            if filters.text and not filters.matches_text(
                officer.id,
                officer.name,
                officer.rank,
                officer.unit,
                officer.status,
                self.catalogue.enum("ostatus", officer.status),
            ):
                continue
            keys.append(officer.id)
        keys.sort()
        return keys

    def order_changed(self, changes: Changes) -> bool:
        return any(officer_id not in self.source_rows.positions for officer_id in changes.officers)

    def changed_keys(self, changes: Changes) -> set[str]:
        return changes.officers | changes.positions

    def build_row(self, key: str) -> Row:
        state = self.state
        assert state is not None
        officer = state.officers[key]
        enum = self.catalogue.enum
        now = self.clock()
        fix_age = minutes_since(officer.position_at, now)
        in_status = minutes_since(state.status_since(officer), now)
        km = km_to_incident(state, officer)
        return Row(
            key,
            [
                officer.id,
                unit_name(officer),
                enum("ostatus", officer.status),
                "-" if in_status is None else age_text(self.catalogue, in_status),
                unit_place(state, officer),
                officer.incident_id or "-",
                "-" if km is None else self.catalogue.text("unit.km", km=km),
                "-" if fix_age is None else age_text(self.catalogue, fix_age),
                officer.unit,
                enum("kind", officer.kind),
            ],
            self.tone(officer, fix_age),
        )

    def tone(self, officer: Officer, fix_age: int | None) -> str:
        if officer.status == OfficerStatus.OFF_DUTY:
            return "muted"
        if fix_age is not None and fix_age >= self.settings.reporting.unit_fix_stale_minutes:
            return "warn"
        if officer.status == OfficerStatus.AVAILABLE:
            return "good"
        if officer.status == OfficerStatus.ON_SCENE:
            return "highlight"
        return "normal"
