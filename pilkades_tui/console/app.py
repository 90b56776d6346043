"""The duty officer's console.

One event path: the feed client applies each frame to the state and hands us the
Changes; we merge them and, at most ten times a second, redraw what they touched in
the pane on screen. Widgets render state and post messages; this class owns the
feed, the desk (logbook + commands) and the outbox.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from textual import events, work
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.css.stylesheet import StylesheetParseError
from textual.widgets import ContentSwitcher, Input, Static
from textual.worker import Worker, WorkerState

from pilkades_tui import heap
from pilkades_tui.console.desk import Desk
from pilkades_tui.console.i18n import Catalogue
from pilkades_tui.console.keys import GLOBAL_BINDINGS, key_entries, plain_display
from pilkades_tui.console.screens.checkpoints_screen import CheckpointsScreen
from pilkades_tui.console.screens.dialogs import (
    AssignDialog,
    ChoiceDialog,
    ConfirmDialog,
    LogDialog,
    TextDialog,
)
from pilkades_tui.console.screens.handover_screen import HandoverScreen
from pilkades_tui.console.screens.help import HelpScreen
from pilkades_tui.console.screens.incident_detail import IncidentDetailScreen
from pilkades_tui.console.screens.logbook_screen import LogbookScreen
from pilkades_tui.console.screens.outbox_screen import OutboxScreen
from pilkades_tui.console.themes import DEFAULT_THEME, load_themes
from pilkades_tui.console.widgets.alerts_pane import AlertsPane
from pilkades_tui.console.widgets.header import DrillBanner, HeaderFacts, StatusHeader
from pilkades_tui.console.widgets.incident_pane import IncidentPane
from pilkades_tui.console.widgets.keybar import KeyBar
from pilkades_tui.console.widgets.map_pane import LABEL_KEYS, MapPane
from pilkades_tui.console.widgets.officer_pane import OfficerPane
from pilkades_tui.console.widgets.pane import Pane
from pilkades_tui.console.widgets.tps_pane import TpsPane
from pilkades_tui.console.widgets.virtual_table import VirtualTable
from pilkades_tui.domain.clock import wib_now
from pilkades_tui.domain.models import (
    ESCALATION_ORDER,
    Escalation,
    HubMode,
    Incident,
    Risk,
    TpsPhase,
)
from pilkades_tui.domain.rules import DEFAULT_SETTINGS, Alert, AlertKind, RuleSettings, Severity
from pilkades_tui.domain.state import Changes, ElectionState
from pilkades_tui.feed.client import ConnectionState, FeedClient, FeedStatus
from pilkades_tui.feed.commands import HubCommands
from pilkades_tui.feed.outbox import Outbox
from pilkades_tui.feed.results import CommandResult
from pilkades_tui.feed.results import Outcome as CommandOutcome
from pilkades_tui.logbook import LOG_CATEGORIES, Logbook
from pilkades_tui.paths import logbook_file, outbox_file
from pilkades_tui.report.handover import build_handover, handover_summary
from pilkades_tui.report.i18n import Words
from pilkades_tui.report.writers import to_markdown
from pilkades_tui.scenario.adjacency import pekalongan_engine

FRAME_INTERVAL_S = 0.1  # at most 10 redraws a second, however fast the feed runs
PANES = ("tps", "incidents", "officers", "map", "alerts")
NOTIFY_PRIORITIES = (1, 2)
# From this many TPS the rules engine is first built in a thread (~1.4 s at 50k TPS).
LARGE_STATE_TPS = 5_000


class PilkadesApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "pilkades-tui"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = GLOBAL_BINDINGS

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
    ) -> None:
        super().__init__()
        self.catalogue = Catalogue(lang)
        self.hub_url = hub_url
        self.clock = clock
        self.requested_theme = theme
        self.braille = braille
        # Opened before the app runs: an unreadable logbook stops the console here.
        self.logbook = Logbook.open(logbook_file(data_dir))
        self.outbox = Outbox.open(outbox_file(data_dir), on_change=self._outbox_changed)
        self.commands = HubCommands(hub_url, token, self.outbox)
        self.desk = Desk(self.commands, self.logbook, operator, drill=self._is_drill)
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
        self.frames_drawn = 0
        self.theme_problems: list[str] = []
        self.prompt_kind = "command"
        # The election rules (staffing, checkpoints, timers, spread) judge the state.
        self.settings = settings
        self.engine = pekalongan_engine(settings)
        # A province's first evaluation takes over a second: it is built on a copy in a
        # thread while changes wait here, so the UI never freezes for it.
        self.engine_ready = False
        self.engine_building = False
        self.engine_backlog = Changes()
        self.alerts: tuple[Alert, ...] = ()
        self.announced_alarms: set[str] = set()
        self.last_input_at = time.monotonic()
        self.heap_keeper = heap.HeapKeeper(started=self.last_input_at)

    # ---- layout ----------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield DrillBanner(self.catalogue.text("header.drill"), id="drill")
        yield StatusHeader(self.catalogue, self.facts, id="header")
        with Vertical(id="body"):
            yield Static("", id="notice")
            with ContentSwitcher(initial="incidents", id="panes"):
                yield TpsPane(self.catalogue, self.clock, self.settings, id="tps")
                yield IncidentPane(self.catalogue, self.clock, self.settings, id="incidents")
                yield OfficerPane(self.catalogue, self.clock, self.settings, id="officers")
                yield AlertsPane(self.catalogue, self.clock, self.settings, id="alerts")
                yield MapPane(
                    self.map_labels(), charset="braille" if self.braille else "blocks", id="map"
                )
        yield Input(id="prompt")
        yield KeyBar(self.catalogue, id="keys")

    def on_mount(self) -> None:
        themes, problems = load_themes()
        for theme in themes:
            self.register_theme(theme)
        for problem in problems:
            message = self.catalogue.text("theme.broken", path=problem.path, error=problem.error)
            self.theme_problems.append(message)
            self.notify(message, severity="warning", timeout=10)
        wanted = self.requested_theme or DEFAULT_THEME
        if wanted not in self.available_themes:
            if self.requested_theme:
                names = ", ".join(sorted(self.available_themes))
                self.notify(
                    self.catalogue.text("cmd.theme_unknown", name=wanted, names=names),
                    severity="warning",
                )
            wanted = DEFAULT_THEME if DEFAULT_THEME in self.available_themes else "textual-dark"
        if not self.use_theme(wanted, fallback=DEFAULT_THEME) and wanted != DEFAULT_THEME:
            self.use_theme(DEFAULT_THEME)
        self.query_one("#prompt", Input).display = False
        self.action_show_pane("incidents")
        if self.offline_state is not None:
            self._show_state(self.offline_state)
        if self.feed is not None:
            self.run_worker(self.feed.run(), name="feed", exit_on_error=False)
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

    # ---- the feed ----------------------------------------------------------------

    def _on_changes(self, changes: Changes) -> None:
        """Called by the feed client for every applied frame: only merge here."""
        self.pending.merge(changes)
        if self.engine_ready:
            self.engine.observe(changes)
        else:
            self.engine_backlog.merge(changes)
        self.facts.last_event_at = time.monotonic()

    def _on_status(self, status: FeedStatus) -> None:
        self.facts.status = status
        if status.state == ConnectionState.LIVE and len(self.outbox):
            # The hub is back: send what waited now rather than at the end of a backoff.
            self.outbox.retry_now()
        if self.is_mounted:
            self._update_notice()
            self._tick()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.name != "feed" or event.state != WorkerState.ERROR:
            return
        # The header already says the feed is closed; the officer also needs to know why.
        self.notify(
            self.catalogue.text("notify.feed_failed", error=repr(event.worker.error)),
            severity="error",
            timeout=60,
        )
        self._tick()

    def _is_drill(self) -> bool:
        state = self.current_state()
        status = self.facts.status
        return (state is not None and state.mode == HubMode.EXERCISE) or (
            status is not None and status.mode == HubMode.EXERCISE
        )

    def current_state(self) -> ElectionState | None:
        if self.offline_state is not None:
            return self.offline_state
        return self.feed.state if self.feed is not None else None

    def _show_state(self, state: ElectionState) -> None:
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
        self.query_one(StatusHeader).update_now(self.clock())

    def _draw_frame(self) -> None:
        """At most ten times a second: redraw what the merged changes touched."""
        if not self.query(StatusHeader):
            return  # shutting down: the widgets are gone
        state = self.current_state()
        changes, self.pending = self.pending, Changes()
        if state is None:
            return
        if state is not self.facts.state or changes.reloaded:
            self._show_state(state)
            return
        if not changes:
            return
        self.frames_drawn += 1
        visible = self.query_one(ContentSwitcher).current
        for pane in self.query(Pane):
            if pane.id == visible:
                pane.apply(changes)
            else:
                # Hidden panes catch up when shown: no work for what nobody sees.
                self.hidden_changes.setdefault(pane.id or "", Changes()).merge(changes)
        if visible == "map":
            self.query_one(MapPane).apply(changes)
        else:
            self.hidden_changes.setdefault("map", Changes()).merge(changes)
        self._notify_new_incidents(state, changes)
        if changes.phase or changes.incidents:
            self.query_one(StatusHeader).update_now(self.clock())
        self._refresh_detail(changes)
        self._sync_map_selection()

    def _notify_new_incidents(self, state: ElectionState, changes: Changes) -> None:
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

    def _refresh_detail(self, changes: Changes) -> None:
        screen = self.screen
        if isinstance(screen, IncidentDetailScreen) and screen.incident_id in changes.incidents:
            screen.redraw()

    def _tick(self) -> None:
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
        if self.query_one(ContentSwitcher).current == "incidents":
            self.query_one(IncidentPane).tick()
        self.heap_keeper.tick(time.monotonic(), self.last_input_at)

    def _judge(self, state: ElectionState) -> None:
        """Once a second: the rules' alerts; a new alarm is announced with its key."""
        if not self.engine_ready:
            self._build_engine(state)
            if not self.engine_ready:
                return
        alerts = self.engine.evaluate(state, self.clock())
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
        for alert in alerts:
            if alert.severity != Severity.ALARM or alert.key in self.announced_alarms:
                continue
            self.announced_alarms.add(alert.key)
            if alert.kind in (AlertKind.TIMER, AlertKind.SPREAD):
                row = pane.build_row(alert.key)
                self.notify(
                    self.catalogue.text("notify.alarm", text=row.cells[2], hint=row.cells[3]),
                    severity="error",
                    timeout=10,
                )
        live = {alert.key for alert in alerts}
        self.announced_alarms &= live

    def _build_engine(self, state: ElectionState) -> None:
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

    def _show_staffing(self) -> None:
        """Posted vs required officers come from the rules: the TPS pane shows them."""
        pane = self.query_one(TpsPane)
        pane.staffing_of = self.engine.tps_staffing
        pane.district_staffing = self.engine.staffing_in
        pane.refresh()

    def _engine_built(self, state: ElectionState) -> None:
        self.engine_building = False
        if self.current_state() is not state:
            return  # a resync replaced the state meanwhile: build again on the next tick
        self.engine.adopt(state)
        self.engine.observe(self.engine_backlog)
        self.engine_backlog = Changes()
        self.engine_ready = True
        self._show_staffing()

    def _update_notice(self) -> None:
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

    # ---- panes -------------------------------------------------------------------

    def active_pane(self) -> str:
        return self.query_one(ContentSwitcher).current or "incidents"

    def action_show_pane(self, name: str) -> None:
        switcher = self.query_one(ContentSwitcher)
        switcher.current = name
        widget = self.query_one(f"#{name}")
        widget.focus()
        state = self.current_state()
        missed = self.hidden_changes.pop(name, None)
        if state is not None and missed is not None and (isinstance(widget, (Pane, MapPane))):
            widget.apply(missed)
        if isinstance(widget, MapPane):
            self._sync_map_selection()
        if isinstance(widget, AlertsPane):
            widget.set_alerts(self.alerts)
        self.query_one(KeyBar).show_keys()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Over a dialog, tab moves between its fields instead of switching panes.
        if action == "next_pane":
            return len(self.screen_stack) == 1
        return True

    def action_next_pane(self) -> None:
        index = PANES.index(self.active_pane())
        self.action_show_pane(PANES[(index + 1) % len(PANES)])

    def on_virtual_table_selected(self, event: VirtualTable.Selected) -> None:
        if event.table.id == "incidents":
            self.query_one(MapPane).select_incident(event.key)

    def _sync_map_selection(self) -> None:
        self.query_one(MapPane).select_incident(self.query_one(IncidentPane).selected_key)

    # ---- filter and command line ---------------------------------------------------

    def action_prompt(self, kind: str) -> None:
        if kind == "filter" and not isinstance(self.query_one(f"#{self.active_pane()}"), Pane):
            self.notify(self.catalogue.text("filter.not_here"), severity="warning")
            return
        prompt = self.query_one("#prompt", Input)
        prompt.display = True
        prompt.placeholder = self.catalogue.text(f"prompt.{kind}")
        prompt.value = self._pane_filters().text if kind == "filter" else ""
        self.prompt_kind = kind
        prompt.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "prompt":
            return
        event.stop()
        prompt = event.input
        prompt.display = False
        kind = self.prompt_kind
        self.action_show_pane(self.active_pane())
        if kind == "filter":
            self._set_filter(text=event.value.strip())
        else:
            self.run_command(event.value)

    def on_key(self, event) -> None:
        prompt = self.query_one("#prompt", Input)
        if event.key == "escape" and prompt.display:
            prompt.display = False
            self.action_show_pane(self.active_pane())
            event.stop()

    def _pane_filters(self):
        pane = self.query_one(f"#{self.active_pane()}")
        return pane.filters if isinstance(pane, Pane) else self.query_one(IncidentPane).filters

    def _set_filter(self, **fields: str | None) -> None:
        """`/` text filters the pane on screen; kecamatan, risk, phase and `:clear` apply
        to every pane, so what one pane shows agrees with the others."""
        for pane in self.query(Pane):
            if pane.id == self.active_pane() or set(fields) != {"text"}:
                for name, value in fields.items():
                    setattr(pane.filters, name, value)
                if self.current_state() is not None:
                    pane.rebuild()
                pane.update_titles()

    def use_theme(self, name: str, fallback: str | None = None) -> bool:
        """Switch to a theme if the stylesheet can be built with it. A user's theme file
        can hold a variable that is no colour: Textual would stop the app on it.
        `fallback` is the theme the message names (by default the one in use)."""
        theme = self.get_theme(name)
        if theme is None:
            return False
        trial = self.stylesheet.copy()
        # As App.get_css_variables merges them, but for a theme not yet in use.
        trial.set_variables(
            {
                **self.get_theme_variable_defaults(),
                **theme.to_color_system().generate(),
                **theme.variables,
            }
        )
        try:
            trial.reparse()
        except StylesheetParseError:
            detail = self.catalogue.text("theme.bad_variables")
            self.notify(
                self.catalogue.text(
                    "theme.unusable", name=name, error=detail, fallback=fallback or self.theme
                ),
                severity="error",
                timeout=15,
            )
            return False
        self.theme = name
        return True

    def run_command(self, line: str) -> None:
        text = self.catalogue.text
        words = line.strip().lstrip(":").split(maxsplit=1)
        if not words:
            return
        command, argument = words[0].lower(), (words[1].strip() if len(words) > 1 else "")
        state = self.current_state()
        if command == "theme":
            if argument not in self.available_themes:
                names = ", ".join(sorted(self.available_themes))
                self.notify(text("cmd.theme_unknown", name=argument, names=names), severity="error")
                return
            self.use_theme(argument)
        elif command == "lang":
            if argument not in ("id", "en"):
                self.notify(text("cmd.usage", usage=":lang id|en"), severity="error")
                return
            self.set_language(argument)
        elif command in ("kecamatan", "district"):
            districts = state.districts() if state is not None else []
            match = next((d for d in districts if d.casefold() == argument.casefold()), None)
            if match is None:
                self.notify(text("cmd.district_unknown", name=argument), severity="error")
                return
            self._set_filter(district=match)
            self.notify(text("cmd.filter_set", text=match))
        elif command == "risk":
            if argument not in {risk.value for risk in Risk}:
                self.notify(text("cmd.usage", usage=":risk low|medium|high"), severity="error")
                return
            self._set_filter(risk=argument)
        elif command == "phase":
            if argument not in {phase.value for phase in TpsPhase}:
                usage = ":phase " + "|".join(phase.value for phase in TpsPhase)
                self.notify(text("cmd.usage", usage=usage), severity="error")
                return
            self._set_filter(phase=argument)
        elif command == "clear":
            self._set_filter(text="", district=None, risk=None, phase=None)
            self.notify(text("cmd.cleared"))
        elif command == "handover":
            if not argument:
                self.notify(text("cmd.usage", usage=":handover NAMA"), severity="error")
                return
            self.hand_over(argument)
        elif command in ("checkpoints", "tahapan"):
            self.action_checkpoints()
        elif command == "logbook":
            self.action_logbook()
        elif command == "outbox":
            self.action_outbox()
        elif command == "help":
            self.action_help()
        elif command in ("q", "quit"):
            self.action_quit_console()
        else:
            self.notify(text("cmd.unknown", command=command), severity="error")

    def map_labels(self) -> dict[str, str]:
        text = self.catalogue.text
        labels = {label: text(f"maplabel.{label}") for label in LABEL_KEYS if label != "keys"}
        # The map's own keys, from its bindings (the workflow keys are on the key bar).
        own = [b for b in MapPane.BINDINGS if b.show]
        labels["keys"] = " · ".join(
            f"{keys} {text(description)}" for keys, description in key_entries(own, plain_display)
        )
        return labels

    @work(exclusive=True, group="decision")
    async def hand_over(self, to_operator: str) -> None:
        """Show what is handed over (as `report --handover` prints it), then record it."""
        state = self.current_state()
        if state is not None:
            summary = handover_summary(
                state, self.logbook.entries(), self.outbox.items(), self.clock()
            )
            markdown = to_markdown(build_handover(summary, Words(self.catalogue.lang)))
            if not await self.push_screen_wait(
                HandoverScreen(self.catalogue, markdown, to_operator)
            ):
                return
        number = self.desk.handover(to_operator)
        text = self.catalogue.text
        self.notify(text("notify.handover", from_=self.desk.operator, to=to_operator))
        self.notify(text("notify.logged", number=number))

    def set_language(self, lang: str) -> None:
        self.catalogue.set_language(lang)
        self.query_one(MapPane).set_labels(self.map_labels())
        for pane in self.query(Pane):
            pane.relabel()
        self.query_one(KeyBar).show_keys()
        self.query_one(DrillBanner).update(self.catalogue.text("header.drill"))
        self._update_notice()
        self._tick()

    # ---- screens -------------------------------------------------------------------

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.catalogue))

    def action_checkpoints(self) -> None:
        stages = self.engine.checkpoint_summary(self.clock()) if self.engine_ready else []
        self.push_screen(CheckpointsScreen(self.catalogue, stages))

    def action_logbook(self) -> None:
        self.push_screen(LogbookScreen(self.catalogue, self.desk))

    def action_outbox(self) -> None:
        self.push_screen(OutboxScreen(self.catalogue, self.outbox))

    def action_detail(self) -> None:
        if self.active_pane() == "alerts" and len(self.screen_stack) == 1:
            self.go_to_alert_subject()
            return
        if self.active_pane() != "incidents" or isinstance(self.screen, IncidentDetailScreen):
            return
        incident = self.selected_incident()
        state = self.current_state()
        if incident is not None and state is not None:
            self.push_screen(
                IncidentDetailScreen(
                    self.catalogue, state, incident.id, self.facts, self.clock, self._is_drill
                )
            )

    def go_to_alert_subject(self) -> None:
        """`enter` on an alert: the incident in the queue, the TPS, or the cluster on the map."""
        alert = self.query_one(AlertsPane).selected_alert()
        state = self.current_state()
        if alert is None or state is None or not alert.subject_ids:
            return
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
            self._set_filter(text="", district=None, risk=None, phase=None)
            pane.select_key(key)

    @work(exclusive=True, group="quit")
    async def action_quit_console(self) -> None:
        if len(self.outbox):
            question = self.catalogue.text("dialog.quit_outbox", count=len(self.outbox))
            if not await self.push_screen_wait(ConfirmDialog(self.catalogue, question)):
                return
        self.exit()

    def _outbox_changed(self, outbox: Outbox) -> None:
        self.facts.outbox = len(outbox)
        if self.is_mounted:
            self.call_later(self._tick)

    def _outbox_result(self, key: str, result: CommandResult) -> None:
        self.desk.record(key, result)
        self._announce("", result)

    # ---- workflows -----------------------------------------------------------------

    def selected_incident(self) -> Incident | None:
        state = self.current_state()
        if state is None:
            return None
        screen = self.screen
        if isinstance(screen, IncidentDetailScreen):
            return state.incidents.get(screen.incident_id)
        if self.active_pane() == "alerts":
            alert = self.query_one(AlertsPane).selected_alert()
            if alert is not None and alert.kind in (AlertKind.TIMER, AlertKind.SPREAD):
                return state.incidents.get(alert.subject_ids[0]) if alert.subject_ids else None
            return None
        if self.active_pane() not in ("incidents", "map"):
            return None
        key = self.query_one(IncidentPane).selected_key
        return state.incidents.get(key) if key else None

    @work(exclusive=True, group="decision")
    async def action_incident(self, action: str) -> None:
        text = self.catalogue.text
        if isinstance(self.screen, (HelpScreen, LogbookScreen, OutboxScreen)):
            return
        incident = self.selected_incident()
        if incident is None:
            if self.active_pane() in ("incidents", "alerts") or isinstance(
                self.screen, IncidentDetailScreen
            ):
                self.notify(text("notify.select_incident"), severity="warning")
            return
        if not incident.is_open:
            self.notify(text("notify.closed"), severity="warning")
            return
        state = self.current_state()
        assert state is not None
        fields: dict[str, object] = {}
        if action == "acknowledge":
            if not await self.push_screen_wait(
                ConfirmDialog(self.catalogue, text("dialog.ack", id=incident.id))
            ):
                return
        elif action == "assign":
            recommendations = state.recommend(incident, limit=15)
            if not recommendations:
                self.notify(text("notify.no_units"), severity="warning")
                return
            districts = {r.officer.id: state.officer_district(r.officer) for r in recommendations}
            chosen = await self.push_screen_wait(
                AssignDialog(self.catalogue, incident.id, recommendations, districts)
            )
            if not chosen:
                return
            fields["officer_ids"] = chosen
        elif action == "escalate":
            # Only the levels above the current one; the next level first, so one key
            # (enter) takes the escalation an alarm proposes.
            current = ESCALATION_ORDER[incident.escalation]
            options = [
                (level.value, self.catalogue.enum("escalation", level))
                for level in (Escalation.POLRES, Escalation.POLDA)
                if ESCALATION_ORDER[level] > current
            ]
            if not options:
                self.notify(text("notify.top_escalation"), severity="warning")
                return
            target = await self.push_screen_wait(
                ChoiceDialog(text("dialog.escalate", id=incident.id), options)
            )
            if target is None:
                return
            fields["to"] = target
        elif action == "verify":
            options = [
                (value, self.catalogue.enum("verification", value))
                for value in ("verified", "invalid")
            ]
            verdict = await self.push_screen_wait(
                ChoiceDialog(text("dialog.verify", id=incident.id), options)
            )
            if verdict is None:
                return
            fields["verdict"] = verdict
        elif action in ("resolve", "cancel", "note"):
            prompt_key = {
                "resolve": "dialog.resolve",
                "cancel": "dialog.cancel_report",
                "note": "dialog.note",
            }[action]
            note = await self.push_screen_wait(
                TextDialog(self.catalogue, text(prompt_key, id=incident.id))
            )
            if note is None:
                return
            fields["note"] = note
        # The record may have moved while the dialog was open: act on what we see now.
        current = state.incidents.get(incident.id, incident)
        number, result = await self.desk.act(current, action, **fields)  # type: ignore[arg-type]
        self.notify(text("notify.logged", number=number), timeout=3)
        self._announce(action, result)

    def _announce(self, action: str, result: CommandResult) -> None:
        text = self.catalogue.text
        name = text(f"action.{action}") if action else ""
        if result.outcome is CommandOutcome.ACCEPTED:
            self.notify(text("notify.accepted", action=name, seq=result.seq))
        elif result.outcome is CommandOutcome.QUEUED:
            self.notify(text("notify.queued", action=name), severity="warning")
        elif result.outcome is CommandOutcome.CONFLICT:
            self.notify(
                text("notify.conflict", action=name, message=result.message or ""),
                severity="error",
                timeout=10,
            )
        else:
            self.notify(
                text("notify.rejected", action=name, message=result.message or result.error),
                severity="error",
                timeout=10,
            )

    @work(exclusive=True, group="decision")
    async def action_log_decision(self) -> None:
        if isinstance(self.screen, (HelpScreen, LogbookScreen, OutboxScreen)):
            return
        answer = await self.push_screen_wait(LogDialog(self.catalogue, LOG_CATEGORIES))
        if answer is None:
            return
        category, note = answer
        incident = self.selected_incident()
        number = self.desk.log(category, note, subject=incident.id if incident else None)
        self.notify(self.catalogue.text("notify.logged", number=number))
