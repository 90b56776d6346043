"""The election rules judging the state once a second, and their alerts on screen.

A province's first evaluation takes over a second: it is built on a copy in a thread
while changes wait in a backlog, so the UI never freezes for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pilkades_tui import heap
from pilkades_tui.console.widgets.alerts_pane import AlertsPane
from pilkades_tui.console.widgets.incident_pane import IncidentPane
from pilkades_tui.console.widgets.map_pane import MapPane
from pilkades_tui.console.widgets.tps_pane import TpsPane
from pilkades_tui.domain.rules import AlertKind, Severity
from pilkades_tui.domain.rules.alerts import digest_group
from pilkades_tui.domain.state import Changes, ElectionState

if TYPE_CHECKING:
    from pilkades_tui.console.app import PilkadesApp

# From this many TPS the rules engine is first built in a thread (~1.4 s at 50k TPS).
LARGE_STATE_TPS = 5_000


class RulesWatch:
    """Mixed into the app: the rules engine, its alerts, staffing on the TPS pane."""

    def _judge(self: PilkadesApp, state: ElectionState) -> None:
        """Once a second: the rules' alerts as an officer reads them (the digest: one per
        incident, a kecamatan's understaffed TPS as one, gravest first); a new alarm is
        announced once per incident, with its key."""
        if not self.engine_ready:
            self._build_engine(state)
            if not self.engine_ready:
                return
        self.engine.evaluate(state, self.clock())
        alerts = self.engine.digest()
        if alerts is self.alerts:
            return
        self.alerts = alerts
        self.query_one(AlertsPane).set_alerts(alerts)
        self.facts.alarms = sum(1 for alert in alerts if alert.severity == Severity.ALARM)
        pinned = [
            self.catalogue.text(
                "pinned.cluster",
                count=alert.params.get("count", len(alert.subject_ids)),
                place=alert.params.get("place", ""),
                districts=alert.params.get("districts", ""),
            )
            for alert in alerts
            if alert.kind == AlertKind.SPREAD
        ]
        self.query_one(IncidentPane).set_pinned(pinned)
        self.query_one(MapPane).show_clusters(
            [
                alert.location
                for alert in alerts
                if alert.kind == AlertKind.SPREAD and alert.location is not None
            ]
        )
        pane = self.query_one(AlertsPane)
        # By what the alarm is about, not by its key: an incident whose second timer
        # reaches its alarm is not announced again while it stays in alarm.
        in_alarm = {digest_group(a): a for a in alerts if a.severity == Severity.ALARM}
        for group, alert in in_alarm.items():
            if group in self.announced_alarms:
                continue
            self.announced_alarms.add(group)
            if alert.kind in (AlertKind.TIMER, AlertKind.SPREAD):
                row = pane.build_row(alert.key)
                self.notify(
                    self.catalogue.text("notify.alarm", text=row.cells[2], hint=row.cells[3]),
                    severity="error",
                    timeout=10,
                )
        self.announced_alarms &= set(in_alarm)

    def _build_engine(self: PilkadesApp, state: ElectionState) -> None:
        if len(state.tps) < LARGE_STATE_TPS:
            self.engine.evaluate(state, self.clock())
            self.engine.observe(self.engine_backlog)
            self.engine_backlog = Changes()
            self.engine_ready = True
            self._show_staffing()
            return
        if self.engine_building:
            return
        self.engine_building = True
        copy = ElectionState.from_snapshot(state.snapshot())
        self.engine_backlog = Changes()
        now = self.clock()

        def build() -> None:
            with heap.building_long_lived():
                self.engine.evaluate(copy, now)
                self.engine.district_staffing()  # counted here, not on the TPS pane's first draw
            self.call_from_thread(self._engine_built, state)

        self.run_worker(build, thread=True, name="rules", exit_on_error=False)

    def _show_staffing(self: PilkadesApp) -> None:
        """Posted vs required officers come from the rules: the TPS pane shows them."""
        pane = self.query_one(TpsPane)
        pane.staffing_of = self.engine.tps_staffing
        pane.district_staffing = self.engine.staffing_in
        pane.refresh()
        self.query_one(AlertsPane).members_of = self.engine.digest_members

    def _engine_built(self: PilkadesApp, state: ElectionState) -> None:
        self.engine_building = False
        if self.current_state() is not state:
            return  # a resync replaced the state meanwhile: build again on the next tick
        self.engine.adopt(state)
        self.engine.observe(self.engine_backlog)
        self.engine_backlog = Changes()
        self.engine_ready = True
        self._show_staffing()
