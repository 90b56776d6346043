"""Staffing against risk: officers posted at each TPS against the pattern of its class.

An officer covers every TPS that lists him in `officer_ids`, plus the TPS of his
`post_tps_id`. A guard who covers several TPS counts as a share at each (one guard for
two TPS is half an officer at each), so the shares of a kecamatan add up to its
officers and a pattern like "2 officers per 5 TPS" can be checked TPS by TPS. Shares
are for judging only: what an officer reads is whole officers against the pattern
(`posted` of `pattern_officers` per `pattern_tps` TPS), never "0.4/0.4".

An officer counts as present while he is on duty and not drawn away to an incident
elsewhere: off duty, or assigned to an incident at another TPS (or none), he leaves his
post short. Escorting the ballots is part of the TPS duty and counts.

The index is incremental: `update` takes the ids a batch of events changed and
recomputes only the TPS those records touch.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from math import ceil
from typing import TYPE_CHECKING

from pilkades_tui.domain.models import OfficerStatus, Risk, Tps
from pilkades_tui.domain.rules.settings import StaffingSettings

if TYPE_CHECKING:
    from pilkades_tui.domain.state import Changes, ElectionState

# Shares are sums of fractions like 1/3; compare them with a little slack.
SHARE_EPSILON = 1e-9


@dataclass(frozen=True, slots=True)
class TpsStaffing:
    tps_id: str
    district: str
    risk: Risk
    required: float  # officers per this TPS by its pattern, e.g. 0.4 for "2 per 5"
    posted: int  # officers present who cover this TPS
    posted_share: float  # their shares (an officer covering n TPS gives 1/n to each)
    pattern_officers: int = 0  # the pattern in whole officers: 2 ...
    pattern_tps: int = 1  # ... per 5 TPS

    @property
    def short(self) -> bool:
        return self.posted_share + SHARE_EPSILON < self.required


@dataclass(slots=True)
class DistrictStaffing:
    district: str
    tps: int = 0
    required: int = 0  # per risk class: ceil(TPS of the class x officers / per_tps)
    posted: int = 0  # distinct officers present at TPS of the kecamatan
    short_tps: int = 0
    short_alert_tps: int = 0  # short TPS of a class that raises an alert (high risk)


class StaffingIndex:
    def __init__(self, settings: StaffingSettings) -> None:
        self.settings = settings
        # Per risk class: officers per one TPS, and the pattern (officers per TPS).
        self._patterns: dict[Risk, tuple[float, int, int]] = {
            risk: (pattern.per_one_tps, pattern.officers, pattern.per_tps)
            for risk in Risk
            for pattern in (settings.pattern(risk),)
        }
        self._clear()

    def _clear(self) -> None:
        self._listed: dict[str, frozenset[str]] = {}  # tps -> its officer_ids
        self._posted_at: dict[str, str] = {}  # officer -> post_tps_id
        self._covers: dict[str, set[str]] = {}  # officer -> TPS he covers
        self._crew: dict[str, set[str]] = {}  # tps -> officers covering it
        self._present: dict[str, bool] = {}
        self._result: dict[str, TpsStaffing] = {}
        self._short_alert: set[str] = set()  # short TPS of an alert class
        # Per kecamatan, recounted only where some TPS's staffing changed: a province has
        # 50k TPS and a full recount takes a quarter of a second.
        self._district_tps: dict[str, set[str]] = {}
        self._district_rows: dict[str, DistrictStaffing] = {}
        self._dirty_districts: set[str] = set()

    # ---- building and updating ---------------------------------------------------

    def rebuild(self, state: ElectionState) -> set[str]:
        self._clear()
        for tps in state.tps.values():
            self._set_listed(tps)
        for officer in state.officers.values():
            self._set_post(officer.id, officer.post_tps_id)
            self._present[officer.id] = _is_present(state, officer.id, self._covers)
        touched = set(state.tps)
        self._recompute(state, touched)
        return touched

    def update(self, state: ElectionState, changes: Changes) -> set[str]:
        """Apply what changed; returns the TPS whose crew or record may have changed."""
        touched: set[str] = set(changes.tps)
        recheck: set[str] = set(changes.officers)
        for tps_id in changes.tps:
            tps = state.tps.get(tps_id)
            if tps is not None:
                before = self._listed.get(tps_id, frozenset())
                after = frozenset(tps.officer_ids)
                recheck.update(before ^ after)
                for officer_id in before ^ after:
                    touched.update(self._covers.get(officer_id, ()))
                self._set_listed(tps)
        for incident_id in changes.incidents:
            incident = state.incidents.get(incident_id)
            if incident is not None:
                recheck.update(incident.officer_ids)
        for officer_id in recheck:
            officer = state.officers.get(officer_id)
            touched.update(self._covers.get(officer_id, ()))
            self._set_post(officer_id, officer.post_tps_id if officer else None)
            self._present[officer_id] = _is_present(state, officer_id, self._covers)
            touched.update(self._covers.get(officer_id, ()))
        self._recompute(state, touched)
        return touched

    def _set_listed(self, tps: Tps) -> None:
        tps_id = tps.id
        before = self._listed.get(tps_id, frozenset())
        after = frozenset(tps.officer_ids)
        self._listed[tps_id] = after
        for officer_id in before - after:
            if self._posted_at.get(officer_id) != tps_id:
                self._uncover(officer_id, tps_id)
        for officer_id in after - before:
            self._cover(officer_id, tps_id)

    def _set_post(self, officer_id: str, post: str | None) -> None:
        before = self._posted_at.get(officer_id)
        if before == post:
            return
        if before is not None:
            del self._posted_at[officer_id]
            if officer_id not in self._listed.get(before, frozenset()):
                self._uncover(officer_id, before)
        if post is not None:
            self._posted_at[officer_id] = post
            self._cover(officer_id, post)

    def _cover(self, officer_id: str, tps_id: str) -> None:
        self._covers.setdefault(officer_id, set()).add(tps_id)
        self._crew.setdefault(tps_id, set()).add(officer_id)

    def _uncover(self, officer_id: str, tps_id: str) -> None:
        covers = self._covers.get(officer_id)
        if covers is not None:
            covers.discard(tps_id)
        crew = self._crew.get(tps_id)
        if crew is not None:
            crew.discard(officer_id)

    def _recompute(self, state: ElectionState, tps_ids: Iterable[str]) -> None:
        alert_risks = self.settings.alert_risks
        # Looked up once per batch: this loop runs for every TPS a batch touches.
        records, crews, present_of, covers = state.tps, self._crew, self._present, self._covers
        patterns = self._patterns
        for tps_id in tps_ids:
            tps = records.get(tps_id)
            if tps is None:
                continue
            present = [o for o in crews.get(tps_id, ()) if present_of.get(o, False)]
            share = sum(1.0 / len(covers[o]) for o in present)
            required, officers, per_tps = patterns[tps.risk]
            result = TpsStaffing(
                tps_id=tps_id,
                district=tps.district,
                risk=tps.risk,
                required=required,
                posted=len(present),
                posted_share=share,
                pattern_officers=officers,
                pattern_tps=per_tps,
            )
            old = self._result.get(tps_id)
            if old != result:
                self._result[tps_id] = result
                self._dirty_districts.add(tps.district)
                if old is None or old.district != tps.district:
                    self._district_tps.setdefault(tps.district, set()).add(tps_id)
                if old is not None and old.district != tps.district:
                    self._district_tps[old.district].discard(tps_id)
                    self._dirty_districts.add(old.district)
            if result.short and tps.risk in alert_risks:
                self._short_alert.add(tps_id)
            else:
                self._short_alert.discard(tps_id)

    # ---- reading -----------------------------------------------------------------

    def crew(self, tps_id: str) -> frozenset[str]:
        """Officers covering a TPS, present or not."""
        return frozenset(self._crew.get(tps_id, ()))

    def covers(self, officer_id: str) -> frozenset[str]:
        return frozenset(self._covers.get(officer_id, ()))

    def tps(self, tps_id: str) -> TpsStaffing | None:
        return self._result.get(tps_id)

    def short_alert_tps(self) -> set[str]:
        """Short TPS of a class that raises an alert (by default: high risk)."""
        return self._short_alert

    def by_district(self) -> dict[str, DistrictStaffing]:
        """Per kecamatan (copies: the caller may keep them)."""
        self._recount_districts()
        return {name: replace(row) for name, row in self._district_rows.items()}

    def district(self, name: str) -> DistrictStaffing | None:
        """One kecamatan, as `by_district()[name]` without copying all the others."""
        self._recount_districts()
        row = self._district_rows.get(name)
        return None if row is None else replace(row)

    def _recount_districts(self) -> None:
        dirty, self._dirty_districts = self._dirty_districts, set()
        for district in dirty:
            row = self._count_district(district)
            if row is None:
                self._district_rows.pop(district, None)
            else:
                self._district_rows[district] = row

    def _count_district(self, district: str) -> DistrictStaffing | None:
        tps_ids = self._district_tps.get(district)
        if not tps_ids:
            return None
        row = DistrictStaffing(district)
        class_counts: dict[Risk, int] = {}
        officers: set[str] = set()
        alert_risks = self.settings.alert_risks
        present = self._present
        for tps_id in tps_ids:
            staffing = self._result[tps_id]
            row.tps += 1
            class_counts[staffing.risk] = class_counts.get(staffing.risk, 0) + 1
            if staffing.short:
                row.short_tps += 1
                if staffing.risk in alert_risks:
                    row.short_alert_tps += 1
            officers.update(o for o in self._crew.get(tps_id, ()) if present.get(o))
        for risk, count in class_counts.items():
            pattern = self.settings.pattern(risk)
            row.required += ceil(count * pattern.officers / pattern.per_tps)
        row.posted = len(officers)
        return row


def _is_present(state: ElectionState, officer_id: str, covers: dict[str, set[str]]) -> bool:
    officer = state.officers.get(officer_id)
    if officer is None or officer.status == OfficerStatus.OFF_DUTY:
        return False
    if officer.incident_id is None:
        return True
    incident = state.incidents.get(officer.incident_id)
    if incident is None or not incident.is_open:
        return True
    # Handling trouble at his own TPS keeps him at his post.
    return incident.tps_id is not None and incident.tps_id in covers.get(officer_id, ())


def compute_staffing(state: ElectionState, settings: StaffingSettings) -> StaffingIndex:
    """A one-off staffing view of a state, for a report."""
    index = StaffingIndex(settings)
    index.rebuild(state)
    return index
