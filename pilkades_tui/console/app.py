"""The duty officer's console.

The app wires the parts: feed → state → panes (live.py), the election rules and their
alerts (judging.py), the prompt line and the command table (prompt.py, commands.py),
themes (theming.py), the layouts and focus between panes (arrangement.py) and the
officer's decisions (workflows.py). Widgets render state and post messages; this class
owns the feed, the desk (logbook + commands) and the outbox.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path

from textual import events
from textual.app import App, ComposeResult, SystemCommand
from textual.containers import Container, Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Input, Static

from pilkades_tui import heap
from pilkades_tui.console.arrangement import Arrangement
from pilkades_tui.console.commands import COMMANDS
from pilkades_tui.console.desk import Desk
from pilkades_tui.console.geography import GeographyLoader
from pilkades_tui.console.judging import RulesWatch
from pilkades_tui.console.keys import GLOBAL_BINDINGS, key_entries, plain_display
from pilkades_tui.console.layouts import AUTO, SINGLE, layout_for
from pilkades_tui.console.live import FRAME_INTERVAL_S, LiveFeed
from pilkades_tui.console.noticing import NoticeBoard
from pilkades_tui.console.palette import ConsoleCommands
from pilkades_tui.console.prompt import CommandLine
from pilkades_tui.console.screens.checkpoints_screen import CheckpointsScreen
from pilkades_tui.console.screens.closed_screen import ClosedIncidentsScreen
from pilkades_tui.console.screens.help import HelpScreen
from pilkades_tui.console.screens.incident_detail import IncidentDetailScreen
from pilkades_tui.console.screens.logbook_screen import LogbookScreen
from pilkades_tui.console.screens.main_screen import MainScreen
from pilkades_tui.console.screens.outbox_screen import OutboxScreen
from pilkades_tui.console.theming import Theming
from pilkades_tui.console.widgets.alerts_pane import AlertsPane
from pilkades_tui.console.widgets.brief import IncidentBrief
from pilkades_tui.console.widgets.district_board import DistrictBoard
from pilkades_tui.console.widgets.header import DrillBanner, HeaderFacts, StatusHeader
from pilkades_tui.console.widgets.incident_pane import IncidentPane
from pilkades_tui.console.widgets.keybar import KeyBar
from pilkades_tui.console.widgets.map_pane import LABEL_KEYS, MapPane
from pilkades_tui.console.widgets.officer_pane import OfficerPane
from pilkades_tui.console.widgets.pane import Pane
from pilkades_tui.console.widgets.tps_pane import TpsPane
from pilkades_tui.console.widgets.virtual_table import VirtualTable
from pilkades_tui.console.workflows import IncidentWorkflows
from pilkades_tui.domain.clock import wib_now
from pilkades_tui.domain.rules import DEFAULT_SETTINGS, Alert, AlertKind, RuleSettings
from pilkades_tui.domain.state import Changes, ElectionState
from pilkades_tui.feed.client import FeedClient
from pilkades_tui.feed.commands import HubCommands
from pilkades_tui.feed.outbox import Outbox
from pilkades_tui.i18n import Catalogue
from pilkades_tui.logbook import Logbook
from pilkades_tui.paths import logbook_file, outbox_file
from pilkades_tui.scenario.adjacency import pekalongan_engine


class PilkadesApp(
    NoticeBoard,
    LiveFeed,
    RulesWatch,
    CommandLine,
    Theming,
    Arrangement,
    IncidentWorkflows,
    App[None],
):
    """The app wires the parts together: the feed (live.py), the rules (judging.py),
    the prompt and its command table (prompt.py, commands.py), themes (theming.py), the
    layouts (arrangement.py) and the officer's decisions (workflows.py)."""

    CSS_PATH = "app.tcss"
    TITLE = "pilkades-tui"
    BINDINGS = GLOBAL_BINDINGS
    language: reactive[str] = reactive("id", init=False)
    """The officer's language (`:lang`): widgets that show words watch it."""
    # ctrl+p offers the console's own command table; Textual's system commands (its
    # quit among them) would bypass the questions the console asks first.
    COMMANDS = {ConsoleCommands}
    COMMAND_PALETTE_BINDING = "ctrl+p"

    def __init__(
        self,
        *,
        hub_url: str,
        token: str,
        operator: str,
        data_dir: Path,
        theme: str | None = None,
        lang: str = "id",
        clock: Callable[[], datetime] = wib_now,
        feed: FeedClient | None = None,
        state: ElectionState | None = None,
        braille: bool = True,
        settings: RuleSettings = DEFAULT_SETTINGS,
        layout: str = AUTO,
        config_path: Path | None = None,
    ) -> None:
        super().__init__()
        self.catalogue = Catalogue(lang)
        self.set_reactive(PilkadesApp.language, lang)
        self.hub_url = hub_url
        self.clock = clock
        self.requested_theme = theme
        self.braille = braille
        # Opened before the app runs: an unreadable logbook stops the console here.
        self.logbook = Logbook.open(logbook_file(data_dir))
        self.outbox = Outbox.open(outbox_file(data_dir), on_change=self._outbox_changed)
        self.commands = HubCommands(hub_url, token, self.outbox)
        self.desk = Desk(self.commands, self.logbook, operator, drill=self._is_drill, clock=clock)
        self.offline_state = state
        self.feed = (
            None
            if state is not None
            else feed
            or FeedClient(hub_url, token, on_changes=self._on_changes, on_status=self._on_status)
        )
        if self.feed is not None:
            self.feed.on_changes = self._on_changes
            self.feed.on_status = self._on_status
        self.facts = HeaderFacts(operator=operator, state=state, outbox=len(self.outbox))
        self.pending = Changes()
        self.hidden_changes: dict[str, Changes] = {}  # what hidden panes have not drawn
        self.seen_incidents: set[str] = set()
        self.first_state_shown = False
        self.theme_problems: list[str] = []
        self.prompt_kind = "command"
        # The election rules (staffing, checkpoints, timers, spread) judge the state.
        self.settings = settings
        self.engine = pekalongan_engine(settings)
        # The hub's own villages replace the packaged ones as soon as they arrive.
        self.geography = GeographyLoader(hub_url, token, settings)
        # A province's first evaluation takes over a second: it is built on a copy in a
        # thread while changes wait here, so the UI never freezes for it.
        self.engine_ready = False
        self.engine_building = False
        self.engine_backlog = Changes()
        self.alerts: tuple[Alert, ...] = ()
        self.announced_alarms: set[str] = set()
        self.last_input_at = time.monotonic()
        self.selection_follow_pending = False
        self.heap_keeper = heap.HeapKeeper(started=self.last_input_at)
        # `auto` or a layout's name (`:layout`); the layout shown depends on the width too.
        self.layout_choice = layout
        self.config_path = config_path  # where `:layout` is remembered (None: the default)
        self.shown_layout = SINGLE
        self.main_pane = "incidents"
        self.focused_pane = "incidents"
        self.brief_shown: str | None = None  # the incident the brief shows
        self.brief_stale = False  # it or the units changed since it was drawn
        self.map_drawn_at = 0.0  # when the map last drew the feed's changes (monotonic)

    def get_default_screen(self) -> Screen:
        return MainScreen(id="_default")

    def compose(self) -> ComposeResult:
        yield DrillBanner(self.catalogue.text("header.drill"), id="drill")
        yield StatusHeader(self.catalogue, self.facts, id="header")
        with Vertical(id="body"):
            yield Static("", id="notice")
            # Every pane at once; the layout (arrangement.py) shows some, the main pane
            # first, and the stylesheet's grid fills its cells in this order.
            with Container(id="panes"):
                yield TpsPane(self.catalogue, self.clock, self.settings, id="tps")
                yield IncidentPane(self.catalogue, self.clock, self.settings, id="incidents")
                yield OfficerPane(self.catalogue, self.clock, self.settings, id="officers")
                yield IncidentBrief(self.catalogue, id="brief")
                yield MapPane(
                    self.map_labels(),
                    charset="braille" if self.braille else "blocks",
                    awaiting_geography=self.feed is not None,
                    id="map",
                )
                yield AlertsPane(self.catalogue, self.clock, self.settings, id="alerts")
                yield DistrictBoard(self.catalogue, self.clock, self.settings, id="board")
        yield Input(id="prompt")
        yield KeyBar(self.catalogue, id="keys")

    def on_mount(self) -> None:
        self.start_notices()
        self.start_theme()
        self.query_one("#prompt", Input).display = False
        self.watch(self.screen, "focused", self._focus_moved, init=False)
        self.arrange(layout_for(self.layout_choice, self.size.width))
        if self.offline_state is not None:
            self._show_state(self.offline_state)
        if self.feed is not None:
            self.run_worker(self.feed.run(), name="feed", exit_on_error=False)
            self.run_worker(self.geography.run(self), name="geography", exit_on_error=False)
        self.run_worker(self.commands.run_outbox(self._outbox_result), name="outbox")
        self.set_interval(FRAME_INTERVAL_S, self._draw_frame)
        self.set_interval(1.0, self._tick)
        self._update_notice()
        self._tick()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent) and not event.is_forwarded:
            self.last_input_at = time.monotonic()  # the heap's deep clean waits for a pause
        await super().on_event(event)

    async def on_unmount(self) -> None:
        if self.feed is not None:
            # The widgets are gone: the closing feed must not call back into them.
            self.feed.on_status = None
            self.feed.on_changes = None
            await self.feed.close()
        await self.commands.aclose()
        self.logbook.close()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Over a dialog, tab moves between its fields instead of switching panes.
        if action == "next_pane":
            return len(self.screen_stack) == 1
        return True

    def on_virtual_table_selected(self, event: VirtualTable.Selected) -> None:
        if event.table.id == "incidents" and not self.selection_follow_pending:
            # The cursor's move is painted first; the map's marks and the brief (a
            # recommendation over a province's units) follow it, once for a run of keys.
            self.selection_follow_pending = True
            self.call_after_refresh(self._follow_selection)

    def _follow_selection(self) -> None:
        self.selection_follow_pending = False
        self._sync_map_selection()
        self._update_brief()

    def _sync_map_selection(self) -> None:
        self.query_one(MapPane).select_incident(self.query_one(IncidentPane).selected_key)

    def map_labels(self) -> dict[str, str]:
        text = self.catalogue.text
        labels = {label: text(f"maplabel.{label}") for label in LABEL_KEYS if label != "keys"}
        # The map's own keys, from its bindings (the workflow keys are on the key bar).
        own = [b for b in MapPane.BINDINGS if b.show]
        labels["keys"] = " · ".join(
            f"{keys} {text(description)}" for keys, description in key_entries(own, plain_display)
        )
        return labels

    def set_language(self, lang: str) -> None:
        """The catalogue switches first; the panes and key bars follow `language`."""
        self.catalogue.set_language(lang)
        self.language = lang

    def watch_language(self, lang: str) -> None:
        self.query_one(MapPane).set_labels(self.map_labels())
        self.query_one(DrillBanner).update(self.catalogue.text("header.drill"))
        self._update_notice()
        self._tick()

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.catalogue, COMMANDS.help_rows(self.catalogue)))

    def action_checkpoints(self) -> None:
        stages = self.engine.checkpoint_summary(self.clock()) if self.engine_ready else []
        self.push_screen(CheckpointsScreen(self.catalogue, stages))

    def action_logbook(self) -> None:
        self.push_screen(LogbookScreen(self.catalogue, self.desk))

    def action_outbox(self) -> None:
        self.push_screen(OutboxScreen(self.catalogue, self.outbox))

    def action_closed(self, filter_text: str = "") -> None:
        """`:closed [text]`: the incidents no longer open; enter shows one's timeline."""
        self.push_screen(
            ClosedIncidentsScreen(
                self.catalogue,
                self.current_state,
                self.show_incident,
                self.facts,
                self.clock,
                self._is_drill,
                filter_text,
            )
        )

    def show_incident(self, incident_id: str) -> None:
        """The incident's record and timeline, over whatever screen is showing."""
        state = self.current_state()
        if state is not None and incident_id in state.incidents:
            self.push_screen(
                IncidentDetailScreen(
                    self.catalogue, state, incident_id, self.facts, self.clock, self._is_drill
                )
            )

    def action_detail(self) -> None:
        if self.active_pane() == "alerts" and len(self.screen_stack) == 1:
            self.go_to_alert_subject()
            return
        if self.active_pane() != "incidents" or isinstance(self.screen, IncidentDetailScreen):
            return
        incident = self.selected_incident()
        if incident is not None:
            self.show_incident(incident.id)

    def go_to_alert_subject(self) -> None:
        """`enter` on an alert: the incident in the queue, the TPS, or the cluster on the map."""
        pane = self.query_one(AlertsPane)
        alert = pane.selected_alert()
        state = self.current_state()
        if alert is None or state is None or not alert.subject_ids or pane.toggle(alert.key):
            return  # nothing to go to, or a kecamatan's staffing alert opened or folded
        subject = alert.subject_ids[0]
        if alert.kind == AlertKind.CHECKPOINT:
            self.action_checkpoints()
        elif alert.kind == AlertKind.SPREAD:
            self.action_show_pane("map")
            self.query_one(MapPane).select_incident(subject)
        elif subject in state.incidents:
            self.action_show_pane("incidents")
            self._select_even_if_filtered(self.query_one(IncidentPane), subject)
        elif subject in state.tps:
            self.action_show_pane("tps")
            self._select_even_if_filtered(self.query_one(TpsPane), subject)

    def _select_even_if_filtered(self, pane: Pane, key: str) -> None:
        if not pane.select_key(key):
            # A filter hides what the alert is about: lift it rather than land elsewhere.
            self.clear_filters()
            pane.select_key(key)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        return ()
