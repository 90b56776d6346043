"""Priority targets and incident timers, each with a warning and an alarm stage.

- unacknowledged: while status `new`, from `reported_at`;
- not_moving: while status `dispatched` and no assigned unit is `en_route` or
  `on_scene`, from the earliest `status_since` of the units still `dispatched`;
- no_contact: while status `on_scene`, from the latest contact of its units
  (`last_contact_at`, else `position_at`);
- target: until on scene, from `reported_at`; alarm at the priority's on-scene target
  (P1 15 min, 20 in a rural kecamatan; P2 60; P3 the next shift change; P4 none),
  warning at `warning_fraction` of it.

A stage is reached when `now` equals or passes its time. An incident that is closed,
or judged `invalid`, runs no timer. On alarm the proposed action is escalation to the
next level (none → polres → polda).

`TimerBoard` keeps the plan of every open incident and a heap of the next moments a
stage changes, so a tick that crosses no threshold costs nothing.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Mapping
from dataclasses import dataclass

from pilkades_tui.domain.clock import WIB, to_wib
from pilkades_tui.domain.models import (
    Escalation,
    Incident,
    IncidentStatus,
    Officer,
    OfficerStatus,
    Verification,
)
from pilkades_tui.domain.rules.alerts import Action, Alert, AlertBook, AlertKind, Severity
from pilkades_tui.domain.rules.settings import RuleSettings, TimerKind

MOVING = frozenset({OfficerStatus.EN_ROUTE, OfficerStatus.ON_SCENE})
NEXT_ESCALATION: dict[Escalation, Escalation] = {
    Escalation.NONE: Escalation.POLRES,
    Escalation.POLRES: Escalation.POLDA,
}


@dataclass(frozen=True, slots=True)
class TimerPlan:
    kind: TimerKind
    started_at: dt.datetime
    warning_at: dt.datetime
    alarm_at: dt.datetime
    target: str = ""  # the on-scene target, for the text ("15 min", "shift 19:00")

    def severity(self, now: dt.datetime) -> Severity | None:
        if now >= self.alarm_at:
            return Severity.ALARM
        if now >= self.warning_at:
            return Severity.WARNING
        return None

    def next_change(self, now: dt.datetime) -> dt.datetime | None:
        for moment in (self.warning_at, self.alarm_at):
            if moment > now:
                return moment
        return None


def next_escalation(incident: Incident) -> Escalation | None:
    return NEXT_ESCALATION.get(incident.escalation)


def is_rural(incident: Incident, settings: RuleSettings) -> bool:
    return incident.district in settings.targets.rural_districts


def next_shift_change(settings: RuleSettings, after: dt.datetime) -> dt.datetime:
    local = to_wib(after)
    for days in (0, 1):
        day = local.date() + dt.timedelta(days=days)
        for change in settings.targets.shift_changes:
            moment = dt.datetime.combine(day, change.replace(tzinfo=None), tzinfo=WIB)
            if moment > local:
                return moment
    raise AssertionError("shift_changes is never empty")  # validated in the settings


def _assigned(incident: Incident, officers: Mapping[str, Officer]) -> list[Officer]:
    found = (officers.get(officer_id) for officer_id in incident.officer_ids)
    return [o for o in found if o is not None and o.incident_id == incident.id]


def _stages_plan(
    kind: TimerKind, incident: Incident, started_at: dt.datetime, settings: RuleSettings
) -> TimerPlan | None:
    stages = settings.timers.for_priority(incident.priority).stages(kind)
    if stages is None:
        return None
    return TimerPlan(
        kind=kind,
        started_at=started_at,
        warning_at=started_at + dt.timedelta(minutes=stages.warning),
        alarm_at=started_at + dt.timedelta(minutes=stages.alarm),
    )


def _target_plan(incident: Incident, settings: RuleSettings) -> TimerPlan | None:
    target = settings.targets.for_priority(incident.priority)
    start = incident.reported_at
    if target.within == "none":
        return None
    if target.within == "shift":
        deadline = next_shift_change(settings, start)
        label = f"shift {deadline:%H:%M}"
    else:
        minutes = target.minutes or 0
        if is_rural(incident, settings) and target.rural_minutes is not None:
            minutes = target.rural_minutes
        deadline = start + dt.timedelta(minutes=minutes)
        label = f"{minutes} min"
    warning = start + (deadline - start) * settings.targets.warning_fraction
    return TimerPlan(TimerKind.TARGET, start, warning, deadline, label)


def plan_timers(
    incident: Incident, officers: Mapping[str, Officer], settings: RuleSettings
) -> list[TimerPlan]:
    """The timers running for an incident as it stands; time-independent."""
    status = incident.status
    if not incident.is_open or incident.verification == Verification.INVALID:
        return []
    plans: list[TimerPlan | None] = []
    if status == IncidentStatus.NEW:
        started = incident.reported_at
        plans.append(_stages_plan(TimerKind.UNACKNOWLEDGED, incident, started, settings))
    elif status == IncidentStatus.DISPATCHED:
        units = _assigned(incident, officers)
        if units and not any(unit.status in MOVING for unit in units):
            waiting = [
                unit.status_since
                for unit in units
                if unit.status == OfficerStatus.DISPATCHED and unit.status_since is not None
            ]
            started = min(waiting) if waiting else incident.updated_at
            plans.append(_stages_plan(TimerKind.NOT_MOVING, incident, started, settings))
    elif status == IncidentStatus.ON_SCENE:
        contacts = [
            moment
            for unit in _assigned(incident, officers)
            for moment in (unit.last_contact_at or unit.position_at,)
            if moment is not None
        ]
        started = max(contacts) if contacts else incident.updated_at
        plans.append(_stages_plan(TimerKind.NO_CONTACT, incident, started, settings))
    if status != IncidentStatus.ON_SCENE:
        plans.append(_target_plan(incident, settings))
    return [plan for plan in plans if plan is not None]


def next_target(incident: Incident, settings: RuleSettings) -> TimerPlan | None:
    """The one deadline an open incident runs towards next: acknowledgement while it is
    new (its priority's unacknowledged alarm), then the on-scene target until a unit is
    there. None once on scene, closed, judged invalid, or when the priority has none."""
    if not incident.is_open or incident.verification == Verification.INVALID:
        return None
    if incident.status == IncidentStatus.NEW:
        plan = _stages_plan(TimerKind.UNACKNOWLEDGED, incident, incident.reported_at, settings)
        if plan is not None:
            return plan
    if incident.status == IncidentStatus.ON_SCENE:
        return None
    return _target_plan(incident, settings)


def timer_alert(incident: Incident, plan: TimerPlan, now: dt.datetime) -> Alert | None:
    severity = plan.severity(now)
    if severity is None:
        return None
    action: Action | None
    action_params: dict[str, str] = {}
    escalate_to = next_escalation(incident)
    if severity == Severity.ALARM and escalate_to is not None:
        action = Action.ESCALATE
        action_params = {"to": escalate_to.value}
    elif incident.status == IncidentStatus.NEW:
        action = Action.ACKNOWLEDGE
    else:
        action = Action.CONTACT_UNIT
    raised_at = plan.alarm_at if severity == Severity.ALARM else plan.warning_at
    # Minutes at the stage's threshold, not at `now`: the alert stays equal between
    # ticks, so a UI redraws it only when something real changed.
    minutes = int((raised_at - plan.started_at).total_seconds() // 60)
    return Alert(
        key=f"timer:{plan.kind.value}:{incident.id}",
        kind=AlertKind.TIMER,
        severity=severity,
        subject_ids=(incident.id,),
        message_key=f"alert.timer.{plan.kind.value}",
        params={
            "timer": plan.kind.value,
            "incident_id": incident.id,
            "priority": incident.priority,
            "minutes": minutes,
            "target": plan.target,
            "district": incident.district,
            "village": incident.village,
            "escalation": incident.escalation.value,
        },
        raised_at=raised_at,
        action=action,
        action_params=action_params,
        location=(incident.lat, incident.lon),
    )


class TimerBoard:
    """Timer alerts of every open incident, advanced by a heap of the next changes.

    An alert's `minutes` is the stage's threshold ("not acknowledged for 5 min"); a UI
    that shows a running clock computes it from `plans(incident_id)` and `now`.
    """

    def __init__(self, settings: RuleSettings, book: AlertBook) -> None:
        self.settings = settings
        self.book = book
        self._plans: dict[str, list[TimerPlan]] = {}
        self._keys: dict[str, list[str]] = {}  # incident -> its alert keys
        self._generation: dict[str, int] = {}
        self._heap: list[tuple[dt.datetime, int, str]] = []
        self._now: dt.datetime | None = None

    def clear(self) -> None:
        for keys in self._keys.values():
            for key in keys:
                self.book.drop(key)
        self._plans.clear()
        self._keys.clear()
        self._generation.clear()
        self._heap.clear()
        self._now = None

    def plans(self, incident_id: str) -> list[TimerPlan]:
        return self._plans.get(incident_id, [])

    def refresh(
        self,
        incident: Incident | None,
        incident_id: str,
        officers: Mapping[str, Officer],
        now: dt.datetime,
    ) -> None:
        """Recompute an incident's timers after it (or one of its units) changed."""
        generation = self._generation.get(incident_id, 0) + 1
        self._generation[incident_id] = generation
        plans = plan_timers(incident, officers, self.settings) if incident else []
        if plans:
            self._plans[incident_id] = plans
        else:
            self._plans.pop(incident_id, None)
        self._show(incident, incident_id, now, generation)

    def advance(self, now: dt.datetime, incidents: Mapping[str, Incident]) -> None:
        if self._now is not None and now < self._now:
            # A clock set back (a test, a replay): every plan is judged afresh.
            self._heap.clear()
            for incident_id in list(self._plans):
                self._show(
                    incidents.get(incident_id), incident_id, now, self._generation[incident_id]
                )
        self._now = now
        heap = self._heap
        while heap and heap[0][0] <= now:
            _, generation, incident_id = heapq.heappop(heap)
            if self._generation.get(incident_id) == generation:
                self._show(incidents.get(incident_id), incident_id, now, generation)

    def _show(
        self, incident: Incident | None, incident_id: str, now: dt.datetime, generation: int
    ) -> None:
        fresh: dict[str, Alert] = {}
        upcoming: dt.datetime | None = None
        plans = self._plans.get(incident_id)
        if incident is not None and plans:
            for plan in plans:
                alert = timer_alert(incident, plan, now)
                if alert is not None:
                    fresh[alert.key] = alert
                moment = plan.next_change(now)
                if moment is not None and (upcoming is None or moment < upcoming):
                    upcoming = moment
        book = self.book
        for key in self._keys.pop(incident_id, ()):
            if key not in fresh:
                book.drop(key)
        for alert in fresh.values():
            book.put(alert)
        if fresh:
            self._keys[incident_id] = list(fresh)
        if upcoming is not None:
            heap = self._heap
            heapq.heappush(heap, (upcoming, generation, incident_id))
            if len(heap) > 4 * len(self._plans) + 64:
                # Refreshes leave stale entries behind; drop them before they pile up.
                live = self._generation
                self._heap = [entry for entry in heap if live.get(entry[2]) == entry[1]]
                heapq.heapify(self._heap)
