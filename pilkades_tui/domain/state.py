"""Election-day state: the one reducer, shared by hub, console and report.

Events are applied in `seq` order. A full record whose `version` is not newer than
the one held is ignored (so replaying is harmless); a skipped `seq` raises `SeqGap`
so the caller can take a fresh snapshot. `apply` returns the ids that changed, so a
UI redraws only those.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from pilkades_tui.domain.events import (
    INCIDENT_UPDATED,
    NOTICE,
    OFFICER_POSITION,
    OFFICER_UPDATED,
    PHASE_CHANGED,
    TPS_UPDATED,
    Event,
)
from pilkades_tui.domain.geo import PlaceGrid
from pilkades_tui.domain.models import (
    CLOSED_STATUSES,
    HubMode,
    Incident,
    Notice,
    Officer,
    OfficerStatus,
    Phase,
    Position,
    Snapshot,
    Tps,
)
from pilkades_tui.domain.recommend import Recommendation, UnitGrid, recommend_units

RECENT_NOTICES = 100
# Status changes kept per unit as the state saw them (its detail screen's history).
UNIT_HISTORY = 20


class SeqGap(Exception):
    """An event arrived whose seq is not the next one: the feed lost something."""

    def __init__(self, expected: int, got: int) -> None:
        super().__init__(f"seq gap: expected {expected}, got {got}")
        self.expected = expected
        self.got = got


@dataclass(slots=True)
class Changes:
    """What one or more applied events changed, by record id."""

    tps: set[str] = field(default_factory=set)
    incidents: set[str] = field(default_factory=set)
    officers: set[str] = field(default_factory=set)
    positions: set[str] = field(default_factory=set)  # officers whose position alone moved
    phase: bool = False
    notices: list[Notice] = field(default_factory=list)
    reloaded: bool = False  # a whole snapshot replaced the state
    applied: int = 0
    ignored: int = 0  # duplicates and stale versions

    def __bool__(self) -> bool:
        return bool(
            self.tps
            or self.incidents
            or self.officers
            or self.positions
            or self.phase
            or self.notices
            or self.reloaded
        )

    def merge(self, other: Changes) -> None:
        self.tps |= other.tps
        self.incidents |= other.incidents
        self.officers |= other.officers
        self.positions |= other.positions
        self.phase = self.phase or other.phase
        self.notices.extend(other.notices)
        self.reloaded = self.reloaded or other.reloaded
        self.applied += other.applied
        self.ignored += other.ignored


@dataclass(frozen=True, slots=True)
class UnitChange:
    """A unit's status or incident changing, as applied: `left` is the incident it was
    bound to before, when the change unbound it."""

    at: datetime
    status: OfficerStatus
    incident_id: str | None
    left: str | None = None
    new_status: bool = True  # False: only the incident changed


@dataclass(slots=True)
class DistrictCounts:
    district: str
    tps: int = 0
    voters: int = 0
    ballots_cast: int = 0
    high_risk_tps: int = 0
    open_incidents: int = 0

    @property
    def turnout(self) -> float:
        return self.ballots_cast / self.voters if self.voters else 0.0


def _index_add(index: dict[str, set[str]], key: str, record_id: str) -> None:
    bucket = index.get(key)
    if bucket is None:
        index[key] = {record_id}
    else:
        bucket.add(record_id)


def _index_remove(index: dict[str, set[str]], key: str, record_id: str) -> None:
    bucket = index.get(key)
    if bucket is not None:
        bucket.discard(record_id)
        if not bucket:
            del index[key]


@dataclass(frozen=True, slots=True)
class HeldPositions:
    """`ElectionState.held_positions`: a seq and some officers' positions at it."""

    seq: int
    positions: dict[str, tuple[object, ...]]


class ElectionState:
    """The records of one election day and the indexes a console reads cheaply."""

    def __init__(self, phase: Phase, mode: HubMode = HubMode.LIVE) -> None:
        self.seq = 0
        self.mode = mode
        self.phase = phase
        self.tps: dict[str, Tps] = {}
        self.incidents: dict[str, Incident] = {}
        self.officers: dict[str, Officer] = {}
        self.notices: deque[Notice] = deque(maxlen=RECENT_NOTICES)
        # What was seen happen stays true across a resync: kept outside the indexes.
        self._unit_history: dict[str, deque[UnitChange]] = {}
        self._reset_indexes()

    def _reset_indexes(self) -> None:
        self._tps_by_district: dict[str, set[str]] = {}
        self._tps_by_phase: dict[str, set[str]] = {}
        self._tps_by_risk: dict[str, set[str]] = {}
        self._officers_by_status: dict[str, set[str]] = {}
        self._available_grid = UnitGrid()
        self._grid_stale: set[str] = set()  # units moved or changed since the grid was read
        self._open_incidents: set[str] = set()
        self._open_by_district: dict[str, set[str]] = {}
        # Kept sorted as incidents change (bisect), so reading the queue never sorts it all.
        self._open_keys: list[tuple[int, float, str]] = []
        self._open_sorted: list[Incident] | None = None
        self._tps_places: PlaceGrid[Tps] | None = None  # built when first asked

    # ---- loading ---------------------------------------------------------

    @classmethod
    def from_snapshot(cls, snapshot: Snapshot) -> ElectionState:
        state = cls(snapshot.phase, snapshot.mode)
        state.load(snapshot)
        return state

    def load(self, snapshot: Snapshot) -> Changes:
        """Replace everything with a snapshot (after a reset or a seq gap)."""
        self.seq = snapshot.seq
        self.mode = snapshot.mode
        self.phase = snapshot.phase
        self.tps = {}
        self.incidents = {}
        self.officers = {}
        self._reset_indexes()
        for tps in snapshot.tps:
            self._put_tps(tps)
        for incident in snapshot.incidents:
            self._put_incident(incident)
        for officer in snapshot.officers:
            self._put_officer(officer)
        self._fresh_grid()  # with the load, not on the first recommendation
        return Changes(
            tps=set(self.tps),
            incidents=set(self.incidents),
            officers=set(self.officers),
            phase=True,
            reloaded=True,
        )

    def snapshot(self) -> Snapshot:
        return Snapshot.model_construct(
            seq=self.seq,
            mode=self.mode,
            phase=self.phase,
            tps=list(self.tps.values()),
            incidents=list(self.incidents.values()),
            officers=list(self.officers.values()),
        )

    # ---- applying --------------------------------------------------------

    def apply(self, event: Event, changes: Changes | None = None) -> Changes:
        """Apply one event. Raises SeqGap if events were skipped before it."""
        if changes is None:
            changes = Changes()
        seq = event.seq
        if seq <= self.seq:
            changes.ignored += 1
            return changes
        if seq != self.seq + 1:
            raise SeqGap(self.seq + 1, seq)
        self.seq = seq
        kind = event.type
        data = event.data
        if kind == OFFICER_POSITION:
            if self._move_officer(data):
                changes.positions.add(data.id)
            else:
                changes.ignored += 1
                return changes
        elif kind == INCIDENT_UPDATED:
            if not self._put_incident(data):
                changes.ignored += 1
                return changes
            changes.incidents.add(data.id)
        elif kind == TPS_UPDATED:
            if not self._put_tps(data):
                changes.ignored += 1
                return changes
            changes.tps.add(data.id)
        elif kind == OFFICER_UPDATED:
            if not self._put_officer(data):
                changes.ignored += 1
                return changes
            changes.officers.add(data.id)
        elif kind == PHASE_CHANGED:
            if data.version <= self.phase.version:
                changes.ignored += 1
                return changes
            self.phase = data
            changes.phase = True
        elif kind == NOTICE:
            self.notices.append(data)
            changes.notices.append(data)
        changes.applied += 1
        return changes

    def apply_many(self, events: Iterable[Event]) -> Changes:
        changes = Changes()
        for event in events:
            self.apply(event, changes)
        return changes

    def _move_officer(self, position: Position) -> bool:
        officer = self.officers.get(position.id)
        if officer is None:
            return False
        held = officer.position_at
        if held is not None and position.at < held:
            return False
        # In place, no copy: positions are most of the feed. A position is not a change
        # of the record, so `version` stays (full records carry the latest position too).
        values = officer.__dict__
        values["lat"] = position.lat
        values["lon"] = position.lon
        values["position_at"] = position.at
        contact = officer.last_contact_at
        if contact is None or position.at > contact:
            values["last_contact_at"] = position.at
        self._grid_stale.add(position.id)
        return True

    # What a position moves in place (`_move_officer`), kept to be put back.
    _POSITION_FIELDS = ("lat", "lon", "position_at", "last_contact_at")

    def held_positions(self, officer_ids: Iterable[str]) -> HeldPositions:
        """The seq and these officers' positions as held now: `rewind` puts them back
        after positions were applied on trial (a hub on a shared log that appended
        them only if no other hub had appended first, and found one had)."""
        officers = self.officers
        fields = self._POSITION_FIELDS
        held: dict[str, tuple[object, ...]] = {}
        for officer_id in officer_ids:
            officer = officers.get(officer_id)
            if officer is not None:
                values = officer.__dict__
                held[officer_id] = tuple(values[name] for name in fields)
        return HeldPositions(self.seq, held)

    def rewind(self, held: HeldPositions) -> None:
        """Back to `held`, when nothing but positions of those officers was applied
        since it was taken."""
        fields = self._POSITION_FIELDS
        for officer_id, values in held.positions.items():
            self.officers[officer_id].__dict__.update(zip(fields, values, strict=True))
            self._grid_stale.add(officer_id)
        self.seq = held.seq

    def _put_tps(self, tps: Tps) -> bool:
        old = self.tps.get(tps.id)
        tps_id = tps.id
        if old is not None:
            if tps.version <= old.version:
                return False
            if old.district != tps.district:
                _index_remove(self._tps_by_district, old.district, tps_id)
            if old.phase != tps.phase:
                _index_remove(self._tps_by_phase, old.phase, tps_id)
            if old.risk != tps.risk:
                _index_remove(self._tps_by_risk, old.risk, tps_id)
            if (old.lat, old.lon, old.village, old.district) != (
                tps.lat,
                tps.lon,
                tps.village,
                tps.district,
            ):
                self._tps_places = None
        else:
            self._tps_places = None
        self.tps[tps_id] = tps
        _index_add(self._tps_by_district, tps.district, tps_id)
        _index_add(self._tps_by_phase, tps.phase, tps_id)
        _index_add(self._tps_by_risk, tps.risk, tps_id)
        return True

    def _put_officer(self, officer: Officer) -> bool:
        old = self.officers.get(officer.id)
        if old is not None:
            if officer.version <= old.version:
                return False
            if old.status != officer.status:
                _index_remove(self._officers_by_status, old.status, officer.id)
            if old.status != officer.status or old.incident_id != officer.incident_id:
                self._note_change(old, officer)
        self.officers[officer.id] = officer
        _index_add(self._officers_by_status, officer.status, officer.id)
        self._grid_stale.add(officer.id)
        return True

    def _put_incident(self, incident: Incident) -> bool:
        incident_id = incident.id
        old = self.incidents.get(incident_id)
        if old is not None:
            if incident.version <= old.version:
                return False
            if old.status not in CLOSED_STATUSES:
                _index_remove(self._open_by_district, old.district, incident_id)
                self._open_incidents.discard(incident_id)
                keys = self._open_keys
                del keys[bisect_left(keys, _queue_key(old))]
        self.incidents[incident_id] = incident
        if incident.status not in CLOSED_STATUSES:
            self._open_incidents.add(incident_id)
            _index_add(self._open_by_district, incident.district, incident_id)
            insort(self._open_keys, _queue_key(incident))
        self._open_sorted = None
        return True

    def _note_change(self, old: Officer, new: Officer) -> None:
        history = self._unit_history.get(new.id)
        if history is None:
            history = self._unit_history[new.id] = deque(maxlen=UNIT_HISTORY)
        changed = old.status != new.status
        at = (new.status_since if changed else None) or new.updated_at
        left = old.incident_id if old.incident_id != new.incident_id else None
        history.append(UnitChange(at, new.status, new.incident_id, left, changed))

    # ---- queries ---------------------------------------------------------

    def open_incidents(self) -> list[Incident]:
        """Open incidents, highest priority first, then oldest first."""
        if self._open_sorted is None:
            incidents = self.incidents
            self._open_sorted = [incidents[key[2]] for key in self._open_keys]
        return self._open_sorted

    def open_counts_by_priority(self) -> dict[int, int]:
        counts = {1: 0, 2: 0, 3: 0, 4: 0}
        for incident_id in self._open_incidents:
            counts[self.incidents[incident_id].priority] += 1
        return counts

    def officers_with_status(self, status: OfficerStatus) -> list[Officer]:
        return [self.officers[i] for i in self._officers_by_status.get(status, ())]

    def officer_status_counts(self) -> dict[str, int]:
        return {status: len(ids) for status, ids in self._officers_by_status.items()}

    def tps_in_district(self, district: str) -> list[Tps]:
        return [self.tps[i] for i in self._tps_by_district.get(district, ())]

    def tps_in_phase(self, phase: str) -> list[Tps]:
        return [self.tps[i] for i in self._tps_by_phase.get(phase, ())]

    def tps_with_risk(self, risk: str) -> list[Tps]:
        return [self.tps[i] for i in self._tps_by_risk.get(risk, ())]

    def districts(self) -> list[str]:
        return sorted(self._tps_by_district)

    def district_counts(self) -> dict[str, DistrictCounts]:
        districts = set(self._tps_by_district) | set(self._open_by_district)
        return {district: self.counts_for(district) for district in districts}

    def open_in_district(self, district: str) -> list[Incident]:
        """One kecamatan's open incidents, from the index (no scan of the others)."""
        incidents = self.incidents
        return [incidents[i] for i in self._open_by_district.get(district, ())]

    def counts_for(self, district: str) -> DistrictCounts:
        """One kecamatan's figures, from its own TPS only (cheap for a summary line)."""
        counts = DistrictCounts(district=district)
        tps_records = self.tps
        for tps_id in self._tps_by_district.get(district, ()):
            tps = tps_records[tps_id]
            counts.tps += 1
            counts.voters += tps.voters
            counts.ballots_cast += tps.ballots_cast
            if tps.risk == "high":
                counts.high_risk_tps += 1
        counts.open_incidents = len(self._open_by_district.get(district, ()))
        return counts

    def officer_district(self, officer: Officer) -> str | None:
        """An officer's home kecamatan: from the TPS he is posted to, else his Polsek."""
        if officer.post_tps_id is not None:
            tps = self.tps.get(officer.post_tps_id)
            if tps is not None:
                return tps.district
        if officer.unit.startswith("Polsek "):
            return officer.unit.removeprefix("Polsek ")
        return None

    def status_since(self, officer: Officer) -> datetime | None:
        """Since when the unit has had its status: as the hub recorded it, else when this
        state saw it change (a record from a hub that does not stamp it)."""
        if officer.status_since is not None:
            return officer.status_since
        for change in reversed(self._unit_history.get(officer.id, ())):
            if change.new_status:
                return change.at if change.status == officer.status else None
        return None

    def unit_history(self, officer_id: str) -> list[UnitChange]:
        """The unit's status and incident changes this state applied, oldest first."""
        return list(self._unit_history.get(officer_id, ()))

    def nearest_tps(self, lat: float, lon: float) -> tuple[Tps, float] | None:
        """The TPS nearest to a point and its distance in km: its village and kecamatan
        name the place (the hub names a reported point the same way)."""
        places = self._tps_places
        if places is None:
            places = self._tps_places = PlaceGrid(
                (tps.lat, tps.lon, tps) for tps in self.tps.values()
            )
        found = places.nearest(lat, lon)
        if found is None:
            return None
        # The grid holds the record of when it was built; a newer version may have come.
        return self.tps.get(found[0].id, found[0]), found[1]

    def recommend(self, incident: Incident, limit: int | None = 10) -> list[Recommendation]:
        available = self._officers_by_status.get(OfficerStatus.AVAILABLE, ())
        if limit is None or len(available) <= limit * 4:
            units = self.officers_with_status(OfficerStatus.AVAILABLE)
        else:
            units = self._fresh_grid().candidates(incident.lat, incident.lon, limit, self.officers)
        return recommend_units(incident, units, self.officer_district, limit)

    def place_moved_units(self) -> None:
        """Take the units that moved since the last recommendation into its grid now: a
        caller that recommends now and then (the console's brief and map, once a second)
        spreads that work over its frames instead of paying it all at once."""
        self._fresh_grid()

    def _fresh_grid(self) -> UnitGrid:
        stale, self._grid_stale = self._grid_stale, set()
        self._available_grid.refresh(stale, self.officers)
        return self._available_grid

    def index_view(self) -> dict[str, dict[str, object]]:
        """The indexes as plain sets, for checking them against a full recount."""
        return {
            "tps_by_district": _freeze(self._tps_by_district),
            "tps_by_phase": _freeze(self._tps_by_phase),
            "tps_by_risk": _freeze(self._tps_by_risk),
            "officers_by_status": _freeze(self._officers_by_status),
            "available_grid": self._fresh_grid().cells(),
            "open_by_district": _freeze(self._open_by_district),
            "open_queue": {"order": tuple(key[2] for key in self._open_keys)},
        }

    def recount(self) -> dict[str, dict[str, object]]:
        """The indexes computed from scratch from the records."""
        fresh = ElectionState(self.phase, self.mode)
        for tps in self.tps.values():
            fresh._put_tps(tps)
        for officer in self.officers.values():
            fresh._put_officer(officer)
        for incident in self.incidents.values():
            fresh._put_incident(incident)
        return fresh.index_view()


def _queue_key(incident: Incident) -> tuple[int, float, str]:
    return (incident.priority, incident.reported_at.timestamp(), incident.id)


def _freeze(index: dict[str, set[str]]) -> dict[str, object]:
    return {str(key): frozenset(ids) for key, ids in index.items() if ids}
