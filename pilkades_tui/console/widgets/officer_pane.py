"""Officers and units: callsign, unit, kind, status, incident, age of the last fix."""

from __future__ import annotations

from pilkades_tui.console.keys import OFFICER_PANE_BINDINGS
from pilkades_tui.console.widgets.pane import Pane, age_text, minutes_since
from pilkades_tui.console.widgets.virtual_table import Column, Row
from pilkades_tui.domain.models import Officer, OfficerStatus
from pilkades_tui.domain.state import Changes

# A unit whose position is older than this (minutes) may have lost its GPS or radio.
STALE_FIX_MIN = 15


class OfficerPane(Pane):
    BINDINGS = OFFICER_PANE_BINDINGS
    title_key = "pane.officers"
    column_spec = (
        Column("col.callsign", 10),
        Column("col.unit", 24, grow=1),
        Column("col.kind", 10),
        Column("col.status", 14),
        Column("col.incident", 12),
        Column("col.fix_age", 11, "right"),
    )

    def total(self) -> int:
        return len(self.state.officers) if self.state else 0

    def ordered_keys(self) -> list[str]:
        assert self.state is not None
        filters = self.filters
        keys = []
        for officer in self.state.officers.values():
            if (filters.district or filters.regency_districts) and not filters.in_area(
                self.state.officer_district(officer)
            ):
                continue
            if filters.matches_text(officer.id, officer.name, officer.unit, officer.status):
                keys.append(officer.id)
        keys.sort()
        return keys

    def order_changed(self, changes: Changes) -> bool:
        return any(officer_id not in self.source_rows.positions for officer_id in changes.officers)

    def changed_keys(self, changes: Changes) -> set[str]:
        return changes.officers | changes.positions

    def build_row(self, key: str) -> Row:
        assert self.state is not None
        officer = self.state.officers[key]
        enum = self.catalogue.enum
        age = minutes_since(officer.position_at, self.clock())
        return Row(
            key,
            [
                officer.id,
                officer.unit,
                enum("kind", officer.kind),
                enum("ostatus", officer.status),
                officer.incident_id or "-",
                "-" if age is None else age_text(self.catalogue, age),
            ],
            self.tone(officer, age),
        )

    def tone(self, officer: Officer, age: int | None) -> str:
        if officer.status == OfficerStatus.OFF_DUTY:
            return "muted"
        if age is not None and age >= STALE_FIX_MIN:
            return "warn"
        if officer.status == OfficerStatus.AVAILABLE:
            return "good"
        if officer.status == OfficerStatus.ON_SCENE:
            return "highlight"
        return "normal"
