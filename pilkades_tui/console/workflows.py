"""The officer's decisions: acknowledge, assign, escalate, verify, resolve, cancel,
note, log, hand over and quit; each through its dialog, recorded in the logbook and
sent through the outbox (console/desk.py), and its outcome said."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work

from pilkades_tui.console.keys import GLOBAL_BINDINGS, key_of
from pilkades_tui.console.screens.dialogs import (
    AssignDialog,
    ChoiceDialog,
    ConfirmDialog,
    LogDialog,
    ReasonDialog,
    TextDialog,
)
from pilkades_tui.console.screens.handover_screen import HandoverScreen
from pilkades_tui.console.screens.help import HelpScreen
from pilkades_tui.console.screens.incident_detail import IncidentDetailScreen
from pilkades_tui.console.screens.intake import (
    NewIncidentForm,
    NewReport,
    NoteToIncident,
    TpsReport,
    TpsStatusForm,
    UnitReport,
    UnitReportForm,
)
from pilkades_tui.console.screens.logbook_screen import LogbookScreen
from pilkades_tui.console.screens.outbox_screen import OutboxScreen
from pilkades_tui.console.screens.unit_detail import UnitDetailScreen
from pilkades_tui.console.widgets.alerts_pane import AlertsPane
from pilkades_tui.console.widgets.incident_pane import IncidentPane
from pilkades_tui.console.widgets.officer_pane import OfficerPane, unit_name
from pilkades_tui.console.widgets.tps_pane import TpsPane
from pilkades_tui.domain.intake import (
    Place,
    PossibleDuplicate,
    VillageCentre,
    places,
    possible_duplicates,
)
from pilkades_tui.domain.models import (
    ESCALATION_ORDER,
    Category,
    Escalation,
    Incident,
    IncidentStatus,
    Officer,
)
from pilkades_tui.domain.rules import AlertKind
from pilkades_tui.feed.outbox import Outbox
from pilkades_tui.feed.results import CommandResult, Outcome, Refusal
from pilkades_tui.i18n import Catalogue
from pilkades_tui.logbook import LOG_CATEGORIES
from pilkades_tui.report.handover import build_handover, handover_summary, shift_start_of
from pilkades_tui.scenario.geography import villages

if TYPE_CHECKING:
    from pilkades_tui.console.app import PilkadesApp


class IncidentWorkflows:
    """Mixed into the app: every decision an officer takes from the keyboard."""

    # The call forms' places, with the number of TPS they were built from.
    _intake_places: tuple[int, list[Place]] | None = None

    @work(exclusive=True, group="decision")
    async def hand_over(self: PilkadesApp, to_operator: str) -> None:
        """Show what is handed over (as `report --handover` prints it), then record it
        and give the desk to the incoming officer (header, logbook, commands)."""
        state = self.current_state()
        if state is not None:
            now = self.clock()
            entries = self.logbook.entries()
            start = self.desk.shift_start(shift_start_of(entries, now, self.settings))
            summary = handover_summary(
                state,
                entries,
                self.outbox.items(),
                now,
                shift_start=start,
                settings=self.settings,
            )
            document = build_handover(summary, Catalogue(self.catalogue.lang))
            if not await self.push_screen_wait(
                HandoverScreen(self.catalogue, document, to_operator)
            ):
                return
        outgoing = self.desk.operator
        number = self.desk.handover(to_operator)
        self.facts.operator = to_operator
        self._tick()
        text = self.catalogue.text
        self.notify(text("notify.handover", from_=outgoing, to=to_operator))
        self.notify(text("notify.logged", number=number))

    @work(exclusive=True, group="quit")
    async def action_quit_console(self: PilkadesApp) -> None:
        if len(self.outbox):
            question = self.catalogue.text("dialog.quit_outbox", count=len(self.outbox))
            if not await self.push_screen_wait(ConfirmDialog(self.catalogue, question)):
                return
        self.exit()

    def _outbox_changed(self: PilkadesApp, outbox: Outbox) -> None:
        self.facts.outbox = len(outbox)
        if self.is_mounted:
            self.call_later(self._tick)

    def _outbox_result(self: PilkadesApp, key: str, result: CommandResult) -> None:
        self.desk.record(key, result)
        self._announce("", result)

    def selected_incident(self: PilkadesApp) -> Incident | None:
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

    def incident_subject(self: PilkadesApp, incident: Incident) -> str:
        """How every dialog names an incident: `INC-000004 — intimidasi, Lolong`."""
        place = incident.village or incident.tps_id or incident.district or ""
        category = self.catalogue.enum("category", incident.category)
        return self.catalogue.text("dialog.subject", id=incident.id, category=category, place=place)

    async def _closing_reason(self: PilkadesApp, incident: Incident, kind: str) -> str | None:
        """The written reason for closing `incident` (resolve, cancel, invalid), or None
        when the officer backs out. The dialog says what is odd about a resolve (never
        acknowledged, never a unit), and for the priorities the settings name it wants
        the incident's number typed too."""
        text = self.catalogue.text
        title_key = {
            "resolve": "dialog.resolve",
            "cancel": "dialog.cancel_report",
            "invalid": "dialog.invalid",
        }[kind]
        warnings: list[str] = []
        if kind == "resolve":
            if incident.acknowledged_at is None:
                warnings.append(text("dialog.warn_unacknowledged", id=incident.id))
            sent = incident.officer_ids or any(
                entry.action == "assign" for entry in incident.timeline
            )
            if not sent:
                warnings.append(text("dialog.warn_no_unit", id=incident.id))
        typed = incident.priority in self.settings.confirmation.typed_priorities
        dialog = ReasonDialog(
            self.catalogue,
            text(title_key, subject=self.incident_subject(incident)),
            incident.id,
            incident.priority,
            warnings=warnings,
            typed_number=typed,
        )
        return await self.push_screen_wait(dialog)

    @work(exclusive=True, group="decision")
    async def action_incident(self: PilkadesApp, action: str) -> None:
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
        subject = self.incident_subject(incident)
        fields: dict[str, object] = {}
        if action == "acknowledge":
            if incident.status is not IncidentStatus.NEW:
                # Sending it would only earn a 409: say so in words instead.
                status = self.catalogue.enum("status", incident.status)
                message = text("notify.already_acknowledged", id=incident.id, status=status)
                self.notify(message, severity="warning")
                return
            if not await self.push_screen_wait(
                ConfirmDialog(self.catalogue, text("dialog.ack", subject=subject))
            ):
                return
        elif action == "assign":
            recommendations = state.recommend(incident, limit=15)
            if not recommendations:
                self.notify(text("notify.no_units"), severity="warning")
                return
            districts = {r.officer.id: state.officer_district(r.officer) for r in recommendations}
            chosen = await self.push_screen_wait(
                AssignDialog(self.catalogue, subject, recommendations, districts)
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
                ChoiceDialog(text("dialog.escalate", subject=subject), options)
            )
            if target is None:
                return
            # Escalating calls the Polres or Polda: asked once more, never fired by one key.
            level = self.catalogue.enum("escalation", target)
            question = text("dialog.escalate_confirm", subject=subject, level=level)
            if not await self.push_screen_wait(ConfirmDialog(self.catalogue, question)):
                return
            fields["to"] = target
        elif action == "verify":
            options = [
                (value, self.catalogue.enum("verification", value))
                for value in ("verified", "invalid")
            ]
            verdict = await self.push_screen_wait(
                ChoiceDialog(text("dialog.verify", subject=subject), options)
            )
            if verdict is None:
                return
            if verdict == "invalid":
                # Invalid closes the incident on the hub: a reason, as for cancel.
                reason = await self._closing_reason(incident, "invalid")
                if reason is None:
                    return
                fields["note"] = reason
            fields["verdict"] = verdict
        elif action in ("resolve", "cancel"):
            reason = await self._closing_reason(incident, action)
            if reason is None:
                return
            fields["note"] = reason
        elif action == "note":
            note = await self.push_screen_wait(
                TextDialog(self.catalogue, text("dialog.note", subject=subject))
            )
            if note is None:
                return
            fields["note"] = note
        # The record may have moved while the dialog was open: act on what we see now.
        current = state.incidents.get(incident.id, incident)
        number, result = await self.desk.act(current, action, **fields)  # type: ignore[arg-type]
        self.notify(text("notify.logged", number=number), timeout=3)
        self._announce(action, result)

    def _announce(self: PilkadesApp, action: str, result: CommandResult) -> None:
        """Say what became of a command in the officer's language: the hub's refusal as a
        catalogue sentence, its English `message` only in the logbook (`L`)."""
        text = self.catalogue.text
        name = text(f"action.{action}") if action else ""
        if result.outcome is Outcome.ACCEPTED:
            self.notify(text("notify.accepted", action=name, seq=result.seq))
            return
        message = self.refusal_text(result.refusal)
        if result.outcome is Outcome.QUEUED:
            self.notify(text("notify.queued", action=name, message=message), severity="warning")
            return
        logbook = key_of("logbook", GLOBAL_BINDINGS)
        key = "notify.conflict" if result.outcome is Outcome.CONFLICT else "notify.rejected"
        self.notify(
            text(key, action=name, message=message, logbook=logbook), severity="error", timeout=10
        )

    def refusal_text(self: PilkadesApp, refusal: Refusal | None) -> str:
        """A refusal (feed/results.py) as one sentence of the catalogue, its protocol
        values (statuses, levels) in words."""
        text = self.catalogue.text
        enum = self.catalogue.enum
        if refusal is None:
            return text("hub.other", code="?")
        units = ", ".join(
            text("hub.unit_busy", unit=unit, status=enum("ostatus", status), incident=incident)
            if incident
            else text("hub.unit_free", unit=unit, status=enum("ostatus", status))
            if status
            else unit
            for unit, status, incident in refusal.units
        )
        status = refusal.status or ""
        if status:
            prefix = "status" if status in {s.value for s in IncidentStatus} else "tpsphase"
            status = enum(prefix, status)
        escalation = enum("escalation", refusal.escalation) if refusal.escalation else ""
        return text(
            f"hub.{refusal.reason}",
            subject=refusal.subject or "",
            status=status,
            escalation=escalation,
            units=units,
            code=refusal.status_code or "?",
        )

    @work(exclusive=True, group="decision")
    async def action_log_decision(self: PilkadesApp) -> None:
        if isinstance(self.screen, (HelpScreen, LogbookScreen, OutboxScreen)):
            return
        answer = await self.push_screen_wait(LogDialog(self.catalogue, LOG_CATEGORIES))
        if answer is None:
            return
        category, note = answer
        incident = self.selected_incident()
        number = self.desk.log(category, note, subject=incident.id if incident else None)
        self.notify(self.catalogue.text("notify.logged", number=number))

    # ---- call-taking: reports by phone and radio (console/screens/intake.py) ----

    def intake_places(self: PilkadesApp) -> list[Place]:
        """Every TPS and every village without one, built once per set of TPS (their
        places do not move during the day)."""
        state = self.current_state()
        if state is None:
            return []
        cached = self._intake_places
        if cached is not None and cached[0] == len(state.tps):
            return cached[1]
        centres = [VillageCentre(v.name, v.district, v.lat, v.lon) for v in villages()]
        found = places(sorted(state.tps.values(), key=lambda tps: tps.id), centres)
        self._intake_places = (len(state.tps), found)
        return found

    def _duplicates_of(
        self: PilkadesApp, place: Place, category: Category
    ) -> list[PossibleDuplicate]:
        state = self.current_state()
        if state is None:
            return []
        return possible_duplicates(state.open_incidents(), place, category, self.clock())

    def _intake_allowed(self: PilkadesApp) -> bool:
        return len(self.screen_stack) == 1 and self.current_state() is not None

    @work(exclusive=True, group="decision")
    async def action_new_incident(self: PilkadesApp) -> None:
        if not self._intake_allowed():
            return
        form = NewIncidentForm(
            self.catalogue, self.intake_places(), self.settings.priority, self._duplicates_of
        )
        answer = await self.push_screen_wait(form)
        text = self.catalogue.text
        if isinstance(answer, NoteToIncident):
            state = self.current_state()
            incident = state.incidents.get(answer.incident_id) if state else None
            if incident is None or not incident.is_open:
                # Closed while the officer was still on the phone: nothing to add it to.
                self.notify(text("notify.closed"), severity="warning")
                return
            number, result = await self.desk.act(incident, "note", note=answer.note)
            self.notify(text("notify.logged", number=number), timeout=3)
            self._announce("note", result)
        elif isinstance(answer, NewReport):
            place = answer.place
            number, result = await self.desk.report_incident(
                category=answer.category.value,
                priority=answer.priority,
                description=answer.description,
                reported_by=answer.reported_by,
                channel=answer.channel.value,
                tps_id=place.tps_id,
                lat=None if place.tps_id else place.lat,
                lon=None if place.tps_id else place.lon,
            )
            self.notify(text("notify.logged", number=number), timeout=3)
            self._announce("report", result)
            if result.record and isinstance(result.record.get("id"), str):
                self.notify(text("notify.incident_created", id=result.record["id"]))

    @work(exclusive=True, group="decision")
    async def action_tps_status(self: PilkadesApp) -> None:
        if not self._intake_allowed() or self.active_pane() != "tps":
            return
        state = self.current_state()
        key = self.query_one(TpsPane).selected_key
        tps = state.tps.get(key) if state and key else None
        text = self.catalogue.text
        if tps is None:
            self.notify(text("notify.select_tps"), severity="warning")
            return
        answer = await self.push_screen_wait(TpsStatusForm(self.catalogue, tps))
        if not isinstance(answer, TpsReport):
            return
        number, result = await self.desk.tps_status(
            tps.id,
            phase=answer.phase.value if answer.phase else None,
            ballots_cast=answer.ballots_cast,
            health_protocol=answer.health_protocol.value if answer.health_protocol else None,
            note=answer.note,
        )
        self.notify(text("notify.logged", number=number), timeout=3)
        self._announce("tps_status", result)

    @work(exclusive=True, group="decision")
    async def action_unit_report(self: PilkadesApp) -> None:
        if not self._intake_allowed() or self.active_pane() != "officers":
            return
        state = self.current_state()
        key = self.query_one(OfficerPane).selected_key
        officer = state.officers.get(key) if state and key else None
        text = self.catalogue.text
        if officer is None:
            self.notify(text("notify.select_officer"), severity="warning")
            return
        answer = await self.push_screen_wait(
            UnitReportForm(self.catalogue, officer, self.intake_places())
        )
        if not isinstance(answer, UnitReport):
            return
        if answer.status is not None:
            number, result = await self.desk.officer_status(officer.id, answer.status.value)
            self.notify(text("notify.logged", number=number), timeout=3)
            self._announce("officer_status", result)
        if answer.place is not None:
            place = answer.place
            number, result = await self.desk.officer_position(
                officer.id, place.lat, place.lon, place.tps_id or place.label
            )
            self.notify(text("notify.logged", number=number), timeout=3)
            self._announce("position", result)

    # ---- the unit board: a unit's detail, recalling it from its incident ----------

    def selected_unit(self: PilkadesApp) -> Officer | None:
        state = self.current_state()
        if state is None:
            return None
        if isinstance(self.screen, UnitDetailScreen):
            return state.officers.get(self.screen.officer_id)
        if len(self.screen_stack) > 1 or self.active_pane() != "officers":
            return None
        key = self.query_one(OfficerPane).selected_key
        return state.officers.get(key) if key else None

    def action_unit_detail(self: PilkadesApp) -> None:
        officer = self.selected_unit()
        if officer is not None and not isinstance(self.screen, UnitDetailScreen):
            self.push_screen(
                UnitDetailScreen(
                    self.catalogue,
                    self.current_state,
                    officer.id,
                    self.facts,
                    self.clock,
                    self._is_drill,
                )
            )

    @work(exclusive=True, group="decision")
    async def action_release_unit(self: PilkadesApp) -> None:
        """`x`: the unit leaves its incident and becomes available, once the officer
        has seen which unit and which incident."""
        text = self.catalogue.text
        officer = self.selected_unit()
        state = self.current_state()
        if officer is None or state is None:
            self.notify(text("notify.select_officer"), severity="warning")
            return
        incident = state.incidents.get(officer.incident_id) if officer.incident_id else None
        if incident is None or not incident.is_open or officer.id not in incident.officer_ids:
            self.notify(text("notify.unit_free", unit=officer.id), severity="warning")
            return
        question = text(
            "dialog.release",
            unit=officer.id,
            name=unit_name(officer),
            id=incident.id,
            category=self.catalogue.enum("category", incident.category),
            place=incident.village or incident.district or incident.tps_id or "-",
        )
        if not await self.push_screen_wait(ConfirmDialog(self.catalogue, question)):
            return
        current = state.incidents.get(incident.id, incident)
        number, result = await self.desk.act(current, "release", officer_ids=[officer.id])
        self.notify(text("notify.logged", number=number), timeout=3)
        self._announce("release", result)
