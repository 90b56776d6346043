"""Serah terima piket: what the officer taking over must know at once.

`handover_summary` is pure (state, logbook entries, queued commands and `now` come
in): the console's `:handover` screen calls it on what it already holds;
`pilkades-tui report --handover` calls it on a state replayed from the hub's log or
snapshot, the logbooks and the outbox file.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from pilkades_tui.domain.clock import WIB, to_wib
from pilkades_tui.domain.rules import DEFAULT_SETTINGS, RuleSettings
from pilkades_tui.domain.state import ElectionState
from pilkades_tui.feed.outbox import OutboxError, QueuedCommand
from pilkades_tui.i18n import Catalogue
from pilkades_tui.logbook import Entry, Kind
from pilkades_tui.report.document import (
    Document,
    Section,
    Table,
    decisions_table,
    open_incidents_table,
    when,
)
from pilkades_tui.report.figures import UNITS_OUT, IncidentRow


@dataclass(frozen=True, slots=True)
class UnitOut:
    id: str
    name: str
    unit: str
    status: str
    since: datetime | None
    incident_id: str | None


@dataclass(frozen=True, slots=True)
class QueuedRow:
    method: str
    path: str
    description: str
    created_at: str
    attempts: int
    last_error: str


@dataclass(frozen=True, slots=True)
class Handover:
    at: datetime
    shift_start: datetime
    phase: str
    open_incidents: list[IncidentRow]
    units_out: list[UnitOut]
    queued: list[QueuedRow]
    decisions: list[Entry]
    problems: list[str] = field(default_factory=list)  # unreadable outbox, broken chain


def shift_start_of(
    entries: Sequence[Entry], now: datetime, settings: RuleSettings = DEFAULT_SETTINGS
) -> datetime:
    """The last handover written before `now`, or else the latest scheduled shift change."""
    handovers = [e.at for e in entries if e.kind is Kind.HANDOVER and e.at <= now]
    if handovers:
        return max(handovers)
    local = to_wib(now)
    for days in (0, 1):
        day = local.date() - timedelta(days=days)
        for change in sorted(settings.targets.shift_changes, reverse=True):
            moment = datetime.combine(day, change.replace(tzinfo=None), tzinfo=WIB)
            if moment <= local:
                return moment
    return local - timedelta(days=1)


def handover_summary(
    state: ElectionState,
    entries: Sequence[Entry],
    queued: Sequence[QueuedCommand],
    now: datetime,
    *,
    shift_start: datetime | None = None,
    problems: Sequence[str] = (),
    settings: RuleSettings = DEFAULT_SETTINGS,
) -> Handover:
    """Open incidents (most urgent first), units out, commands still queued and the
    decisions written since the shift began."""
    start = shift_start or shift_start_of(entries, now, settings)
    open_incidents = [
        IncidentRow(
            i.id,
            i.category.value,
            i.priority,
            i.district,
            i.village,
            i.status.value,
            i.reported_at,
            i.escalation.value,
            tuple(i.officer_ids),
        )
        for i in state.open_incidents()
    ]
    units = [
        UnitOut(
            o.id,
            f"{o.rank} {o.name}".strip(),
            o.unit,
            o.status.value,
            o.status_since,
            o.incident_id,
        )
        for o in state.officers.values()
        if o.status in UNITS_OUT
    ]
    units.sort(key=lambda u: (u.status, u.id))
    rows = [
        QueuedRow(c.method, c.path, c.description, c.created_at, c.attempts, c.last_error or "")
        for c in queued
    ]
    decisions = [e for e in entries if start <= e.at <= now]
    return Handover(
        at=now,
        shift_start=start,
        phase=state.phase.phase.value,
        open_incidents=open_incidents,
        units_out=units,
        queued=rows,
        decisions=decisions,
        problems=list(problems),
    )


def read_outbox(path: Path) -> tuple[list[QueuedCommand], str | None]:
    """The console's queued commands, read without touching the file (the console owns
    it). A missing file is an empty queue; anything unreadable is reported, not fatal."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return [], None
    except (OSError, UnicodeDecodeError) as error:
        return [], f"{path}: {error}"
    try:
        document = json.loads(text)
    except ValueError as error:
        return [], f"{path}: not valid JSON ({error})"
    items = document.get("commands") if isinstance(document, dict) else None
    if not isinstance(items, list):
        return [], f"{path}: no command list"
    commands: list[QueuedCommand] = []
    for index, item in enumerate(items):
        try:
            commands.append(QueuedCommand.from_json(item, f"commands[{index}]"))
        except OutboxError as error:
            return commands, f"{path}: {error}"
    return commands, None


def build_handover(handover: Handover, words: Catalogue) -> Document:
    facts = [
        (words("shift.start"), f"{when(handover.shift_start)} {words('wib')}"),
        (words("handover.at"), f"{when(handover.at)} {words('wib')}"),
        (words("col.phase"), words.enum("phase", handover.phase)),
    ]
    incidents = Section(words("section.open"))
    incidents.tables.append(open_incidents_table("open_incidents", words, handover.open_incidents))
    units = Section(words("section.units_out"))
    units.tables.append(
        Table(
            "units_out",
            [
                words("col.id"),
                words("col.name"),
                words("report.col.unit"),
                words("col.status"),
                words("col.from"),
                words("report.col.incident"),
            ],
            [
                [u.id, u.name, u.unit, words.enum("ostatus", u.status), u.since, u.incident_id]
                for u in handover.units_out
            ],
        )
    )
    outbox = Section(words("section.outbox"))
    outbox.tables.append(
        Table(
            "queued_commands",
            [
                words("col.created"),
                words("col.description"),
                words("col.method"),
                words("col.path"),
                words("col.attempts"),
                words("col.error"),
            ],
            [
                [q.created_at, q.description, q.method, q.path, q.attempts, q.last_error]
                for q in handover.queued
            ],
        )
    )
    shift = Section(words("section.shift"))
    shift.tables.append(
        decisions_table("shift_decisions", words, [("", d) for d in handover.decisions])
    )
    return Document(
        words("handover.title"),
        words.lang,
        facts,
        list(handover.problems),
        [incidents, units, outbox, shift],
        words,
        alert_title=words("handover.problems"),
    )
