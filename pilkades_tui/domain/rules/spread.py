"""Spread detection: related incidents gathering in space and time.

An incident takes part while its category is related (crowd, clash, intimidation,
vote dispute by default), it is not cancelled nor judged invalid, and it was reported
within the window (inclusive: exactly `window_minutes` ago still counts). A resolved
incident still takes part while in the window: the tension it signalled does not end
with one scene calmed.

Two taking-part incidents are linked when they lie within `radius_km` of each other,
or in the same or neighbouring villages (adjacency from the village outlines). Linked
incidents form clusters (connected components); a cluster of at least `min_incidents`
with at least one open member raises an alert. When every member is resolved, the
cause is dealt with and the alert clears.

Incidents sit in grid buckets a radius wide, so adding one looks at the 3 x 3 cells
around it, not at every incident. The detector is fed incident changes as they arrive
and ages incidents out with a heap.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from math import cos, floor, radians

from pilkades_tui.domain.geo import INDONESIA_LAT, haversine_km
from pilkades_tui.domain.models import Category, Incident, IncidentStatus, Verification
from pilkades_tui.domain.rules.alerts import Action, Alert, AlertBook, AlertKind, Severity
from pilkades_tui.domain.rules.settings import SpreadSettings

KM_PER_DEGREE = 111.32
# The narrowest degree of longitude within Indonesia's latitudes: cells sized with it
# are at least a radius wide everywhere, so neighbours are always in the 3 x 3 cells.
_MIN_COS = cos(radians(max(abs(INDONESIA_LAT[0]), abs(INDONESIA_LAT[1]))))

Cell = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Member:
    id: str
    lat: float
    lon: float
    reported_at: dt.datetime
    open: bool
    category: Category
    village_code: str | None
    village: str
    district: str


@dataclass(frozen=True, slots=True)
class Cluster:
    key: str
    member_ids: tuple[str, ...]  # oldest report first
    centre: tuple[float, float]  # (lat, lon), the members' mean
    first_at: dt.datetime
    last_at: dt.datetime
    open_count: int
    districts: tuple[str, ...]
    villages: tuple[str, ...]
    has_clash: bool


class SpreadDetector:
    def __init__(
        self,
        settings: SpreadSettings,
        neighbours: Mapping[str, frozenset[str]] | None = None,
        book: AlertBook | None = None,
    ) -> None:
        self.settings = settings
        self.book = book if book is not None else AlertBook()
        self.neighbours = neighbours if settings.use_adjacency and neighbours else {}
        self._cell_lat = settings.radius_km / KM_PER_DEGREE
        self._cell_lon = settings.radius_km / (KM_PER_DEGREE * _MIN_COS)
        self._window = dt.timedelta(minutes=settings.window_minutes)
        self._clusters: dict[str, Cluster] = {}
        self._clear()

    def _clear(self) -> None:
        self._members: dict[str, Member] = {}
        self._cells: dict[Cell, set[str]] = {}
        self._by_village: dict[str, set[str]] = {}
        self._links: dict[str, set[str]] = {}
        self._expiry: list[tuple[dt.datetime, str]] = []
        # Members whose component may have changed since the clusters were last made.
        self._dirty: set[str] = set()
        for key in self._clusters:
            self.book.drop(key)
        self._clusters = {}
        self._key_of: dict[str, str] = {}  # member -> key of its cluster
        self._now: dt.datetime | None = None

    def clear(self) -> None:
        self._clear()

    # ---- feeding ---------------------------------------------------------------------

    def update(
        self,
        incident: Incident | None,
        incident_id: str,
        village_code: str | None,
        now: dt.datetime,
    ) -> None:
        """An incident arrived or changed (None: it is gone)."""
        held = self._members.get(incident_id)
        member = self._member(incident, village_code, now) if incident is not None else None
        if held == member:
            return
        if held is not None:
            self._remove(held)
        if member is not None:
            self._add(member)

    def _member(
        self, incident: Incident, village_code: str | None, now: dt.datetime
    ) -> Member | None:
        if incident.category not in self.settings.categories:
            return None
        if incident.status == IncidentStatus.CANCELLED:
            return None
        if incident.verification == Verification.INVALID:
            return None
        if now - incident.reported_at > self._window:
            return None
        return Member(
            id=incident.id,
            lat=incident.lat,
            lon=incident.lon,
            reported_at=incident.reported_at,
            open=incident.is_open,
            category=incident.category,
            village_code=village_code,
            village=incident.village,
            district=incident.district,
        )

    def _cell(self, lat: float, lon: float) -> Cell:
        return (floor(lat / self._cell_lat), floor(lon / self._cell_lon))

    def _add(self, member: Member) -> None:
        member_id = member.id
        self._members[member_id] = member
        links = self._links[member_id] = set()
        row, column = self._cell(member.lat, member.lon)
        radius = self.settings.radius_km
        members = self._members
        for d_row in (-1, 0, 1):
            for d_column in (-1, 0, 1):
                for other_id in self._cells.get((row + d_row, column + d_column), ()):
                    other = members[other_id]
                    if haversine_km(member.lat, member.lon, other.lat, other.lon) <= radius:
                        links.add(other_id)
        self._cells.setdefault((row, column), set()).add(member_id)
        code = member.village_code
        if code is not None:
            for village in (code, *self.neighbours.get(code, ())):
                links.update(self._by_village.get(village, ()))
            self._by_village.setdefault(code, set()).add(member_id)
        links.discard(member_id)
        for other_id in links:
            self._links[other_id].add(member_id)
        # Its own component and those it joins together are remade.
        self._dirty.update(links)
        self._dirty.add(member_id)
        heapq.heappush(self._expiry, (member.reported_at + self._window, member_id))

    def _remove(self, member: Member) -> None:
        member_id = member.id
        del self._members[member_id]
        cell = self._cell(member.lat, member.lon)
        bucket = self._cells[cell]
        bucket.discard(member_id)
        if not bucket:
            del self._cells[cell]
        if member.village_code is not None:
            village = self._by_village[member.village_code]
            village.discard(member_id)
            if not village:
                del self._by_village[member.village_code]
        for other_id in self._links.pop(member_id):
            self._links[other_id].discard(member_id)
            self._dirty.add(other_id)
        self._dirty.add(member_id)

    def advance(
        self,
        now: dt.datetime,
        incidents: Mapping[str, Incident],
        village_code_of: Callable[[Incident], str | None],
    ) -> None:
        """Age out incidents that left the window; recompute clusters if anything moved."""
        if self._now is not None and now < self._now:
            # A clock set back: the window holds other incidents; take them afresh.
            self._clear()
            for incident in incidents.values():
                self.update(incident, incident.id, village_code_of(incident), now)
        self._now = now
        expiry = self._expiry
        while expiry and expiry[0][0] < now:
            _, member_id = heapq.heappop(expiry)
            member = self._members.get(member_id)
            if member is not None and now - member.reported_at > self._window:
                self._remove(member)
        if self._dirty:
            self._recluster()

    # ---- clusters --------------------------------------------------------------------

    def _recluster(self) -> None:
        """Remake only the clusters that dirty members belong to, then and now."""
        members = self._members
        links = self._links
        dirty, self._dirty = self._dirty, set()
        stale = {self._key_of[m] for m in dirty if m in self._key_of}
        starts = {m for m in dirty if m in members}
        previous: dict[str, frozenset[str]] = {}
        for key in stale:
            cluster = self._clusters.pop(key)
            previous[key] = frozenset(cluster.member_ids)
            for member_id in cluster.member_ids:
                del self._key_of[member_id]
                if member_id in members:
                    starts.add(member_id)
        seen: set[str] = set()
        components: list[list[str]] = []
        minimum = self.settings.min_incidents
        for start in starts:
            if start in seen:
                continue
            seen.add(start)
            component = [start]
            stack = [start]
            while stack:
                for other in links[stack.pop()]:
                    if other not in seen:
                        seen.add(other)
                        component.append(other)
                        stack.append(other)
            if len(component) >= minimum and any(members[m].open for m in component):
                components.append(component)
        made = self._name(components, previous)
        for key in stale - made.keys():
            self.book.drop(key)
        for key, cluster in made.items():
            self._clusters[key] = cluster
            for member_id in cluster.member_ids:
                self._key_of[member_id] = key
            self.book.put(self._alert(cluster))

    def _name(
        self, components: list[list[str]], previous: dict[str, frozenset[str]]
    ) -> dict[str, Cluster]:
        """Keys that stay: a remade cluster keeps the key of the earlier cluster it shares
        most members with; a new one is named after its oldest member."""
        members = self._members
        claims: list[tuple[int, str, int]] = []  # (-shared, old key, component index)
        for index, component in enumerate(components):
            for key, old in previous.items():
                shared = sum(1 for member_id in component if member_id in old)
                if shared:
                    claims.append((-shared, key, index))
        claims.sort()
        keys: dict[int, str] = {}
        taken: set[str] = set(self._clusters)
        for _, key, index in claims:
            if index not in keys and key not in taken:
                keys[index] = key
                taken.add(key)
        clusters: dict[str, Cluster] = {}
        for index, component in enumerate(components):
            ordered = sorted(component, key=lambda m: (members[m].reported_at, m))
            key = keys.get(index)
            if key is None:
                key = f"spread:{ordered[0]}"
                suffix = 2
                while key in taken:
                    key = f"spread:{ordered[0]}#{suffix}"
                    suffix += 1
                taken.add(key)
            clusters[key] = _cluster(key, [members[m] for m in ordered])
        return clusters

    def _alert(self, cluster: Cluster) -> Alert:
        settings = self.settings
        place = ", ".join(cluster.villages[:3]) or ", ".join(cluster.districts[:3])
        return Alert(
            key=cluster.key,
            kind=AlertKind.SPREAD,
            severity=Severity.ALARM if cluster.has_clash else Severity.WARNING,
            subject_ids=cluster.member_ids,
            message_key="alert.spread",
            params={
                "count": len(cluster.member_ids),
                "open": cluster.open_count,
                "radius_km": settings.radius_km,
                "window_minutes": settings.window_minutes,
                "place": place,
                "districts": ", ".join(cluster.districts),
            },
            raised_at=cluster.last_at,
            action=Action.SHOW_CLUSTER,
            location=cluster.centre,
        )

    def clusters(self) -> list[Cluster]:
        """Active clusters, the most recent activity first."""
        return sorted(self._clusters.values(), key=lambda c: (-c.last_at.timestamp(), c.key))

    def member_ids(self) -> frozenset[str]:
        return frozenset(self._members)


def _cluster(key: str, members: list[Member]) -> Cluster:
    count = len(members)
    return Cluster(
        key=key,
        member_ids=tuple(m.id for m in members),
        centre=(sum(m.lat for m in members) / count, sum(m.lon for m in members) / count),
        first_at=members[0].reported_at,
        last_at=max(m.reported_at for m in members),
        open_count=sum(1 for m in members if m.open),
        districts=tuple(sorted({m.district for m in members if m.district})),
        villages=tuple(sorted({m.village for m in members if m.village})),
        has_clash=any(m.category == Category.CLASH for m in members),
    )
