"""One line per kecamatan, for the room's big screen: TPS by phase, turnout and open
incidents, the kecamatan with the most open incidents on top."""

from __future__ import annotations

from collections import Counter

from pilkades_tui.console.widgets.pane import Pane
from pilkades_tui.console.widgets.virtual_table import Column, Row
from pilkades_tui.domain.models import TpsPhase
from pilkades_tui.domain.state import Changes

# The board's phase columns: recap and closed both mean the TPS is done.
PHASE_COLUMNS: tuple[tuple[TpsPhase, ...], ...] = (
    (TpsPhase.SETUP,),
    (TpsPhase.VOTING,),
    (TpsPhase.COUNTING,),
    (TpsPhase.RECAP, TpsPhase.CLOSED),
)


class DistrictBoard(Pane):
    title_key = "pane.board"
    column_spec = (
        Column("col.district", 16, grow=1),
        Column("col.tps_count", 5, "right"),
        Column("col.board_setup", 9, "right"),
        Column("col.board_voting", 9, "right"),
        Column("col.board_counting", 9, "right"),
        Column("col.board_done", 9, "right"),
        Column("col.turnout", 7, "right"),
        Column("col.open_incidents", 8, "right"),
        Column("col.board_p1", 4, "right"),
    )

    def total(self) -> int:
        return len(self.state.districts()) if self.state else 0

    def ordered_keys(self) -> list[str]:
        assert self.state is not None
        state = self.state
        districts = [d for d in state.districts() if self.filters.in_area(d)]
        districts = [d for d in districts if self.filters.matches_text(d)]
        # Where the trouble is first; the rest by name, so a kecamatan is found again.
        districts.sort(key=lambda d: (-len(state.open_in_district(d)), d))
        return districts

    def order_changed(self, changes: Changes) -> bool:
        if changes.incidents:
            return True
        # A TPS of a kecamatan not yet on the board adds a line.
        tps = self.state.tps if self.state is not None else {}
        known = self.source_rows.positions
        return any(i in tps and tps[i].district not in known for i in changes.tps)

    def changed_keys(self, changes: Changes) -> set[str]:
        if self.state is None or not (changes.tps or changes.incidents):
            return set()
        state = self.state
        districts = {state.tps[i].district for i in changes.tps if i in state.tps}
        districts |= {
            state.incidents[i].district for i in changes.incidents if i in state.incidents
        }
        return {d for d in districts if d}

    def build_row(self, key: str) -> Row:
        assert self.state is not None
        counts = self.state.counts_for(key)
        phases = Counter(tps.phase for tps in self.state.tps_in_district(key))
        open_incidents = self.state.open_in_district(key)
        p1 = sum(1 for incident in open_incidents if incident.priority == 1)
        cells = [
            key,
            str(counts.tps),
            *(str(sum(phases[phase] for phase in group)) for group in PHASE_COLUMNS),
            f"{counts.turnout:.0%}",
            str(len(open_incidents)),
            str(p1),
        ]
        tone = "alarm" if p1 else "warn" if open_incidents else "normal"
        return Row(key, cells, tone)
