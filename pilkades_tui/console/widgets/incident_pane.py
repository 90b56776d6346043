"""The incident queue: open incidents by priority, then age. Each row names its id
(as alarms, dialogs and the logbook do), its age since the report, and a countdown to
its next target (acknowledge while new, then arrive) from the rule settings."""

from __future__ import annotations

import math
from datetime import datetime

from pilkades_tui.console.keys import GLOBAL_BINDINGS, QUEUE_BINDINGS, key_of
from pilkades_tui.console.widgets.pane import Pane, age_text, minutes_since
from pilkades_tui.console.widgets.virtual_table import Column, Row
from pilkades_tui.domain.models import Incident, Verification
from pilkades_tui.domain.rules.alerts import Severity
from pilkades_tui.domain.rules.settings import RuleSettings
from pilkades_tui.domain.rules.timers import next_target
from pilkades_tui.domain.state import Changes
from pilkades_tui.i18n import Catalogue


def countdown(incident: Incident, now: datetime, settings: RuleSettings) -> tuple[int, str] | None:
    """Whole minutes left to the incident's next target (negative once it has passed)
    and the tone the queue shows it in: the target's warning and alarm stages, the same
    moments the alerts fire at. None when no target runs."""
    plan = next_target(incident, settings)
    if plan is None:
        return None
    left = (plan.alarm_at - now).total_seconds()
    # Minutes left round up (the officer has at most that long); minutes late round down
    # but never to zero, so a passed target always reads as late.
    minutes = math.ceil(left / 60) if left > 0 else -max(1, int(-left // 60))
    tone = plan.severity(now)
    if tone is Severity.ALARM:
        return minutes, "alarm"
    if tone is Severity.WARNING:
        return minutes, "warn"
    return minutes, "normal"


def countdown_text(catalogue: Catalogue, minutes: int) -> str:
    """`4 mnt` left, `+3 mnt` late: the sign says which, the unit cannot be misread."""
    if minutes < 0:
        return "+" + age_text(catalogue, -minutes)
    return age_text(catalogue, minutes)


PINNED_PREFIX = "\x00pinned:"


EMPTY_PREFIX = "\x00empty:"  # the empty queue's lines (never a record id)


class IncidentPane(Pane):
    BINDINGS = QUEUE_BINDINGS
    title_key = "pane.incidents"
    column_spec = (
        Column("col.priority", 2),
        Column("col.id", 10),
        Column("col.age", 10, "right"),
        Column("col.target_due", 11, "right"),
        Column("col.category", 17),
        Column("col.place", 24, grow=3),
        Column("col.status", 13),
        Column("col.units", 20, grow=1),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.pinned: list[str] = []

    def set_pinned(self, lines: list[str]) -> None:
        """Spread warnings pinned above the queue, so the officer sees them first."""
        if lines != self.pinned:
            self.pinned = lines
            if self.state is not None:
                self.rebuild()

    def total(self) -> int:
        return len(self.state.open_incidents()) if self.state else 0

    def shown(self) -> int:
        return (
            len([key for key in self.source_rows.keys if key in self.state.incidents])
            if self.state
            else 0
        )

    def empty_lines(self) -> list[str]:
        """What an empty queue says: what is going on, and which key helps meanwhile
        (the keys as bound, so the words cannot name a key that does something else)."""
        assert self.state is not None
        text = self.catalogue.text
        if self.total():
            return [text("empty.filtered", clear=":clear")]
        lines = [text("empty.incidents"), text("empty.incidents_waiting")]
        closed = len(self.state.incidents) - self.total()
        if closed:
            lines.append(text("empty.incidents_closed", count=closed, command=":selesai"))
        lines.append(
            text(
                "empty.incidents_keys",
                tps=key_of("show_pane('tps')", GLOBAL_BINDINGS),
                map=key_of("show_pane('map')", GLOBAL_BINDINGS),
                alerts=key_of("show_pane('alerts')", GLOBAL_BINDINGS),
                help=key_of("help", GLOBAL_BINDINGS),
            )
        )
        return lines

    def matching(self) -> list[Incident]:
        assert self.state is not None
        filters = self.filters
        enum = self.catalogue.enum
        return [
            incident
            for incident in self.state.open_incidents()
            if filters.in_area(incident.district)
            and filters.matches_text(
                incident.id,
                incident.village,
                incident.district,
                incident.description,
                enum("category", incident.category),
                incident.category,
            )
        ]

    def ordered_keys(self) -> list[str]:
        # Unverified reports are kept apart, below the verified and field-confirmed ones
        # of the same priority, so a hoax never pushes a real P1 down.
        incidents = self.matching()
        incidents.sort(key=lambda i: (i.priority, i.verification == Verification.UNVERIFIED))
        pinned = [f"{PINNED_PREFIX}{index}" for index in range(len(self.pinned))]
        if not incidents:
            return pinned + [f"{EMPTY_PREFIX}{line}" for line in self.empty_lines()]
        return pinned + [incident.id for incident in incidents]

    def order_changed(self, changes: Changes) -> bool:
        return bool(changes.incidents)

    def changed_keys(self, changes: Changes) -> set[str]:
        return set(changes.incidents)

    def tick(self) -> None:
        """Once a second: timers move."""
        self.refresh_visible_rows()

    def build_row(self, key: str) -> Row:
        assert self.state is not None
        if key.startswith(PINNED_PREFIX):
            index = int(key.removeprefix(PINNED_PREFIX))
            line = self.pinned[index] if index < len(self.pinned) else ""
            return Row("", [line], "alarm")
        if key.startswith(EMPTY_PREFIX):
            return Row("", [key.removeprefix(EMPTY_PREFIX)], "muted")
        incident = self.state.incidents[key]
        now = self.clock()
        enum = self.catalogue.enum
        category = enum("category", incident.category)
        if incident.verification == Verification.UNVERIFIED:
            category = "? " + category
        elif incident.verification == Verification.VERIFIED:
            category = "✓ " + category
        place = incident.village or incident.tps_id or ""
        if incident.district:
            place = f"{place}, {incident.district}" if place else incident.district
        due = countdown(incident, now, self.settings)
        tone = due[1] if due else "normal"
        if tone == "normal" and incident.priority == 1:
            tone = "highlight"
        escalation = (
            "" if incident.escalation == "none" else f" ↑{enum('escalation', incident.escalation)}"
        )
        return Row(
            key,
            [
                str(incident.priority),
                incident.id,
                age_text(self.catalogue, minutes_since(incident.reported_at, now) or 0),
                countdown_text(self.catalogue, due[0]) if due else "-",
                category,
                place,
                enum("status", incident.status) + escalation,
                ",".join(incident.officer_ids) or "-",
            ],
            tone,
        )
