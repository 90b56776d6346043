"""The alert evaluator: every rule over one ElectionState, incrementally.

    engine = AlertEngine(settings, neighbours=village_neighbours())
    alerts = engine.evaluate(state, now)            # first call: builds from the state
    changes = state.apply_many(events)
    engine.observe(changes)                         # as frames arrive, cheap
    alerts = engine.evaluate(state, now)            # at 1 Hz: the active alerts

`evaluate` returns the active alerts, newest first (see `Alert.sort_key`); the same
tuple object comes back while nothing changed, so a UI can skip a redraw with `is`.
`digest()` (after `evaluate`) gives them as an officer reads them: one per incident,
the understaffed TPS of a kecamatan as one, gravest first (see `AlertDigest`).
The engine must see every change applied to the state since the last evaluation
(`observe`, or the `changes` argument); a reloaded state (`Changes.reloaded`) or
another state object makes it rebuild from scratch.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from itertools import chain

from pilkades_tui.domain.models import Category, Incident, OfficerStatus, Risk
from pilkades_tui.domain.rules.alerts import (
    Action,
    Alert,
    AlertBook,
    AlertDigest,
    AlertKind,
    Severity,
)
from pilkades_tui.domain.rules.checkpoints import (
    CheckpointIndex,
    StageSummary,
    election_day,
    missed_after,
)
from pilkades_tui.domain.rules.settings import DEFAULT_SETTINGS, STAGES, RuleSettings, Stage
from pilkades_tui.domain.rules.spread import Cluster, SpreadDetector
from pilkades_tui.domain.rules.staffing import DistrictStaffing, StaffingIndex, TpsStaffing
from pilkades_tui.domain.rules.timers import TimerBoard, TimerPlan
from pilkades_tui.domain.rules.triage import priority_for
from pilkades_tui.domain.rules.verification import VerificationCounts, VerificationIndex
from pilkades_tui.domain.state import Changes, ElectionState

# How many TPS names a checkpoint or kecamatan staffing alert's text shows;
# subject_ids holds them all.
CHECKPOINT_SAMPLE = 5

VillageKey = tuple[str, str]  # (kecamatan, village name)


class AlertEngine:
    def __init__(
        self,
        settings: RuleSettings = DEFAULT_SETTINGS,
        neighbours: Mapping[str, frozenset[str]] | None = None,
        village_codes: Mapping[VillageKey, str] | None = None,
    ) -> None:
        """`neighbours`: village code -> neighbouring village codes (from
        scenario.adjacency); `village_codes`: (kecamatan, village) -> code, for incidents
        reported by position rather than at a TPS."""
        self.settings = settings
        self.village_codes = village_codes or {}
        self.staffing = StaffingIndex(settings.staffing)
        self.checkpoints = CheckpointIndex(settings.checkpoints)
        self.book = AlertBook(track_changes=True)
        self._digest = AlertDigest(self.book, self._staffing_in_district)
        self.timers = TimerBoard(settings, self.book)
        self.spread = SpreadDetector(settings.spread, neighbours, self.book)
        self.verification = VerificationIndex()
        self._state: ElectionState | None = None
        self._pending = Changes()
        self._short_since: dict[str, dt.datetime] = {}  # short TPS -> first seen short
        self._checkpoint_cache: dict[Stage, object] = {}

    # ---- feeding -----------------------------------------------------------------

    def adopt(self, state: ElectionState) -> None:
        """Carry on with `state`, which must hold the records the engine was last
        evaluated on (e.g. a copy used to build it off the UI thread) plus changes the
        caller passes to `observe`; no rebuild is done for the new object."""
        self._state = state

    def observe(self, changes: Changes) -> None:
        """Note what a batch of applied events changed; evaluate() takes it in."""
        self._pending.merge(changes)

    def take_in(self, state: ElectionState, now: dt.datetime) -> None:
        """Apply what was observed, leaving the timed judgments (timers, spread,
        checkpoints) to `evaluate`: a console calls this on each frame, so that a
        second of a province's changes is not applied all at once on its UI thread."""
        if state is not self._state or self._pending.reloaded or not self._pending:
            return  # nothing, or the next evaluate rebuilds
        pending, self._pending = self._pending, Changes()
        self._apply(state, pending, now)

    def evaluate(
        self, state: ElectionState, now: dt.datetime, changes: Changes | None = None
    ) -> tuple[Alert, ...]:
        if changes is not None:
            self.observe(changes)
        pending, self._pending = self._pending, Changes()
        if state is not self._state or pending.reloaded:
            self._rebuild(state, now)
        elif pending:
            self._apply(state, pending, now)
        self.timers.advance(now, state.incidents)
        self.spread.advance(now, state.incidents, self.village_code_of)
        self._judge_checkpoints(state, now)
        return self.book.ordered()

    def digest(self) -> tuple[Alert, ...]:
        """The alerts of the last `evaluate` as an officer reads them, gravest first;
        the same tuple object while nothing changed."""
        return self._digest.update()

    def digest_members(self, key: str) -> tuple[Alert, ...]:
        """The alerts a digest's kecamatan staffing alert stands for, gravest first."""
        return self._digest.members(key)

    def _rebuild(self, state: ElectionState, now: dt.datetime) -> None:
        self._state = state
        for tps_id in self._short_since:
            self.book.drop(f"understaffed:{tps_id}")
        self._short_since.clear()
        touched = self.staffing.rebuild(state)
        self._judge_staffing(state, touched, now)
        self.checkpoints.rebuild(state.tps.values(), self._escorting)
        self._checkpoint_cache.clear()
        self.timers.clear()
        self.spread.clear()
        self.verification.clear()
        officers = state.officers
        for incident_id, incident in state.incidents.items():
            self.timers.refresh(incident, incident_id, officers, now)
            self.spread.update(incident, incident_id, self.village_code_of(incident), now)
            self.verification.put(incident)

    def _apply(self, state: ElectionState, changes: Changes, now: dt.datetime) -> None:
        touched = self.staffing.update(state, changes)
        self._judge_staffing(state, touched, now)
        tps_records = state.tps
        self.checkpoints.update(
            (tps_records[t] for t in touched if t in tps_records), self._escorting
        )
        incidents = state.incidents
        officers = state.officers
        refresh = set(changes.incidents)
        for officer_id in changes.officers | changes.positions:
            officer = officers.get(officer_id)
            if officer is not None and officer.incident_id is not None:
                refresh.add(officer.incident_id)
        for incident_id in refresh:
            self.timers.refresh(incidents.get(incident_id), incident_id, officers, now)
        for incident_id in changes.incidents:
            incident = incidents.get(incident_id)
            code = self.village_code_of(incident) if incident is not None else None
            self.spread.update(incident, incident_id, code, now)
            if incident is not None:
                self.verification.put(incident)

    # ---- rules that live here ------------------------------------------------------

    def _escorting(self, tps_id: str) -> bool:
        assert self._state is not None
        officers = self._state.officers
        for officer_id in self.staffing.crew(tps_id):
            officer = officers.get(officer_id)
            if officer is not None and officer.status == OfficerStatus.ESCORTING:
                return True
        return False

    def _judge_staffing(self, state: ElectionState, tps_ids: set[str], now: dt.datetime) -> None:
        short = self.staffing.short_alert_tps()
        for tps_id in tps_ids:
            key = f"understaffed:{tps_id}"
            tps = state.tps.get(tps_id)
            staffing = self.staffing.tps(tps_id)
            if tps is None or staffing is None or tps_id not in short:
                if self._short_since.pop(tps_id, None) is not None:
                    self.book.drop(key)
                continue
            since = self._short_since.setdefault(tps_id, now)
            shared = staffing.pattern_tps > 1
            alert = Alert(
                key=key,
                kind=AlertKind.UNDERSTAFFED,
                severity=Severity.ALARM if staffing.posted == 0 else Severity.WARNING,
                subject_ids=(tps_id,),
                message_key="alert.understaffed_shared" if shared else "alert.understaffed",
                params={
                    "tps_id": tps_id,
                    "tps_name": tps.name,
                    "village": tps.village,
                    "district": tps.district,
                    "risk": tps.risk.value,
                    # Whole officers and the pattern ("1 of 2", "1 posted, 2 per 5 TPS").
                    "posted": staffing.posted,
                    "required": staffing.pattern_officers,
                    "per_tps": staffing.pattern_tps,
                },
                raised_at=since,
                action=Action.REINFORCE_TPS,
                location=(tps.lat, tps.lon),
            )
            self.book.put(alert)

    def _staffing_in_district(self, group: str, alerts: list[Alert]) -> Alert:
        """One alert for a kecamatan's understaffed TPS (`alerts`, gravest first)."""
        district = str(alerts[0].params["district"])
        empty = sum(1 for alert in alerts if alert.params["posted"] == 0)
        sample = ", ".join(str(alert.params["tps_name"]) for alert in alerts[:CHECKPOINT_SAMPLE])
        if len(alerts) > CHECKPOINT_SAMPLE:
            sample += ", …"
        return Alert(
            key=f"understaffed:{group}",
            kind=AlertKind.UNDERSTAFFED,
            severity=alerts[0].severity,
            subject_ids=tuple(alert.subject_ids[0] for alert in alerts),
            message_key="alert.understaffed_district" if empty else "alert.understaffed_thin",
            params={"district": district, "count": len(alerts), "empty": empty, "sample": sample},
            raised_at=min(alert.raised_at for alert in alerts),
            action=Action.REINFORCE_TPS,
            location=alerts[0].location,
        )

    def _judge_checkpoints(self, state: ElectionState, now: dt.datetime) -> None:
        settings = self.settings.checkpoints
        day = election_day(settings, state.phase, now)
        for stage in STAGES:
            late_after = missed_after(settings, day, stage) if day is not None else None
            late = late_after is not None and now > late_after
            cache_key = (day, late, self.checkpoints.version(stage))
            if self._checkpoint_cache.get(stage) == cache_key:
                continue
            self._checkpoint_cache[stage] = cache_key
            alert = None
            if late and late_after is not None:
                alert = self._checkpoint_alert(state, stage, late_after)
            if alert is None:
                self.book.drop(f"checkpoint:{stage.value}")
            else:
                self.book.put(alert)

    def _checkpoint_alert(
        self, state: ElectionState, stage: Stage, late_after: dt.datetime
    ) -> Alert | None:
        if not self.checkpoints.pending_count(stage):
            return None
        by_district = self.checkpoints.pending(stage)
        ids = tuple(chain.from_iterable(by_district.values()))
        tps_records = state.tps
        sample = ", ".join(tps_records[i].name for i in ids[:CHECKPOINT_SAMPLE])
        if len(ids) > CHECKPOINT_SAMPLE:
            sample += ", …"
        due = late_after - dt.timedelta(minutes=self.settings.checkpoints.grace_minutes)
        return Alert(
            key=f"checkpoint:{stage.value}",
            kind=AlertKind.CHECKPOINT,
            severity=Severity.WARNING,
            subject_ids=ids,
            message_key="alert.checkpoint",
            params={
                "stage": stage.value,
                "due": f"{due:%H:%M}",
                "count": len(ids),
                "sample": sample,
                "districts": ", ".join(by_district),
            },
            raised_at=late_after,
            action=Action.SHOW_CHECKPOINTS,
        )

    # ---- views for the console and the report -------------------------------------

    def village_code_of(self, incident: Incident) -> str | None:
        state = self._state
        if incident.tps_id is not None and state is not None:
            tps = state.tps.get(incident.tps_id)
            if tps is not None:
                return tps.village_code
        return self.village_codes.get((incident.district, incident.village))

    def tps_staffing(self, tps_id: str) -> TpsStaffing | None:
        return self.staffing.tps(tps_id)

    def district_staffing(self) -> dict[str, DistrictStaffing]:
        return self.staffing.by_district()

    def staffing_in(self, district: str) -> DistrictStaffing | None:
        return self.staffing.district(district)

    def checkpoint_summary(self, now: dt.datetime) -> list[StageSummary]:
        state = self._state
        if state is None:
            return []
        day = election_day(self.settings.checkpoints, state.phase, now)
        return self.checkpoints.summary(day, now)

    def clusters(self) -> list[Cluster]:
        return self.spread.clusters()

    def timer_plans(self, incident_id: str) -> list[TimerPlan]:
        return self.timers.plans(incident_id)

    def unverified_open(self) -> list[Incident]:
        if self._state is None:
            return []
        return self.verification.unverified_open(self._state.incidents)

    def verification_counts(self) -> VerificationCounts:
        return self.verification.counts()

    def priority_for(self, category: Category, village_risk: Risk | None) -> int:
        return priority_for(category, village_risk, self.settings.priority)
