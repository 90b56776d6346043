"""The panes on screen: the layout in use (layouts.py), its main pane, focus between the
visible panes, the switch on resize, and the incident brief beside the queue."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.containers import Container

from pilkades_tui.console.config import remember
from pilkades_tui.console.layouts import ARRANGEMENTS, AUTO, PANES, PASSIVE, Layout, layout_for
from pilkades_tui.console.widgets.alerts_pane import AlertsPane
from pilkades_tui.console.widgets.brief import IncidentBrief
from pilkades_tui.console.widgets.incident_pane import IncidentPane
from pilkades_tui.console.widgets.keybar import KeyBar
from pilkades_tui.console.widgets.map_pane import MapPane
from pilkades_tui.console.widgets.pane import Pane
from pilkades_tui.domain.state import Changes

if TYPE_CHECKING:
    from pilkades_tui.console.app import PilkadesApp

# The brief lists this many units: what fits beside the queue at 120x40.
BRIEF_UNITS = 5


class Arrangement:
    """Mixed into the app: which panes are shown, and which one has the officer's keys."""

    def visible_panes(self: PilkadesApp) -> tuple[str, ...]:
        return self.shown_layout.visible(self.main_pane)

    def active_pane(self: PilkadesApp) -> str:
        """The pane the officer works in: the focused one, or the last one focused while
        the prompt line or a dialog has the keys."""
        return self.focused_pane

    def _focus_moved(self: PilkadesApp, focused: object) -> None:
        name = getattr(focused, "id", None)
        if name in self.visible_panes() and name not in PASSIVE:
            self.focused_pane = name

    def arrange(self: PilkadesApp, layout: Layout) -> None:
        """Show `layout`: its panes on screen, the others hidden, focus kept where it
        was if that pane is still visible."""
        before = self.visible_panes()
        choices = layout.main_choices()
        if self.focused_pane in choices and self.focused_pane not in layout.visible(self.main_pane):
            self.main_pane = self.focused_pane  # the pane the officer works in stays on screen
        if self.main_pane not in choices:
            self.main_pane = layout.main
        self.shown_layout = layout
        panes = self.query_one("#panes", Container)
        wanted = f"-layout-{layout.css}"
        if not panes.has_class(wanted):
            # A class change restyles every pane (~65 ms on a province): only when the
            # layout changes, not when a number key fills the main place.
            panes.remove_class(*(f"-layout-{other.css}" for other in ARRANGEMENTS))
            panes.add_class(wanted)
            panes.set_class(bool(layout.side), "-multi")
            self.query_one(KeyBar).set_class(bool(layout.side), "-steady")
        visible = self.visible_panes()
        brief_appears = "brief" in visible and "brief" not in before
        # The grid places the panes in order: the main pane takes the first cell.
        main = self.query_one(f"#{self.main_pane}")
        if panes.children[0] is not main:
            panes.move_child(main, before=0)
        for child in panes.children:
            shown = child.id in visible
            if shown and not child.display:
                child.display = True
                self._catch_up(child.id or "")
            elif not shown:
                child.display = False
        target = self.focused_pane if self.focused_pane in visible else self.main_pane
        self.action_show_pane(target)
        if brief_appears:
            self._update_brief(force=True)

    def _catch_up(self: PilkadesApp, name: str) -> None:
        """A pane coming on screen draws what it missed while hidden."""
        missed = self.hidden_changes.pop(name, None)
        widget = self.query_one(f"#{name}")
        live = self.current_state() is not None and missed is not None
        if live and isinstance(widget, (Pane, MapPane)):
            widget.apply(missed)
        if isinstance(widget, MapPane):
            self._sync_map_selection()
        if isinstance(widget, AlertsPane):
            widget.set_alerts(self.alerts)

    def action_show_pane(self: PilkadesApp, name: str) -> None:
        """A pane on screen takes the focus; one that is not takes the main slot."""
        if name not in self.visible_panes():
            self.main_pane = self.focused_pane = name
            self.arrange(self.shown_layout)
            return
        self.focused_pane = name
        pane = self.query_one(f"#{name}")
        # At once, not on the next turn as `focus()` does: the key bar then shows the
        # pane's keys in the same layout pass as the pane, not one pass later.
        pane.screen.set_focus(pane)
        self.query_one(KeyBar).show_keys()

    def action_next_pane(self: PilkadesApp) -> None:
        if not self.shown_layout.side:
            index = PANES.index(self.main_pane)
            self.action_show_pane(PANES[(index + 1) % len(PANES)])
            return
        order = [name for name in self.visible_panes() if name not in PASSIVE]
        index = order.index(self.focused_pane) if self.focused_pane in order else -1
        self.action_show_pane(order[(index + 1) % len(order)])

    def on_resize(self: PilkadesApp, event: events.Resize) -> None:
        wanted = layout_for(self.layout_choice, event.size.width)
        if wanted != self.shown_layout:
            self.arrange(wanted)

    def set_layout(self: PilkadesApp, choice: str) -> None:
        """`:layout NAME`: taken now and remembered in the config file for the next start."""
        self.layout_choice = choice
        self.arrange(layout_for(choice, self.size.width))
        try:
            remember("layout", choice, self.config_path)
        except (OSError, ValueError) as error:  # unwritable, or no longer valid TOML
            message = self.catalogue.text("layout.not_saved", error=str(error))
            self.notify(message, severity="warning")
            return
        shown = self.shown_layout.name
        key = "layout.set" if choice == AUTO or shown == choice else "layout.too_narrow"
        self.notify(self.catalogue.text(key, name=choice, shown=shown))

    # ---- the brief beside the queue ----------------------------------------------

    def _update_brief(self: PilkadesApp, force: bool = False) -> None:
        """The selected incident and its nearest units, at once when the selection
        moves to another incident (or `force`), else on the second's tick when the
        incident or the units changed (`brief_stale`): on a province recommending is
        the costly part, and a brief redrawn with every frame would cost the terminal
        more bytes than the rest of the screen."""
        if "brief" not in self.visible_panes():
            return
        state = self.current_state()
        key = self.query_one(IncidentPane).selected_key
        incident = state.incidents.get(key) if state is not None and key else None
        shown = incident.id if incident is not None else None
        if not force and shown == self.brief_shown:
            return
        self._draw_brief()

    def _draw_brief(self: PilkadesApp) -> None:
        state = self.current_state()
        key = self.query_one(IncidentPane).selected_key
        incident = state.incidents.get(key) if state is not None and key else None
        self.brief_shown = incident.id if incident is not None else None
        self.brief_stale = False
        recommended = (
            state.recommend(incident, limit=BRIEF_UNITS)
            if state is not None and incident is not None and incident.is_open
            else []
        )
        self.query_one(IncidentBrief).show_incident(incident, recommended)

    def _brief_changes(self: PilkadesApp, changes: Changes) -> None:
        """From a frame: what the brief shows changed (drawn on the next tick)."""
        units_moved = bool(changes.officers or changes.positions)
        if units_moved or (self.brief_shown or "") in changes.incidents:
            self.brief_stale = True

    def _tick_brief(self: PilkadesApp) -> None:
        if self.brief_stale and "brief" in self.visible_panes():
            self._draw_brief()
