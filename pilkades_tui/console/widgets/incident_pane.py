"""The incident queue: open incidents by priority, then age, with the SLA timer."""

from __future__ import annotations

from datetime import datetime

from pilkades_tui.console.keys import GLOBAL_BINDINGS, QUEUE_BINDINGS, key_of
from pilkades_tui.console.widgets.pane import Pane
from pilkades_tui.console.widgets.virtual_table import Column, Row
from pilkades_tui.domain.models import Incident, IncidentStatus, Verification
from pilkades_tui.domain.rules import TimerKind
from pilkades_tui.domain.rules.settings import TimerSettings
from pilkades_tui.domain.state import Changes


def sla_tone(incident: Incident, now: datetime, timers: TimerSettings) -> str:
    """The queue's colour for a new incident: the warning and alarm of its priority's
    unacknowledged timer, the same stages the alerts fire at."""
    if incident.status != IncidentStatus.NEW:
        return "normal"
    stages = timers.for_priority(incident.priority).stages(TimerKind.UNACKNOWLEDGED)
    if stages is None:
        return "normal"
    waited = (now - incident.reported_at).total_seconds() / 60
    if waited >= stages.alarm:
        return "alarm"
    if waited >= stages.warning:
        return "warn"
    return "normal"


def clock_text(seconds: float, hour_mark: str) -> str:
    """mm:ss under an hour, then hours and minutes (`1j05`, `1h05`): the hour mark is
    the officer's language's."""
    seconds = max(0, int(seconds))
    if seconds >= 3600:
        return f"{seconds // 3600}{hour_mark}{seconds % 3600 // 60:02d}"
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


PINNED_PREFIX = "\x00pinned:"


EMPTY_PREFIX = "\x00empty:"  # the empty queue's lines (never a record id)


class IncidentPane(Pane):
    BINDINGS = QUEUE_BINDINGS
    title_key = "pane.incidents"
    column_spec = (
        Column("col.priority", 2),
        Column("col.sla", 6, "right"),
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
        top = int(self.scroll_offset.y)
        for index in self.visible_range():
            self.refresh_line(index - top + 1)

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
        since = (
            incident.reported_at if incident.acknowledged_at is None else incident.acknowledged_at
        )
        category = enum("category", incident.category)
        if incident.verification == Verification.UNVERIFIED:
            category = "? " + category
        elif incident.verification == Verification.VERIFIED:
            category = "✓ " + category
        place = incident.village or incident.tps_id or ""
        if incident.district:
            place = f"{place}, {incident.district}" if place else incident.district
        tone = sla_tone(incident, now, self.settings.timers)
        if tone == "normal" and incident.priority == 1:
            tone = "highlight"
        escalation = (
            "" if incident.escalation == "none" else f" ↑{enum('escalation', incident.escalation)}"
        )
        return Row(
            key,
            [
                str(incident.priority),
                clock_text((now - since).total_seconds(), self.catalogue.text("unit.hour_mark")),
                category,
                place,
                enum("status", incident.status) + escalation,
                ",".join(incident.officer_ids) or "-",
            ],
            tone,
        )
