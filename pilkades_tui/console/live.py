"""The live feed on screen: frames merged and drawn at a bounded rate, the connection's
notice, staleness and the once-a-second tick.

One event path: the feed client applies each frame to the state and hands us the
Changes; we merge them and, at most ten times a second, redraw what they touched in
the pane on screen. Hidden panes keep what they missed and catch up when shown.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from textual.widgets import Static
from textual.worker import Worker, WorkerState

from pilkades_tui.console.screens.incident_detail import IncidentDetailScreen
from pilkades_tui.console.widgets.header import DrillBanner, StatusHeader
from pilkades_tui.console.widgets.incident_pane import IncidentPane
from pilkades_tui.console.widgets.map_pane import MapPane
from pilkades_tui.console.widgets.pane import Pane
from pilkades_tui.domain.models import HubMode
from pilkades_tui.domain.state import Changes, ElectionState
from pilkades_tui.feed.client import ConnectionState, FeedStatus

if TYPE_CHECKING:
    from pilkades_tui.console.app import PilkadesApp

FRAME_INTERVAL_S = 0.1  # at most 10 redraws a second, however fast the feed runs
# The map redraws the feed's changes at most once a second, every two seconds beside
# other panes: a redraw repaints rows right across the pane, bytes over SSH.
MAP_INTERVAL_S = 1.0
NOTIFY_PRIORITIES = (1, 2)


class LiveFeed:
    """Mixed into the app: what the feed client calls, and what redraws the panes."""

    def _on_changes(self: PilkadesApp, changes: Changes) -> None:
        """Called by the feed client for every applied frame: only merge here."""
        self.pending.merge(changes)
        if self.engine_ready:
            self.engine.observe(changes)
        else:
            self.engine_backlog.merge(changes)

    def _on_status(self: PilkadesApp, status: FeedStatus) -> None:
        self.facts.status = status
        if status.state == ConnectionState.LIVE and len(self.outbox):
            # The hub is back: send what waited now rather than at the end of a backoff.
            self.outbox.retry_now()
        if self.is_mounted:
            self._update_notice()
            self._tick()

    def on_worker_state_changed(self: PilkadesApp, event: Worker.StateChanged) -> None:
        if event.worker.name != "feed" or event.state != WorkerState.ERROR:
            return
        # The header already says the feed is closed; the officer also needs to know why.
        self.notify(
            self.catalogue.text("notify.feed_failed", error=repr(event.worker.error)),
            severity="error",
            timeout=60,
        )
        self._tick()

    def _is_drill(self: PilkadesApp) -> bool:
        state = self.current_state()
        status = self.facts.status
        return (state is not None and state.mode == HubMode.EXERCISE) or (
            status is not None and status.mode == HubMode.EXERCISE
        )

    def current_state(self: PilkadesApp) -> ElectionState | None:
        if self.offline_state is not None:
            return self.offline_state
        return self.feed.state if self.feed is not None else None

    def _show_state(self: PilkadesApp, state: ElectionState) -> None:
        self.facts.state = state
        self.hidden_changes.clear()
        for pane in self.query(Pane):
            pane.show(state)
        self.query_one(MapPane).show(state)
        if self.first_state_shown:
            # A fresh snapshot after a gap or a reset: what came in while the feed was
            # broken is as new to the officer as what comes live.
            self._notify_new_incidents(state, Changes(incidents=set(state.incidents)))
        else:
            self.seen_incidents = set(state.incidents)  # the first picture: the queue shows it
            self.first_state_shown = True
        self._update_notice()
        self._sync_map_selection()
        self._update_brief(force=True)
        self.query_one(StatusHeader).update_now(self.clock())

    def _draw_frame(self: PilkadesApp) -> None:
        """At most ten times a second: redraw what the merged changes touched."""
        if not self.query(StatusHeader):
            return  # shutting down: the widgets are gone
        # Between frames, never inside one: the collector's share of the feed's garbage.
        self.heap_keeper.tick(time.monotonic(), self.last_input_at)
        state = self.current_state()
        changes, self.pending = self.pending, Changes()
        if state is None:
            return
        if state is not self.facts.state or changes.reloaded:
            self._show_state(state)
            return
        if not changes:
            return
        visible = self.visible_panes()
        for pane in self.query(Pane):
            if pane.id in visible:
                pane.apply(changes)
            else:
                # Hidden panes catch up when shown: no work for what nobody sees.
                self.hidden_changes.setdefault(pane.id or "", Changes()).merge(changes)
        # The map's share waits with what hidden panes missed, drawn at its own rate;
        # its units are placed now, a frame's worth at a time.
        self.hidden_changes.setdefault("map", Changes()).merge(changes)
        self.query_one(MapPane).take_in(changes)
        if self.engine_ready:
            # The rules too take in each frame's share; they judge once a second.
            self.engine.take_in(state, self.clock())
        if "brief" in visible or "map" in visible:
            state.place_moved_units()  # for the recommendations they show
        self._draw_map(visible)
        self._brief_changes(changes)
        self._notify_new_incidents(state, changes)
        if changes.phase or changes.incidents:
            self.query_one(StatusHeader).update_now(self.clock())
        self._refresh_detail(changes)
        self._sync_map_selection()

    def _draw_map(self: PilkadesApp, visible: tuple[str, ...]) -> None:
        """The map on screen catches up at most every MAP_INTERVAL_S, alone on screen
        or beside the queue; its keys (zoom, pan) redraw at once, by themselves."""
        now = time.monotonic()
        interval = MAP_INTERVAL_S if len(visible) == 1 else 2 * MAP_INTERVAL_S
        if "map" not in visible or now - self.map_drawn_at < interval:
            return
        missed = self.hidden_changes.pop("map", None)
        if missed:
            self.map_drawn_at = now
            self.query_one(MapPane).apply(missed)

    def _notify_new_incidents(self: PilkadesApp, state: ElectionState, changes: Changes) -> None:
        for incident_id in changes.incidents - self.seen_incidents:
            incident = state.incidents.get(incident_id)
            self.seen_incidents.add(incident_id)
            if incident is None or incident.priority not in NOTIFY_PRIORITIES:
                continue
            if not incident.is_open:
                continue
            self.notify(
                self.catalogue.text(
                    "notify.new_incident",
                    priority=incident.priority,
                    category=self.catalogue.enum("category", incident.category),
                    place=incident.village or incident.district,
                ),
                severity="error" if incident.priority == 1 else "warning",
                timeout=8,
            )
            self.bell()

    def _refresh_detail(self: PilkadesApp, changes: Changes) -> None:
        screen = self.screen
        if isinstance(screen, IncidentDetailScreen) and screen.incident_id in changes.incidents:
            screen.redraw()

    def _tick(self: PilkadesApp) -> None:
        """Once a second: the clock, timers, and whether the data has gone stale."""
        if not self.query(StatusHeader):
            return  # shutting down, or a timer fired while another screen is built
        if self.feed is not None:
            # The live status, not the copy handed over at the last change: rates move.
            self.facts.status = self.feed.status
        header = self.query_one(StatusHeader)
        header.update_now(self.clock())
        state = self.current_state()
        self.query_one(DrillBanner).set_class(self._is_drill(), "-drill")
        status = self.facts.status
        stale = ""
        if status is not None and status.state != ConnectionState.LIVE and state is not None:
            stale = self.catalogue.text("stale.pane", seconds=int(time.monotonic() - status.since))
        for pane in self.query(Pane):
            pane.set_stale(stale)
        self.query_one(MapPane).set_stale(stale)
        if state is not None:
            self._judge(state)
        if "incidents" in self.visible_panes():
            self.query_one(IncidentPane).tick()
        self._tick_brief()
        self._draw_map(self.visible_panes())  # what the last frames left for the map

    def _update_notice(self: PilkadesApp) -> None:
        notice = self.query_one("#notice", Static)
        status = self.facts.status
        if self.current_state() is not None:
            notice.display = False
            return
        notice.display = True
        if status is not None and status.state == ConnectionState.UNAUTHORIZED:
            key = "error.forbidden" if status.refused_with == 403 else "error.unauthorized"
            notice.update(self.catalogue.text(key, url=self.hub_url))
            notice.add_class("-error")
        else:
            error = status.last_error if status is not None else None
            detail = self.catalogue.text("waiting.detail", error=error) if error else ""
            notice.update(self.catalogue.text("waiting.hub", url=self.hub_url, detail=detail))
