"""Every TPS, grouped by kecamatan with a summary line above each group."""

from __future__ import annotations

from collections.abc import Callable

from pilkades_tui.console.keys import TPS_PANE_BINDINGS
from pilkades_tui.console.widgets.pane import Pane, age_text, minutes_since
from pilkades_tui.console.widgets.virtual_table import Column, Row
from pilkades_tui.domain.models import HealthProtocol, Risk, Tps, TpsPhase
from pilkades_tui.domain.rules import DistrictStaffing, TpsStaffing
from pilkades_tui.domain.state import Changes

SUMMARY_PREFIX = "\x00district:"


class TpsPane(Pane):
    BINDINGS = TPS_PANE_BINDINGS
    title_key = "pane.tps"
    column_spec = (
        Column("col.tps", 18, grow=1),
        Column("col.village", 14, grow=2),
        Column("col.district", 13, grow=1),
        Column("col.phase", 10),
        Column("col.turnout", 7, "right"),
        Column("col.risk", 12),
        Column("col.health", 11),
        Column("col.report_age", 11, "right"),
        Column("col.posted", 11, "right"),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Set by the app once the election rules are built: posted vs required officers.
        self.staffing_of: Callable[[str], TpsStaffing | None] = lambda tps_id: None
        self.district_staffing: Callable[[str], DistrictStaffing | None] = lambda name: None

    def total(self) -> int:
        return len(self.state.tps) if self.state else 0

    def shown(self) -> int:
        return sum(1 for key in self.source_rows.keys if not key.startswith(SUMMARY_PREFIX))

    def ordered_keys(self) -> list[str]:
        assert self.state is not None
        filters = self.filters
        keys: list[str] = []
        districts = [d for d in self.state.districts() if filters.in_area(d)]
        for district in districts:
            group = [
                tps
                for tps in self.state.tps_in_district(district)
                if (filters.risk is None or tps.risk == filters.risk)
                and (filters.phase is None or tps.phase == filters.phase)
                and filters.matches_text(tps.name, tps.village, tps.district, tps.id)
            ]
            if not group:
                continue
            group.sort(key=lambda tps: tps.id)
            keys.append(SUMMARY_PREFIX + district)
            keys.extend(tps.id for tps in group)
        return keys

    def order_changed(self, changes: Changes) -> bool:
        # TPS stay in place unless one appears or a filtered field moves it in or out.
        if not changes.tps or self.state is None:
            return False
        if any(tps_id not in self.source_rows.positions for tps_id in changes.tps):
            return bool(self.filters.describe()) or True
        return bool(self.filters.risk or self.filters.phase)

    def changed_keys(self, changes: Changes) -> set[str]:
        if not changes.tps and not changes.incidents:
            return set()
        keys = set(changes.tps)
        if self.state is not None:
            # The summary lines count turnout and open incidents.
            districts = {self.state.tps[i].district for i in changes.tps if i in self.state.tps}
            districts |= {
                self.state.incidents[i].district
                for i in changes.incidents
                if i in self.state.incidents
            }
            keys |= {SUMMARY_PREFIX + district for district in districts}
        return keys

    def build_row(self, key: str) -> Row:
        assert self.state is not None
        text = self.catalogue.text
        if key.startswith(SUMMARY_PREFIX):
            district = key.removeprefix(SUMMARY_PREFIX)
            counts = self.state.counts_for(district)
            line = text(
                "summary.district",
                district=district,
                tps=counts.tps,
                turnout=counts.turnout,
                high=counts.high_risk_tps,
                incidents=counts.open_incidents,
            )
            staffing = self.district_staffing(district)
            if staffing is not None:
                line += " · " + text(
                    "summary.staffing",
                    posted=staffing.posted,
                    required=staffing.required,
                    short=staffing.short_tps,
                )
            return Row("", [line], "summary")
        tps = self.state.tps[key]
        staffing = self.staffing_of(key)
        cells = self.cells(tps)
        cells.append("-" if staffing is None else self.staffing_cell(staffing))
        tone = self.tone(tps)
        if staffing is not None and staffing.short:
            # A high-risk TPS short of officers is what the staffing rule alarms on.
            if tps.risk == Risk.HIGH:
                tone = "alarm"
            elif tone in ("normal", "highlight"):
                tone = "warn"
        return Row(key, cells, tone)

    def staffing_cell(self, staffing: TpsStaffing) -> str:
        """Whole officers against the pattern: `1/2` where it asks 2 per TPS, else the
        officers posted and the pattern, `1 · 2 per 5` (2 officers per 5 TPS)."""
        shared = staffing.pattern_tps > 1
        return self.catalogue.text(
            "staffing.cell_shared" if shared else "staffing.cell",
            posted=staffing.posted,
            officers=staffing.pattern_officers,
            per_tps=staffing.pattern_tps,
        )

    def cells(self, tps: Tps) -> list[str]:
        enum = self.catalogue.enum
        turnout = f"{tps.ballots_cast / tps.voters:.0%}" if tps.voters else "-"
        age = minutes_since(tps.last_report_at, self.clock())
        return [
            tps.name,
            tps.village,
            tps.district,
            enum("tpsphase", tps.phase),
            turnout,
            enum("risk", tps.risk),
            enum("health", tps.health_protocol),
            self.catalogue.text("never") if age is None else age_text(self.catalogue, age),
        ]

    def tone(self, tps: Tps) -> str:
        if tps.health_protocol == HealthProtocol.VIOLATION:
            return "alarm"
        if tps.phase == TpsPhase.CLOSED:
            return "muted"
        age = minutes_since(tps.last_report_at, self.clock())
        stale_after = self.settings.reporting.tps_stale_minutes
        if tps.phase != TpsPhase.SETUP and (age is None or age >= stale_after):
            return "warn"
        if tps.health_protocol == HealthProtocol.WARNING:
            return "warn"
        if tps.risk == Risk.HIGH:
            return "highlight"
        return "normal"
