"""The Anev figures as one streaming pass over the hub's events.

`DayFigures.feed(event)` takes events one at a time in seq order and keeps only what
the figures need (a few small fields per incident, TPS and unit), never the events
themselves: a log of a million events is read in constant memory apart from those
records. `DayFigures.result(logbooks)` turns what was gathered into `ReportData`.

The period is [start, end]. Events after `end` are ignored (the day as it stood at
`end`); events before `start` are still followed, so a TPS's risk class or a unit's
status is known, but only incidents reported inside the period are counted.
Stage times come from the incident records themselves (`reported_at`,
`acknowledged_at`, and `updated_at` of the first version showing a status), so they
are the hub's clock at the moment of each change.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from pilkades_tui.domain.clock import WIB, to_wib
from pilkades_tui.domain.events import (
    INCIDENT_UPDATED,
    OFFICER_UPDATED,
    PHASE_CHANGED,
    TPS_UPDATED,
    Event,
)
from pilkades_tui.domain.models import (
    CLOSED_STATUSES,
    HealthProtocol,
    Incident,
    IncidentAction,
    IncidentStatus,
    Officer,
    OfficerStatus,
    Phase,
    Tps,
    TpsPhase,
)
from pilkades_tui.domain.rules import DEFAULT_SETTINGS, RuleSettings
from pilkades_tui.domain.rules.timers import next_shift_change
from pilkades_tui.logbook.book import Entry
from pilkades_tui.scenario.geography import Geography

# A TPS open for voting or counting should report at least this often; a longer
# silence is listed (the console flags a quiet TPS the same way on the day).
REPORTING_PHASES = frozenset({TpsPhase.VOTING, TpsPhase.COUNTING, TpsPhase.RECAP})
UNITS_OUT = frozenset(
    {
        OfficerStatus.DISPATCHED,
        OfficerStatus.EN_ROUTE,
        OfficerStatus.ON_SCENE,
        OfficerStatus.ESCORTING,
    }
)

# Response stages, each measured from the moment the report came in.
STAGES = ("acknowledged", "dispatched", "on_scene", "resolved")
RISK_CLASSES = ("high", "medium", "low", "unknown")
UNKNOWN_CHANNEL = "unknown"  # an incident reported without a channel (before channels existed)


class ReportError(Exception):
    """Input the report cannot be made from; the message is for a person."""


# ---- time of the period -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TimeSpec:
    """--from / --to: an absolute moment, or a WIB clock time on the log's day."""

    moment: datetime | None = None
    clock: time | None = None

    @classmethod
    def parse(cls, text: str, option: str) -> TimeSpec:
        value = text.strip()
        try:
            if len(value) <= 5 and ":" in value:
                return cls(clock=time.fromisoformat(value.zfill(5)))
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise ReportError(
                f"{option} {text!r}: give an RFC 3339 time (2026-11-29T07:00:00+07:00) "
                "or a WIB clock time on the log's day (07:00)"
            ) from None
        if moment.tzinfo is None:
            raise ReportError(f"{option} {text!r}: an RFC 3339 time needs its offset (+07:00)")
        return cls(moment=moment)

    def on(self, day: date) -> datetime:
        if self.moment is not None:
            return self.moment
        assert self.clock is not None
        return datetime.combine(day, self.clock, tzinfo=WIB)


def check_order(start: datetime | None, end: datetime | None) -> None:
    if start is not None and end is not None and start >= end:
        raise ReportError(
            f"the period is the wrong way round: --from {to_wib(start):%Y-%m-%d %H:%M} "
            f"is not before --to {to_wib(end):%Y-%m-%d %H:%M} WIB"
        )


# ---- what is kept per record ----------------------------------------------------------


@dataclass(slots=True)
class IncidentTrack:
    id: str
    category: str
    priority: int
    district: str
    village: str
    tps_id: str | None
    reported_at: datetime
    status: str
    escalation: str
    verification: str
    channel: str  # "unknown" when the record does not say (older clients)
    stage_at: dict[str, datetime] = field(default_factory=dict)
    officers_ever: set[str] = field(default_factory=set)
    officer_ids: tuple[str, ...] = ()
    closed_at: datetime | None = None
    lat: float = 0.0
    lon: float = 0.0
    timeline_seen: int = 0  # timeline entries already counted
    last_by: str = ""  # who acted last (token / officer)


@dataclass(slots=True)
class TpsTrack:
    id: str
    name: str
    village: str
    district: str
    risk: str
    phase: str
    health: str
    last_report_at: datetime | None
    violations: int = 0
    first_violation_at: datetime | None = None
    longest_gap: timedelta = timedelta(0)
    village_code: str = ""


@dataclass(slots=True)
class UnitTrack:
    id: str
    name: str
    rank: str
    unit: str
    status: str
    since: datetime | None
    incident_id: str | None
    assignments: int = 0
    on_scene: timedelta = timedelta(0)


# ---- what comes out -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PhaseRow:
    phase: str
    start: datetime
    end: datetime
    incidents: int


@dataclass(frozen=True, slots=True)
class IncidentRow:
    id: str
    category: str
    priority: int
    district: str
    village: str
    status: str
    reported_at: datetime
    escalation: str
    officer_ids: tuple[str, ...]
    last_by: str = ""  # the timeline's last `by`: the desk and officer who acted last


# What the desk decides (the timeline's actions that are not field reports): the
# "who did what" table counts these per `by`.
DESK_ACTIONS = frozenset(action.value for action in IncidentAction)


@dataclass(frozen=True, slots=True)
class DeskActionRow:
    by: str  # "piket-1 / Iptu Budi", or a token's name alone from older clients
    action: str
    count: int


@dataclass(frozen=True, slots=True)
class ResponseRow:
    group: str  # "P1" or a kecamatan
    stage: str
    count: int
    p50: timedelta
    p90: timedelta
    max: timedelta


@dataclass(frozen=True, slots=True)
class Breach:
    incident_id: str
    priority: int
    district: str
    kind: str  # "unacknowledged" or "on_scene"
    limit: timedelta
    took: timedelta
    still_open: bool


@dataclass(frozen=True, slots=True)
class RiskRow:
    risk: str
    tps: int
    incidents: int
    per_100_tps: float
    share: float


@dataclass(frozen=True, slots=True)
class TpsRow:
    id: str
    name: str
    village: str
    district: str
    risk: str
    violations: int
    first_violation_at: datetime | None
    longest_gap: timedelta
    silent_at_end: timedelta | None


@dataclass(frozen=True, slots=True)
class UnitRow:
    id: str
    name: str
    unit: str
    assignments: int
    on_scene: timedelta
    status: str
    incident_id: str | None


@dataclass(slots=True)
class ReportData:
    start: datetime
    end: datetime
    events: int
    final_phase: str
    phases: list[PhaseRow]
    per_hour: list[tuple[datetime, int]]
    by_category: list[tuple[str, int]]
    by_channel: list[tuple[str, int]]  # how the reports came in: radio, phone, field page...
    by_verification: list[tuple[str, int]]  # verified / invalid (hoaxes) / unverified
    by_district: list[tuple[str, int]]
    by_priority: list[tuple[int, int]]
    total_incidents: int
    still_open: list[IncidentRow]
    response_by_priority: list[ResponseRow]
    response_by_district: list[ResponseRow]
    breaches: list[Breach]
    by_risk: list[RiskRow]
    tps_flagged: list[TpsRow]
    units: list[UnitRow]
    units_out: list[UnitRow]
    # The silence after which a TPS is listed: the rule settings' tps_stale_minutes.
    tps_stale_after: timedelta = timedelta(minutes=30)
    logbooks: list[LogbookSummary] = field(default_factory=list)
    drill: bool = False  # a drill's log or logbooks: not a real day
    village_risk: dict[str, str] = field(default_factory=dict)  # village code -> risk class
    incident_marks: list[IncidentMark] = field(default_factory=list)
    geography: Geography | None = None  # the election's places, for the map
    # Who did what at the desk, from the hub's timelines (X-Pilkades-Operator).
    desk_actions: list[DeskActionRow] = field(default_factory=list)

    @property
    def broken_logbooks(self) -> list[LogbookSummary]:
        return [book for book in self.logbooks if not book.intact]


@dataclass(frozen=True, slots=True)
class IncidentMark:
    """Where an incident of the period happened, for the map."""

    id: str
    priority: int
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class LogbookSummary:
    path: str
    records: int
    intact: bool
    first_broken: int | None
    reason: str
    head_hash: str
    decisions: tuple[Entry, ...]  # the logbook's own entries, outcomes folded in


# ---- percentiles ----------------------------------------------------------------------


def nearest_rank(sorted_values: Sequence[timedelta], share: float) -> timedelta:
    """The nearest-rank percentile: the smallest value with at least `share` of the
    values at or below it (no interpolation, so every figure is a real response)."""
    rank = max(1, math.ceil(share * len(sorted_values)))
    return sorted_values[rank - 1]


def response_rows(groups: dict[str, dict[str, list[timedelta]]]) -> list[ResponseRow]:
    rows: list[ResponseRow] = []
    for group in groups:
        for stage in STAGES:
            values = sorted(groups[group].get(stage, ()))
            if not values:
                continue
            rows.append(
                ResponseRow(
                    group,
                    stage,
                    len(values),
                    nearest_rank(values, 0.5),
                    nearest_rank(values, 0.9),
                    values[-1],
                )
            )
    return rows


# ---- the streaming pass ---------------------------------------------------------------


class DayFigures:
    """Feed events in seq order, then call `result`."""

    def __init__(
        self,
        initial_phase: Phase | None = None,
        *,
        start: TimeSpec | None = None,
        end: TimeSpec | None = None,
        settings: RuleSettings = DEFAULT_SETTINGS,
    ) -> None:
        self.settings = settings
        self._start_spec = start
        self._end_spec = end
        self.start: datetime | None = None
        self.end: datetime | None = None
        self._resolved = False
        self.first_ts: datetime | None = None
        self.last_ts: datetime | None = None
        self.events = 0  # events inside the period
        self.read = 0
        self.incidents: dict[str, IncidentTrack] = {}
        self.tps: dict[str, TpsTrack] = {}
        self.units: dict[str, UnitTrack] = {}
        self.phase_changes: list[tuple[str, datetime]] = []
        self.desk_actions: Counter[tuple[str, str]] = Counter()
        if initial_phase is not None:
            self.phase_changes.append((initial_phase.phase.value, initial_phase.since))

    def assume_phase(self, phase: Phase) -> None:
        """The phase to show when the events named none (a feed replay has no phase
        before event 1; a hub's snapshot phase stands in for it)."""
        if not self.phase_changes:
            self.phase_changes.append((phase.phase.value, phase.since))

    # -- period

    def _resolve(self, first: datetime) -> None:
        day = to_wib(first).date()
        self.start = self._start_spec.on(day) if self._start_spec else None
        self.end = self._end_spec.on(day) if self._end_spec else None
        check_order(self.start, self.end)
        self._resolved = True

    def _in_period(self, moment: datetime) -> bool:
        return (self.start is None or moment >= self.start) and (
            self.end is None or moment <= self.end
        )

    # -- feeding

    def feed(self, event: Event) -> None:
        ts = event.ts
        if not self._resolved:
            self._resolve(ts)
        self.read += 1
        if self.end is not None and ts > self.end:
            return
        if self.first_ts is None:
            self.first_ts = ts
        self.last_ts = ts
        if self.start is None or ts >= self.start:
            self.events += 1
        kind = event.type
        if kind == INCIDENT_UPDATED:
            self._incident(event.data)
        elif kind == TPS_UPDATED:
            self._tps(event.data, ts)
        elif kind == OFFICER_UPDATED:
            self._officer(event.data)
        elif kind == PHASE_CHANGED:
            phase: Phase = event.data
            if not self.phase_changes or self.phase_changes[-1][0] != phase.phase.value:
                self.phase_changes.append((phase.phase.value, phase.since))

    def feed_all(self, events: Iterable[Event]) -> DayFigures:
        for event in events:
            self.feed(event)
        return self

    def _incident(self, incident: Incident) -> None:
        track = self.incidents.get(incident.id)
        if track is None:
            track = IncidentTrack(
                id=incident.id,
                category=incident.category.value,
                priority=incident.priority,
                district=incident.district,
                village=incident.village,
                tps_id=incident.tps_id,
                reported_at=incident.reported_at,
                status=incident.status.value,
                escalation=incident.escalation.value,
                verification=incident.verification.value,
                lat=incident.lat,
                lon=incident.lon,
                channel=incident.channel.value if incident.channel else UNKNOWN_CHANNEL,
            )
            self.incidents[incident.id] = track
        else:
            track.category = incident.category.value
            track.priority = incident.priority
            track.status = incident.status.value
            track.escalation = incident.escalation.value
            track.verification = incident.verification.value
            track.lat, track.lon = incident.lat, incident.lon
        stage_at = track.stage_at
        changed_at = incident.updated_at
        if incident.acknowledged_at is not None and "acknowledged" not in stage_at:
            stage_at["acknowledged"] = incident.acknowledged_at
        status = incident.status
        if status in (IncidentStatus.DISPATCHED, IncidentStatus.ON_SCENE):
            stage_at.setdefault("dispatched", changed_at)
        if status is IncidentStatus.ON_SCENE:
            stage_at.setdefault("on_scene", changed_at)
        if status is IncidentStatus.RESOLVED:
            stage_at.setdefault("resolved", changed_at)
        if status in CLOSED_STATUSES:
            if track.closed_at is None:
                track.closed_at = changed_at
        else:
            track.closed_at = None
        self._timeline(track, incident)
        ids = tuple(incident.officer_ids)
        if ids != track.officer_ids:
            for officer_id in ids:
                if officer_id not in track.officers_ever:
                    track.officers_ever.add(officer_id)
                    unit = self.units.get(officer_id)
                    if unit is not None and self._in_period(changed_at):
                        unit.assignments += 1
            track.officer_ids = ids

    def _timeline(self, track: IncidentTrack, incident: Incident) -> None:
        """Count the desk's new timeline entries (each record carries the whole
        timeline; only the ones not seen before are new)."""
        timeline = incident.timeline
        for step in timeline[track.timeline_seen :]:
            action = step.action.split(":", 1)[0]
            if action in DESK_ACTIONS and self._in_period(step.at):
                self.desk_actions[(step.by, action)] += 1
        track.timeline_seen = max(track.timeline_seen, len(timeline))
        if timeline:
            track.last_by = timeline[-1].by

    def _tps(self, tps: Tps, ts: datetime) -> None:
        track = self.tps.get(tps.id)
        if track is None:
            track = TpsTrack(
                id=tps.id,
                name=tps.name,
                village=tps.village,
                district=tps.district,
                risk=tps.risk.value,
                phase=tps.phase.value,
                health=tps.health_protocol.value,
                last_report_at=tps.last_report_at,
                village_code=tps.village_code,
            )
            self.tps[tps.id] = track
            if tps.health_protocol is HealthProtocol.VIOLATION:
                self._violation(track, tps.updated_at)
            return
        track.risk = tps.risk.value
        if tps.health_protocol is HealthProtocol.VIOLATION and track.health != "violation":
            self._violation(track, tps.updated_at)
        track.health = tps.health_protocol.value
        reported = tps.last_report_at
        previous = track.last_report_at
        if (
            reported is not None
            and previous is not None
            and reported > previous
            and track.phase in REPORTING_PHASES
        ):
            gap = self._clipped_gap(previous, reported)
            if gap > track.longest_gap:
                track.longest_gap = gap
        if reported is not None and (previous is None or reported > previous):
            track.last_report_at = reported
        track.phase = tps.phase.value

    def _clipped_gap(self, previous: datetime, reported: datetime) -> timedelta:
        begin = previous if self.start is None else max(previous, self.start)
        return max(reported - begin, timedelta(0))

    def _violation(self, track: TpsTrack, at: datetime) -> None:
        if not self._in_period(at):
            return
        track.violations += 1
        if track.first_violation_at is None:
            track.first_violation_at = at

    def _officer(self, officer: Officer) -> None:
        unit = self.units.get(officer.id)
        changed_at = officer.status_since or officer.updated_at
        if unit is None:
            self.units[officer.id] = UnitTrack(
                id=officer.id,
                name=officer.name,
                rank=officer.rank,
                unit=officer.unit,
                status=officer.status.value,
                since=changed_at,
                incident_id=officer.incident_id,
            )
            return
        unit.incident_id = officer.incident_id
        if officer.status.value == unit.status:
            return
        if unit.status == OfficerStatus.ON_SCENE.value and unit.since is not None:
            unit.on_scene += self._overlap(unit.since, officer.updated_at)
        unit.status = officer.status.value
        unit.since = officer.updated_at

    def _overlap(self, begin: datetime, finish: datetime) -> timedelta:
        if self.start is not None:
            begin = max(begin, self.start)
        if self.end is not None:
            finish = min(finish, self.end)
        return max(finish - begin, timedelta(0))

    # -- result

    def result(self, logbooks: Sequence[LogbookSummary] = ()) -> ReportData:
        if self.read == 0:
            raise ReportError("the hub log holds no events yet")
        if self.first_ts is None or self.last_ts is None:
            assert self.end is not None  # events were read, and all came after the end
            raise ReportError(
                f"the period is empty: the log starts after {to_wib(self.end):%Y-%m-%d %H:%M} WIB"
            )
        start = self.start or self.first_ts
        end = self.end or self.last_ts
        counted = [t for t in self.incidents.values() if start <= t.reported_at <= end]
        if self.events == 0 and not counted:
            raise ReportError(
                f"nothing happened between {to_wib(start):%Y-%m-%d %H:%M} and "
                f"{to_wib(end):%Y-%m-%d %H:%M} WIB: the period is empty"
            )
        return ReportData(
            start=start,
            end=end,
            events=self.events,
            final_phase=self.phase_changes[-1][0] if self.phase_changes else "",
            phases=self._phases(counted, start, end),
            per_hour=_per_hour(counted, start, end),
            by_category=Counter(t.category for t in counted).most_common(),
            by_channel=sorted(
                Counter(t.channel for t in counted).items(), key=lambda p: (-p[1], p[0])
            ),
            by_verification=sorted(Counter(t.verification for t in counted).items()),
            by_district=sorted(
                Counter(t.district or "-" for t in counted).items(), key=lambda p: (-p[1], p[0])
            ),
            by_priority=sorted(Counter(t.priority for t in counted).items()),
            total_incidents=len(counted),
            still_open=self._still_open(counted),
            response_by_priority=response_rows(
                dict(sorted(_durations(counted, lambda t: f"P{t.priority}").items()))
            ),
            response_by_district=response_rows(
                dict(sorted(_durations(counted, lambda t: t.district or "-").items()))
            ),
            breaches=self._breaches(counted, end),
            by_risk=self._by_risk(counted),
            tps_flagged=self._tps_flagged(end),
            tps_stale_after=self.tps_stale_after,
            units=self._units(end),
            units_out=[row for row in self._units(end) if row.status in UNITS_OUT],
            village_risk=self._risk_by_village_code(),
            incident_marks=[IncidentMark(t.id, t.priority, t.lat, t.lon) for t in counted],
            logbooks=[
                replace(
                    book,
                    decisions=tuple(d for d in book.decisions if self._in_period(d.at)),
                )
                for book in logbooks
            ],
            desk_actions=[
                DeskActionRow(by, action, count)
                for (by, action), count in sorted(self.desk_actions.items())
            ],
        )

    def _phases(
        self, counted: list[IncidentTrack], start: datetime, end: datetime
    ) -> list[PhaseRow]:
        rows: list[PhaseRow] = []
        changes = self.phase_changes
        for index, (phase, since) in enumerate(changes):
            until = changes[index + 1][1] if index + 1 < len(changes) else end
            begin, finish = max(since, start), min(until, end)
            if finish < begin or (finish == begin and index + 1 < len(changes)):
                continue
            inside = sum(
                1
                for t in counted
                if begin <= t.reported_at and (t.reported_at < finish or until >= end)
            )
            rows.append(PhaseRow(phase, begin, finish, inside))
        return rows

    def _still_open(self, counted: list[IncidentTrack]) -> list[IncidentRow]:
        closed = {status.value for status in CLOSED_STATUSES}
        rows = [
            IncidentRow(
                t.id,
                t.category,
                t.priority,
                t.district,
                t.village,
                t.status,
                t.reported_at,
                t.escalation,
                t.officer_ids,
                t.last_by,
            )
            for t in counted
            if t.status not in closed
        ]
        return sorted(rows, key=lambda row: (row.priority, row.reported_at, row.id))

    def _breaches(self, counted: list[IncidentTrack], end: datetime) -> list[Breach]:
        breaches: list[Breach] = []
        for track in counted:
            if track.status == IncidentStatus.CANCELLED.value:
                continue
            timers = self.settings.timers.for_priority(track.priority)
            stages = timers.unacknowledged
            if stages != "off":
                limit = timedelta(minutes=stages.alarm)
                acked = track.stage_at.get("acknowledged")
                took = (acked or end) - track.reported_at
                if took > limit:
                    breaches.append(
                        Breach(
                            track.id,
                            track.priority,
                            track.district,
                            "unacknowledged",
                            limit,
                            took,
                            acked is None,
                        )
                    )
            deadline = self._on_scene_deadline(track)
            if deadline is None:
                continue
            reached = track.stage_at.get("on_scene") or track.stage_at.get("resolved")
            took = (reached or end) - track.reported_at
            limit = deadline - track.reported_at
            if took > limit:
                breaches.append(
                    Breach(
                        track.id,
                        track.priority,
                        track.district,
                        "on_scene",
                        limit,
                        took,
                        reached is None,
                    )
                )
        return sorted(breaches, key=lambda b: (b.priority, -b.took, b.incident_id))

    def _on_scene_deadline(self, track: IncidentTrack) -> datetime | None:
        target = self.settings.targets.for_priority(track.priority)
        if target.within == "none":
            return None
        if target.within == "shift":
            return next_shift_change(self.settings, track.reported_at)
        minutes = target.minutes or 0
        if track.district in self.settings.targets.rural_districts and target.rural_minutes:
            minutes = target.rural_minutes
        return track.reported_at + timedelta(minutes=minutes)

    def _risk_by_village_code(self) -> dict[str, str]:
        order = {"high": 2, "medium": 1, "low": 0}
        risks: dict[str, str] = {}
        for tps in self.tps.values():
            held = risks.get(tps.village_code)
            if held is None or order.get(tps.risk, -1) > order.get(held, -1):
                risks[tps.village_code] = tps.risk
        return risks

    def _village_risk(self) -> dict[tuple[str, str], str]:
        order = {"high": 2, "medium": 1, "low": 0}
        risks: dict[tuple[str, str], str] = {}
        for tps in self.tps.values():
            key = (tps.district, tps.village)
            held = risks.get(key)
            if held is None or order.get(tps.risk, -1) > order.get(held, -1):
                risks[key] = tps.risk
        return risks

    def risk_of(self, track: IncidentTrack, villages: dict[tuple[str, str], str]) -> str:
        if track.tps_id is not None and track.tps_id in self.tps:
            return self.tps[track.tps_id].risk
        return villages.get((track.district, track.village), "unknown")

    def _by_risk(self, counted: list[IncidentTrack]) -> list[RiskRow]:
        villages = self._village_risk()
        incidents = Counter(self.risk_of(track, villages) for track in counted)
        tps = Counter(track.risk for track in self.tps.values())
        total = len(counted)
        rows: list[RiskRow] = []
        for risk in RISK_CLASSES:
            if not tps[risk] and not incidents[risk]:
                continue
            rows.append(
                RiskRow(
                    risk,
                    tps[risk],
                    incidents[risk],
                    100.0 * incidents[risk] / tps[risk] if tps[risk] else 0.0,
                    incidents[risk] / total if total else 0.0,
                )
            )
        return rows

    @property
    def tps_stale_after(self) -> timedelta:
        return timedelta(minutes=self.settings.reporting.tps_stale_minutes)

    def _tps_flagged(self, end: datetime) -> list[TpsRow]:
        stale_after = self.tps_stale_after
        rows: list[TpsRow] = []
        for track in self.tps.values():
            silent: timedelta | None = None
            if track.phase in REPORTING_PHASES and track.last_report_at is not None:
                quiet = self._clipped_gap(track.last_report_at, end)
                if quiet > stale_after:
                    silent = quiet
            if track.violations or track.longest_gap > stale_after or silent is not None:
                rows.append(
                    TpsRow(
                        track.id,
                        track.name,
                        track.village,
                        track.district,
                        track.risk,
                        track.violations,
                        track.first_violation_at,
                        track.longest_gap,
                        silent,
                    )
                )
        return sorted(rows, key=lambda r: (-r.violations, -r.longest_gap, r.id))

    def _units(self, end: datetime) -> list[UnitRow]:
        rows: list[UnitRow] = []
        for unit in self.units.values():
            on_scene = unit.on_scene
            if unit.status == OfficerStatus.ON_SCENE.value and unit.since is not None:
                on_scene += self._overlap(unit.since, end)
            rows.append(
                UnitRow(
                    unit.id,
                    f"{unit.rank} {unit.name}".strip(),
                    unit.unit,
                    unit.assignments,
                    on_scene,
                    unit.status,
                    unit.incident_id,
                )
            )
        return sorted(rows, key=lambda r: (-r.assignments, -r.on_scene, r.id))


def _durations(
    counted: Iterable[IncidentTrack], group_of: Callable[[IncidentTrack], str]
) -> dict[str, dict[str, list[timedelta]]]:
    groups: dict[str, dict[str, list[timedelta]]] = {}
    for track in counted:
        stages = groups.setdefault(group_of(track), {})
        for stage, at in track.stage_at.items():
            stages.setdefault(stage, []).append(max(at - track.reported_at, timedelta(0)))
    return groups


def _per_hour(
    counted: Iterable[IncidentTrack], start: datetime, end: datetime
) -> list[tuple[datetime, int]]:
    counts = Counter(
        to_wib(t.reported_at).replace(minute=0, second=0, microsecond=0) for t in counted
    )
    hour = to_wib(start).replace(minute=0, second=0, microsecond=0)
    last = to_wib(end)
    rows: list[tuple[datetime, int]] = []
    while hour <= last:
        rows.append((hour, counts.get(hour, 0)))
        hour += timedelta(hours=1)
    return rows


__all__ = [
    "STAGES",
    "Breach",
    "DayFigures",
    "LogbookSummary",
    "ReportData",
    "ReportError",
    "TimeSpec",
]
